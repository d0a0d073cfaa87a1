import Core
import FoundationEssentials
import PEP440

/// What a user asked for: `3`, `3.13`, `3.13.5`, `3.13t`, `3.13d`, `3.13td`, `3.13+debug`, `cpython@3.13`, `cpython-3.13.5-linux-x86_64-gnu`,
/// `>=3.12,<3.14`, `3.15.0rc1`. Archive paths are told apart by the CLI before parsing.
public struct PythonRequest: Equatable, CustomStringConvertible, Sendable {
    public enum VersionFilter: Equatable, Sendable {
        case any
        /// Leading release numbers that must match (`[3, 13]` for `3.13`), plus an exact pre-release if given.
        case prefix([Int], prerelease: String?)
        case specifiers([VersionSpecifier])
    }

    public var text: String
    /// `cpython` or `pypy`, as keys spell them.
    public var implementation = "cpython"
    public var filter: VersionFilter
    /// nil for the default (GIL, non-debug) build, else `freethreaded`, `debug` or `freethreaded+debug`.
    public var variant: String?
    public var os: String?
    public var archTag: String?
    public var libc: String?

    public var description: String { text }

    /// The newest stable release (what an empty request means when no .python-version is found).
    public static let newest = PythonRequest(text: "newest", filter: .any)

    public init(text: String, filter: VersionFilter, variant: String? = nil) {
        self.text = text
        self.filter = filter
        self.variant = variant
    }

    public init(parsing raw: String) throws {
        let text = raw.trimmingBlanks()
        // Requests come from files too (.python-version): a message shows the token escaped and cut.
        let shown = raw.cutForMessage()
        let bad = PymanError("invalid Python request '\(shown)': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'")
        guard !text.isEmpty else { throw bad }
        self.init(text: text, filter: .any)

        var rest = Substring(text.lowercased())
        // Implementation prefix: `cpython@3.13`, `cpython-3.13…`, `cpython3.13`, `python3.13`, `cpython`,
        // and the same for `pypy` (`pypy@3.9`, `pypy3.9`, `pypy-3.9.16-linux-x86_64-gnu`, `pypy`).
        for (prefix, name) in Self.implementationPrefixes where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            implementation = name
            break
        }
        if rest.hasPrefix("graalpy") {
            throw PymanError("'\(shown)' asks for GraalPy: pyman installs CPython and PyPy", hint: "ask for e.g. 3.13 or pypy3.9")
        }
        if rest.isEmpty { return }

        // Platform-qualified key: `3.13.5-linux-x86_64-gnu`.
        var parts = rest.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1 {
            guard parts.count <= 4, !parts.contains(where: \.isEmpty) else { throw bad }
            os = parts[1]
            archTag = parts.count > 2 ? parts[2] : nil
            libc = parts.count > 3 ? parts[3] : nil
            parts = [parts[0]]
        }
        var version = parts[0]

        if let plus = version.firstIndex(of: "+") {
            variant = String(version[version.index(after: plus)...])
            version = String(version[..<plus])
            guard PythonKey.knownVariants.contains(variant!) else {
                throw PymanError("unknown build variant '+\(variant!.cutForMessage())' in '\(shown)': use +freethreaded, +debug, +freethreaded+debug or a trailing t, d or td (3.13t, 3.13d, 3.13td)")
            }
        } else if version.first?.isNumber == true, let suffix = Self.variantSuffixes.first(where: { version.hasSuffix($0.suffix) }) {
            variant = suffix.variant
            version.removeLast(suffix.suffix.count)
        }

        if version.contains(where: { "<>=!~,".contains($0) }) {
            let specifiers = try version.split(separator: ",").map { try VersionSpecifier(parsing: String($0)) }
            guard !specifiers.isEmpty else { throw bad }
            filter = .specifiers(specifiers)
        } else {
            guard let (numbers, pre) = VersionSpecifier.parseRelease(version) else { throw bad }
            filter = .prefix(numbers, prerelease: pre)
        }
    }

    static let implementationPrefixes = [("cpython@", "cpython"), ("cpython-", "cpython"), ("cpython", "cpython"), ("python", "cpython"),
                                         ("pypy@", "pypy"), ("pypy-", "pypy"), ("pypy", "pypy")]

    /// `3.13t`, `3.13d`, `3.13td`: the build variants as CPython's ABI flags spell them, longest first.
    static let variantSuffixes: [(suffix: String, variant: String)] = [("td", "freethreaded+debug"), ("t", "freethreaded"), ("d", "debug")]

    /// True when the build satisfies every part of the request.
    public func matches(_ key: PythonKey) -> Bool {
        guard key.implementation == implementation, key.variant == variant else { return false }
        if let os, key.platform.os != os { return false }
        if let archTag, key.platform.archTag != archTag { return false }
        if let libc, key.platform.libc != libc { return false }
        switch filter {
        case .any:
            return true
        case .prefix(let numbers, let pre):
            let release = [key.version.major, key.version.minor, key.version.patch]
            guard Array(release.prefix(numbers.count)) == numbers else { return false }
            return pre.map { $0 == key.version.prerelease } ?? true
        case .specifiers(let specifiers):
            return specifiers.allSatisfy { $0.admits(key.version) }
        }
    }

    /// Whether the request itself names a pre-release (`3.15.0rc1`), so pre-releases are fair game.
    public var namesPrerelease: Bool {
        if case .prefix(_, let pre?) = filter { return !pre.isEmpty }
        return false
    }

    /// The best of `candidates`: the newest final release that matches, else the newest pre-release.
    public func best<C: Collection>(of candidates: C, key: (C.Element) -> PythonKey) -> C.Element? {
        let matching = candidates.filter { matches(key($0)) }
        let stable = namesPrerelease ? matching : matching.filter { !key($0).version.isPrerelease }
        let pool = stable.isEmpty ? matching : stable
        return pool.max { key($0).version < key($1).version }
    }
}

extension PythonRequest {
    /// The build runs on this machine (`Platform.runs`: a lower x86-64 level too), or is for the
    /// platform the request spells out (parts it leaves out default to this machine's; an architecture
    /// it leaves out is this machine's with the levels it runs, `3.13-linux` as much as `3.13`).
    public func accepts(_ key: PythonKey, on platform: Platform) -> Bool {
        guard key.platform.os == (os ?? platform.os), key.platform.libc == (libc ?? platform.libc) else { return false }
        if let archTag { return key.platform.archTag == archTag }
        var machine = platform
        (machine.os, machine.libc) = (key.platform.os, key.platform.libc)
        return machine.runs(key.platform)
    }
}
