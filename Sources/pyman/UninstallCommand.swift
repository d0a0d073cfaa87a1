import ArgumentParser
import Configuration
import Core
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

    @Flag(help: "Remove the patch releases older than the newest installed of their series (of the series named, else all); keep what pyman.lock here pins.")
    var outdated = false

    @Flag(help: "Uninstall even when registered venvs use the Python (they stop working; each is named).")
    var force = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if outdated {
            if all { throw ValidationError("--outdated and --all do not go together: --outdated keeps the newest of each series") }
        } else if requests.isEmpty == !all {
            throw ValidationError("name the Pythons to remove (e.g. `pyman uninstall 3.13`) or pass --all, not both")
        }
    }

    func run() throws {
        let settings = try global.settings()
        let uninstaller = Uninstaller(settings: settings)
        if outdated {
            let removed = try uninstaller.uninstallOutdated(requests, force: force)
            if removed.isEmpty { settings.output.note("Nothing is outdated: each series has only its newest patch release (or what pyman.lock pins).") }
            return
        }
        let removed = try uninstaller.uninstall(requests, all: all, force: force)
        if removed.isEmpty { settings.output.note("No Pythons are installed.") }
    }
}
