import ArgumentParser
import Catalogue
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Index
import Install

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
        let settings = global.settings()
        let wanted = try request.map(PythonRequest.init(parsing:))
            ?? Resolution.pinnedRequest(from: settings.currentDirectory) ?? .newest
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        guard let record = Resolution.installed(wanted, in: records, platform: settings.platform) else {
            let command = ["pyman", "install", request].compactMap { $0 }.joined(separator: " ")
            throw InstallError("no installed Python matches '\(wanted)'; install it with `\(command)`")
        }
        print(record.executable)
    }
}
