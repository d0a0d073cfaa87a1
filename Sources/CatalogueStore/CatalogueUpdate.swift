import Catalogue
import Configuration
import Core
import Download
import FoundationEssentials

/// Fetches a catalogue in uv's download-metadata.json format, checks all of it, and keeps it in the
/// cache dir: `pyman catalogue update`, and the refresh install and upgrade make by themselves. The
/// stored catalogue is replaced only by one that parses and offers a Python for this machine.
public struct CatalogueUpdate {
    /// The copy uv publishes in its repository, kept current with python-build-standalone's releases.
    public static let defaultURL = "https://raw.githubusercontent.com/astral-sh/uv/main/crates/uv-python/download-metadata.json"

    public enum Outcome: Sendable {
        /// A new document was fetched and stored.
        case fetched
        /// The server answered 304: the stored one is current, and its fetch time was renewed.
        case unchanged
    }

    public let store: CatalogueStore
    public let platform: Platform

    public init(settings: Settings) {
        store = CatalogueStore(cacheDir: settings.cacheDir)
        platform = settings.platform
    }

    /// Fetches `url` (conditionally, when the stored catalogue came from it) and stores what it brings.
    /// Every failure is one PymanError naming the URL; the stored catalogue is then as it was.
    public func run(url: String, options: DownloadOptions, now: Int) throws -> (outcome: Outcome, stored: StoredCatalogue, catalogue: Catalogue) {
        guard options.allows(url) else {
            throw PymanError("cannot fetch the catalogue \(url): pyman is offline (PYMAN_OFFLINE or --offline)",
                             hint: "unset PYMAN_OFFLINE and drop --offline, or give a file (--url PATH)")
        }
        // A catalogue file is fetched again at every refresh: whoever can write it could later name an
        // archive of theirs (a file: entry needs no sha256), so it must be as trusted as the stored copy.
        if url.isFileURL, let path = URL(string: url)?.path {
            try FolderTrust.checkFile(path, role: "catalogue file")
        }
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        // A damaged or untrusted stored catalogue is simply replaced; saving checks the folders again.
        // The stored origin keeps no credentials (see `Origin.url`): compared without them.
        let previous = (try? store.load()).flatMap { $0?.origin.url == URLCredentials.stripping(url) ? $0 : nil }
        let fetched: FetchedDocument
        do {
            fetched = try Downloader.fetch(url: url, options: options, limit: UVMetadataParser.maximumSize,
                                           unlessMatching: previous?.origin.validators ?? CacheValidators())
        } catch let error as DownloadError {
            throw PymanError("cannot fetch the catalogue \(url): \(error.message)", hint: Self.hint)
        }
        switch fetched {
        case .notModified:
            var stored = previous!   // only a conditional request, made with a previous copy's validators, gets 304
            stored.origin.fetched = now
            let catalogue = try stored.catalogue(source: url)
            try store.save(stored)
            return (.unchanged, stored, catalogue)
        case .changed(let body, let validators):
            let origin = StoredCatalogue.Origin(url: URLCredentials.stripping(url), fetched: now, validators: validators, entries: 0, newestBuild: nil)
            var stored = StoredCatalogue(origin: origin, body: body)
            let catalogue: Catalogue
            do {
                catalogue = try stored.catalogue(source: url)
            } catch let error as PymanError {
                throw error.hinting(Self.hint)
            }
            guard !catalogue.entries(for: platform).isEmpty else {
                throw PymanError("the catalogue \(url) offers no Python for \(platform)", hint: Self.hint)
            }
            stored.origin.entries = catalogue.entries.count
            stored.origin.newestBuild = catalogue.newestBuild
            try store.save(stored)
            return (.fetched, stored, catalogue)
        }
    }

    static let hint = "the catalogue in use is kept; check the URL (--url, PYMAN_CATALOGUE_URL) or try again later"

    /// Options for a refresh that install or upgrade make on their own: it must never hold them up
    /// for long, so one attempt, a 5 s connect and 10 s in all.
    public static func refreshOptions(_ options: DownloadOptions) -> DownloadOptions {
        var quick = options
        quick.attempts = 1
        quick.connectTimeout = min(options.connectTimeout, 5)
        quick.lowSpeedTimeout = min(options.lowSpeedTimeout, 10)
        quick.totalTimeout = min(options.totalTimeout ?? 10, 10)
        return quick
    }
}

extension CatalogueUpdate {
    /// `pyman catalogue update`: the catalogue at `url` (a URL or a path), else PYMAN_CATALOGUE_URL,
    /// else `defaultURL`, fetched with the settings' download options and stored.
    public static func update(url: String?, settings: Settings, now: Int = Int(Date().timeIntervalSince1970)) throws -> (outcome: Outcome, stored: StoredCatalogue) {
        let given = url ?? settings.catalogueURL ?? defaultURL
        let location = given.contains("://") ? given : URL(fileURLWithPath: Path.absolute(given, in: settings.currentDirectory)).absoluteString
        let result = try CatalogueUpdate(settings: settings).run(url: location, options: settings.download, now: now)
        return (result.outcome, result.stored)
    }
}
