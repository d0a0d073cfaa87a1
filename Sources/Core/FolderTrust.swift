#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Whether a folder pyman writes into, or runs programs from, can be changed by someone else: the
/// rule of sshd's StrictModes. The folder (an install, bin or cache dir) must belong to this user or to
/// root and be writable by nobody else; each folder above it must belong to this user or root and, if
/// others may write it, carry the sticky bit (as /tmp does), so nobody else can swap what is inside.
/// Otherwise another user who made `/tmp/pyman` beforehand could replace `bin/python3.11` and have
/// root run their code.
///
/// The path is walked as the kernel resolves it, link by link, and the rule applies to every folder the
/// walk passes through, the targets of links included, and to every link on the way: a link another
/// user owns is refused even when it points somewhere safe today, since its owner chooses where it
/// leads tomorrow (and checking only the resolved path would never see it).
public enum FolderTrust {
    /// Throws one line naming the first folder or link, from the root of `path` down, that fails the
    /// rule, with the fix; `role` says what the folder is for ("install dir"). A part of `path` that
    /// does not exist yet is skipped: pyman creates it, as this user.
    public static func check(_ path: String, role: String) throws {
        try walk(path, role: role, isFile: false)
    }

    /// Makes `path` and the missing folders above it, checked before (so nothing is made through a
    /// link or in a folder another user controls) and after (a folder someone else made meanwhile).
    public static func ensureFolder(_ path: String, role: String, permissions: FilePermissions) throws {
        try check(path, role: role)
        try FileSystem.makeDirectories(path, permissions: permissions)
        try check(path, role: role)
    }

    /// The same rule for a file pyman reads and obeys (a cache entry, a project's lock): a regular
    /// file, not a link, of this user or root, that others cannot write, in folders that pass the rule
    /// as folders above it do (a sticky /tmp is fine). A missing file passes: callers that need one say so.
    public static func checkFile(_ path: String, role: String) throws {
        if let info = FileSystem.status(path), info.type != .regular {
            let what = info.type == .symbolicLink ? "a link" : "not a regular file"
            throw PymanError("the \(role) \(path) is \(what), so pyman does not read it",
                             hint: "replace it with a regular file of yours")
        }
        try walk(path, role: role, isFile: true)
    }

    /// Whether `checkFile` passes, for callers that skip an untrusted file rather than fail.
    public static func isTrustedFile(_ path: String) -> Bool {
        (try? checkFile(path, role: "file")) != nil
    }

    /// Resolves `path` one component at a time (at most 40 links, as the kernel allows), checking each
    /// existing entry on the way: links by their owner, folders by owner and mode.
    static func walk(_ path: String, role: String, isFile: Bool) throws {
        let user = geteuid()
        let absolute = path.hasPrefix("/") ? path : (FileSystem.currentDirectory() ?? "") + "/" + path
        var pending = Array(FilePath(absolute).components.reversed())
        var resolved = FilePath("/")
        var linksFollowed = 0
        while let component = pending.popLast() {
            let name = component.string
            if name == "." { continue }
            if name == ".." { resolved.removeLastComponent(); continue }
            let candidate = resolved.appending(name)
            guard let info = FileSystem.status(candidate.string) else {
                // Not there yet: pyman makes the rest, as this user. What it will make is not checked.
                return
            }
            let owner = info.userID.rawValue
            let isTarget = pending.isEmpty
            if info.type == .symbolicLink {
                if owner != user && owner != 0 {
                    throw PymanError("\(candidate.string), a link on the way to the \(role) \(path), belongs to user \(owner), not to you or root, so they could change where it leads",
                                     hint: "choose a path for the \(role) that passes through no other user's link")
                }
                linksFollowed += 1
                guard linksFollowed <= 40, let target = FileSystem.symlinkTarget(candidate.string) else {
                    throw PymanError("cannot resolve the \(role) \(path): too many links, or a link that cannot be read",
                                     hint: "choose another folder")
                }
                let targetPath = FilePath(target)
                if targetPath.isAbsolute { resolved = FilePath("/") }
                pending.append(contentsOf: targetPath.components.reversed())
                continue
            }
            let where_ = isTarget ? "the \(role) \(candidate.string)" : "\(candidate.string), a folder above the \(role) \(path),"
            let another = isFile ? "file" : "folder"
            if owner != user && owner != 0 {
                throw PymanError("\(where_) belongs to user \(owner), not to you or root, so they could change what pyman runs",
                                 hint: isTarget ? "remove it, or choose another \(another)" : "choose a \(role) outside it")
            }
            let writableByOthers = info.permissions.contains(.groupWrite) || info.permissions.contains(.otherWrite)
            if writableByOthers, isTarget || !info.permissions.contains(.saveText) {
                throw PymanError("\(where_) can be written by other users, so they could change what pyman runs",
                                 hint: isTarget ? "run `chmod go-w \(candidate.string)`, or choose another \(another)" : "choose a \(role) outside it")
            }
            resolved = candidate
        }
    }
}
