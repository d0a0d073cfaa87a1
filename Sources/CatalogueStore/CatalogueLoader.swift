import Catalogue
import Configuration
import Core
import Download
import FoundationEssentials
import SystemPackage

/// The catalogue a command reads and where it came from.
public struct LoadedCatalogue: Sendable {
    public var catalogue: Catalogue
    public var source: CatalogueSource
}

extension Settings {
    /// The catalogue to install from (see `CatalogueSource` for the order), with the mirror applied.
    /// `refreshing` (install, upgrade, venv's auto-install) first fetches the catalogue again when the
    /// stored one is due by PYMAN_CATALOGUE_TTL; a failed refresh is one note, and the command goes on.
    public func loadCatalogue(refreshing: Bool = false) throws -> Catalogue {
        mirrored(try chooseCatalogue(refreshing: refreshing).catalogue)
    }

    /// `catalogue` with its URLs moved to the mirrors set (PYMAN_PYTHON_MIRROR, PYMAN_PYPY_MIRROR).
    /// With no python-build-standalone mirror set, its archives come from Astral's copy first and
    /// GitHub second, as uv does (GitHub keeps the retries). After a list the user sets, the catalogue's
    /// own URL stays the last resort (`lastResortURL`): tried once, after the retries of the user's
    /// last mirror, so a mirror that is down never stops an install the catalogue's host could serve.
    /// Offline, only the first URL is tried (`MirrorList`). A lock's URL stands for the catalogue's.
    public func mirrored(_ catalogue: Catalogue) -> Catalogue {
        var catalogue = catalogue
        catalogue = mirrors.isEmpty
            ? catalogue.mirrored(to: [Catalogue.astralPrefix], own: .lastMirror)
            : catalogue.mirrored(to: mirrors, own: .lastResort)
        return catalogue.mirrored(to: pypyMirrors, replacing: Catalogue.pypyPrefix, own: .lastResort)
    }

    /// The catalogue in use, as found (no mirror applied). `now` is seconds since 1970.
    public func chooseCatalogue(refreshing: Bool, now: Int = Int(Date().timeIntervalSince1970)) throws -> LoadedCatalogue {
        if let source = downloadsJSON { return try readDownloadsJSON(source) }
        let store = CatalogueStore(cacheDir: cacheDir)
        var stored: StoredCatalogue?
        var problem: PymanError?
        do {
            stored = try store.load()
        } catch let error as PymanError {
            problem = error
        }
        if refreshing, let update = try refresh(stored, now: now) {
            return LoadedCatalogue(catalogue: Self.marked(update.catalogue, from: update.stored.origin.url), source: .stored(update.stored.origin, path: store.file))
        }
        // Parsed only now: after a refresh, the document it replaced is never parsed.
        if let stored {
            do {
                return LoadedCatalogue(catalogue: Self.marked(try stored.catalogue(source: store.file), from: stored.origin.url),
                                       source: .stored(stored.origin, path: store.file))
            } catch let error as PymanError {
                problem = error.hinting("run `pyman catalogue update`")
            }
        }
        if let problem { output.warn("\(problem.message); using the embedded catalogue; \(problem.hint ?? "run `pyman catalogue update`")") }
        return LoadedCatalogue(catalogue: Catalogue.embedded(), source: .embedded)
    }

    /// Fetches the catalogue again when it is due: none stored (unless the TTL is `never`), stored from
    /// another URL than PYMAN_CATALOGUE_URL, or older than the TTL. Nil when not due, offline (unless the
    /// URL is a file's; nothing is said, as nothing failed) or failed (one note says so).
    func refresh(_ stored: StoredCatalogue?, now: Int) throws -> (stored: StoredCatalogue, catalogue: Catalogue)? {
        let ttl = try CatalogueTTL(parsing: catalogueTTL)
        let url = catalogueURL ?? stored?.origin.url ?? CatalogueUpdate.defaultURL
        let due = stored.map { $0.origin.url != URLCredentials.stripping(url) || ttl.isDue(fetched: $0.origin.fetched, now: now) } ?? (ttl != .never)
        guard due, download.allows(url) else { return nil }
        do {
            let update = try CatalogueUpdate(settings: self).run(url: url, options: CatalogueUpdate.refreshOptions(download), now: now)
            return (update.stored, update.catalogue)
        } catch let error as PymanError {
            let kept = stored.map { "the one fetched \(Self.describe(time: $0.origin.fetched))" } ?? "the embedded one"
            output.note("catalogue not refreshed: \(error.message); using \(kept)")
            return nil
        }
    }

    /// PYMAN_DOWNLOADS_JSON / --downloads-json: a path or a URL, read at every use.
    func readDownloadsJSON(_ source: String) throws -> LoadedCatalogue {
        if source.contains("://") {
            let data: Data
            do {
                data = try Downloader.fetch(url: source, options: download, limit: UVMetadataParser.maximumSize)
            } catch let error as DownloadError {
                throw PymanError("cannot read the catalogue \(source): \(error.message)", hint: "check PYMAN_DOWNLOADS_JSON")
            }
            let catalogue = try UVMetadataParser.parse(data, source: source).resolvingRelativeURLs(besideDocument: source)
            return LoadedCatalogue(catalogue: Self.marked(catalogue, from: source), source: .url(source))
        }
        let path = Path.absolute(source, in: currentDirectory)
        let data: Data
        do {
            data = Data(try FileSystem.readFile(path, limit: UVMetadataParser.maximumSize))
        } catch let error as PymanError where error.code == .noSuchFileOrDirectory {
            throw PymanError("catalogue \(path) does not exist", hint: "fix PYMAN_DOWNLOADS_JSON / --downloads-json")
        } catch let error as PymanError {
            throw error.hinting("fix PYMAN_DOWNLOADS_JSON / --downloads-json")
        }
        // The file: URL of its folder, which the catalogue's relative URLs are resolved against.
        let base = URL(fileURLWithPath: Path.parent(path), isDirectory: true).absoluteString
        return LoadedCatalogue(catalogue: try UVMetadataParser.parse(data, source: source).resolvingRelativeURLs(against: base), source: .file(path: path))
    }

    /// A catalogue fetched from `url` is remote unless the URL is a file's: then it is as much the
    /// user's as a path would be (`catalogue update --url file:///…`).
    static func marked(_ catalogue: Catalogue, from url: String) -> Catalogue {
        url.isFileURL ? catalogue : catalogue.markedRemote()
    }

    /// `2026-12-02 01:02 UTC`, for messages.
    static func describe(time: Int) -> String {
        let text = Date(timeIntervalSince1970: TimeInterval(time)).ISO8601Format()   // 2026-12-02T01:02:03Z
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5) + " UTC"
    }
}

/// Which catalogue a command reads, in the order pyman chooses: PYMAN_DOWNLOADS_JSON / --downloads-json
/// (a file or a URL, read each time), else the one `pyman catalogue update` or a refresh stored, else
/// the one compiled into pyman.
public enum CatalogueSource: Sendable {
    case file(path: String)
    case url(String)
    case stored(StoredCatalogue.Origin, path: String)
    case embedded
}
