import Core
/// Identifies one build of one Python for one platform, as uv names them:
/// `cpython-3.13.5+freethreaded-linux-x86_64_v3-gnu`. It also names the install folder.
public struct PythonKey: Hashable, CustomStringConvertible, Sendable {
    public var implementation: String
    public var version: PythonVersion
    /// `nil`, `freethreaded`, `debug` or `freethreaded+debug`.
    public var variant: String?
    public var platform: Platform

    public init(implementation: String, version: PythonVersion, variant: String?, platform: Platform) {
        self.implementation = implementation
        self.version = version
        self.variant = variant
        self.platform = platform
    }

    public var description: String {
        "\(implementation)-\(version)\(variant.map { "+\($0)" } ?? "")-\(platform)"
    }

    /// The folder name of the "minor link" that always points at the newest patch release:
    /// `cpython-3.13-linux-x86_64-gnu` (and `cpython-3.13+freethreaded-…`).
    public var minorLinkName: String {
        "\(implementation)-\(version.minorVersion)\(variant.map { "+\($0)" } ?? "")-\(platform)"
    }

    public var isFreethreaded: Bool { variant?.containsBytes("freethreaded") ?? false }

    public var isDebug: Bool { variant?.containsBytes("debug") ?? false }

    public var isPyPy: Bool { implementation == "pypy" }

    /// `python3.13`, `python3.13t`, `python3.13d` or `python3.13td`: the executable this build installs
    /// under `bin/`, named with its ABI flags as CPython's `make install` names it; `pypy3.9` for PyPy.
    public var executableName: String {
        isPyPy ? "pypy\(version.minorVersion)" : "python\(version.minorVersion)\(isFreethreaded ? "t" : "")\(isDebug ? "d" : "")"
    }

    /// The standard library's folder under `lib/`: `python3.13`, `python3.13t` (free-threaded; debug
    /// builds share the plain name), `pypy3.9`.
    public var stdlibName: String {
        isPyPy ? "pypy\(version.minorVersion)" : "python\(version.minorVersion)\(isFreethreaded ? "t" : "")"
    }

    /// Whether every part can name a folder: the version well formed, a known variant, and the
    /// implementation, os, architecture and libc plain names (`namePart`). Keys become folder names in the
    /// install dir, so one from a hostile index, receipt or catalogue must never hold `/` or `..`.
    public var isWellFormed: Bool {
        version.isWellFormed && (variant.map(Self.knownVariants.contains) ?? true)
            && [implementation, platform.os, platform.archTag, platform.libc].allSatisfy(Self.isNamePart)
    }

    /// 1 to 32 ASCII letters, digits and underscores: `cpython`, `linux`, `x86_64_v3`, `gnu`.
    static func isNamePart(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
    }

    /// Parses a key such as `cpython-3.13.5-linux-x86_64-gnu`; nil when it is not one, or not well formed.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty else { return nil }
        // An empty version part (`cpython--linux-…`) splits into nothing: `first`, never `[0]`.
        let versionAndVariant = parts[1].split(separator: "+", maxSplits: 1).map(String.init)
        guard let versionText = versionAndVariant.first, let version = PythonVersion(versionText),
              let platform = Platform(os: parts[2], archTag: parts[3], libc: parts[4]) else { return nil }
        let variant = versionAndVariant.count > 1 ? versionAndVariant[1] : nil
        self.init(implementation: parts[0], version: version, variant: variant, platform: platform)
        guard isWellFormed else { return nil }
    }

    public static let knownVariants: Set<String> = ["freethreaded", "debug", "freethreaded+debug"]
}
