import Core
import SystemPackage

/// The download cache, `<cache dir>/downloads-v1/<sha256>` (`CacheLayout.Bucket.downloads`): whole archives, each named by the SHA-256 its
/// bytes had when it was stored. An entry is written beside its name while the download streams and
/// renamed into place only after the hash matched, so two processes filling one entry (two installs, two
/// containers on one cache mount) leave one whole file, never a torn one. Readers hash the entry again as
/// they read it: the folder may be a cache mount shared by many builds.
public struct ArchiveCache: Sendable {
    /// `<cache dir>/downloads-v1`.
    public let folder: String
    let cacheDir: String

    public init(cacheDir: String) {
        self.cacheDir = cacheDir
        folder = CacheLayout(root: cacheDir).downloads
    }

    /// Whether `name` is what entries are named: 64 lower-case hex digits.
    public static func isEntryName(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public func path(sha256: String) -> String { folder + "/" + sha256 }

    /// The stored archive for `sha256`: a regular file (not a link) of this user or root. Nil when there is
    /// none, or when what is there is something else (it is then neither read nor replaced by a link).
    public func entry(sha256: String) -> String? {
        guard Self.isEntryName(sha256) else { return nil }
        let path = path(sha256: sha256)
        guard FileSystem.isRegularFile(path, followingLinks: false), FileSystem.isOwnedByUserOrRoot(path) else { return nil }
        return path
    }

    /// Makes the folder (checked like every folder pyman writes into) and starts storing an archive that
    /// should hash to `sha256`.
    public func beginFill(sha256: String) throws -> CacheFill {
        guard Self.isEntryName(sha256) else {
            throw PymanError("'\(sha256.escapingControlCharacters())' is not a sha256", hint: "the catalogue is wrong")
        }
        try ensureFolder()
        return try CacheFill(folder: folder, sha256: sha256)
    }

    /// Creates the folder when missing and refuses a cache dir others could change.
    public func ensureFolder() throws {
        try FolderTrust.ensureFolder(folder, role: "download cache", permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
    }

    /// What the folder holds: entries and the temporary files of fills in progress or killed.
    public func contents() -> [CacheItem] {
        FileSystem.listDirectory(folder).compactMap { name in
            let path = folder + "/" + name
            guard let info = FileSystem.status(path) else { return nil }
            return CacheItem(name: name, path: path, size: Int64(info.size),
                             modified: info.modificationTime.seconds, isEntry: Self.isEntryName(name) && info.type == .regular)
        }
    }
}

/// One file in the download cache's folder.
public struct CacheItem: Sendable, Equatable {
    public var name: String
    public var path: String
    public var size: Int64
    /// Seconds since the epoch.
    public var modified: Int
    /// A stored archive (a regular file named by a sha256); otherwise a fill's temporary file or a stray.
    public var isEntry: Bool
}
