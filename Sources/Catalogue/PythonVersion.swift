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

    /// Parses `3.13.5` or `3.15.0rc1`; returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        let last = parts[2]
        let digits = last.prefix(while: \.isNumber)
        guard let patch = Int(digits) else { return nil }
        let pre = String(last.dropFirst(digits.count))
        guard pre.isEmpty || PythonVersion.preReleaseOrder(pre) != nil else { return nil }
        self.init(major: major, minor: minor, patch: patch, prerelease: pre)
    }

    public var isPrerelease: Bool { !prerelease.isEmpty }
    public var description: String { "\(major).\(minor).\(patch)\(prerelease)" }
    public var minorVersion: String { "\(major).\(minor)" }

    /// Orders `a` < `b` < `rc` < final, then by the number that follows.
    static func preReleaseOrder(_ pre: String) -> (Int, Int)? {
        if pre.isEmpty { return (3, 0) }
        for (rank, tag) in ["a", "b", "rc"].enumerated() where pre.hasPrefix(tag) {
            if let n = Int(pre.dropFirst(tag.count)) { return (rank, n) }
        }
        return nil
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
