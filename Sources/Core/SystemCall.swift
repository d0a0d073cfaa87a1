#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The C library's `errno` as swift-system's `Errno`, read right after a failed call.
public var lastErrno: Errno { Errno(rawValue: errno) }

/// Runs a C call returning -1 on failure, again while it is interrupted by a signal; the failure as `Errno`.
@discardableResult
func retryingOnInterrupt<T: FixedWidthInteger>(_ call: () -> T) -> Result<T, Errno> {
    while true {
        let result = call()
        if result != -1 { return .success(result) }
        if errno != EINTR { return .failure(lastErrno) }
    }
}
