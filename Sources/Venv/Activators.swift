// Activation scripts for pyman's virtual environments.
//
// pyman writes environments without running Python, so it writes the scripts CPython's `venv` would put
// in bin/ itself: one per shell family, each with the venv's path and prompt baked in, quoted for that
// shell. The texts are the template files in Activators/, filled in by ActivatorScripts.swift; the per-shell
// quoting is in ShellQuoting.swift; this file is the API and the writing.
import Core
import FoundationEssentials

public enum Activators {
    /// The names written, for callers that list or verify them: bash/zsh/sh, fish, csh/tcsh, nushell,
    /// and PowerShell (twice: `Activate.ps1` as CPython names it, `activate.ps1` for case-sensitive
    /// file systems where people type it in lower case).
    public static let fileNames: [String] = [
        "activate", "activate.fish", "activate.csh", "activate.nu", "Activate.ps1", "activate.ps1",
    ]

    /// Writes bin/activate (bash, zsh, sh/dash), bin/activate.fish, bin/activate.csh (csh/tcsh),
    /// bin/activate.nu (nushell) and bin/Activate.ps1 plus a lower-case bin/activate.ps1 (PowerShell)
    /// into `binDir`. `venvPath` is the venv's absolute path, `prompt` the bare prompt name (e.g. "api").
    ///
    /// Each file is written to a temporary name beside its final one with mode 0644 (the scripts are
    /// sourced, never run) and then renamed over it, so a reader sees the old script or the new one,
    /// never half of one.
    public static func write(into binDir: String, venvPath: String, prompt: String) throws {
        let scripts = try texts(venvPath: venvPath, prompt: prompt)
        for name in fileNames {
            guard let text = scripts[name] else { continue }
            let path = Path.join(binDir, name)
            // A failure names `path` and the system's reason.
            try AtomicFile.write(text, to: path)
        }
    }

    /// The scripts' texts by file name. Internal so tests can look at them without writing files.
    static func texts(venvPath: String, prompt: String) throws -> [String: String] {
        guard venvPath.hasPrefix("/") else {
            throw PymanError("cannot write activation script \(venvPath): the venv path must be absolute")
        }
        guard !venvPath.contains("\u{0}"), !prompt.contains("\u{0}") else {
            throw PymanError("cannot write activation script \(venvPath): the venv path and prompt must not contain NUL")
        }
        // "/srv/api/" and "/srv/api" are the same venv; keep "/" itself.
        var venv = venvPath
        while venv.count > 1, venv.hasSuffix("/") { venv.removeLast() }
        let ps1 = ActivatorScripts.powershell(venv: venv, prompt: prompt)
        return [
            "activate": ActivatorScripts.posix(venv: venv, prompt: prompt),
            "activate.fish": ActivatorScripts.fish(venv: venv, prompt: prompt),
            "activate.csh": ActivatorScripts.csh(venv: venv, prompt: prompt),
            "activate.nu": ActivatorScripts.nushell(venv: venv, prompt: prompt),
            "Activate.ps1": ps1,
            "activate.ps1": ps1,
        ]
    }
}
