import ArgumentParser
import Catalogue
import CatalogueStore
import Configuration
import Core
import Install

struct CatalogueUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Fetch the catalogue and keep it in the cache dir for install, upgrade, list and venv.",
        discussion: "From --url, else PYMAN_CATALOGUE_URL, else \(CatalogueUpdate.defaultURL). A catalogue that does not parse, or offers no Python for this machine, is refused and the one in use kept."
    )

    @Option(help: ArgumentHelp("Catalogue in uv's download-metadata.json format: a URL or a path.", valueName: "url"))
    var url: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let (outcome, stored) = try CatalogueUpdate.update(url: url, settings: settings)
        let origin = stored.origin
        switch outcome {
        case .fetched: settings.output.note("Fetched \(origin.entries) builds from \(origin.url) (newest build \(origin.newestBuild.map(CatalogueSummary.buildDate) ?? "unknown"))")
        case .unchanged: settings.output.note("The catalogue from \(origin.url) is unchanged (\(origin.entries) builds)")
        }
        if let override = settings.downloadsJSON {
            settings.output.warn("PYMAN_DOWNLOADS_JSON / --downloads-json names \(override), which commands read instead")
        }
    }
}
