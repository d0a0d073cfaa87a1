import Catalogue
import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import Project
import SystemPackage

/// Removes installs: the index forgets the install first (so a kill never leaves a listed Python
/// without its folder), then the folder disappears in one rename (so no half-removed Python is ever
/// seen), then the minor link and the bin links follow.
public struct Uninstaller: Sendable {
    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// The installs `requests` name (each must match at least one), or all of them.
    public static func select(_ requests: [String], all: Bool, from records: [InstallRecord]) throws -> [InstallRecord] {
        var doomed = all ? records : []
        for text in requests {
            let request = try PythonRequest(parsing: text)
            let matching = records.filter { $0.pythonKey.map(request.matches) ?? false }
            guard !matching.isEmpty else {
                throw PymanError("no installed Python matches '\(text)'", hint: "`pyman list --only-installed` shows what is installed")
            }
            doomed += matching.filter { record in !doomed.contains { $0.key == record.key } }
        }
        return doomed
    }

    /// What `uninstall --outdated` removes: in each series (`cpython-3.13-linux-x86_64-gnu`: one minor
    /// version, variant and platform) of those `series` name (all without any), every patch release older
    /// than the newest installed, except the keys `pinned` holds (what pyman.lock pins),
    /// which come back as kept.
    public static func outdated(_ series: [String], pinned: Set<String>, from records: [InstallRecord]) throws -> (doomed: [InstallRecord], kept: [InstallRecord]) {
        let requests = try series.map { try PythonRequest(parsing: $0) }
        let chosen = records.filter { record in
            guard let key = record.pythonKey else { return false }
            return requests.isEmpty || requests.contains { $0.matches(key) }
        }
        if let unmatched = zip(series, requests).first(where: { _, request in !chosen.contains { request.matches($0.pythonKey!) } }) {
            throw PymanError("no installed Python matches '\(unmatched.0)'", hint: "`pyman list --only-installed` shows what is installed")
        }
        var doomed: [InstallRecord] = [], kept: [InstallRecord] = []
        for (_, members) in Dictionary(grouping: chosen, by: { $0.pythonKey!.minorLinkName }).sorted(by: { $0.key < $1.key }) {
            guard let newest = members.map({ $0.pythonKey!.version }).max() else { continue }
            for record in members where record.pythonKey!.version < newest {
                if pinned.contains(record.key) { kept.append(record) } else { doomed.append(record) }
            }
        }
        return (doomed, kept)
    }

    /// Removes what `requests` (or `all`) select from the index; returns the records removed.
    @discardableResult
    public func uninstall(_ requests: [String], all: Bool) throws -> [InstallRecord] {
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        let doomed = try Self.select(requests, all: all, from: records)
        try uninstall(doomed)
        return doomed
    }

    /// `uninstall --outdated`: removes the older patch releases of each series, keeping what the
    /// folder's pyman.lock pins (said in a note). Returns the records removed.
    @discardableResult
    public func uninstallOutdated(_ series: [String]) throws -> [InstallRecord] {
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        let (doomed, kept) = try Self.outdated(series, pinned: try ProjectLock(settings: settings).pinnedKeys(), from: records)
        for record in kept { settings.output.note("Kept \(record.key): pyman.lock pins it") }
        try uninstall(doomed)
        return doomed
    }

    public func uninstall(_ records: [InstallRecord]) throws {
        if !records.isEmpty { try FolderTrust.check(settings.installDir, role: "install dir") }
        let index = InstallIndex(directory: settings.installDir, warn: settings.output.warn)
        let links = Links(settings: settings)
        for record in records {
            let lock = try settings.lockKey(record.key)
            let folder = Path.join(settings.installDir, record.key)
            let aside = Path.join(settings.installDir, ".old-\(record.key)-\(ProcessEnvironment.processID)")
            try index.update { $0.removeAll { $0.key == record.key } }
            if FileSystem.exists(folder, followingLinks: true) {
                do {
                    try FileSystem.rename(folder, to: aside)
                } catch let error as PymanError {
                    throw PymanError("cannot remove \(folder): \(error.code?.description ?? error.message)", hint: "check permissions on the install dir")
                }
            }
            try? FileSystem.removeTree(aside)
            // Still under the key's lock: Links.refresh, which makes links for this key, takes it too.
            if let key = record.pythonKey {
                try links.refreshMinorLink(for: key, installed: index.records())
            }
            withExtendedLifetime(lock) {}
            settings.output.note("Uninstalled \(record.key)")
        }
        links.removeDanglingExecutables()
    }
}
