import ArgumentParser
import Configuration
import Core
import Install

struct CachePruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the cached archives that no install and no pyman.lock in this folder refers to, and old cache formats."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let outcome = try CacheMaintenance(settings: settings).prune()
        settings.output.note("Removed \(outcome.removedFiles) file\(outcome.removedFiles == 1 ? "" : "s") (\(mebibytes(outcome.removedBytes)) MiB); kept \(outcome.keptArchives) archive\(outcome.keptArchives == 1 ? "" : "s") in use")
    }
}
