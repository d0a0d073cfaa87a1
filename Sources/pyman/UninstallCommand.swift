import ArgumentParser
import Install

struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        _superCommandName: "pyman",
        abstract: "Remove installed Pythons."
    )

    @Argument(help: "Version requests; every install matching one is removed.")
    var requests: [String] = []

    @Flag(help: "Remove every installed Python.")
    var all = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if requests.isEmpty == !all {
            throw ValidationError("name the Pythons to remove (e.g. `pyman uninstall 3.13`) or pass --all, not both")
        }
    }

    func run() throws {
        let settings = try global.settings()
        let removed = try Uninstaller(settings: settings).uninstall(requests, all: all)
        if removed.isEmpty { settings.output.note("No Pythons are installed.") }
    }
}
