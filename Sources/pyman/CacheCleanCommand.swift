import ArgumentParser
import Configuration
import Core
import FoundationEssentials
import Install

struct CacheCleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove everything in the cache dir (the folder itself stays: it may be a mount)."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let outcome = try CacheMaintenance(settings: settings).clean()
        settings.output.note("Removed \(outcome.removedFiles) file\(outcome.removedFiles == 1 ? "" : "s") (\(mebibytes(outcome.removedBytes)) MiB) from \(settings.cacheDir)")
    }
}
