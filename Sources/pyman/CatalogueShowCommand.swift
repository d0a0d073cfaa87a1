import ArgumentParser
import CatalogueStore
import Configuration
import FoundationEssentials
import Install

struct CatalogueShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Say which catalogue is in use: embedded, fetched (from where, when) or a file, its newest build and size."
    )

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let summary = CatalogueSummary(try settings.chooseCatalogue(refreshing: false), platform: settings.platform)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            summary.lines.forEach { print($0) }
        }
    }
}
