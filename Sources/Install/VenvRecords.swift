import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import Venv
import VenvRegistry

extension VenvRegistry {
    /// The registry in the settings' data dir; its notes go to the command's output.
    public init(settings: Settings) {
        let output = settings.output
        self.init(folder: settings.dataDir, note: { output.note($0) })
    }

    /// Records the venv at `venv` as its pyvenv.cfg now says; returns the warning to show when it could
    /// not be recorded (the venv itself is fine: only `uninstall` would not know of it).
    func recordVenv(_ venv: String, settings: Settings) -> String? {
        guard let values = PyvenvConfig.values(in: venv), let home = values["home"] else {
            return "\(venv) was not recorded in the venv registry: its pyvenv.cfg names no home"
        }
        let install = InstallIndex(directory: settings.installDir, warn: settings.output.warn).record(containing: home)
        let entry = Entry(path: venv, home: home, python: values["executable"] ?? home + "/python3",
                          version: PyvenvConfig.version(of: values) ?? "unknown", install: install?.key)
        do {
            try record(entry)
            return nil
        } catch {
            return "\(venv) was not recorded in the venv registry \(path): \(error)"
        }
    }
}
