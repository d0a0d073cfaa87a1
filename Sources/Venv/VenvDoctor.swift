import Core
import FoundationEssentials

/// Finds venvs whose `home` cannot start — typically made by an unpatched standalone Python reached
/// through a symlink, so `home` names the symlink's folder — and points `home` back at a real install.
public enum VenvDoctor {
    public struct Diagnosis: Sendable {
        public var venv: String
        public var home: String
        /// nil when the venv is healthy.
        public var problem: String?
        /// Where `home` should point, when a working base Python was found.
        public var repairedHome: String?
    }

    public static func examine(_ venv: String) throws -> Diagnosis {
        let config = Path.join(venv, "pyvenv.cfg")
        guard let text = try? readConfig(config) else {
            throw PymanError("\(venv) is not a virtual environment (no readable pyvenv.cfg)")
        }
        let values = parse(text)
        let home = values["home"] ?? ""
        let stdlibs = FileSystem.listDirectory(Path.join(venv, "lib"))
            .filter { $0.hasPrefix("python") }
        guard let stdlib = stdlibs.first else {
            throw PymanError("\(venv) has no lib/pythonX.Y folder", hint: "recreate it with `pyman venv --clear`")
        }
        if hasStandardLibrary(beside: home, stdlib: stdlib) {
            return Diagnosis(venv: venv, home: home, problem: nil, repairedHome: nil)
        }
        // Candidates, most specific first: the base executable as home spells it, the venv's own
        // interpreter link, and the `executable` CPython records.
        let starts = [home + "/" + stdlib, Path.join(venv, "bin/python")] + (values["executable"].map { [$0] } ?? [])
        let repaired = starts.lazy.compactMap { followLinks(from: $0, stdlib: stdlib) }.first
        return Diagnosis(venv: venv, home: home,
                         problem: "home = \(home) has no lib/\(stdlib)/os.py beside it, so the venv's Python cannot start",
                         repairedHome: repaired)
    }

    /// Rewrites the `home` line of pyvenv.cfg (write beside, then rename).
    public static func repair(_ diagnosis: Diagnosis) throws {
        guard let newHome = diagnosis.repairedHome else {
            throw PymanError("cannot repair \(diagnosis.venv): no working base Python found", hint: "recreate it with `pyman venv --clear`")
        }
        let config = Path.join(diagnosis.venv, "pyvenv.cfg")
        let text = try readConfig(config)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let key = line.split(separator: "=", maxSplits: 1).first?.trimmingBlanks().lowercased()
            return key == "home" ? "home = \(newHome)" : String(line)
        }
        try AtomicFile.write(lines.joined(separator: "\n"), to: config)
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

    /// pyvenv.cfg as text: a few hundred bytes; one over 1 MiB is no venv's.
    static func readConfig(_ path: String) throws -> String {
        guard let text = String(validating: try FileSystem.readFile(path, limit: 1 << 20), as: UTF8.self) else {
            throw PymanError("\(path) is not UTF-8")
        }
        return text
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
            path = Path.absolute(target, in: folder)
        }
        return nil
    }
}
