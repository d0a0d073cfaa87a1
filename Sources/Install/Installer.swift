import Catalogue
import CatalogueStore
import Configuration
import Core
import Download
import Extract
import FoundationEssentials
import ManagedPythons
import Patching
import SystemPackage

/// Where an install comes from: a catalogue entry (a URL) or an archive the user handed over.
public struct InstallSource: Sendable, Equatable {
    public var key: PythonKey
    public var url: String
    public var sha256: String?
    /// The lock file that pins this archive, nil when no lock does. An install of the key made from
    /// another archive (another build of the same version) is then refused, not kept as "already
    /// installed" and not replaced: a lock is a project's file, and one project's lock must not swap the
    /// Python every venv of the machine runs (only `--reinstall` does).
    public var lockFile: String?
    /// The archive's size in bytes, when a lock pins it: a body of another size is refused.
    public var size: Int64?
    /// Pinned by a lock.
    public var exact: Bool { lockFile != nil }
    /// From a catalogue that came over the network (see `CatalogueEntry.fromRemoteCatalogue`).
    public var fromRemoteCatalogue = false
    /// Where else the archive is, tried in order when `url` fails (`CatalogueEntry.fallbackURLs`).
    public var fallbackURLs: [String] = []
    /// The catalogue's own URL, tried once after them (`CatalogueEntry.lastResortURL`).
    public var lastResortURL: String?

    public init(key: PythonKey, url: String, sha256: String?) {
        self.key = key
        self.url = url
        self.sha256 = sha256
    }

    public init(_ entry: CatalogueEntry) {
        self.init(key: entry.key, url: entry.url, sha256: entry.sha256)
        fromRemoteCatalogue = entry.fromRemoteCatalogue
        fallbackURLs = entry.fallbackURLs
        lastResortURL = entry.lastResortURL
    }

    /// Every URL the archive may come from, in the order tried.
    func mirrorList(offline: Bool) -> MirrorList {
        MirrorList(url, then: fallbackURLs, lastResort: lastResortURL, offline: offline)
    }
}

extension Settings {
    /// Where `entry`'s archive may come from, in the order tried: the mirrors set, then the catalogue's
    /// own URL (`mirrored`); offline, the first only. `lock`'s size check and `lock --fetch` use it.
    func mirrorList(for entry: CatalogueEntry) -> MirrorList {
        InstallSource(mirrored(Catalogue(entries: [entry])).entries[0]).mirrorList(offline: offline)
    }
}

public enum InstallOutcome: Sendable {
    case installed(InstallRecord)
    case alreadyInstalled(InstallRecord)

    public var record: InstallRecord {
        switch self {
        case .installed(let record), .alreadyInstalled(let record): return record
        }
    }
}

/// Installs one Python: download → hash → extract into a temporary folder inside the install dir →
/// verify → patch sysconfig and venv → rename into place (the commit point) → index → links.
/// Whatever fails before the rename leaves nothing but a temporary folder, which is removed at once
/// or, after a kill, by the next install of the same key (it holds that key's lock).
public struct Installer: Sendable {
    public let settings: Settings
    public let progress: ProgressBoard

    public init(settings: Settings, progress: ProgressBoard) {
        self.settings = settings
        self.progress = progress
    }

    var installDir: String { settings.installDir }
    public var index: InstallIndex { InstallIndex(directory: installDir, warn: settings.output.warn) }

