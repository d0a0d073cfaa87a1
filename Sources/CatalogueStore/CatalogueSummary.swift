import Catalogue
import Core
import Download
import FoundationEssentials

/// What `pyman catalogue show` says of the catalogue in use.
public struct CatalogueSummary: Encodable, Sendable {
    /// `embedded`, `fetched` (stored by an update or refresh), `file` or `url` (PYMAN_DOWNLOADS_JSON).
    public var source: String
    /// The URL it was fetched from, or the file's path.
    public var location: String?
    /// Where a fetched catalogue is kept.
    public var storedAt: String?
    /// ISO 8601, UTC.
    public var fetched: String?
    public var etag: String?
    public var lastModified: String?
    /// The newest python-build-standalone release it lists, as a date (`2026-10-21`).
    public var newestBuild: String?
    public var entries: Int
    public var entriesForThisPlatform: Int
    public var platform: String

    public init(_ loaded: LoadedCatalogue, platform: Platform) {
        entries = loaded.catalogue.entries.count
        entriesForThisPlatform = loaded.catalogue.entries(for: platform).count
        self.platform = platform.description
        newestBuild = loaded.catalogue.newestBuild.map(Self.buildDate)
        switch loaded.source {
        case .embedded:
            source = "embedded"
        case .file(let path):
            (source, location) = ("file", path)
        case .url(let url):
            (source, location) = ("url", URLCredentials.redacting(url))
        case .stored(let origin, let path):
            (source, location, storedAt) = ("fetched", URLCredentials.redacting(origin.url), path)
            fetched = Date(timeIntervalSince1970: TimeInterval(origin.fetched)).ISO8601Format()
            (etag, lastModified) = (origin.validators.etag, origin.validators.lastModified)
        }
    }

    /// `20261021` (a tag `newestBuild` chose: eight digits) as `2026-10-21`.
    public static func buildDate(_ build: String) -> String {
        let digits = Array(build)
        return String(digits[0..<4]) + "-" + String(digits[4..<6]) + "-" + String(digits[6..<8])
    }

    /// The text form: one `label  value` line each.
    public var lines: [String] {
        let what: String
        switch source {
        case "embedded": what = "embedded in pyman"
        case "fetched": what = "fetched from \(location ?? "")"
        case "file": what = "file \(location ?? "") (PYMAN_DOWNLOADS_JSON / --downloads-json)"
        default: what = "\(location ?? "") (PYMAN_DOWNLOADS_JSON / --downloads-json, read at each use)"
        }
        var rows: [(String, String)] = [("catalogue", what)]
        if let storedAt { rows.append(("stored in", storedAt)) }
        if let fetched { rows.append(("fetched", fetched)) }
        if let etag { rows.append(("etag", etag)) }
        if let lastModified { rows.append(("last modified", lastModified)) }
        rows.append(("newest build", newestBuild ?? "unknown"))
        rows.append(("entries", "\(entries) (\(entriesForThisPlatform) for \(platform))"))
        return rows.map { label, value in label + String(repeating: " ", count: 14 - label.count) + value }
    }
}
