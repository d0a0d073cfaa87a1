import CatalogueStore
import Catalogue
import Configuration
import Core
import ManagedPythons

/// `pyman upgrade`: the newest patch release of each installed series that has a newer one in the catalogue.
public enum Upgrade {
    public struct Plan: Equatable, Sendable {
        /// Downloads to install, one per series that has a newer release, in series order.
        public var sources: [InstallSource] = []
        /// One line per series that moves (and per series considered that does not), or one line saying
        /// that nothing moves.
        public var notes: [String] = []
    }

    /// Plans from the installed records, the series named by `filters` (every series when empty) and the
    /// catalogue, which is loaded only once the filters matched something.
    public static func plan(installed: [InstallRecord], filters: [PythonRequest],
                            catalogue: @autoclosure () throws -> Catalogue, platform: Platform) throws -> Plan {
        let keys = installed.compactMap(\.pythonKey).filter { key in
            platform.runs(key.platform) && (filters.isEmpty || filters.contains { $0.matches(key) })
        }
        let newest = NewestPerSeries.select(keys) { $0 }
        if !filters.isEmpty, newest.isEmpty {
            throw PymanError("no installed Python matches '\(filters.map(\.text).joined(separator: " "))'", hint: "install it first with `pyman install`")
        }
        if newest.isEmpty { return Plan(notes: ["Nothing to upgrade: no Python is installed"]) }
        let available = try catalogue()
        var plan = Plan()
        for (series, key) in newest.sorted(by: { $0.key < $1.key }) {
            // The series is its level's too: a v3 build moves to a newer v3 build, never to the baseline.
            var sameSeries = PythonRequest(text: key.version.minorVersion, filter: .prefix([key.version.major, key.version.minor], prerelease: nil), variant: key.variant)
            sameSeries.archTag = key.platform.archTag
            sameSeries.implementation = key.implementation
            guard let entry = Resolution.download(sameSeries, in: available, platform: platform), entry.key.version > key.version else {
                plan.notes.append("\(series) is up to date (\(key.version))")
                continue
            }
            plan.notes.append("Upgrading \(series): \(key.version) -> \(entry.key.version)")
            plan.sources.append(InstallSource(entry))
        }
        if plan.sources.isEmpty {
            let series = newest.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.version))" }
            plan.notes = ["Nothing to upgrade: " + series.joined(separator: ", ") + (series.count == 1 ? " is" : " are") + " up to date"]
        }
        return plan
    }

    /// The plan for `requests` (series to upgrade, all when empty) from the index and the settings' catalogue.
    public static func plan(_ requests: [String], settings: Settings) throws -> Plan {
        let filters = try requests.map(PythonRequest.init(parsing:))
        let installed = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        return try plan(installed: installed, filters: filters, catalogue: try settings.loadCatalogue(refreshing: true), platform: settings.platform)
    }
}
