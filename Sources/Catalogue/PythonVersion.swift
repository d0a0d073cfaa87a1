import PEP440

/// A CPython release number: `3.13.5`, `3.15.0rc1`.
public struct PythonVersion: Hashable, Comparable, CustomStringConvertible, Sendable {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// `""` for a final release, else `a1`, `b4`, `rc1`.
    public var prerelease: String

    public init(major: Int, minor: Int, patch: Int, prerelease: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Parses `3.13.5` or `3.15.0rc1`; returns nil for anything else, signs and numbers outside
    /// `numberRange` included.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let digits = parts[2].prefix(while: { $0.isASCII && $0.isNumber })
        let pre = String(parts[2].dropFirst(digits.count))
        guard let major = Self.number(parts[0]), let minor = Self.number(parts[1]), let patch = Self.number(digits) else { return nil }
        self.init(major: major, minor: minor, patch: patch, prerelease: pre)
        guard isWellFormed else { return nil }
    }

    /// What a release number may be. CPython's are small; a negative or enormous one in a catalogue is
    /// broken or hostile, and would make an install that no request can name.
    public static let numberRange = 0...9999

    /// Numbers within `numberRange` and a pre-release pyman can order (`a1`, `b2`, `rc3` or none).
    public var isWellFormed: Bool {
        [major, minor, patch].allSatisfy(Self.numberRange.contains) && Self.preReleaseOrder(prerelease) != nil
    }

    /// Plain ASCII digits only (no sign, no blank), within `numberRange`.
    static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else { return nil }
        return value
    }

    public var isPrerelease: Bool { !prerelease.isEmpty }
    public var description: String { "\(major).\(minor).\(patch)\(prerelease)" }
    public var minorVersion: String { "\(major).\(minor)" }

    /// Orders `a` < `b` < `rc` < final, then by the number that follows.
    static func preReleaseOrder(_ pre: String) -> (Int, Int)? {
        PEP440Version.pythonPreRelease(pre).map { ($0.rank, $0.number) }
    }

    public static func < (lhs: PythonVersion, rhs: PythonVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        let l = preReleaseOrder(lhs.prerelease) ?? (0, 0)
        let r = preReleaseOrder(rhs.prerelease) ?? (0, 0)
        return l < r
    }
}

extension VersionSpecifier {
    /// Whether `python` is admitted: PEP 440's rules, on a Python's version.
    public func admits(_ python: PythonVersion) -> Bool {
        admits(pythonRelease: [python.major, python.minor, python.patch], preRelease: python.prerelease)
    }
}
