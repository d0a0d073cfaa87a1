import ArgumentParser
import Configuration
import Core
import FoundationEssentials
import Install
import Project

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        _superCommandName: "pyman",
        abstract: "Write .python-version in the current folder (or, with --global, the pin used when nothing nearer says)."
    )

    @Argument(help: "Version request to pin, e.g. 3.13.")
    var request: String

    @Flag(name: .customLong("global"), help: "Write $XDG_CONFIG_HOME/pyman/python-version (else ~/.config/pyman/python-version) instead.")
    var isGlobal = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let file = isGlobal ? try PythonVersionFile.writeGlobal(request, settings: settings)
                            : try PythonVersionFile.write(request, in: settings.currentDirectory)
        settings.output.note("Pinned \(request) in \(file)")
    }
}
