#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension Stat {
    /// `st_mtim` as whole seconds and nanoseconds: `timespec`'s fields belong to the C library's
    /// module, which only Core imports.
    public var modificationTime: (seconds: Int, nanoseconds: Int) {
        (Int(st_mtim.tv_sec), Int(st_mtim.tv_nsec))
    }
}
