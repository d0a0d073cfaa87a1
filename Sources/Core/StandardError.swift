#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to file descriptor 2 directly (Foundation's FileHandle would pull all of Foundation, and
/// its ICU data, into the binary: see docs/architecture.md on start-up).
public enum StandardError {
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemWrite(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }   // nowhere left to report a failing stderr
            offset += n
        }
        bytes.removeAll()
    }
}

extension StandardError {
    /// One line of a message: control characters in it escaped (see `escapingControlCharacters`), the
    /// credentials of any URL in it masked (`URLCredentials`), then a newline. Every note, warning and
    /// error goes through here, so no message can show a mirror's token.
    public static func writeLine(_ message: String) {
        write(URLCredentials.redacting(message.escapingControlCharacters()) + "\n")
    }
}

/// `write(2)`, named apart so `StandardError.write` does not shadow it.
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
