import CatalogueStore
import Catalogue
import Configuration
import Core
import Download
import FoundationEssentials
import Project
import SystemPackage

/// `pyman lock --fetch DIR`: every archive the lock pins (all its platforms) in DIR under its own file
/// name, with `downloads.json` beside them in uv's format and URLs relative to it. DIR is then an offline
/// mirror wherever it is copied (`PYMAN_DOWNLOADS_JSON=DIR/downloads.json`, or served over HTTP).
public struct LockFetch: Sendable {
    public static let catalogueName = "downloads.json"
    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Fetches what is missing or wrong in `folder` (from the download cache when it holds it); returns
    /// the file names fetched and those already there.
    public func fetch(_ lock: LockFile, into folder: String) throws -> (fetched: [String], present: [String]) {
        try FolderTrust.ensureFolder(folder, role: "fetch folder", permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
        var outcome: (fetched: [String], present: [String]) = ([], [])
        var entries: [CatalogueEntry] = []
        for python in lock.pythons {
            let entry = CatalogueEntry(key: python.key, url: python.url, sha256: python.sha256, build: python.build)
            let name = entry.fileName
            guard ArchiveName.looksLikeArchive(name), !name.contains("/"), !name.hasPrefix("."), !name.containsControlCharacters else {
                throw PymanError("the locked URL \(python.url.escapingControlCharacters()) names no archive file", hint: "run `pyman lock` again")
            }
            let destination = Path.join(folder, name)
            if FileSystem.isRegularFile(destination, followingLinks: false), (try? Self.sha256(of: destination)) == python.sha256 {
                outcome.present.append(name)
            } else {
                try store(python, entry: entry, at: destination)
                outcome.fetched.append(name)
            }
            var relative = entry
            relative.url = name
            entries.append(relative)
        }
        try AtomicFile.write(UVMetadataWriter.document(entries), to: Path.join(folder, Self.catalogueName))
        return outcome
    }

    /// Streams the archive into a new file beside `destination` and renames it there once its sha256
    /// matched; a download (not a cache read) also fills the cache.
    func store(_ python: LockedPython, entry: CatalogueEntry, at destination: String) throws {
        let cache = settings.useDownloadCache ? settings.archiveCache : nil
        let cached = cache?.entry(sha256: python.sha256)
        if let cached { return try store(python, from: URL(fileURLWithPath: cached).absoluteString, cached: cached, options: settings.download, at: destination) }
        // The mirrors in order, as an install tries them (without its retries); the error names each and what it said.
        do {
            return try settings.mirrorList(for: entry).first(options: settings.download, retrying: false) { url, options in
                try store(python, from: url, cached: nil, options: options, at: destination)
            }
        } catch let failure as MirrorListFailure {
            throw PymanError(failure.description, hint: "check the mirrors (--mirror / PYMAN_PYTHON_MIRROR) and the network")
        }
    }

    func store(_ python: LockedPython, from url: String, cached: String?, options: DownloadOptions, at destination: String) throws {
        let cache = settings.useDownloadCache ? settings.archiveCache : nil
        let tee = cached == nil && !url.isFileURL ? try? cache?.beginFill(sha256: python.sha256) : nil
        let temporary = Path.parent(destination) + "/.tmp-\(Path.lastComponent(destination))-\(ProcessEnvironment.processID)"
        _ = try? FileSystem.removeFileIfPresent(temporary)
        let file = try FileDescriptor.createNew(temporary, permissions: [.ownerReadWrite, .groupRead, .otherRead])
        var writeError: Error?
        let result: DownloadResult
        do {
            result = try Downloader.stream(url: url, options: options) { chunk in
                tee?.write(chunk)
                do { try file.writeAll(chunk, path: destination) } catch { writeError = error; return false }
                return true
            }
        } catch {
            try? file.close()
            _ = try? FileSystem.removeFileIfPresent(temporary)
            tee?.discard()
            throw writeError ?? error
        }
        try? file.close()
        tee?.finish(bodySHA256: result.sha256)
        guard result.sha256 == python.sha256 else {
            _ = try? FileSystem.removeFileIfPresent(temporary)
            if let cached { _ = try? FileSystem.removeFileIfPresent(cached) }
            throw ChecksumMismatch(url: url, expected: python.sha256, actual: result.sha256).error
        }
        try FileSystem.rename(temporary, to: destination)
    }

    static func sha256(of path: String) throws -> String {
        try Downloader.stream(url: URL(fileURLWithPath: path).absoluteString, options: DownloadOptions()) { _ in true }.sha256
    }
}
