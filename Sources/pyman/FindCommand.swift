import ArgumentParser
import ManagedPythons
import Install
import Interpreters

struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        _superCommandName: "pyman",
        abstract: "Print the path of an installed Python's interpreter."
    )

    @Argument(help: "Version request; defaults to .python-version or the newest installed.")
    var request: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        print(try Resolution.find(request, settings: global.settings()).executable)
    }
}
