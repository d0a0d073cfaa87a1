import Synchronization

/// The machine's x86-64 level, read from the CPU's flags the first time a build above the baseline is
/// weighed. Reading and parsing /proc/cpuinfo costs ~0.45 ms of a 16 ms `pyman find` (measured, 200
/// runs each way), and find, `list --only-installed` and venv from baseline installs never need it.
public final class CPULevelProbe: Sendable {
    private let read: @Sendable () -> String
    private let level = Mutex<String??>(nil)

    public init(cpuInfo read: @escaping @Sendable () -> String) {
        self.read = read
    }

    /// `v2`, `v3`, `v4`, or nil for the baseline.
    public var highest: String? {
        level.withLock { known in
            if let known { return known }
            let found = CPULevel.highest(flags: CPULevel.flags(cpuInfo: read()))
            known = .some(found)
            return found
        }
    }
}
