import Core
import SystemPackage

/// The netrc file (`$NETRC`, else `~/.netrc`) libcurl takes credentials from, for hosts whose URL gives
/// none (`machine <host> login <user> password <token>`). libcurl parses and host-matches it; pyman
/// checks it first, and reads it only to tell a 401 without credentials from one with wrong ones.
public enum NetrcFile {
    /// The largest netrc read for that question: a netrc is a few lines.
    static let maximumSize = 1 << 20

    /// Refuses a netrc that others could read (it holds secrets; curl and git warn of the same) or
    /// write (they would choose where pyman's credentials go): one line naming the file and the fix.
    /// A missing file passes.
    public static func check(_ path: String) throws {
        guard let info = FileSystem.status(path, followingLinks: true) else { return }
        let exposed: FilePermissions = [.groupRead, .groupWrite, .otherRead, .otherWrite]
        if !info.permissions.intersection(exposed).isEmpty {
            throw PymanError("the netrc file \(path) can be read or written by other users, so pyman does not use it",
                             hint: "run `chmod 600 \(path)`")
        }
        try FolderTrust.checkFile(path, role: "netrc file")
    }

    /// Whether the file has an entry for `host` (a `machine` of that name, or `default`): whether libcurl
    /// sent credentials there.
    public static func names(host: String, in path: String) -> Bool {
        guard let bytes = try? FileSystem.readFile(path, limit: maximumSize) else { return false }
        let name = host.split(separator: ":").first.map(String.init) ?? host
        let words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        for (index, word) in words.enumerated() {
            if word == "default" { return true }
            if word == "machine", index + 1 < words.count, words[index + 1].lowercased() == name.lowercased() { return true }
        }
        return false
    }
}
