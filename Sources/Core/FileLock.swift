#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// An advisory lock on a file (flock), released when the lock is dropped or the process dies —
/// so a `kill -9` never leaves a stale lock behind. Held by installs, uninstalls, link refreshes and
/// index writers.
public final class FileLock {
    private let fd: Int32
    public let path: String

    /// Opens (creating) the lock file and blocks until the exclusive lock is held.
    public init(path: String, exclusive: Bool = true) throws {
        self.path = path
        // O_NOFOLLOW: a symlink planted at the lock's name must not make pyman create a file where it points.
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = lastErrno
            if code == .tooManySymbolicLinkLevels {
                throw PymanError("the lock file \(path) is a symlink; pyman never follows a link where it creates files",
                                 hint: "remove it, and check who can write to its folder")
            }
            throw PymanError.system("open lock file", path, code, hint: "check that the install dir is writable")
        }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR, let signal = Interruption.signal {
                close(fd)
                throw PymanError("interrupted by \(Interruption.name(of: signal)) while waiting for \(path)")
            }
            guard errno == EINTR else {
                let code = lastErrno
                close(fd)
                throw PymanError.system("lock", path, code)
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
