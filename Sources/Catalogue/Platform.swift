import Core

/// An operating system, CPU architecture and C library, spelt as python-build-standalone and uv spell them.
public struct Platform: Hashable, CustomStringConvertible, Sendable {
    public var os: String
    /// `x86_64`, `aarch64`, …
    public var arch: String
    /// Micro-architecture level (`v2`, `v3`, `v4`) or nil for the baseline build.
    public var archVariant: String?
    /// `gnu`, `musl` or `none` (macOS, Windows).
    public var libc: String

    public init(os: String, arch: String, archVariant: String? = nil, libc: String) {
        self.os = os
        self.arch = arch
        self.archVariant = archVariant
        self.libc = libc
    }

    /// Parses the architecture as it appears in a key: `x86_64`, `x86_64_v3`.
    public init?(os: String, archTag: String, libc: String) {
        guard !os.isEmpty, !archTag.isEmpty, !libc.isEmpty else { return nil }
        // Target triples spell some architectures differently from catalogue keys.
        var arch = archTag == "ppc64le" ? "powerpc64le" : archTag
        var variant: String?
        for level in ["v2", "v3", "v4"] where archTag.hasSuffix("_" + level) {
            arch = String(archTag.dropLast(level.count + 1))
            variant = level
        }
        self.init(os: os, arch: arch, archVariant: variant, libc: libc)
    }

    public var archTag: String { arch + (archVariant.map { "_" + $0 } ?? "") }
    public var description: String { "\(os)-\(archTag)-\(libc)" }

    /// The machine pyman runs on. The baseline architecture build is chosen, as it runs on every CPU.
    public static var current: Platform {
        let arch: String
        switch ProcessEnvironment.machine {
        case "arm64": arch = "aarch64"
        case "i386", "i486", "i586": arch = "i686"
        case "ppc64le": arch = "powerpc64le"
        case "armv7l": arch = "armv7"
        case let machine: arch = machine
        }
        return Platform(os: ProcessEnvironment.operatingSystem, arch: arch, libc: ProcessEnvironment.cLibrary)
    }
}
