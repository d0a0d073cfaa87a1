import Core
import FoundationEssentials
import SystemPackage

/// The venvs pyman made or was shown (`pyman venv`, `pyman doctor`), kept in `<data dir>/venvs.json`, so
/// that `uninstall` can tell which venvs an install still serves and `pyman venvs` can list them.
///
/// Writers hold `<data dir>/venvs.lock` (flock) and replace the file atomically (AtomicFile), so
/// concurrent `pyman venv` runs each add their entry to a whole registry; readers never lock. The file
/// is not flushed: a power cut may lose the last entry, never half of the file (and a damaged file reads
/// as corrupt: ignored). The registry only ever answers questions (which venvs to name, which to list):
/// it is read only when it and its folder pass the folder-trust rule, and a corrupt, foreign-owned or
/// oversized one is ignored with one note, never trusted. Entries whose folder is gone are dropped at
/// the next write.
public struct VenvRegistry: Sendable {
    public static let fileName = "venvs.json"
    public static let lockName = "venvs.lock"
    /// About 300 bytes an entry: a registry this large was written by no pyman.
    static let maximumSize = 8 << 20

    /// pyman's data folder (`$XDG_DATA_HOME/pyman`, else `~/.local/share/pyman`).
    public let folder: String
    /// Where the one note about an ignored registry goes.
    public let note: @Sendable (String) -> Void

    public init(folder: String, note: @escaping @Sendable (String) -> Void) {
        self.folder = folder
        self.note = note
    }

    public var path: String { folder + "/" + Self.fileName }

    /// One venv: its folder, and the Python it was made with when it was recorded.
    public struct Entry: Codable, Equatable, Sendable {
        /// The venv's absolute folder.
        public var path: String
        /// `home` of its pyvenv.cfg then.
        public var home: String
        /// The base interpreter (`executable`), and its version.
        public var python: String
        public var version: String
        /// The pyman install it used (its key), if any.
        public var install: String?
        public var recordedAt: String

        enum CodingKeys: String, CodingKey {
            case path, home, python, version, install, recordedAt = "recorded_at"
        }

        public init(path: String, home: String, python: String, version: String, install: String?, recordedAt: Date = Date()) {
            (self.path, self.home, self.python, self.version, self.install) = (path, home, python, version, install)
            self.recordedAt = recordedAt.formatted(.iso8601)
        }

        /// Absolute, without a control character (which could forge lines in what pyman prints).
        var isWellFormed: Bool {
            path.hasPrefix("/") && !path.containsControlCharacters && !home.containsControlCharacters
                && !python.containsControlCharacters && !version.containsControlCharacters
                && !(install?.containsControlCharacters ?? false)
        }
    }

    struct Document: Codable {
        var format = 1
        var venvs: [Entry]
    }

    /// The recorded venvs, in the order of their paths; none (with one note) when the registry cannot
    /// be trusted or read. A missing registry is an empty one.
    public func entries() -> [Entry] {
        (try? read(noting: true)) ?? []
    }

    /// Adds `entry`, replacing the one of the same folder, and drops the entries whose folder is gone.
    /// Throws when the data folder cannot be made or trusted, or the registry cannot be written.
    public func record(_ entry: Entry) throws {
        try FolderTrust.ensureFolder(folder, role: "data dir", permissions: FilePermissions(rawValue: 0o755))
        let lock = try FileLock(path: folder + "/" + Self.lockName)
        defer { withExtendedLifetime(lock) {} }
        var venvs = ((try? read(noting: true)) ?? []).filter { $0.path != entry.path && FileSystem.isDirectory($0.path) }
        venvs.append(entry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(Document(venvs: venvs.sorted { $0.path < $1.path })), to: path)
    }

    /// Reads the registry if it and its folder may be trusted. Throws (having said why in one note,
    /// when `noting`) when it may not, or is not a registry pyman wrote.
    func read(noting: Bool) throws -> [Entry] {
        guard FileSystem.status(path) != nil else { return [] }
        let bytes: [UInt8]
        do {
            try FolderTrust.checkFile(path, role: "venv registry")
            bytes = try FileSystem.readFile(path, limit: Self.maximumSize)
        } catch let error as PymanError {
            // FolderTrust's message names the registry, its owner or mode, and the fix.
            if noting { note("ignored the venv registry: \(error.message); \(error.hint ?? "remove it")") }
            throw error
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(bytes)), document.format == 1,
              document.venvs.allSatisfy(\.isWellFormed) else {
            let problem = PymanError("the venv registry \(path) is not one pyman wrote (corrupt, or of another format)")
            if noting { note("ignored the venv registry \(path): it is not one pyman wrote (corrupt, or of another format); the next `pyman venv` replaces it") }
            throw problem
        }
        return document.venvs.sorted { $0.path < $1.path }
    }
}
