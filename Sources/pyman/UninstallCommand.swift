import ArgumentParser
import Catalogue
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Index
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
        let settings = global.settings()
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        var doomed = all ? records : []
        for text in requests {
            let request = try PythonRequest(parsing: text)
            let matching = records.filter { $0.pythonKey.map(request.matches) ?? false }
            guard !matching.isEmpty else {
                throw InstallError("no installed Python matches '\(text)'; `pyman list --only-installed` shows what is installed")
            }
            doomed += matching.filter { record in !doomed.contains { $0.key == record.key } }
        }
        if doomed.isEmpty { settings.output.note("No Pythons are installed.") }
        try Uninstaller(settings: settings).uninstall(doomed)
    }
}
