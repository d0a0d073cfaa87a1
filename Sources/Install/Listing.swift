import CatalogueStore
import Catalogue
import Configuration
import Core
import ManagedPythons
import Interpreters
import Patching
import Venv

/// One line of `pyman list`: an installed Python, or the newest download of a series not installed.
public struct ListRow: Encodable, Equatable, Sendable {
    public var key: String
    public var version: String
    public var variant: String?
    public var installed: Bool
    public var path: String?
    public var executable: String?
    /// Where it is (or was) downloaded from, credentials masked.
    public var url: String?
    /// `pyman` (installed by pyman), `download` (available), or where another Python on the machine was
    /// found: `PATH`, `pyenv`, `uv`, `system`.
    public var source: String
}

/// `pyman list`: installed Pythons and, unless only those are asked for, the newest download of each
/// series (minor version and build variant) for this machine, debug builds left out; newest first.
public enum Listing {
    /// The rows, and a note for each listed install patched at an older patch level than this pyman's.
    public static func rows(matching text: String?, onlyInstalled: Bool, settings: Settings) throws -> (rows: [ListRow], notes: [String]) {
        let filter = try text.map(PythonRequest.init(parsing:))
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        let catalogue = onlyInstalled || !settings.pythonPreference.allowsManaged ? nil : try settings.loadCatalogue()
        var rows = rows(installed: settings.pythonPreference.allowsManaged ? records : [], catalogue: catalogue, filter: filter, platform: settings.platform)
        if settings.pythonPreference.allowsSystem {
            rows += InterpreterDiscovery(settings: settings).interpreters()
                .filter { filter?.matches($0.key) ?? true }
                .map { ListRow(key: $0.key.description, version: $0.key.version.description, variant: $0.key.variant, installed: true,
                               path: $0.interpreter.prefix, executable: $0.executable, url: nil, source: $0.source) }
            rows = sortedNewestFirst(rows)
        }
        let notes = records
            .filter { record in record.pythonKey.map { filter?.matches($0) ?? true } ?? false }
            .compactMap { $0.repatchAdvice(current: InstallPatches.level) }
        return (rows, notes)
    }

    /// The rows from records and (when not nil) a catalogue.
    public static func rows(installed records: [InstallRecord], catalogue: Catalogue?, filter: PythonRequest?, platform: Platform) -> [ListRow] {
        var rows = records
            .filter { record in record.pythonKey.map { filter?.matches($0) ?? true } ?? false }
            .map { ListRow(key: $0.key, version: $0.version, variant: $0.variant, installed: true, path: $0.path, executable: $0.executable, url: $0.url, source: "pyman") }
        if let catalogue {
            let installedKeys = Set(records.map(\.key))
            let offered = catalogue.entries(for: platform).filter { entry in
                (!entry.key.isDebug || (filter?.variant?.containsBytes("debug") ?? false)) && (filter?.matches(entry.key) ?? true)
            }
            rows += NewestPerSeries.select(offered, acrossLevels: true, key: \.key).values
                .filter { !installedKeys.contains($0.key.description) }
                .map { ListRow(key: $0.key.description, version: $0.key.version.description, variant: $0.key.variant, installed: false, path: nil, executable: nil, url: URLCredentials.redacting($0.url), source: "download") }
        }
        return sortedNewestFirst(rows)
    }

    /// Newest first; each key is parsed once, not in every comparison.
    static func sortedNewestFirst(_ rows: [ListRow]) -> [ListRow] {
        let unknown = PythonVersion(major: 0, minor: 0, patch: 0)
        let keyed: [(row: ListRow, version: PythonVersion)] = rows.map { ($0, PythonKey($0.key)?.version ?? unknown) }
        // pyman's install before another Python of the same key; the rest in the order they were found.
        let indexed = keyed.enumerated().map { (offset: $0.offset, row: $0.element.row, version: $0.element.version) }
        return indexed.sorted { a, b in
            if a.version != b.version { return a.version > b.version }
            if a.row.key != b.row.key { return a.row.key < b.row.key }
            if (a.row.source == "pyman") != (b.row.source == "pyman") { return a.row.source == "pyman" }
            return a.offset < b.offset
        }.map(\.row)
    }
}
