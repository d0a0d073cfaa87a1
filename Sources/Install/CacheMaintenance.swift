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

    /// Empties the cache dir (archives, the fetched catalogue, the unpacked pip wheel, interpreter
    /// queries), keeping the folder itself: it may be a Docker cache mount.
    public func clean() throws -> Outcome {
        let root = settings.cacheDir.path
        guard FileSystem.isDirectory(root, followingLinks: false) else { return Outcome() }
        try FolderTrust.check(root, role: "cache dir")
        var outcome = Outcome()
        for name in FileSystem.listDirectory(root) {
            let path = root + "/" + name
            let (files, bytes) = Self.measure(path)
            do {
                try FileManager.default.removeItem(atPath: path)   // removes links, never what they point to
            } catch {
                throw PymanError("cannot remove \(path): \(systemReason(error))", hint: "check its permissions")
            }
            outcome.removedFiles += files
            outcome.removedBytes += bytes
        }
        return outcome
    }

    /// Prunes what neither the installs nor this folder's lock need.
    public func prune() throws -> Outcome {
        try prune(keeping: installedArchives().union(ProjectLock(settings: settings).pinnedArchives()), now: Int(Date().timeIntervalSince1970))
    }

    /// Removes the archives that no install in the install dir and no entry of `pyman.lock` in the
    /// current folder refers to, and the leftovers of killed fills.
    public func prune(keeping referenced: Set<String>, now: Int) throws -> Outcome {
        let cache = settings.archiveCache
        guard FileSystem.isDirectory(cache.folder, followingLinks: false) else { return Outcome() }
        try FolderTrust.check(cache.folder, role: "download cache")
        var outcome = Outcome()
        for item in cache.contents() {
            if item.isEntry && referenced.contains(item.name) {
                outcome.keptArchives += 1
                continue
            }
            // A fill in progress writes continually; one left alone for an hour was killed.
            if !item.isEntry && item.name.hasPrefix(".tmp-") && now - item.modified < Self.staleFill { continue }
            do {
                try FileManager.default.removeItem(atPath: item.path)
            } catch {
                throw PymanError("cannot remove \(item.path): \(systemReason(error))", hint: "check its permissions")
            }
            outcome.removedFiles += 1
            outcome.removedBytes += item.size
        }
        return outcome
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
