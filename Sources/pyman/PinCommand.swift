import ArgumentParser
import FoundationEssentials
import Install

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        _superCommandName: "pyman",
        abstract: "Write .python-version in the current folder."
    )

    @Argument(help: "Version request to pin, e.g. 3.13.")
    var request: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let file = try PythonVersionFile.write(request, in: settings.currentDirectory)
        settings.output.note("Pinned \(request) in \(file.path)")
    }
}
