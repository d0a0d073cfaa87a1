import Interpreters
/// The `pyvenv.cfg` pyman writes: what CPython's venv writes, plus `implementation`, `version_info`
/// and `pyman` as uv writes them.
struct PyvenvConfig {
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
