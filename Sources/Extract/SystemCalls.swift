#if canImport(Glibc)
import Glibc
#endif

// Shared by the zip extractor and Venv's wheel code, which both report file system failures as
// `WheelFailure.io`.

/// Last errno as text, for messages.
public func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

/// Writes `count` bytes, retrying short writes and EINTR.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, path: String) throws {
    var done = 0
    while done < count {
        let written = write(fd, bytes + done, count - done)
        if written < 0 {
            if errno == EINTR { continue }
            throw WheelFailure.io("cannot write \(path): \(errnoText())")
        }
        done += written
    }
}
