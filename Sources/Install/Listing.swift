import Catalogue
import Core
import Index
import Patching

/// One line of `pyman list`: an installed Python, or the newest download of a series not installed.
public struct ListRow: Encodable, Equatable, Sendable {
    public var key: String
    public var version: String
    public var variant: String?
    public var installed: Bool
    public var path: String?
    public var executable: String?
    public var url: String?
}

/// `pyman list`: installed Pythons and, unless only those are asked for, the newest download of each
/// series (minor version and build variant) for this machine, debug builds left out; newest first.
public enum Listing {
    /// The rows, and a note for each listed install patched at an older patch level than this pyman's.
    public static func rows(matching text: String?, onlyInstalled: Bool, settings: Settings) throws -> (rows: [ListRow], notes: [String]) {
        let filter = try text.map(PythonRequest.init(parsing:))
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        let catalogue = onlyInstalled ? nil : try settings.loadCatalogue()
        let rows = rows(installed: records, catalogue: catalogue, filter: filter, platform: settings.platform)
        let notes = records
            .filter { record in record.pythonKey.map { filter?.matches($0) ?? true } ?? false }
            .compactMap { $0.repatchAdvice(current: InstallPatches.level) }
        return (rows, notes)
    }

    /// The rows from records and (when not nil) a catalogue.
    public static func rows(installed records: [InstallRecord], catalogue: Catalogue?, filter: PythonRequest?, platform: Platform) -> [ListRow] {
        var rows = records
            .filter { record in record.pythonKey.map { filter?.matches($0) ?? true } ?? false }
            .map { ListRow(key: $0.key, version: $0.version, variant: $0.variant, installed: true, path: $0.path, executable: $0.executable, url: $0.url) }
        if let catalogue {
            let installedKeys = Set(records.map(\.key))
            let offered = catalogue.entries(for: platform).filter { entry in
                (!entry.key.isDebug || (filter?.variant?.containsBytes("debug") ?? false)) && (filter?.matches(entry.key) ?? true)
            }
            rows += NewestPerSeries.select(offered, acrossLevels: true, key: \.key).values
                .filter { !installedKeys.contains($0.key.description) }
                .map { ListRow(key: $0.key.description, version: $0.key.version.description, variant: $0.key.variant, installed: false, path: nil, executable: nil, url: $0.url) }
        }
        // Newest first; each key is parsed once, not in every comparison.
        let unknown = PythonVersion(major: 0, minor: 0, patch: 0)
        let keyed: [(row: ListRow, version: PythonVersion)] = rows.map { ($0, PythonKey($0.key)?.version ?? unknown) }
        return keyed.sorted { a, b in
            a.version == b.version ? a.row.key < b.row.key : a.version > b.version
        }.map(\.row)
    }
}
