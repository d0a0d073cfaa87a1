import Catalogue
import Configuration
import Core
import FoundationEssentials

/// The `pyman.lock` of the current folder: where it is, and reading it (bounded, a regular file only).
public struct ProjectLock: Sendable {
    public let path: String

    public init(settings: Settings) {
        path = Path.join(settings.currentDirectory, LockFile.fileName)
    }

    public var exists: Bool { FileSystem.exists(path) }

    /// The lock, or nil when the folder has none. A lock is obeyed (it says what to install and run), so
    /// one that another user could have written is refused: not this user's or root's, writable by others,
    /// a link, or in a folder another user controls (`FolderTrust.checkFile`; a sticky /tmp above is fine).
    /// Else a `/tmp/pyman.lock` would choose what root installs when it runs `pyman venv` in /tmp.
    public func read() throws -> LockFile? {
        guard exists else { return nil }
        try FolderTrust.checkFile(path, role: "lock file")
        let bytes = try FileSystem.readFile(path, limit: LockFile.sizeLimit)
        return try LockFile(parsing: String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// The lock, which must be there.
    public func require() throws -> LockFile {
        guard let lock = try read() else {
            throw PymanError("there is no \(LockFile.fileName) in \(Path.parent(path))", hint: "run `pyman lock` first")
        }
        return lock
    }

    /// The sha256 of every archive the lock pins; none without a lock. An unreadable lock fails, so
    /// `cache prune` never removes what a lock it could not read may pin.
    public func pinnedArchives() throws -> Set<String> {
        Set(try read()?.pythons.map(\.sha256) ?? [])
    }

    /// The keys of the releases the lock pins (`uninstall --outdated` keeps them); none without a lock.
    public func pinnedKeys() throws -> Set<String> {
        Set(try read()?.pythons.map(\.key.description) ?? [])
    }

    /// Writes the lock (beside, then renamed over: a link planted at its name is replaced, not followed).
    /// What a catalogue entry holds is checked as the reader will check it (a URL with a space, a key that
    /// is not one): a lock that `install --locked` would refuse is never written.
    public func write(_ lock: LockFile) throws {
        let text = lock.text
        do {
            _ = try LockFile(parsing: text, path: path)
        } catch {
            throw PymanError("the catalogue in use gives what a lock cannot hold (\(error.message))", hint: "nothing was written; check the catalogue")
        }
        try AtomicFile.write(text, to: path)
    }
}
