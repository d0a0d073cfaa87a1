import ArgumentParser
import Catalogue
import Core
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Index
import Install

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        _superCommandName: "pyman",
        abstract: "List installed Pythons and the newest available of each series."
    )

    @Argument(help: "Only show Pythons matching this request.")
    var request: String?

    @Flag(name: .customLong("only-installed"), help: "Show installed Pythons only.")
    var onlyInstalled = false

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    struct Row: Encodable {
        var key: String
        var version: String
        var variant: String?
        var installed: Bool
        var path: String?
        var executable: String?
        var url: String?
    }

    func run() throws {
        let settings = global.settings()
        let filter = try request.map(PythonRequest.init(parsing:))
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        let listed = records.filter { record in record.pythonKey.map { filter?.matches($0) ?? true } ?? false }
        listed.compactMap { $0.repatchAdvice(current: Installer.patchLevel) }.forEach(settings.output.note)
        var rows = listed
            .map { Row(key: $0.key, version: $0.version, variant: $0.variant, installed: true, path: $0.path, executable: $0.executable, url: $0.url) }
        if !onlyInstalled {
            rows += try available(settings: settings, filter: filter, installedKeys: Set(records.map(\.key)))
        }
        // Newest first; each key is parsed once, not in every comparison.
        let unknown = PythonVersion(major: 0, minor: 0, patch: 0)
        let keyed: [(row: Row, version: PythonVersion)] = rows.map { ($0, PythonKey($0.key)?.version ?? unknown) }
        rows = keyed.sorted { a, b in
            a.version == b.version ? a.row.key < b.row.key : a.version > b.version
        }.map(\.row)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        let width = (rows.map(\.key.count).max() ?? 0) + 4
        for row in rows {
            print(row.key + String(repeating: " ", count: max(0, width - row.key.count)) + (row.executable ?? "<download available>"))
        }
    }

    /// The newest download of each series (minor version and build variant) for this machine, except debug builds.
    func available(settings: Settings, filter: PythonRequest?, installedKeys: Set<String>) throws -> [Row] {
        let catalogue = try settings.loadCatalogue()
        var newestPerSeries: [String: CatalogueEntry] = [:]
        for entry in catalogue.entries(for: settings.platform) where !(entry.key.variant?.containsBytes("debug") ?? false) {
            if let filter, !filter.matches(entry.key) { continue }
            let series = entry.key.minorLinkName
            if let current = newestPerSeries[series], current.key.version >= entry.key.version { continue }
            newestPerSeries[series] = entry
        }
        return newestPerSeries.values
            .filter { !installedKeys.contains($0.key.description) }
            .map { Row(key: $0.key.description, version: $0.key.version.description, variant: $0.key.variant, installed: false, path: nil, executable: nil, url: $0.url) }
    }
}
