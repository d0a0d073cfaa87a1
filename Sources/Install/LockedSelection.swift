import CatalogueStore
import Catalogue
import Configuration
import Core
import FoundationEssentials
import Project

/// What `pyman install --locked` (and `pyman venv` in a locked folder) takes from `pyman.lock`: for each
/// request, the locked build this machine runs (the highest x86-64 level of those), exactly as pinned,
/// whatever the catalogue in use says. Anything the lock does not answer is refused before anything is
/// installed.
public struct LockedSelection: Sendable {
    public let settings: Settings
    public let lock: LockFile
    let path: String

    public init(settings: Settings, lock: LockFile, path: String) {
        self.settings = settings
        self.lock = lock
        self.path = path
    }

    /// The folder's lock, which must exist.
    public init(settings: Settings) throws {
        let project = ProjectLock(settings: settings)
        self.init(settings: settings, lock: try project.require(), path: project.path)
    }

    /// The sources for `requests`; without any, for what `.python-versions` / `.python-version` pins,
    /// else for every request the lock holds.
    public func sources(for requests: [String]) throws -> [InstallSource] {
        let runnable = lock.pythons.filter { settings.platform.runs($0.key.platform) }
        guard !runnable.isEmpty else {
            let held = Set(lock.pythons.map { $0.key.platform.description }).sorted().joined(separator: ", ")
            throw PymanError("\(path) pins no build for this machine (\(settings.platform)); it holds \(held.isEmpty ? "none" : held)",
                             hint: "run `pyman lock --platform \(settings.platform)` to add it")
        }
        var asked = try requests.map { try PythonRequest(parsing: $0) }, origin = ""
        if asked.isEmpty {
            let project = try ProjectRequests.find(settings: settings)
            asked = project.requests
            origin = project.file.map { " (\($0) asks for it)" } ?? ""
        }
        if asked.isEmpty {
            let texts = lock.pythons.map(\.request).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            asked = texts.map { text in (try? PythonRequest(parsing: text)) ?? PythonRequest(text: text, filter: .any) }
        }
        var sources: [InstallSource] = []
        for request in asked {
            let source = try source(for: request, among: runnable, origin: origin)
            if !sources.contains(where: { $0.key == source.key }) { sources.append(source) }
        }
        return sources
    }

    /// A locked build for `request`: one locked under the same request text, or one whose key it matches.
    func source(for request: PythonRequest, among runnable: [LockedPython], origin: String) throws -> InstallSource {
        let text = request.text
        let candidates = runnable.filter { $0.request == text || (request.matches($0.key) && request.accepts($0.key, on: settings.platform)) }
        guard let chosen = Resolution.best(request, of: candidates, key: \.key) else {
            throw PymanError("\(path) holds no build for '\(text.escapingControlCharacters())'\(origin) on \(settings.platform)",
                             hint: "run `pyman lock` again to pin it")
        }
        try checkLocalURL(of: chosen)
        let entry = CatalogueEntry(key: chosen.key, url: chosen.url, sha256: chosen.sha256, build: chosen.build)
        var source = InstallSource(settings.mirrored(Catalogue(entries: [entry])).entries[0])
        source.lockFile = path
        source.size = chosen.size
        return source
    }

    /// A lock is a project's file, and a project may come from anyone (a cloned repository): its file:
    /// URLs may name archives inside the lock's own folder only, links resolved. Otherwise a lock could make
    /// pyman, run as root, read any file of the machine and print its sha256 in the mismatch message.
    func checkLocalURL(of python: LockedPython) throws {
        guard python.url.lowercased().hasPrefix("file:") else { return }
        let folder = FileSystem.resolvedPath(Path.parent(path)) ?? Path.parent(path)
        guard let named = URL(string: python.url)?.path, named.hasPrefix("/"),
              Self.isInside(Self.resolved(named), folder: folder) else {
            throw PymanError("\(path) names a local file outside its folder for \(python.key): \(python.url.cutForMessage())",
                             hint: "nothing was installed; a project's lock names local archives only inside its own folder (\(folder))")
        }
    }

    /// `path` with links resolved: the file's, else its folder's (a file not there yet), else as written.
    static func resolved(_ path: String) -> String {
        if let real = FileSystem.resolvedPath(path) { return real }
        let plain = Path.absolute(path, in: FileSystem.currentDirectory() ?? "")
        return FileSystem.resolvedPath(Path.parent(plain)).map { $0 + "/" + Path.lastComponent(plain) } ?? plain
    }

    static func isInside(_ path: String, folder: String) -> Bool {
        folder == "/" || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
