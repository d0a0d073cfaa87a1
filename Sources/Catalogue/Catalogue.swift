import FoundationEssentials

/// The list of Pythons that can be installed, read from uv's download-metadata.json format
/// or from the catalogue embedded in pyman.
public struct Catalogue: Sendable {
    /// Where python-build-standalone publishes; a mirror replaces this prefix.
    public static let upstreamPrefix = "https://github.com/astral-sh/python-build-standalone/releases/download"

    public var entries: [CatalogueEntry]

    public init(entries: [CatalogueEntry]) {
        self.entries = entries
    }

    /// Entries that run on a platform (`Platform.runs`), newest version first (final releases before
    /// pre-releases of the same number).
    public func entries(for platform: Platform) -> [CatalogueEntry] {
        entries.filter { platform.runs($0.key.platform) }.sorted { $0.key.version > $1.key.version }
    }

    /// Where PyPy publishes (uv's catalogue names its archives there); PYMAN_PYPY_MIRROR replaces it.
    public static let pypyPrefix = "https://downloads.python.org/pypy"

    /// Astral's copy of every python-build-standalone release (`<tag>/<file>` under it, as on GitHub):
    /// where pbs archives come from first when no mirror is set, GitHub second (as uv does since 0.10.8).
    public static let astralPrefix = "https://releases.astral.sh/github/python-build-standalone/releases/download"

    /// Points every URL under `prefix` (by default python-build-standalone's) at `mirror` instead.
    public func mirrored(to mirror: String, replacing prefix: String = upstreamPrefix) -> Catalogue {
        mirrored(to: [mirror], replacing: prefix)
    }

    /// What becomes of an entry's own URL when mirrors replace its prefix.
    public enum OwnURL: Sendable {
        /// Not tried at all.
        case dropped
        /// Tried after the mirrors as one more of them, the last, which keeps the retries of transient
        /// failures: pyman's default order (Astral's copy, then GitHub).
        case lastMirror
        /// Tried once after the mirrors, with a short connect timeout, the retries staying with the
        /// last mirror: the last resort after a list the user set (`lastResortURL`).
        case lastResort
    }

    /// Points every URL under `prefix` at the first of `mirrors`, the others following in order as its
    /// `fallbackURLs`; the entry's own URL then comes as `own` says. A list that names the prefix itself
    /// already tries the own URL where it stands, so it gets no last resort after it.
    public func mirrored(to mirrors: [String], replacing prefix: String = upstreamPrefix, own: OwnURL = .dropped) -> Catalogue {
        guard !mirrors.isEmpty else { return self }
        let bases = mirrors.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        return Catalogue(entries: entries.map { entry in
            guard entry.url.hasPrefix(prefix) else { return entry }
            let file = entry.url.dropFirst(prefix.count)
            var moved = entry
            var urls = bases.map { $0 + file }
            if own == .lastMirror, !urls.contains(entry.url) { urls.append(entry.url) }
            if own == .lastResort, !urls.contains(entry.url) { moved.lastResortURL = entry.url }
            moved.url = urls.removeFirst()
            moved.fallbackURLs = urls + entry.fallbackURLs
            moved.fromRemoteCatalogue = false   // the mirror's URL is the user's choice, not the server's
            return moved
        })
    }

    /// The entries whose url is relative (a file name, as `pyman lock --fetch` writes them) resolved
    /// against `base`, the URL of the folder the catalogue was read from, ending in `/`.
    /// The entries with relative URLs resolved against the folder of the document at `documentURL`
    /// (a `downloads.json` that `pyman lock --fetch` wrote names its archives beside it).
    public func resolvingRelativeURLs(besideDocument documentURL: String) -> Catalogue {
        resolvingRelativeURLs(against: String(documentURL[...(documentURL.lastIndex(of: "/") ?? documentURL.startIndex)]))
    }

    public func resolvingRelativeURLs(against base: String) -> Catalogue {
        Catalogue(entries: entries.map { entry in
            var resolved = entry
            if !entry.url.contains("://") { resolved.url = base + entry.url }
            return resolved
        })
    }

    /// The same entries marked as read from a catalogue that came over the network.
    public func markedRemote() -> Catalogue {
        Catalogue(entries: entries.map { entry in
            var marked = entry
            marked.fromRemoteCatalogue = true
            return marked
        })
    }

    /// The catalogue compiled into pyman (linux and darwin builds of python-build-standalone's CPython, and PyPy's).
    public static func embedded() -> Catalogue {
        Catalogue(entries: EmbeddedCatalogue.parse(EmbeddedCatalogue.text))
    }
}
