/// One downloadable build from a catalogue in uv's `download-metadata.json` format.
public struct CatalogueEntry: Hashable, Sendable {
    public var key: PythonKey
    public var url: String
    /// Lower-case hex SHA-256 of the archive; nil when the catalogue does not give one.
    public var sha256: String?
    /// The python-build-standalone release tag (`20250723`), when known.
    public var build: String?
    /// Read from a catalogue that came over the network (a URL, or the stored one fetched from one),
    /// whose `file:` URLs are refused: a server must not make pyman install files of this machine.
    /// Cleared when a mirror the user set rewrites the URL.
    public var fromRemoteCatalogue = false
    /// Where else the same archive is, tried in order when `url` fails: the mirrors after the first,
    /// then (for the default mirror) the catalogue's own URL.
    public var fallbackURLs: [String] = []
    /// The catalogue's own URL when a mirror list the user set replaced it: tried once after all of them
    /// (`Catalogue.OwnURL.lastResort`); nil otherwise.
    public var lastResortURL: String?

    public init(key: PythonKey, url: String, sha256: String?, build: String?) {
        self.key = key
        self.url = url
        self.sha256 = sha256
        self.build = build
    }

    /// The archive's file name, as the last component of its URL with `%2B` decoded.
    public var fileName: String {
        let last = url.split(separator: "/").last.map(String.init) ?? url
        return last.replacing("%2B", with: "+").replacing("%2b", with: "+")
    }
}
