import Core
import FoundationEssentials

/// Finds venvs whose `home` cannot start — typically made by an unpatched standalone Python reached
/// through a symlink, so `home` names the symlink's folder — and points `home` back at a real install.
public enum VenvDoctor {
    public struct Diagnosis: Sendable {
        public var venv: URL
        public var home: String
        /// nil when the venv is healthy.
        public var problem: String?
        /// Where `home` should point, when a working base Python was found.
        public var repairedHome: String?
    }

    public static func examine(_ venv: URL) throws -> Diagnosis {
        let config = venv.appendingPathComponent("pyvenv.cfg")
        guard let text = try? String(contentsOf: config, encoding: .utf8) else {
            throw PymanError("\(venv.path) is not a virtual environment (no readable pyvenv.cfg)")
        }
        let values = parse(text)
        let home = values["home"] ?? ""
        let stdlibs = FileSystem.listDirectory(venv.appendingPathComponent("lib").path)
            .filter { $0.hasPrefix("python") }
        guard let stdlib = stdlibs.first else {
            throw PymanError("\(venv.path) has no lib/pythonX.Y folder", hint: "recreate it with `pyman venv --clear`")
        }
        if hasStandardLibrary(beside: home, stdlib: stdlib) {
            return Diagnosis(venv: venv, home: home, problem: nil, repairedHome: nil)
        }
        // Candidates, most specific first: the base executable as home spells it, the venv's own
        // interpreter link, and the `executable` CPython records.
        let starts = [home + "/" + stdlib, venv.appendingPathComponent("bin/python").path] + (values["executable"].map { [$0] } ?? [])
        let repaired = starts.lazy.compactMap { followLinks(from: $0, stdlib: stdlib) }.first
        return Diagnosis(venv: venv, home: home,
                         problem: "home = \(home) has no lib/\(stdlib)/os.py beside it, so the venv's Python cannot start",
                         repairedHome: repaired)
    }

    /// Rewrites the `home` line of pyvenv.cfg (write beside, then rename).
    public static func repair(_ diagnosis: Diagnosis) throws {
        guard let newHome = diagnosis.repairedHome else {
            throw PymanError("cannot repair \(diagnosis.venv.path): no working base Python found", hint: "recreate it with `pyman venv --clear`")
        }
        let config = diagnosis.venv.appendingPathComponent("pyvenv.cfg")
        let text = try String(contentsOf: config, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let key = line.split(separator: "=", maxSplits: 1).first?.trimmingBlanks().lowercased()
            return key == "home" ? "home = \(newHome)" : String(line)
        }
        try AtomicFile.write(lines.joined(separator: "\n"), to: config.path)
    }

    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            values[parts[0].trimmingBlanks().lowercased()] = parts[1].trimmingBlanks()
        }
        return values
    }

    static func hasStandardLibrary(beside folder: String, stdlib: String) -> Bool {
        !folder.isEmpty && FileSystem.exists("\(folder)/../lib/\(stdlib)/os.py", followingLinks: true)
    }

    /// Follows `path` one symlink at a time (as pyman's patched venv module does) to the first folder
    /// with the standard library beside it.
    static func followLinks(from start: String, stdlib: String) -> String? {
        var path = start
        for _ in 0..<40 {
            let folder = Path.parent(path)
            if hasStandardLibrary(beside: folder, stdlib: stdlib), FileSystem.exists(path, followingLinks: true) { return folder }
            guard let target = FileSystem.symlinkTarget(path) else { return nil }
            path = target.hasPrefix("/") ? target : URL(fileURLWithPath: folder).appendingPathComponent(target).standardizedFileURL.path
        }
        return nil
    }
}
