import ArgumentParser
import Catalogue
import Core
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
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
        let settings = global.settings()
        _ = try PythonRequest(parsing: request)  // refuse what `install`, `find` and `venv` could not read back
        let file = settings.currentDirectory.appendingPathComponent(".python-version")
        do {
            try (request + "\n").write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw InstallError("cannot write \(file.path): \(systemReason(error))")
        }
        settings.output.note("Pinned \(request) in \(file.path)")
    }
}
