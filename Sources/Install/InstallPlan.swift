import CatalogueStore
import Catalogue
import Configuration
import Core
import FoundationEssentials
import Project

/// Turns what `pyman install` was given (versions, requests, archive paths, or nothing) into the
/// distinct install sources, in the order asked. The catalogue is loaded only if a request needs it,
/// so installing a local archive reads none.
public struct InstallPlan {
    public let settings: Settings
    let loadCatalogue: () throws -> Catalogue

    public init(settings: Settings) {
        self.init(settings: settings, loadCatalogue: { try settings.loadCatalogue(refreshing: true) })
    }

    /// For tests: a catalogue built in memory instead of the one the settings name.
    public init(settings: Settings, loadCatalogue: @escaping () throws -> Catalogue) {
        self.settings = settings
        self.loadCatalogue = loadCatalogue
    }

    public func sources(for requests: [String]) throws -> [InstallSource] {
        var sources: [InstallSource] = []
        var catalogue: Catalogue?
        func add(_ source: InstallSource) {
            if !sources.contains(where: { $0.key == source.key }) { sources.append(source) }
        }
        func download(_ request: PythonRequest, from file: String?) throws -> InstallSource {
            if catalogue == nil { catalogue = try loadCatalogue() }
            guard let entry = Resolution.download(request, in: catalogue!, platform: settings.platform) else {
                let known = catalogue!.entries(for: settings.platform).map(\.key.version)
                throw Resolution.noneMatches(request, from: file, known: known, platform: settings.platform)
            }
            return InstallSource(entry)
        }
        if requests.isEmpty {
            // No request: each one the project asks for (every line of .python-versions), else the newest.
            let project = try ProjectRequests.find(settings: settings)
            for request in project.requests.isEmpty ? [.newest] : project.requests { add(try download(request, from: project.file)) }
            return sources
        }
        for text in requests {
            add(try localArchive(text) ?? download(try PythonRequest(parsing: text), from: nil))
        }
        return sources
    }

    /// An archive path (`./cpython-….tar.gz`): the key comes from its python-build-standalone file name.
    /// Nil when `text` is not a path (no such file, no `/`, no archive suffix): then it is a request.
    func localArchive(_ text: String) throws -> InstallSource? {
        let path = Path.absolute(text, in: settings.currentDirectory)
        let isFile = FileSystem.exists(path, followingLinks: true)
        guard isFile || ArchiveName.looksLikeArchive(text) || text.contains("/") else { return nil }
        guard isFile else {
            throw PymanError("archive \(path) does not exist", hint: "check the path")
        }
        let name = Path.lastComponent(path)
        if name.hasPrefix("pypy") {
            throw PymanError("cannot tell which Python \(name) holds: PyPy's archive names lack the Python patch version",
                             hint: "install PyPy by request (pyman install pypy3.9), from the catalogue")
        }
        guard let (key, _) = ArchiveName.parse(name) else {
            throw PymanError("cannot tell which Python \(name) holds: keep python-build-standalone's file name, e.g. cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz")
        }
        guard key.platform.os == settings.platform.os, key.platform.arch == settings.platform.arch,
              key.platform.libc == settings.platform.libc else {
            throw PymanError("\(name) is built for \(key.platform), but this machine is \(settings.platform)")
        }
        guard key.platform.level <= settings.platform.level || !settings.platform.runsLowerLevels else {
            throw PymanError("\(name) is built for \(key.platform.archTag), but this CPU runs at most \(settings.platform.archTag)",
                             hint: "use a build for a lower level (x86_64, x86_64_v2…)")
        }
        return InstallSource(key: key, url: URL(fileURLWithPath: path).absoluteString, sha256: nil)
    }
}
