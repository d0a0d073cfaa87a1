import Catalogue
import Core
import FoundationEssentials

/// What a command asks for when it is given no request, from the first of these that says anything:
/// 1. `.python-versions` (every line) or `.python-version` (its first line), in the current folder or the
///    nearest parent holding either;
/// 2. the nearest `pyproject.toml`'s `[project] requires-python`;
/// 3. the global pin, `$XDG_CONFIG_HOME/pyman/python-version` (`pyman pin --global`);
/// else nothing, and the command takes the newest.
public struct ProjectRequests: Sendable {
    /// In the order written; a command that takes one Python takes the first.
    public var requests: [PythonRequest]
    /// The file they came from, nil when none said anything.
    public var file: String?

    public static let none = ProjectRequests(requests: [], file: nil)

    public static func find(settings: Settings) throws -> ProjectRequests {
        if let pinned = try pinned(from: settings.currentDirectory) { return pinned }
        if let project = try requiresPython(from: settings.currentDirectory) { return project }
        let global = settings.globalPinFile.path
        if let requests = try read(global, all: false), !requests.isEmpty { return ProjectRequests(requests: requests, file: global) }
        return .none
    }

    /// `.python-versions` or `.python-version`, searched upward.
    static func pinned(from directory: URL) throws -> ProjectRequests? {
        var folder = directory.standardizedFileURL
        while true {
            for (name, all) in [(PythonVersionFile.severalName, true), (PythonVersionFile.name, false)] {
                let file = folder.appendingPathComponent(name).path
                if let requests = try read(file, all: all), !requests.isEmpty { return ProjectRequests(requests: requests, file: file) }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The nearest pyproject.toml's requires-python; nil when there is none or it says nothing.
    static func requiresPython(from directory: URL) throws -> ProjectRequests? {
        var folder = directory.standardizedFileURL
        while true {
            let file = folder.appendingPathComponent(PyprojectFile.fileName).path
            if FileSystem.isRegularFile(file) {
                let bytes = try FileSystem.readFile(file, limit: PyprojectFile.sizeLimit)
                let project = try PyprojectFile(parsing: String(decoding: bytes, as: UTF8.self), path: file)
                guard let request = try project.request(path: file) else { return nil }
                return ProjectRequests(requests: [request], file: file)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The requests in a version file (comments and blank lines skipped): all, or the first. Nil when it
    /// cannot be read (absent).
    static func read(_ file: String, all: Bool) throws -> [PythonRequest]? {
        guard FileSystem.isRegularFile(file), let bytes = try? FileSystem.readFile(file, limit: 64 * 1024) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingBlanks() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        var requests: [PythonRequest] = []
        for line in all ? lines : Array(lines.prefix(1)) {
            do {
                requests.append(try PythonRequest(parsing: line))
            } catch let error as PymanError {
                throw PymanError("\(file): \(error.message)", hint: error.hint)
            }
        }
        return requests
    }
}
