#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension FileDescriptor {
    /// Creates the file `path`, which must not exist yet (O_EXCL; a symlink there, dangling or not, is
    /// not followed: O_NOFOLLOW), for writing, with exactly `permissions` whatever the umask: the
    /// umask must not decide whether an unpacked script is executable or a data file readable by all.
    /// An existing entry fails with `code == .fileExists`; on any failure no file is left behind.
    public static func createNew(_ path: String, permissions: FilePermissions) throws -> FileDescriptor {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                                         permissions: permissions)
        } catch let code as Errno {
            throw PymanError.system("create", path, code)
        }
        // open(2)'s mode is masked by the umask; fchmod(2)'s is not.
        if case .failure(let code) = retryingOnInterrupt({ fchmod(fd.rawValue, permissions.rawValue) }) {
            try? fd.close()
            _ = retryingOnInterrupt { unlink(path) }
            throw PymanError.system("set the mode of", path, code)
        }
        return fd
    }
}

extension FileDescriptor {
    /// Opens the existing file `path` for appending (O_APPEND: each write lands at its end, whatever else
    /// writes to it meanwhile), so it keeps its inode, owner, mode, hard links and extended attributes,
    /// which a replacement by rename would not. A symlink at the last component is not followed
    /// (O_NOFOLLOW: pass the resolved path to write through one), a FIFO does not block the open
    /// (O_NONBLOCK) and a terminal does not become the controlling one (O_NOCTTY); the caller checks
    /// with `stat()` that it opened a regular file of the right owner before writing.
    public static func openForAppending(_ path: String) throws -> FileDescriptor {
        do {
            // swift-system names no O_NOCTTY.
            return try FileDescriptor.open(path, .writeOnly, options: [.append, .noFollow, .nonBlocking, .closeOnExec,
                                                                      FileDescriptor.OpenOptions(rawValue: O_NOCTTY)])
        } catch let code as Errno {
            throw PymanError.system("open", path, code)
        }
    }
}
