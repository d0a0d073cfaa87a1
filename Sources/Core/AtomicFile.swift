import FoundationEssentials
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces files so that a reader sees the old content or the new, never half of either: the bytes go
/// to a fresh temporary file beside the target (O_EXCL|O_NOFOLLOW, so nothing is written through a
/// planted link), which is then renamed over it. The one implementation for the index, receipts,
/// patched install files, pyvenv.cfg, activation scripts and pip's console scripts.
public enum AtomicFile {
    /// Writes `bytes` to `path` with permission bits `mode` (whatever the umask). `durable` also flushes
    /// the file before the rename and the folder after it, so the new content survives a power cut:
    /// for pyman's own records. A venv or a not yet committed install folder does not need it, and a
    /// flush costs milliseconds on a slow disk.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        let parent = Path.parent(path), folder = parent.isEmpty ? "." : parent
        // ".<name>.<pid>.<random>.tmp": the pid says which process left it behind (cleanups match the form).
        let temporary = folder + "/.\(Path.lastComponent(path)).\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
        // Failures name the file being written, not the temporary one beside it.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PymanError.system("write", path, lastErrno) }
        var failure: PymanError?
        do {
            try FileDescriptor(rawValue: fd).writeAll(bytes)
        } catch let code as Errno {
            failure = PymanError.system("write", path, code)
        } catch {
            failure = PymanError("cannot write \(path): \(error)")
        }
        if failure == nil, fchmod(fd, mode) != 0 { failure = PymanError.system("set the mode of", path, lastErrno) }
        if failure == nil, durable, fsync(fd) != 0 { failure = PymanError.system("flush", path, lastErrno) }
        if close(fd) != 0, failure == nil { failure = PymanError.system("write", path, lastErrno) }
        if failure == nil, rename(temporary, path) != 0 { failure = PymanError.system("replace", path, lastErrno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        if durable { FileSystem.flushDirectory(folder) }   // makes the rename itself durable
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        try bytes.withUnsafeBytes { try write($0, to: path, mode: mode, durable: durable) }
    }

    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        try data.withUnsafeBytes { try write($0, to: path, mode: mode, durable: durable) }
    }

    public static func write(_ text: String, to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        try write(Array(text.utf8), to: path, mode: mode, durable: durable)
    }

    /// The permission bits of `path` (not following a symlink), to keep them when replacing it.
    public static func permissions(of path: String) throws -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw PymanError.system("inspect", path, lastErrno) }
        return info.st_mode & 0o7777
    }
}
