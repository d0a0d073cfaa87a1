import ArgumentParser
import Core
import FoundationEssentials
import Index
import Install
#if canImport(Glibc)
import Glibc
#endif
import Venv

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
        let settings = global.settings()
        var unhealthy = 0
        let index = InstallIndex(directory: settings.installDir, warn: settings.output.warn)
        for path in venvs {
            let venv = URL(fileURLWithPath: path, relativeTo: settings.currentDirectory).standardizedFileURL
            let diagnosis = try VenvDoctor.examine(venv)
            if let advice = index.record(containing: diagnosis.repairedHome ?? diagnosis.home)?.repatchAdvice(current: Installer.patchLevel) {
                settings.output.warn("\(venv.path): its base Python \(advice)")
            }
            guard let problem = diagnosis.problem else {
                settings.output.note("\(venv.path): ok (home = \(diagnosis.home))")
                continue
            }
            if fix, diagnosis.repairedHome != nil {
                try VenvDoctor.repair(diagnosis)
                settings.output.note("\(venv.path): repaired, home = \(diagnosis.repairedHome!)")
            } else {
                unhealthy += 1
                let remedy = diagnosis.repairedHome.map { "run `pyman doctor --fix` to point home at \($0)" }
                    ?? "no working base Python found; recreate it with `pyman venv --clear`"
                StandardError.write("error: \(venv.path): \(problem); \(remedy)\n")
            }
        }
        if unhealthy > 0 { throw ExitCode.failure }
    }
}
