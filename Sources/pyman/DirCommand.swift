import ArgumentParser
import Configuration
import FoundationEssentials
import Install

struct DirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dir",
        _superCommandName: "pyman",
        abstract: "Print the folder Pythons are installed in (or, with --bin, where executables are linked)."
    )

    @Flag(help: "Print the bin dir instead.")
    var bin = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        print(bin ? settings.binDir : settings.installDir)
    }
}
