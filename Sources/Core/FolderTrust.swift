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
public enum FolderTrust {
    /// Throws one line naming the first folder, from `path` upwards, that fails the rule, with the fix;
    /// `role` says what the folder is for ("install dir"). A part of `path` that does not exist yet is
    /// skipped: pyman creates it, as this user.
    public static func check(_ path: String, role: String) throws {
        let user = geteuid()
        var current = FilePath(path).lexicallyNormalized()
        var isTarget = true
        while true {
            if let info = FileSystem.status(current.string, followingLinks: true) {
                let owner = info.userID.rawValue
                let writableByOthers = info.permissions.contains(.groupWrite) || info.permissions.contains(.otherWrite)
                let where_ = isTarget ? "the \(role) \(current.string)" : "\(current.string), a folder above the \(role) \(path),"
                if owner != user && owner != 0 {
                    throw PymanError("\(where_) belongs to user \(owner), not to you or root, so they could change what pyman runs",
                                     hint: isTarget ? "remove it, or choose another folder" : "choose a \(role) outside it")
                }
                if writableByOthers, isTarget || !info.permissions.contains(.saveText) {
                    throw PymanError("\(where_) can be written by other users, so they could change what pyman runs",
                                     hint: isTarget ? "run `chmod go-w \(current.string)`, or choose another folder" : "choose a \(role) outside it")
                }
                isTarget = false
            }
            guard current.removeLastComponent() else { return }   // "/" (or a relative path's start) reached
        }
    }
}
