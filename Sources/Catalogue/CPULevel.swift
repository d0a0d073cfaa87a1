import Core

/// The x86-64 micro-architecture levels of the psABI (v2, v3, v4), told from the CPU's feature flags
/// as /proc/cpuinfo lists them. python-build-standalone builds `x86_64_v2`, `_v3` and `_v4` variants;
/// the highest one the CPU runs is the fastest it can use.
public enum CPULevel {
    /// What each level needs beyond the one below. Linux reports LZCNT as `abm`.
    static let requirements: [(level: String, flags: [[String]])] = [
        ("v2", [["cx16"], ["lahf_lm"], ["popcnt"], ["sse4_1"], ["sse4_2"], ["ssse3"]]),
        ("v3", [["avx"], ["avx2"], ["bmi1"], ["bmi2"], ["f16c"], ["fma"], ["lzcnt", "abm"], ["movbe"], ["xsave"]]),
        ("v4", [["avx512f"], ["avx512bw"], ["avx512cd"], ["avx512dq"], ["avx512vl"]]),
    ]

    /// The highest level whose flags (and those of every level below) are all present: `v2`, `v3`,
    /// `v4`, or nil for the baseline.
    public static func highest(flags: Set<String>) -> String? {
        var reached: String?
        for (level, needs) in requirements {
            guard needs.allSatisfy({ $0.contains(where: flags.contains) }) else { break }
            reached = level
        }
        return reached
    }

    /// The flags of the first `flags : …` line of a /proc/cpuinfo text (every processor lists the same).
    public static func flags(cpuInfo text: String) -> Set<String> {
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, String(parts[0]).trimmingWhitespace() == "flags" else { continue }
            return Set(parts[1].split(separator: " ").map(String.init))
        }
        return []
    }

    /// Level numbers for ordering: 1 for the baseline (nil), 2, 3, 4; nil for an unknown level.
    public static func number(_ level: String?) -> Int? {
        switch level {
        case nil: return 1
        case "v2": return 2
        case "v3": return 3
        case "v4": return 4
        default: return nil
        }
    }
}
