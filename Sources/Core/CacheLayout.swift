/// What lives in pyman's cache dir and under which names: the one place that knows them.
///
/// Each bucket's name carries the version of its format (as uv's `wheels-v6`). A change to what an entry
/// holds or how entries are named bumps that bucket's version, so a pyman never reads an entry written in
/// another format (an older pyman sharing the cache keeps its own bucket). Buckets of other versions, and
/// the unversioned names earlier builds used (`downloads`, `wheels`, `interpreters`,
/// `catalogue`), are never read: `pyman cache prune` removes them, `pyman cache clean` removes everything.
public struct CacheLayout: Sendable, Equatable {
    public enum Bucket: String, CaseIterable, Sendable {
        /// Downloaded archives, each named by its sha256 (`ArchiveCache`).
        case downloads = "downloads-v1"
        /// The bundled pip wheel, unpacked and checked once (Venv's `WheelCache`).
        case wheels = "wheels-v1"
        /// Foreign interpreters' answers, keyed by path, mtime and size (`InterpreterQuery`).
        case interpreters = "interpreters-v1"
        /// The catalogue `pyman catalogue update` fetched, and its lock (`CatalogueStore`).
        case catalogue = "catalogue-v1"

        /// The name without its version: `downloads`.
        var stem: String { String(rawValue.prefix { $0 != "-" }) }
    }

    /// The cache dir (PYMAN_CACHE_DIR).
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public func path(of bucket: Bucket) -> String { root + "/" + bucket.rawValue }

    public var downloads: String { path(of: .downloads) }
    public var wheels: String { path(of: .wheels) }
    public var interpreters: String { path(of: .interpreters) }
    public var catalogue: String { path(of: .catalogue) }

    /// Whether `name`, an entry of the cache dir, is a bucket of another format than this pyman's: the
    /// unversioned name or another `-vN` of a bucket. Anything else (a current bucket, a file pyman
    /// never made) is not.
    public static func isRetiredBucket(_ name: String) -> Bool {
        Bucket.allCases.contains { bucket in
            guard name != bucket.rawValue else { return false }
            if name == bucket.stem { return true }
            let version = name.dropFirst(bucket.stem.count + 2)
            return name.hasPrefix(bucket.stem + "-v") && !version.isEmpty && version.allSatisfy(\.isASCII) && version.allSatisfy(\.isNumber)
        }
    }
}
