import Catalogue
import Core
import FoundationEssentials
import Index

/// Turning what the user typed into installs and downloads.
public enum Resolution {
    /// What a command was asked for: `text` when given, else the nearest `.python-version` (searched
    /// upward from `folder`), else the newest stable release.
    public static func request(_ text: String?, from folder: URL) throws -> PythonRequest {
        if let text { return try PythonRequest(parsing: text) }
        return try pinnedRequest(from: folder) ?? .newest
    }

    /// The request from a `.python-version` file in the current folder or the nearest parent, if any.
    public static func pinnedRequest(from directory: URL) throws -> PythonRequest? {
        var folder = directory.standardizedFileURL
        while true {
            let file = folder.appendingPathComponent(PythonVersionFile.name)
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                let line = text.split(whereSeparator: \.isNewline)
                    .map { $0.trimmingBlanks() }
                    .first { !$0.isEmpty && !$0.hasPrefix("#") }
                if let line {
                    do {
                        return try PythonRequest(parsing: line)
                    } catch let error as PymanError {
                        throw PymanError("\(file.path): \(error.message)", hint: error.hint)
                    }
                }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// Every request a project pins, for `pyman lock` and `install --locked`: the lines of
    /// `.python-versions` (uv's file for several), else the first line of `.python-version`, from the
    /// current folder or the nearest parent that holds either. Empty when none does.
    public static func pinnedRequests(from directory: URL) throws -> [String] {
        var folder = directory.standardizedFileURL
        while true {
            for (name, all) in [(PythonVersionFile.severalName, true), (PythonVersionFile.name, false)] {
                let file = folder.appendingPathComponent(name)
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingBlanks() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
                for line in lines {
                    do {
                        _ = try PythonRequest(parsing: line)
                    } catch let error as PymanError {
                        throw PymanError("\(file.path): \(error.message)", hint: error.hint)
                    }
                }
                if !lines.isEmpty { return all ? lines : [lines[0]] }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return [] }
            folder = parent
        }
    }

    /// The installed Python that `pyman find` names for `text` (see `request(_:from:)`).
    public static func find(_ text: String?, settings: Settings) throws -> InstallRecord {
        let wanted = try request(text, from: settings.currentDirectory)
        let records = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        guard let record = installed(wanted, in: records, platform: settings.platform) else {
            let command = ["pyman", "install", text].compactMap { $0 }.joined(separator: " ")
            throw PymanError("no installed Python matches '\(wanted)'", hint: "install it with `\(command)`")
        }
        return record
    }

    /// The installed Python that best answers `request` on this platform.
    public static func installed(_ request: PythonRequest, in records: [InstallRecord], platform: Platform) -> InstallRecord? {
        let candidates = records.filter { record in
            record.pythonKey.map { runsHere($0, request: request, platform: platform) } ?? false
        }
        return best(request, of: candidates) { $0.pythonKey! }
    }

    /// The catalogue entry that best answers `request` on this platform.
    public static func download(_ request: PythonRequest, in catalogue: Catalogue, platform: Platform) -> CatalogueEntry? {
        let candidates = catalogue.entries.filter { runsHere($0.key, request: request, platform: platform) }
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

    /// The build runs on this machine (`Platform.runs`: a lower x86-64 level too), or is for the
    /// platform the request spells out (parts it leaves out default to this machine's; an architecture
    /// it leaves out is this machine's with the levels it runs, `3.13-linux` as much as `3.13`).
    static func runsHere(_ key: PythonKey, request: PythonRequest, platform: Platform) -> Bool {
        guard key.platform.os == (request.os ?? platform.os), key.platform.libc == (request.libc ?? platform.libc) else { return false }
        if let archTag = request.archTag { return key.platform.archTag == archTag }
        var machine = platform
        (machine.os, machine.libc) = (key.platform.os, key.platform.libc)
        return machine.runs(key.platform)
    }
}
