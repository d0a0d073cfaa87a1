#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The file-system calls pyman makes outside swift-system's `FileDescriptor` (which has no rename,
/// mkdir, symlink, link, chmod or chdir). Failures are one `PymanError` each, `cannot <action> <path>:
/// <reason>`, with the `Errno` in `code` for callers that treat one case apart. Nothing here follows a
/// symlink unless its name says so.
public enum FileSystem {
    /// `lstat` (or `stat` when `followingLinks`): nil when the path cannot be examined (mostly: absent).
    public static func status(_ path: String, followingLinks: Bool = false) -> Stat? {
        try? Stat(FilePath(path), followTargetSymlink: followingLinks)
    }

    /// Whether anything, a dangling symlink included, is at `path`; with `followingLinks`, whether
    /// something is at the end of its links (a dangling link is nothing).
    public static func exists(_ path: String, followingLinks: Bool = false) -> Bool {
        status(path, followingLinks: followingLinks) != nil
    }

    public static func isDirectory(_ path: String, followingLinks: Bool = true) -> Bool {
        status(path, followingLinks: followingLinks)?.type == .directory
    }

    public static func isSymlink(_ path: String) -> Bool {
        status(path)?.type == .symbolicLink
    }

    public static func isRegularFile(_ path: String, followingLinks: Bool = true) -> Bool {
        status(path, followingLinks: followingLinks)?.type == .regular
    }

    /// `access(W_OK)`: whether this process may write into `path`.
    public static func isWritable(_ path: String) -> Bool {
        access(path, W_OK) == 0
    }

    /// A regular file (after links) that this process may run (`access(X_OK)`): how a shell finds a
    /// command in a PATH folder.
    public static func isExecutableFile(_ path: String) -> Bool {
        isRegularFile(path) && access(path, X_OK) == 0
    }

    /// `rename(2)`: atomic within one file system, replacing a file or an empty folder at `to`.
    public static func rename(_ from: String, to: String) throws {
        try check(retryingOnInterrupt { CLibrary.rename(from, to) }, "move \(from) to", to)
    }

    /// `unlink(2)` of a file or symlink.
    public static func removeFile(_ path: String) throws {
        try check(retryingOnInterrupt { unlink(path) }, "remove", path)
    }

    /// `unlink(2)`, where a missing file is no failure. Returns whether something was removed.
    @discardableResult
    public static func removeFileIfPresent(_ path: String) throws -> Bool {
        switch retryingOnInterrupt({ unlink(path) }) {
        case .success: return true
        case .failure(.noSuchFileOrDirectory): return false
        case .failure(let code): throw PymanError.system("remove", path, code)
        }
    }

    /// `rmdir(2)` of an empty folder.
    public static func removeDirectory(_ path: String) throws {
        try check(retryingOnInterrupt { rmdir(path) }, "remove the folder", path)
    }

    /// `mkdir(2)` with `permissions` (less the umask); an existing entry fails with `code == .fileExists`.
    public static func makeDirectory(_ path: String, permissions: FilePermissions) throws {
        try check(retryingOnInterrupt { mkdir(path, permissions.rawValue) }, "create the folder", path)
    }

    /// `path` and any missing folder above it, each made with `permissions` (less the umask); one made
    /// by another process meanwhile is fine. An existing entry that is not a folder (after links) fails.
    public static func makeDirectories(_ path: String, permissions: FilePermissions) throws {
        if let info = status(path, followingLinks: true) {
            guard info.type == .directory else { throw PymanError("\(path) is not a folder", code: .notDirectory) }
            return
        }
        let parent = Path.parent(path)
        if !parent.isEmpty && parent != path { try makeDirectories(parent, permissions: permissions) }
        do {
            try makeDirectory(path, permissions: permissions)
        } catch let failure as PymanError where failure.code == .fileExists {
            // made by another process meanwhile
        }
    }

