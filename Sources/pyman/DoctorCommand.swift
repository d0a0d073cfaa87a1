import ArgumentParser
import Configuration
import Core
import Install

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        _superCommandName: "pyman",
        abstract: "Find venvs whose base Python cannot start (e.g. made through a symlink) and, with --fix, repair them."
    )

    @Argument(help: "Venv folders to check.")
    var venvs: [String]

    @Flag(help: "Rewrite the broken venvs' home.")
    var fix = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let report = try Doctor.check(venvs, fix: fix, settings: settings)
        settings.output.show(report)
        if report.failed { throw ExitCode.failure }
    }
}
