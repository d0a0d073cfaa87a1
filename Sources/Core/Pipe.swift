#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// A pipe between two of pyman's threads.
public enum Pipe {
    /// F_SETPIPE_SZ, which Glibc's module does not export (it needs _GNU_SOURCE).
    static let linuxSetPipeSize: Int32 = 1031

    /// Both ends close on exec (no child process inherits them). On Linux the buffer is raised to
    /// `bufferSize` where the system allows, for fewer wake-ups between the two threads.
    public static func make(bufferSize: Int32? = nil) throws -> (readEnd: FileDescriptor, writeEnd: FileDescriptor) {
        let ends: (readEnd: FileDescriptor, writeEnd: FileDescriptor)
        do {
            ends = try FileDescriptor.pipe()
        } catch let code as Errno {
            throw PymanError.system("create", "a pipe", code)
        }
        for end in [ends.readEnd, ends.writeEnd] { _ = fcntl(end.rawValue, F_SETFD, FD_CLOEXEC) }
        #if os(Linux)
        if let bufferSize { _ = fcntl(ends.writeEnd.rawValue, linuxSetPipeSize, bufferSize) }
        #endif
        return ends
    }
}
