import Configuration
import Core
import Download
import FoundationEssentials
import ManagedPythons
import Project
import SystemPackage

/// `pyman cache clean` and `pyman cache prune`. Nothing here locks: entries appear by rename and
/// readers hold them open, so removing one under a running install costs that install nothing (a fill
/// whose folder vanished says so in a note and installs anyway).
public struct CacheMaintenance: Sendable {
    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// What a clean or prune removed and left.
    public struct Outcome: Sendable, Equatable {
        public var removedFiles = 0
        public var removedBytes: Int64 = 0
        /// Archives kept because an install or the lock refers to them (prune only).
        public var keptArchives = 0
    }

    /// A fill's temporary file untouched this long belongs to a killed pyman (a live fill writes every
    /// few milliseconds).
    static let staleFill = 3600

    /// Empties the cache dir (every bucket of `CacheLayout`, current or retired, and whatever else is
    /// there), keeping the folder itself: it may be a Docker cache mount.
    public func clean() throws -> Outcome {
        let root = settings.cacheDir
        guard FileSystem.isDirectory(root, followingLinks: false) else { return Outcome() }
        try FolderTrust.check(root, role: "cache dir")
        var outcome = Outcome()
        for name in FileSystem.listDirectory(root) {
            try Self.remove(root + "/" + name, counting: &outcome)
        }
        return outcome
    }

    /// Prunes what neither the installs nor this folder's lock need.
    public func prune() throws -> Outcome {
        try prune(keeping: installedArchives().union(ProjectLock(settings: settings).pinnedArchives()), now: Int(Date().timeIntervalSince1970))
    }

    /// Removes the archives that no install in the install dir and no entry of `pyman.lock` in the
    /// current folder refers to, the leftovers of killed fills, and the buckets of other cache formats.
    public func prune(keeping referenced: Set<String>, now: Int) throws -> Outcome {
        var outcome = try removeRetiredBuckets()
        let cache = settings.archiveCache
        guard FileSystem.isDirectory(cache.folder, followingLinks: false) else { return outcome }
        try FolderTrust.check(cache.folder, role: "download cache")
        for item in cache.contents() {
            if item.isEntry && referenced.contains(item.name) {
                outcome.keptArchives += 1
                continue
            }
            // A fill in progress writes continually; one left alone for an hour was killed.
            if !item.isEntry && item.name.hasPrefix(".tmp-") && now - item.modified < Self.staleFill { continue }
            do {
                try FileSystem.removeTree(item.path)
            } catch {
                throw PymanError("cannot remove \(item.path): \(systemReason(error))", hint: "check its permissions")
            }
            outcome.removedFiles += 1
            outcome.removedBytes += item.size
        }
        return outcome
    }

    /// Removes the buckets this pyman never reads (`CacheLayout.isRetiredBucket`: the unversioned ones of
    /// earlier builds, other versions), as uv's prune removes `wheels-v0` once it uses `wheels-v1`.
    func removeRetiredBuckets() throws -> Outcome {
        let root = settings.cacheDir
        let retired = FileSystem.listDirectory(root).filter(CacheLayout.isRetiredBucket)
        guard !retired.isEmpty else { return Outcome() }
        try FolderTrust.check(root, role: "cache dir")
        var outcome = Outcome()
        for name in retired {
            try Self.remove(root + "/" + name, counting: &outcome)
        }
        return outcome
    }

    /// Removes `path` and all under it (links, never what they point to), adding what it held to `outcome`.
    static func remove(_ path: String, counting outcome: inout Outcome) throws {
        let (files, bytes) = measure(path)
        do {
            try FileSystem.removeTree(path)
        } catch {
            throw PymanError("cannot remove \(path): \(systemReason(error))", hint: "check its permissions")
        }
        outcome.removedFiles += files
        outcome.removedBytes += bytes
    }

    /// The sha256 of every archive an install in the install dir came from.
    public func installedArchives() -> Set<String> {
        Set(InstallIndex(directory: settings.installDir, warn: settings.output.warn).records().compactMap(\.sha256))
    }

    /// Files and bytes under `path`, not following links.
    static func measure(_ path: String) -> (files: Int, bytes: Int64) {
        guard let info = FileSystem.status(path) else { return (0, 0) }
        guard info.type == .directory else { return (1, Int64(info.size)) }
        return FileSystem.listDirectory(path).reduce((0, 0)) { total, name in
            let (files, bytes) = measure(path + "/" + name)
            return (total.files + files, total.bytes + bytes)
        }
    }
}