    /// `makeDirectories`, then, when this call made `path`, its mode set to `permissions` whatever the
    /// umask (the folders above keep the umask's share): for folders every user reads, such as a root
    /// install's install dir.
    public static func makeDirectories(_ path: String, exactly permissions: FilePermissions) throws {
        let existed = exists(path, followingLinks: true)
        try makeDirectories(path, permissions: permissions)
        if !existed { try setPermissions(path, permissions) }
    }

    /// `symlink(2)`: a new link at `path` holding `target`; an existing entry fails with `code == .fileExists`.
    public static func createSymlink(at path: String, pointingTo target: String) throws {
        try check(retryingOnInterrupt { symlink(target, path) }, "create the link", path)
    }

    /// `link(2)`: a hard link at `path` to the file `source` (itself never followed if a symlink).
    public static func hardLink(_ source: String, at path: String) throws {
        try check(retryingOnInterrupt { link(source, path) }, "link \(source) to", path)
    }

    /// What the symlink at `path` holds; nil when `path` is not a symlink.
    public static func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `getcwd(3)`: nil when the working folder is gone or its path is too long.
    public static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(cString: buffer)
    }

    /// `realpath(3)`: absolute, with every symlink resolved; nil when some part does not exist.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `chmod(2)`, which follows a symlink: only for paths pyman has just created itself.
    public static func setPermissions(_ path: String, _ permissions: FilePermissions) throws {
        try check(retryingOnInterrupt { chmod(path, permissions.rawValue) }, "set the mode of", path)
    }

    public static func changeDirectory(_ path: String) throws {
        try check(retryingOnInterrupt { chdir(path) }, "enter", path)
    }

    /// Whether the entry at `path` (not followed if a link) belongs to this user or to root: files in a
    /// shared folder that someone else made are not pyman's to read as its own.
    public static func isOwnedByUserOrRoot(_ path: String) -> Bool {
        guard let owner = status(path)?.userID.rawValue else { return false }
        return owner == geteuid() || owner == 0
    }

    /// The names in the folder `path` (without `.` and `..`), unsorted; empty when it cannot be read.
    public static func listDirectory(_ path: String) -> [String] {
        (try? contentsOfDirectory(path)) ?? []
    }

    /// The names in the folder `path` (without `.` and `..`), unsorted; throws when it cannot be read.
    public static func contentsOfDirectory(_ path: String) throws -> [String] {
        guard let folder = opendir(path) else { throw PymanError.system("list", path, lastErrno) }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes the file, link or folder at `path` and everything under it, as `rm -rf` does: a link is
    /// removed, never what it points to. Nothing there is no failure. One `unlink` per file: a folder is
    /// told apart by the call's failure, without an `lstat` for each of an install's ~5,000 files.
    public static func removeTree(_ path: String) throws {
        switch retryingOnInterrupt({ unlink(path) }) {
        case .success, .failure(.noSuchFileOrDirectory):
            return
        case .failure(let code):
            // Linux says EISDIR for a folder, macOS EPERM.
            guard code == .isDirectory || code == .notPermitted, isDirectory(path, followingLinks: false) else {
                throw PymanError.system("remove", path, code)
            }
        }
        for name in try contentsOfDirectory(path) {
            try removeTree(path + "/" + name)
        }
        switch retryingOnInterrupt({ rmdir(path) }) {
        case .success, .failure(.noSuchFileOrDirectory): return
        case .failure(let code): throw PymanError.system("remove the folder", path, code)
        }
    }

    /// `fsync` of a folder, which makes renames inside it durable. Best effort: some file systems refuse it.
    public static func flushDirectory(_ path: String) {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        fsync(folder)
        close(folder)
    }

    /// The process's file-creation mask, read without changing it for longer than the two calls.
    public static var umask: FilePermissions {
        let mask = CLibrary.umask(0)
        _ = CLibrary.umask(mask)
        return FilePermissions(rawValue: mask)
    }

    static func check<T>(_ result: Result<T, Errno>, _ action: String, _ path: String) throws {
        if case .failure(let code) = result { throw PymanError.system(action, path, code) }
    }
}
