import Core
import Interpreters
/// The `pyvenv.cfg` pyman writes: what CPython's venv writes, plus `implementation`, `version_info`
/// and `pyman` as uv writes them.
public struct PyvenvConfig {
    var base: BaseInterpreter
    var systemSitePackages: Bool
    var prompt: String?
    var pymanVersion: String

    var text: String {
        var lines = [
            "home = \(base.home)",
            "implementation = \(base.implementation)",
            "version_info = \(base.versionInfo)",
            "version = \(base.version)",
            "include-system-site-packages = \(systemSitePackages)",
            "executable = \(base.executable)",
            "pyman = \(pymanVersion)",
        ]
        if let prompt { lines.append("prompt = \(prompt)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension PyvenvConfig {
    /// The `key = value` lines of `<venv>/pyvenv.cfg` (keys lower-cased), read bounded: nil when there is
    /// none, or it is not a small text file (a venv is anybody's folder).
    public static func values(in venv: String) -> [String: String]? {
        guard FileSystem.isRegularFile(venv + "/pyvenv.cfg"), let bytes = try? FileSystem.readFile(venv + "/pyvenv.cfg", limit: 64 << 10),
              let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return VenvDoctor.parse(text)
    }

    /// `3.13.5` from a `values(in:)` answer: CPython and pyman write `version`, uv `version_info` (`3.13.5.final.0`).
    public static func version(of values: [String: String]) -> String? {
        let text = values["version"] ?? values["version_info"].map { $0.split(separator: ".").prefix(3).joined(separator: ".") }
        return text.flatMap { $0.isEmpty ? nil : $0 }
    }
}
