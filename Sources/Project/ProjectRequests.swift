import Catalogue
import Configuration
import Core
import FoundationEssentials

/// What a command asks for when it is given no request, from the first of these that says anything:
/// 1. `.python-versions` (every line) or `.python-version` (its first line), in the current folder or the
///    nearest parent holding either;
/// 2. the nearest `pyproject.toml`'s `[project] requires-python`;
/// 3. the global pin, `$XDG_CONFIG_HOME/pyman/python-version` (`pyman pin --global`);
/// else nothing, and the command takes the newest.
/// A file someone else could have written is skipped with one note, as if it were absent: not this
/// user's or root's, writable by others, a link, or in a folder another user controls
/// (`FolderTrust.checkFile`; a sticky /tmp above is fine). Else `nobody`'s `/shared/.python-versions`
/// would choose what root installs in `/shared/job`, and a malformed pyproject.toml someone left in a
/// parent folder would break every command run below it.
public struct ProjectRequests: Sendable {
    /// In the order written; a command that takes one Python takes the first.
    public var requests: [PythonRequest]
    /// The file they came from, nil when none said anything.
    public var file: String?

    public static let none = ProjectRequests(requests: [], file: nil)

    public static func find(settings: Settings) throws -> ProjectRequests {
        let output = settings.output
        if let pinned = try pinned(from: settings.currentDirectory, output: output) { return pinned }
        if let project = try requiresPython(from: settings.currentDirectory, output: output) { return project }
        let global = settings.globalPinFile
        if isTrusted(global, role: "global pin file", output: output), let requests = try read(global, all: false), !requests.isEmpty {
            return ProjectRequests(requests: requests, file: global)
        }
        return .none
    }

    /// `.python-versions` or `.python-version`, searched upward.
    static func pinned(from directory: String, output: Output) throws -> ProjectRequests? {
        var folder = Path.absolute(directory, in: "/")
        while true {
            for (name, all) in [(PythonVersionFile.severalName, true), (PythonVersionFile.name, false)] {
                let file = Path.join(folder, name)
                guard isTrusted(file, role: "project file", output: output) else { continue }
                if let requests = try read(file, all: all), !requests.isEmpty { return ProjectRequests(requests: requests, file: file) }
            }
            let parent = Path.parent(folder)
            if parent == folder { return nil }
            folder = parent
        }
    }

    /// The nearest pyproject.toml's requires-python; nil when there is none or it says nothing. One that is
    /// not trusted is skipped (the search goes on above it); a trusted one that does not read is an error.
    static func requiresPython(from directory: String, output: Output) throws -> ProjectRequests? {
        var folder = Path.absolute(directory, in: "/")
        while true {
            let file = Path.join(folder, PyprojectFile.fileName)
            if isTrusted(file, role: "project file", output: output) {
                let bytes = try FileSystem.readFile(file, limit: PyprojectFile.sizeLimit)
                let project = try PyprojectFile(parsing: String(decoding: bytes, as: UTF8.self), path: file)
                guard let request = try project.request(path: file) else { return nil }
                return ProjectRequests(requests: [request], file: file)
            }
            let parent = Path.parent(folder)
            if parent == folder { return nil }
            folder = parent
        }
    }

    /// Whether `file` is there and may be obeyed; one that is there but fails `FolderTrust.checkFile` is
    /// one note and false.
    static func isTrusted(_ file: String, role: String, output: Output) -> Bool {
        guard FileSystem.exists(file) else { return false }
        do {
            try FolderTrust.checkFile(file, role: role)
            return true
        } catch let error as PymanError {
            output.note("note: \(error.message); skipped it")
        } catch {
            output.note("note: skipped the \(role) \(file): \(error)")
        }
        return false
    }

    /// The requests in a version file (comments and blank lines skipped): all, or the first. Nil when it
    /// cannot be read (absent). A bad line's message shows its token only, escaped and cut (`PythonRequest`).
    static func read(_ file: String, all: Bool) throws -> [PythonRequest]? {
        guard FileSystem.isRegularFile(file, followingLinks: false), let bytes = try? FileSystem.readFile(file, limit: 64 * 1024) else { return nil }
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
