import FoundationEssentials

/// Writes a catalogue in uv's `download-metadata.json` format (what `UVMetadataParser` and uv's
/// UV_PYTHON_DOWNLOADS_JSON_URL read): `pyman lock --fetch` puts one beside the archives it fetched.
public enum UVMetadataWriter {
    public static func document(_ entries: [CatalogueEntry]) throws -> Data {
        var records: [String: UVMetadataParser.Record] = [:]
        for entry in entries {
            let key = entry.key, version = key.version
            records[key.description] = UVMetadataParser.Record(
                name: key.implementation, arch: .init(family: key.platform.arch, variant: key.platform.archVariant),
                os: key.platform.os, libc: key.platform.libc, major: version.major, minor: version.minor, patch: version.patch,
                prerelease: version.prerelease, url: entry.url, sha256: entry.sha256, variant: key.variant, build: entry.build)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(records)
    }
}
