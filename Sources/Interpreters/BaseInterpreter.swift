import Core
import FoundationEssentials

/// The Python a venv is made from: everything `pyvenv.cfg` and the layout need, so that making a venv
/// from a pyman install starts no Python process.
public struct BaseInterpreter: Codable, Equatable, Sendable {
    /// What the venv's `bin/python` points at (or is copied from).
    public var executable: String
    /// The folder written as `home` in pyvenv.cfg: the executable's folder.
    public var home: String { Path.parent(executable) }
    /// `3.13.5`
    public var version: String
    /// `3.13.5.final.0`, as `sys.version_info` spells it.
    public var versionInfo: String
    /// `CPython`
    public var implementation: String
    /// `python3.13`, or `python3.13t` for a free-threaded build: the folder name under lib/.
    public var stdlibName: String
    /// The base install's prefix (holds lib/<stdlibName>).
    public var prefix: String

    public init(executable: String, version: String, versionInfo: String, implementation: String, stdlibName: String, prefix: String) {
        self.executable = executable
        self.version = version
        self.versionInfo = versionInfo
        self.implementation = implementation
        self.stdlibName = stdlibName
        self.prefix = prefix
    }

    /// `3.13`
    public var minorVersion: String { version.split(separator: ".").prefix(2).joined(separator: ".") }
    public var isFreethreaded: Bool { stdlibName.hasSuffix("t") }
    public var isPyPy: Bool { implementation == "PyPy" }
    public var stdlib: String { Path.join(prefix, "lib/\(stdlibName)") }

    /// `3.15.0rc1` → `3.15.0.candidate.1`; `3.13.5` → `3.13.5.final.0`.
    public static func versionInfo(for version: String) -> String {
        let digits = version.prefix { $0.isNumber || $0 == "." }
        let tail = version.dropFirst(digits.count)
        for (tag, level) in [("rc", "candidate"), ("a", "alpha"), ("b", "beta")] where tail.hasPrefix(tag) {
            return "\(digits).\(level).\(tail.dropFirst(tag.count))"
        }
        return "\(digits).final.0"
    }
}
