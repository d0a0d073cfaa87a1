import Catalogue
import Core
import FoundationEssentials

/// The on-disk list of installed Pythons, kept in the install dir.
///
/// Writers hold an exclusive lock and replace the file atomically (temp file, fsync, rename), so readers
/// never lock and never see a partial index. The index is a cache of the receipts inside each install
/// folder: when it is missing or unreadable it is rebuilt from them.
public struct InstallIndex: Sendable {
    public static let fileName = ".pyman-index.json"
    public static let lockName = ".pyman-index.lock"
    public static let receiptName = ".pyman-receipt.json"

    public let directory: String
    /// Where warnings go (for example "index was corrupt, rebuilt").
    public let warn: @Sendable (String) -> Void

    public init(directory: String, warn: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.warn = warn
    }

    struct Document: Codable {
        var format = 1
        var installs: [InstallRecord]
    }

    var indexPath: String { Path.join(directory, Self.fileName) }

    /// The installed Pythons, sorted by key. Never blocks on a writer.
    public func records() -> [InstallRecord] {
        guard let data = Self.read(indexPath) else {
            return rebuild(reason: nil)
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: data) else {
            return rebuild(reason: "the install index \(indexPath) is corrupt")
        }
        return trusted(document.installs)
    }

    /// The records whose key is a well-formed key (so a folder name inside the install dir, never a path
    /// like `../victim`), each with the path that key has in this install dir: the index may come from
    /// someone else, or from before the install dir was moved.
    func trusted(_ installs: [InstallRecord]) -> [InstallRecord] {
        installs.compactMap { record in
            guard let key = record.pythonKey, key.description == record.key else {
                warn("the install index \(indexPath) names '\(record.key)', which is not an install key; ignored it")
                return nil
            }
            var placed = record
            placed.path = Path.join(directory, record.key)
            return placed
        }
    }

    /// The install that holds `path` (a venv's `home`, say, which may go through the minor link or
    /// another symlink), comparing real paths; nil when it is in none of them.
    public func record(containing path: String) -> InstallRecord? {
        guard let real = FileSystem.resolvedPath(path) else { return nil }
        return records().first { record in
            guard let folder = FileSystem.resolvedPath(record.path) else { return false }
            return real == folder || real.hasPrefix(folder + "/")
        }
    }

    /// Changes the index under the exclusive lock; `body` sees the current records.
    public func update(_ body: (inout [InstallRecord]) throws -> Void) throws {
        let lock = try FileLock(path: Path.join(directory, Self.lockName))
        removeStaleTemporaryFiles()
        var installs = currentForWriter()
        try body(&installs)
        try write(installs)
        withExtendedLifetime(lock) {}
    }

    /// Under the lock the file is trusted if readable; otherwise the folders are the truth.
    private func currentForWriter() -> [InstallRecord] {
        if let data = Self.read(indexPath),
           let document = try? JSONDecoder().decode(Document.self, from: data) {
            return trusted(document.installs)
        }
        return scanFolders()
    }

    private func write(_ installs: [InstallRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(installs: installs.sorted { $0.key < $1.key }))
        try Self.durablyReplace(indexPath, with: data)
    }

    /// Rebuilds from the folders; saves the result when the dir is writable (a non-root reader of a
    /// system-wide install just uses it). The folders are scanned under the lock: a scan made before
    /// it could miss an install that commits and writes the index meanwhile, and then overwrite it.
    private func rebuild(reason: String?) -> [InstallRecord] {
        if let reason { warn("\(reason); rebuilt it from the install folders") }
        if FileSystem.exists(directory, followingLinks: true), FileSystem.isWritable(directory) {
            var installs: [InstallRecord]?
            try? update { installs = $0 }  // a writer that came first is trusted, else the folders are scanned
            if let installs { return installs.sorted { $0.key < $1.key } }
        }
        return scanFolders()
    }

    /// Temporary files of writers killed between creating and renaming them; safe to delete while we
    /// hold the lock, since every writer holds it until its file is renamed.
    private func removeStaleTemporaryFiles() {
        let names = FileSystem.listDirectory(directory)
        for name in names where name.hasPrefix(".\(Self.fileName).") && name.hasSuffix(".tmp") {
            try? FileSystem.removeTree(Path.join(directory, name))
        }
    }

    /// Every complete install folder: a real directory whose name is a key and that holds a receipt.
    /// Temporary folders (`.tmp-…`) and minor links are not installs.
    public func scanFolders() -> [InstallRecord] {
        let names = FileSystem.listDirectory(directory)
        return names.sorted().compactMap { name in
            guard let key = PythonKey(name) else { return nil }
            let folder = Path.join(directory, name)
            guard FileSystem.isDirectory(folder, followingLinks: false) else { return nil }
            let receipt = Path.join(folder, Self.receiptName)
            if let data = Self.read(receipt),
               var record = try? JSONDecoder().decode(InstallRecord.self, from: data), record.key == name {
                record.path = folder  // the install dir may have been moved
                return record
            }
            // No receipt: not made by pyman, or damaged; still list it so it can be uninstalled.
            return InstallRecord(key: key, path: folder, url: nil, sha256: nil, size: nil,
                                 installedAt: Date(timeIntervalSince1970: 0), pymanVersion: "unknown", patchLevel: 0)
        }
    }

    /// Writes the receipt inside a (not yet committed) install folder.
    public static func writeReceipt(_ record: InstallRecord, into folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Not flushed, like every other file of the uncommitted folder it goes into.
        try AtomicFile.write(try encoder.encode(record), to: Path.join(folder, receiptName))
    }

    /// The largest index or receipt read: a record is about 500 bytes, so this is a hundred thousand
    /// installs; a bigger file (or a link to /dev/zero) is no index pyman wrote, and is rebuilt from the folders.
    static let maximumSize = 64 << 20

    static func read(_ path: String) -> Data? {
        (try? FileSystem.readFile(path, limit: maximumSize)).map { Data($0) }
    }

    /// The index must survive a crash: flushed file, renamed, flushed folder.
    static func durablyReplace(_ file: String, with data: Data) throws {
        try AtomicFile.write(data, to: file, durable: true)
    }
}