    public func install(_ source: InstallSource, reinstall: Bool) throws -> InstallOutcome {
        try prepareInstallDir()
        let key = source.key.description
        let lock = try settings.lockKey(key)
        defer { withExtendedLifetime(lock) {} }
        removeLeftovers(of: key)

        let final = Path.join(installDir, key)
        if !reinstall, let existing = index.records().first(where: { $0.key == key }), FileSystem.exists(final, followingLinks: true) {
            try Self.refuseReplacing(existing, with: source)
            return .alreadyInstalled(existing)
        }
        let isLocalFile = source.url.isFileURL
        if source.fromRemoteCatalogue, isLocalFile {
            // A catalogue from a server must not make pyman read (and install) files of this machine.
            throw PymanError("the remote catalogue names a local file (\(source.url))", hint: "nothing was installed; only a catalogue read from a file may name local archives")
        }
        // A local file the user's own catalogue or command names needs no checksum: it is theirs already.
        if settings.requireChecksum, source.sha256 == nil, !isLocalFile {
            throw PymanError("the catalogue gives no sha256 for \(key) (\(source.url))", hint: "pass --no-verify to install it unchecked")
        }

        let temp = ".tmp-\(key)-\(ProcessEnvironment.processID)-\(UInt32.random(in: 0...UInt32.max))"
        let temporary = Path.join(installDir, temp)
        do {
            let streamed = try fetch(source, into: temp)
            let download = streamed.download
            try ArchiveIdentity.check(temporary, key: source.key, buildMetadata: streamed.extracted.buildMetadata)
            try checkLayout(temporary, key: source.key)
            try InstallPatches.apply(root: temporary, finalPath: final, isPyPy: source.key.isPyPy)
            let record = InstallRecord(
                key: source.key, path: final, url: URLCredentials.stripping(source.url), sha256: download.sha256, size: download.bytes,
                installedAt: Date(), pymanVersion: Settings.version, patchLevel: InstallPatches.level)
            try InstallIndex.writeReceipt(record, into: temporary)
            try commit(temporary, to: final)
            try index.update { records in
                records.removeAll { $0.key == key }
                records.append(record)
            }
            return .installed(record)
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
    }

    /// Throws when `source` is pinned by a lock to another archive than the one `existing` was made from:
    /// the install stays as it is unless the user asks for `--reinstall`.
    public static func refuseReplacing(_ existing: InstallRecord, with source: InstallSource) throws {
        guard let lockFile = source.lockFile, let pinned = source.sha256, existing.sha256 != pinned else { return }
        throw PymanError("\(existing.key) is installed from the archive with sha256 \(existing.sha256 ?? "unknown"), but \(lockFile) pins sha256 \(pinned)",
                         hint: "nothing was changed; to replace the install, run `pyman install --locked --reinstall` in \(Path.parent(lockFile))")
    }

    /// Streams the archive into `folder`: from the download cache when it holds the archive's sha256,
    /// else from its URL, then its fallbacks (the next mirrors, the catalogue's own URL last) in order when
    /// one fails, storing a copy in the cache as it streams; the last mirror is tried again on transient
    /// network failures (`MirrorList`). (A break after bytes arrived is resumed below, in
    /// `Downloader.stream`, without starting over.)
    func fetch(_ source: InstallSource, into folder: String) throws -> StreamedArchive {
        let name = source.key.description
        defer { progress.finish(name) }
        let cache = settings.useDownloadCache ? settings.archiveCache : nil
        if let cache, let sha256 = source.sha256, let entry = cache.entry(sha256: sha256) {
            do {
                return try stream(url: URL(fileURLWithPath: entry).absoluteString, source, options: settings.download, into: folder, tee: nil)
            } catch let mismatch as ChecksumMismatch {
                // A damaged entry (truncated, a flipped byte, a torn copy from another tool): never installed from.
                _ = try? FileSystem.removeFileIfPresent(entry)
                try? FileSystem.removeTree(Path.join(installDir, folder))
                let damage = "the cached archive \(entry) is damaged (its sha256 is \(mismatch.actual)); removed it"
                guard settings.download.allows(source.url) else {
                    throw PymanError(damage, hint: "nothing was installed; run again online to download it anew")
                }
                settings.output.note("\(name): \(damage), downloading \(source.url)")
            }
        }
        let mirrors = source.mirrorList(offline: settings.offline)
        do {
            return try mirrors.first(options: settings.download, retrying: true, events: { event in
                switch event {
                case .startingOver(let error):
                    settings.output.note("\(name): \(error.message)")
                case .retrying(let error, let attempt, let attempts):
                    settings.output.note("\(name): \(error.message); retrying (attempt \(attempt) of \(attempts))")
                case .passing(let error, let next):
                    settings.output.note("\(name): \(error.description); \(next.isLastResort ? "trying the catalogue's own URL, the last resort" : "trying the next mirror")")
                }
            }) { url, options in
                do {
                    return try stream(url: url, source, options: options, into: folder, tee: beginFill(of: source, in: cache))
                } catch {
                    try? FileSystem.removeTree(Path.join(installDir, folder))
                    throw error
                }
            }
        } catch let failure as MirrorListFailure where failure.failures.count > 1 {
            throw PymanError(failure.description, hint: "check the mirrors (--mirror / PYMAN_PYTHON_MIRROR) and the network")
        } catch let failure as MirrorListFailure where failure.last.error.isTransient {
            let attempts = failure.last.attempts
            throw PymanError(failure.description, hint: "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s")")
        } catch let failure as MirrorListFailure where failure.last.error.status == 404 {
            throw PymanError(failure.description, hint: "check the version, the mirror (--mirror / PYMAN_PYTHON_MIRROR) or the catalogue")
        } catch let failure as MirrorListFailure {
            throw failure.last.error
        } catch let mismatch as ChecksumMismatch {
            throw mismatch.error
        }
    }

    func stream(url: String, _ source: InstallSource, options: DownloadOptions, into folder: String, tee: CacheFill?) throws -> StreamedArchive {
        let name = source.key.description
        return try StreamingExtraction.run(url: url, into: folder, expectedSHA256: source.sha256, expectedSize: source.size, options: options, tee: tee,
                                           progress: { done, total in progress.update(name, done: done, total: total) },
                                           resumed: { resumption in
            let of = resumption.total > 0 ? " of \(mebibytes(resumption.total))" : ""
            let line = "\(name): \(resumption.reason); resuming at \(mebibytes(resumption.offset))\(of) MiB (\(resumption.count) of \(settings.download.resumptions))"
            progress.interject { settings.output.note(line) }
        })
    }

    /// The cache's copy of a download: only for archives with a known sha256 (the entry's name) that are
    /// not local files already. A cache that cannot be written is one note, and the install goes on.
    func beginFill(of source: InstallSource, in cache: ArchiveCache?) -> CacheFill? {
        guard let cache, let sha256 = source.sha256, !source.url.isFileURL else { return nil }
        do {
            return try cache.beginFill(sha256: sha256)
        } catch {
            settings.output.note("\(source.key): not caching the download: \(error)")
            return nil
        }
    }

    /// A standalone Python has its interpreter where the key says; anything else is refused.
    func checkLayout(_ root: String, key: PythonKey) throws {
        let executable = Path.join(root, "bin/\(key.executableName)")
        guard FileSystem.isExecutableFile(executable) else {
            let what = key.isPyPy ? "PyPy \(key.version.minorVersion) build" : "python-build-standalone CPython \(key.version.minorVersion) build"
            throw PymanError("the archive for \(key) has no bin/\(key.executableName): it is not a \(what)", hint: "nothing was installed")
        }
    }

    /// Renames the finished folder into place. A reinstall first moves the old one aside, so the
    /// key's folder is always either the old or the new complete install.
    func commit(_ temp: String, to final: String) throws {
        if FileSystem.exists(final, followingLinks: true) {
            let aside = Path.join(installDir, ".old-\(Path.lastComponent(final))-\(ProcessEnvironment.processID)")
            try FileSystem.rename(final, to: aside)
            try FileSystem.rename(temp, to: final)
            try? FileSystem.removeTree(aside)
        } else {
            try FileSystem.rename(temp, to: final)
        }
    }

    /// Creates the install dir and makes it the working directory: extraction refuses absolute paths, so
    /// it names its folder relative to the working directory, and every install writes under this dir.
    func prepareInstallDir() throws {
        // Checked before it is made, so nothing is made through another user's link, and once it
        // exists: a folder another user made beforehand (or meanwhile) is refused, not filled.
        try FolderTrust.check(installDir, role: "install dir")
        do {
            // 0755 whatever the umask, like the installs inside it: a root install is every user's Python.
            try FileSystem.makeDirectories(installDir, exactly: FilePermissions(rawValue: 0o755))
        } catch {
            throw PymanError("cannot create the install dir \(installDir): \(systemReason(error))", hint: "set PYMAN_INSTALL_DIR to a writable folder")
        }
        try FolderTrust.check(installDir, role: "install dir")
        guard FileSystem.isWritable(installDir) else {
            throw PymanError("the install dir \(installDir) is not writable", hint: "set PYMAN_INSTALL_DIR to a writable folder or run with more rights")
        }
        try FileSystem.changeDirectory(installDir)
    }

    /// Temporary and set-aside folders of this key left by a killed pyman; safe to delete while we hold the key's lock.
    func removeLeftovers(of key: String) {
        for name in FileSystem.listDirectory(installDir) where name.hasPrefix(".tmp-\(key)-") || name.hasPrefix(".old-\(key)-") {
            try? FileSystem.removeTree(Path.join(installDir, name))
        }
    }
}
