import Core

/// An operating system, CPU architecture and C library, spelt as python-build-standalone and uv spell them.
public struct Platform: Hashable, CustomStringConvertible, Sendable {
    public var os: String
    /// `x86_64`, `aarch64`, …
    public var arch: String
    /// Micro-architecture level (`v2`, `v3`, `v4`) or nil for the baseline build. For the machine, the
    /// highest level its CPU runs, asked of `probe` when first needed.
    public var archVariant: String? {
        get { probe?.highest ?? storedVariant }
        set { (storedVariant, probe) = (newValue, nil) }
    }
    private var storedVariant: String?
    /// The machine's CPU, probed on first use (see `CPULevelProbe`); nil for a build.
    private var probe: CPULevelProbe?
    /// `gnu`, `musl` or `none` (macOS, Windows).
    public var libc: String
    /// For the machine pyman runs on: `archVariant` is the highest level its CPU runs, and builds of
    /// any lower level (down to the baseline) run too. False for a build's platform, and for a machine
    /// whose level was forced (PYMAN_PYTHON_ARCH): then only builds of exactly that level are chosen.
    public var runsLowerLevels = false

    public init(os: String, arch: String, archVariant: String? = nil, libc: String) {
        self.os = os
        self.arch = arch
        self.storedVariant = archVariant
        self.libc = libc
    }

    public static func == (a: Platform, b: Platform) -> Bool {
        a.os == b.os && a.arch == b.arch && a.archVariant == b.archVariant && a.libc == b.libc && a.runsLowerLevels == b.runsLowerLevels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(os)
        hasher.combine(arch)
        hasher.combine(archVariant)
        hasher.combine(libc)
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
    /// `linux-x86_64_v3-gnu` for a build; a machine that also runs lower levels is named by its
    /// architecture alone (`linux-x86_64-gnu`), as what it runs is not one level.
    public var description: String { "\(os)-\(runsLowerLevels ? arch : archTag)-\(libc)" }

    /// Whether a build for `build` runs here: same os, architecture and libc, and a level this
    /// platform runs (see `runsLowerLevels`).
    public func runs(_ build: Platform) -> Bool {
        guard build.os == os, build.arch == arch, build.libc == libc else { return false }
        guard runsLowerLevels else { return build.archVariant == archVariant }
        if build.archVariant == nil { return true }   // the baseline runs on every CPU: no need to probe
        guard let level = CPULevel.number(build.archVariant), let ceiling = CPULevel.number(archVariant) else { return false }
        return level <= ceiling
    }

    /// The micro-architecture level as a number for ordering: 1 for the baseline, 2 to 4 for v2 to v4.
    public var level: Int { CPULevel.number(archVariant) ?? 0 }

    /// The machine pyman runs on: on x86-64 with the highest level its CPU runs (from `cpuInfo`, the
    /// start of /proc/cpuinfo), and lower levels allowed. `archOverride` (PYMAN_PYTHON_ARCH: `x86_64`,
    /// `x86_64_v3`, …) forces exactly one level of this machine's architecture.
    public static func machine(cpuInfo: @escaping @Sendable () -> String, archOverride: String?) throws(PymanError) -> Platform {
        var platform = current
        if let archOverride, !archOverride.isEmpty {
            guard let forced = Platform(os: platform.os, archTag: archOverride, libc: platform.libc),
                  forced.arch == platform.arch, CPULevel.number(forced.archVariant) != nil else {
                let choices = platform.arch == "x86_64" ? "x86_64, x86_64_v2, x86_64_v3 or x86_64_v4" : platform.arch
                throw PymanError("PYMAN_PYTHON_ARCH=\(archOverride) is not an architecture this machine runs", hint: "use \(choices), or unset it")
            }
            return forced
        }
        if platform.arch == "x86_64" {
            platform.probe = CPULevelProbe(cpuInfo: cpuInfo)
            platform.runsLowerLevels = true
        }
        return platform
    }

    /// The machine pyman runs on, at the baseline architecture level (which runs on every CPU).
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
