import Catalogue
import Core
import Download
import FoundationEssentials

/// A catalogue fetched by `pyman catalogue update` or a refresh, as kept in the cache dir: where it came
/// from and when, then the document exactly as the server sent it (validated before it was kept).
public struct StoredCatalogue: Sendable {
    public struct Origin: Codable, Equatable, Sendable {
        /// Where it was fetched, without the credentials the URL may have carried (a refresh from here
        /// takes them from netrc, or from PYMAN_CATALOGUE_URL given again).
        public var url: String
        /// Seconds since 1970 of the last fetch, renewed by a 304 answer.
        public var fetched: Int
        public var validators: CacheValidators
        public var entries: Int
        /// The newest python-build-standalone release tag among the entries (`20261021`).
        public var newestBuild: String?
    }

    public var origin: Origin
    public var body: Data

    /// The longest first line read: an origin is a few hundred bytes; a URL or header value is bounded.
    static let maximumOriginSize = 64 * 1024

    /// One file: the origin as one line of JSON, a newline, then the document. One file, replaced
    /// whole, so a reader never sees the origin of one fetch with the document of another.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(origin)   // JSON escapes newlines, so the origin is one line
        data.append(0x0A)
        data.append(body)
        return data
    }

    /// Nil when `data` is not what `encoded()` writes.
    init?(decoding data: Data) {
        guard let newline = data.prefix(Self.maximumOriginSize).firstIndex(of: 0x0A),
              let origin = try? JSONDecoder().decode(Origin.self, from: data[data.startIndex..<newline])
        else { return nil }
        self.origin = origin
        body = data[(newline + 1)...]
    }

    init(origin: Origin, body: Data) {
        self.origin = origin
        self.body = body
    }

    /// The catalogue the document holds.
    /// The document parsed, its relative URLs resolved against where it was fetched from, as they
    /// were when it was read from there (`catalogue update --url DIR/downloads.json` of a `--fetch` folder).
    func catalogue(source: String) throws -> Catalogue {
        try UVMetadataParser.parse(body, source: source).resolvingRelativeURLs(besideDocument: origin.url)
    }
}

extension Catalogue {
    /// The newest python-build-standalone release tag among the entries. Its tags are dates
    /// (`20261021`), so the greatest is the newest; other builds (PyPy's, GraalPy's) name their own
    /// versions in that field and are left out.
    public var newestBuild: String? {
        entries.lazy.compactMap(\.build).filter { $0.utf8.count == 8 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }.max()
    }
}
