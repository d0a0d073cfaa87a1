import Catalogue

/// A Python on the machine that pyman did not install, as it describes itself (asked once, cached by
/// path and mtime): identified by what it says, not by its file name.
public struct SystemInterpreter: Sendable, Equatable {
    /// Where it was found: `PATH`, `pyenv`, `uv` or `system` (/usr/local/bin, /usr/bin off PATH).
    public var source: String
    public var interpreter: BaseInterpreter
    /// What it would be called were pyman to install it: `cpython-3.11.2-linux-x86_64-gnu`, so requests
    /// (`3.11`, `3.13t`, `pypy3.9`) match it as they match installs.
    public var key: PythonKey

    public var executable: String { interpreter.executable }

    /// Nil when its version is not one pyman can read (a Python 2, say).
    public init?(source: String, interpreter: BaseInterpreter, platform: Platform) {
        guard let version = PythonVersion(interpreter.version), version.major == 3 else { return nil }
        self.source = source
        self.interpreter = interpreter
        let machine = Platform(os: platform.os, arch: platform.arch, libc: platform.libc)
        key = PythonKey(implementation: interpreter.isPyPy ? "pypy" : "cpython", version: version,
                        variant: interpreter.isFreethreaded ? "freethreaded" : nil, platform: machine)
    }
}
