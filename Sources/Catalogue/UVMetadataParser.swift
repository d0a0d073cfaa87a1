import Core
import FoundationEssentials

/// Reads uv's `download-metadata.json`: an object keyed by build name, each value describing one archive.
public enum UVMetadataParser {
    struct Arch: Codable {
        var family: String
        var variant: String?
    }

    struct Record: Codable {
        var name: String
        var arch: Arch
        var os: String
        var libc: String
        var major: Int
        var minor: Int
        var patch: Int
        var prerelease: String?
        var url: String
        var sha256: String?
        var variant: String?
        var build: String?
    }

    /// The largest catalogue pyman reads: python-build-standalone's whole catalogue (every platform and
    /// implementation, 5,634 builds) is 3 MB; an endless or huge response or file is refused at this size
    /// instead of filling memory.
    public static let maximumSize = 64 * 1_048_576

    /// Parses the catalogue text; `source` names it in errors (a path or URL).
    public static func parse(_ data: Data, source: String) throws -> Catalogue {
        let records: [String: Record]
        do {
            records = try JSONDecoder().decode([String: Record].self, from: data)
        } catch let error as DecodingError {
            throw PymanError("malformed catalogue \(source): \(describe(error, in: data))", hint: "fix the file or unset PYMAN_DOWNLOADS_JSON")
        }
        var entries: [CatalogueEntry] = []
        entries.reserveCapacity(records.count)
        for (_, record) in records {
            let pre = record.prerelease ?? ""
            guard PythonVersion.preReleaseOrder(pre) != nil else { continue }
            let version = PythonVersion(major: record.major, minor: record.minor, patch: record.patch, prerelease: pre)
            let platform = Platform(os: record.os, arch: record.arch.family, archVariant: record.arch.variant, libc: record.libc)
            let variant = (record.variant?.isEmpty ?? true) ? nil : record.variant
            let key = PythonKey(implementation: record.name, version: version, variant: variant, platform: platform)
            // A key names a folder; an entry whose parts could not (`/`, `..`, a negative or huge number,
            // an unknown variant) is no Python pyman can install.
            guard key.isWellFormed else { continue }
            let sha = (record.sha256?.isEmpty ?? true) ? nil : record.sha256?.lowercased()
            entries.append(CatalogueEntry(key: key, url: record.url, sha256: sha, build: record.build))
        }
        return Catalogue(entries: entries)
    }

    /// One line from a decoding error: the JSON position or the field that is wrong.
    static func describe(_ error: DecodingError, in data: Data) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let bytes = Array(data)
            return JSONSyntax.firstError(in: bytes) ?? CatalogueShape.firstProblem(in: bytes) ?? context.debugDescription
        case .dataCorrupted(let context):
            return "entry \(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "entry \(path(context)) lacks \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "entry \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

}
