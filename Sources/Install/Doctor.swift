import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import Patching
import Venv

/// `pyman doctor`: checks venvs whose base Python may not start (made through a symlink to a Python
/// that does not resolve its home) and, with `fix`, points their `home` at the install they belong to.
/// A venv whose base install was patched at an older level than this pyman's gets a warning: it works,
/// but `pyman install --reinstall` brings the install up to date.
public enum Doctor {
    public static func check(_ venvs: [String], fix: Bool, settings: Settings) throws -> Report {
        var report = Report()
        let index = InstallIndex(directory: settings.installDir, warn: settings.output.warn)
        for path in venvs {
            let venv = Path.absolute(path, in: settings.currentDirectory)
            let diagnosis = try VenvDoctor.examine(venv)
            if let advice = index.record(containing: diagnosis.repairedHome ?? diagnosis.home)?.repatchAdvice(current: InstallPatches.level) {
                report.lines.append(.warning("\(venv): its base Python \(advice)"))
            }
            guard let problem = diagnosis.problem else {
                report.lines.append(.note("\(venv): ok (home = \(diagnosis.home))"))
                continue
            }
            if fix, let home = diagnosis.repairedHome {
                try VenvDoctor.repair(diagnosis)
                report.lines.append(.note("\(venv): repaired, home = \(home)"))
            } else {
                let remedy = diagnosis.repairedHome.map { "run `pyman doctor --fix` to point home at \($0)" }
                    ?? "no working base Python found; recreate it with `pyman venv --clear`"
                report.lines.append(.failure("\(venv): \(problem); \(remedy)"))
            }
        }
        return report
    }
}
