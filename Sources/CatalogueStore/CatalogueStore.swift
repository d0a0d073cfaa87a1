import Catalogue
import Core
import FoundationEssentials
import SystemPackage

/// Where the fetched catalogue is kept: `<cache dir>/catalogue-v1/stored-catalogue`, one file replaced
/// atomically, next to the lock that makes two updates take turns.
public struct CatalogueStore: Sendable {
    public let folder: String
    public var file: String { Path.join(folder, "stored-catalogue") }

    public init(cacheDir: String) {
        folder = CacheLayout(root: cacheDir).catalogue
    }

    /// The stored catalogue, or nil when none was fetched yet. Throws when one is there but cannot be
    /// used: another user could have written it (its folders or itself are not this user's or root's,
    /// or others may write them), it is not a regular file, or it is damaged.
    public func load() throws -> StoredCatalogue? {
        guard let info = FileSystem.status(file) else { return nil }
        guard info.type == .regular else {
            throw PymanError("the stored catalogue \(file) is not a regular file", hint: "remove it, and check who can write to \(folder)")
        }
        try FolderTrust.check(file, role: "stored catalogue")
        let data = Data(try FileSystem.readFile(file, limit: UVMetadataParser.maximumSize + StoredCatalogue.maximumOriginSize))
        guard let stored = StoredCatalogue(decoding: data) else {
            throw PymanError("the stored catalogue \(file) is damaged", hint: "run `pyman catalogue update`")
        }
        return stored
    }

    /// Replaces the stored catalogue (creating the folder, private to this user, when missing).
    public func save(_ stored: StoredCatalogue) throws {
        try ensureFolder()
        try AtomicFile.write(try stored.encoded(), to: file, mode: 0o644, durable: true)
    }

    /// Held by an update from before it reads the stored validators until it has saved.
    public func lock() throws -> FileLock {
        try ensureFolder()
        return try FileLock(path: Path.join(folder, ".lock"))
    }

    /// Creates the folder when missing, then checks that nobody else can change it or what is above
    /// it: a folder another user made beforehand is refused, not written into.
    func ensureFolder() throws {
        do {
            try FolderTrust.ensureFolder(folder, role: "catalogue folder", permissions: FilePermissions(rawValue: 0o755))
        } catch let error as PymanError where error.code != nil {
            throw error.hinting("set PYMAN_CACHE_DIR to a folder you can write")
        }
    }
}
