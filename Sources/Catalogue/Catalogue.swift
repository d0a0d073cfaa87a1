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

    /// Points every URL under `prefix` (by default python-build-standalone's) at `mirror` instead.
    public func mirrored(to mirror: String, replacing prefix: String = upstreamPrefix) -> Catalogue {
        let base = mirror.hasSuffix("/") ? String(mirror.dropLast()) : mirror
        return Catalogue(entries: entries.map { entry in
            var moved = entry
            if entry.url.hasPrefix(prefix) {
                moved.url = base + entry.url.dropFirst(prefix.count)
                moved.fromRemoteCatalogue = false   // the mirror's URL is the user's choice, not the server's
            }
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
