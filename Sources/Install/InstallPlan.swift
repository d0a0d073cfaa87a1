import Core
import Catalogue
import FoundationEssentials

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
        // No request: each one the project pins (every line of .python-versions), else the newest.
        let pinned = requests.isEmpty ? try ProjectRequests.find(settings: settings).requests : []
        let asked: [String?] = requests.isEmpty ? (pinned.isEmpty ? [nil] : pinned.map(\.text)) : requests
        for text in asked {
            let source: InstallSource
            if let text, let archive = try localArchive(text) {
                source = archive
            } else {
                let request = try Resolution.request(text, settings: settings)
                if catalogue == nil { catalogue = try loadCatalogue() }
                guard let entry = Resolution.download(request, in: catalogue!, platform: settings.platform) else {
                    throw PymanError("no Python matching '\(request)' for \(settings.platform) in the catalogue", hint: "run `pyman list` to see what is available")
                }
                source = InstallSource(entry)
            }
            if !sources.contains(where: { $0.key == source.key }) { sources.append(source) }
        }
        return sources
    }

    /// An archive path (`./cpython-….tar.gz`): the key comes from its python-build-standalone file name.
    /// Nil when `text` is not a path (no such file, no `/`, no archive suffix): then it is a request.
    func localArchive(_ text: String) throws -> InstallSource? {
        let url = URL(fileURLWithPath: text, relativeTo: settings.currentDirectory).standardizedFileURL
        let isFile = FileManager.default.fileExists(atPath: url.path)
        guard isFile || ArchiveName.looksLikeArchive(text) || text.contains("/") else { return nil }
        guard isFile else {
            throw PymanError("archive \(url.path) does not exist", hint: "check the path")
        }
        if url.lastPathComponent.hasPrefix("pypy") {
            throw PymanError("cannot tell which Python \(url.lastPathComponent) holds: PyPy's archive names lack the Python patch version",
                             hint: "install PyPy by request (pyman install pypy3.9), from the catalogue")
        }
        guard let (key, _) = ArchiveName.parse(url.lastPathComponent) else {
            throw PymanError("cannot tell which Python \(url.lastPathComponent) holds: keep python-build-standalone's file name, e.g. cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz")
        }
        guard key.platform.os == settings.platform.os, key.platform.arch == settings.platform.arch,
              key.platform.libc == settings.platform.libc else {
            throw PymanError("\(url.lastPathComponent) is built for \(key.platform), but this machine is \(settings.platform)")
        }
        guard key.platform.level <= settings.platform.level || !settings.platform.runsLowerLevels else {
            throw PymanError("\(url.lastPathComponent) is built for \(key.platform.archTag), but this CPU runs at most \(settings.platform.archTag)",
                             hint: "use a build for a lower level (x86_64, x86_64_v2…)")
        }
        return InstallSource(key: key, url: url.absoluteString, sha256: nil)
    }
}
