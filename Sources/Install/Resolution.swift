import Catalogue
import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import Interpreters
import PEP440
import Project

/// Turning what the user typed into installs and downloads.
public enum Resolution {
    /// What a command was asked for: `text` when given, else what the project says (`ProjectRequests`:
    /// .python-version(s), pyproject.toml's requires-python, the global pin), else the newest stable release.
    public static func request(_ text: String?, settings: Settings) throws -> PythonRequest {
        if let text { return try PythonRequest(parsing: text) }
        return try ProjectRequests.find(settings: settings).requests.first ?? .newest
    }

    /// The Python `pyman find` names for `text` (see `request(_:settings:)`): a pyman install or another
    /// Python on the machine, in the order `settings.pythonPreference` says. The machine is searched only
    /// when it has to be, so finding a pyman install costs no process.
    public static func find(_ text: String?, settings: Settings) throws -> FoundPython {
        let wanted = try request(text, settings: settings)
        if let found = available(wanted, settings: settings) { return found }
        let command = ["pyman", "install", text].compactMap { $0 }.joined(separator: " ")
        switch settings.pythonPreference {
        case .onlyManaged:
            throw PymanError("no installed Python matches '\(wanted)'", hint: "install it with `\(command)`")
        case .onlySystem:
            throw PymanError("no Python on this machine matches '\(wanted)' (pyman's own installs left out by the preference)", hint: "install one, or allow pyman's with PYMAN_PYTHON_PREFERENCE=managed")
        case .managed, .system:
            throw PymanError("no Python matches '\(wanted)': none installed by pyman, none found on PATH or in the usual places", hint: "install it with `\(command)`")
        }
    }

    /// A pyman install or a Python found on the machine that answers `request`, in preference order.
    public static func available(_ request: PythonRequest, settings: Settings) -> FoundPython? {
        let preference = settings.pythonPreference
        let managed: () -> FoundPython? = {
            guard preference.allowsManaged else { return nil }
            let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
            return installed(request, in: records, platform: settings.platform).map(FoundPython.init(record:))
        }
        let system: () -> FoundPython? = {
            guard preference.allowsSystem else { return nil }
            return InterpreterDiscovery(settings: settings).first(matching: request).map(FoundPython.init(system:))
        }
        return preference.systemFirst ? (system() ?? managed()) : (managed() ?? system())
    }

    /// The one line for a request nothing answers, naming the file it came from (a pyproject.toml's
    /// requires-python, a .python-version) and the known versions nearest to it.
    public static func noneMatches(_ request: PythonRequest, from file: String?, known: [PythonVersion], platform: Platform) -> PymanError {
        let origin = file.map { " (from \($0))" } ?? ""
        let nearest = nearestVersions(to: request, among: known)
        let hint = nearest.isEmpty ? "run `pyman list` to see what is available"
            : "the nearest known are \(nearest.map(\.description).joined(separator: ", ")); change the request or see `pyman list`"
        return PymanError("no Python matches '\(request)'\(origin) for \(platform)", hint: hint)
    }

    /// The newest release of each of the (at most three) minor series closest to what `request` names:
    /// its first specifier's version, or its leading numbers.
    static func nearestVersions(to request: PythonRequest, among known: [PythonVersion]) -> [PythonVersion] {
        var newestPerMinor: [[Int]: PythonVersion] = [:]
        for version in known where version.prerelease.isEmpty {
            let minor = [version.major, version.minor]
            if newestPerMinor[minor].map({ version > $0 }) ?? true { newestPerMinor[minor] = version }
        }
        let target: [Int]
        switch request.filter {
        case .prefix(let numbers, _): target = numbers
        case .specifiers(let specifiers): target = specifiers.first?.release ?? []
        case .any: target = []
        }
        let wanted = (target + [0, 0]).prefix(2)
        func distance(_ version: PythonVersion) -> Int { abs((version.major - wanted[0]) * 100 + version.minor - wanted[1]) }
        return newestPerMinor.values.sorted { (distance($0), $1) < (distance($1), $0) }.prefix(3).sorted(by: >)
    }

    /// The installed Python that best answers `request` on this platform.
    public static func installed(_ request: PythonRequest, in records: [InstallRecord], platform: Platform) -> InstallRecord? {
        let candidates = records.filter { record in
            record.pythonKey.map { request.accepts($0, on: platform) } ?? false
        }
        return best(request, of: candidates) { $0.pythonKey! }
    }

    /// The catalogue entry that best answers `request` on this platform.
    public static func download(_ request: PythonRequest, in catalogue: Catalogue, platform: Platform) -> CatalogueEntry? {
        let candidates = catalogue.entries.filter { request.accepts($0.key, on: platform) }
        return best(request, of: candidates) { $0.key }
    }

    /// The request's best version (`PythonRequest.best`), and of its builds the highest
    /// micro-architecture level: a newer release at the baseline beats an older one built for v3.
    static func best<C: Collection>(_ request: PythonRequest, of candidates: C, key: (C.Element) -> PythonKey) -> C.Element? {
        guard let chosen = request.best(of: candidates, key: key).map(key) else { return nil }
        return candidates
            .filter { key($0).version == chosen.version && key($0).variant == chosen.variant && key($0).implementation == chosen.implementation }
            .max { key($0).platform.level < key($1).platform.level }
    }
}
