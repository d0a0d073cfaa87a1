import ArgumentParser
import Configuration
import FoundationEssentials
import Install

struct CacheDirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dir",
        abstract: "Print the cache dir (PYMAN_CACHE_DIR); archives are in its downloads-v1/ folder."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        print(try global.settings().cacheDir)
    }
}
