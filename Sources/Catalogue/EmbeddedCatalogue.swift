import Core
/// Reads the compact form of the embedded catalogue (see EmbeddedCatalogueData.swift and
/// scripts/embed_catalogue.py): one `key TAB build TAB sha256 TAB file-or-url` line per build.
/// Everything else about a build is spelt out in its key, so the compiled-in text stays small.
enum EmbeddedCatalogue {
    static func parse(_ text: String) -> [CatalogueEntry] {
        var entries: [CatalogueEntry] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, let key = PythonKey(String(fields[0])) else { continue }
            let build = String(fields[1])
            let location = String(fields[3])
            let url = location.containsBytes("://") ? location : "\(Catalogue.upstreamPrefix)/\(build)/\(location)"
            entries.append(CatalogueEntry(key: key, url: url, sha256: fields[2].isEmpty ? nil : String(fields[2]), build: build))
        }
        return entries
    }
}
