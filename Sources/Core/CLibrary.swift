#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's functions whose names pyman's own functions take (`FileSystem.rename`,
/// `FileSystem.umask`, `ProcessEnvironment.exit`), reachable inside those without naming the module,
/// which is Glibc on Linux and Darwin on macOS.
enum CLibrary {
    static func rename(_ from: String, _ to: String) -> Int32 { cRename(from, to) }
    static func umask(_ mask: mode_t) -> mode_t { cUmask(mask) }
    static func exit(_ status: Int32) -> Never { cExit(status) }
}

private let cRename: (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Int32 = rename
private let cUmask: (mode_t) -> mode_t = umask
private let cExit: (Int32) -> Never = exit
