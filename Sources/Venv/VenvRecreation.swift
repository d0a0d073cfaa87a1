import Core
import FoundationEssentials
import Interpreters

/// `pyman venv DIR --python X --recreate`: a new venv on X beside the old one, holding the distributions
/// the old one had (same versions, or the folder or file an editable or path install recorded), installed
/// by the new venv's own pip and checked with `pip check`; then swapped into place in one rename and the
/// old one removed. Until the swap the old venv is not touched, so any failure leaves it as it was.
public struct VenvRecreation: Sendable {
    public let builder: VenvBuilder
    /// pip's own options for the reinstall (`--no-index`, `--find-links DIR`, `--index-url URL`).
    public let pipOptions: [String]
    /// Progress, said before pip runs (pip's output is shown only when it fails).
    public let note: @Sendable (String) -> Void

    /// pip may download and build: allowed an hour before it is stopped.
    static let pipTimeout = 3600.0

    public init(builder: VenvBuilder, pipOptions: [String], note: @escaping @Sendable (String) -> Void) {
        (self.builder, self.pipOptions, self.note) = (builder, pipOptions, note)
    }

    public struct Result: Sendable {
        public var pip: PipSeeder.Seeded?
        /// Reinstalled in the new venv (pip not counted: it comes from the new Python's wheel).
        public var carried: [InstalledDistribution]
        /// Left behind, each with its `problem`.
        public var notCarried: [InstalledDistribution]
    }

    /// `config` is the old venv's pyvenv.cfg. Its prompt and include-system-site-packages carry over
    /// unless `options` say otherwise.
    public func recreate(_ venv: String, config: [String: String], on base: BaseInterpreter, options: VenvOptions) throws -> Result {
        if FileSystem.isSymlink(venv) {
            throw PymanError("\(venv) is a link; --recreate replaces a venv folder, never what a link leads to", hint: "pass the folder it leads to")
        }
        // Its packages are reinstalled (builds run, from the folders it names): only from a venv nobody else could have changed.
        try FolderTrust.check(venv, role: "venv to recreate")
        let old = FileSystem.listDirectory(venv + "/lib").filter { $0.hasPrefix("python") || $0.hasPrefix("pypy") }.sorted()
            .flatMap { InstalledDistribution.scan(venv + "/lib/\($0)/site-packages") }
        let hadPip = old.contains(where: \.isPip)
        let wanted = old.filter { !$0.isPip }
        let carried = wanted.filter { $0.problem == nil }, notCarried = wanted.filter { $0.problem != nil }

        var newOptions = options
        newOptions.prompt = options.prompt ?? config["prompt"].map(Self.unquoted)
        newOptions.systemSitePackages = options.systemSitePackages || config["include-system-site-packages"]?.lowercased() == "true"
        newOptions.clear = false
        newOptions.seedPip = true
        let fresh = Path.join(Path.parent(venv), ".\(Path.lastComponent(venv)).pyman-new-\(ProcessEnvironment.processID)")
        try FileSystem.removeTree(fresh)   // one a killed run of this process id left
        do {
            let pip = try builder.create(at: fresh, from: base, options: newOptions)
            let python = fresh + "/bin/python"
            if !carried.isEmpty {
                note("Installing \(carried.count) distribution\(carried.count == 1 ? "" : "s") into the new venv with pip")
                try runPip(python, ["install", "--no-input"] + pipOptions + carried.flatMap(\.requirement), venv: venv, base: base)
            }
            try runPip(python, ["check"], venv: venv, base: base)
            if !hadPip { try runPip(python, ["uninstall", "--yes", "pip"], venv: venv, base: base) }
            // The scripts name the venv's final path; pip's console scripts name the folder they were made in.
            try Activators.write(into: fresh + "/bin", venvPath: venv, prompt: newOptions.prompt ?? Path.lastComponent(venv))
            try Self.retarget(scriptsIn: fresh + "/bin", from: fresh, to: venv)
            try swap(fresh, into: venv)
            return Result(pip: hadPip ? pip : nil, carried: carried, notCarried: notCarried)
        } catch {
            try? FileSystem.removeTree(fresh)
            throw error
        }
    }

    /// Puts `fresh` where `venv` is in one step (an exchange of the two names), then removes the old venv.
    /// Where the file system cannot exchange names, two renames leave the venv's name missing for an instant.
    func swap(_ fresh: String, into venv: String) throws {
        if try FileSystem.exchange(fresh, venv) {
            try? FileSystem.removeTree(fresh)
            return
        }
        let aside = Path.parent(venv) + "/.\(Path.lastComponent(venv)).pyman-old-\(ProcessEnvironment.processID)"
        try FileSystem.rename(venv, to: aside)
        do {
            try FileSystem.rename(fresh, to: venv)
        } catch {
            try? FileSystem.rename(aside, to: venv)
            throw error
        }
        try? FileSystem.removeTree(aside)
    }

    /// Runs the new venv's pip; a failure names the distribution pip could not install and pip's reason.
    func runPip(_ python: String, _ arguments: [String], venv: String, base: BaseInterpreter) throws {
        let command = ["-m", "pip"] + arguments.prefix(1) + ["--disable-pip-version-check"] + arguments.dropFirst()
        let (status, output) = try ChildProcess.combinedOutput(of: python, command, timeout: Self.pipTimeout, limit: 16 << 20)
        guard status != 0 else { return }
        let text = String(decoding: output, as: UTF8.self)
        let target = "\(base.implementation) \(base.version)"
        throw PymanError.oneLine("cannot recreate \(venv) on \(target): " + Self.pipProblem(arguments[0], output: text, python: target),
                                 hint: "the venv is unchanged; " + (arguments[0] == "install"
                                    ? "make the distribution available for \(target) (pip's options go after `--`, e.g. `-- --find-links DIR`), or remove it from the venv first"
                                    : "fix the requirements named, or recreate with --clear and install by hand"))
    }

    /// What went wrong, from pip's output: the distribution it could not find or install, else its last error line.
    static func pipProblem(_ step: String, output: String, python: String) -> String {
        let lines = output.split(separator: "\n").map { $0.trimmingBlanks() }
        for marker in ["No matching distribution found for ", "Could not find a version that satisfies the requirement "] {
            if let line = lines.last(where: { $0.contains(marker) }), let range = line.firstRange(of: marker) {
                let requirement = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? "?"
                return "pip found no \(requirement.escapingControlCharacters()) that installs on \(python) (\(Self.cut(line)))"
            }
        }
        if step == "check" {
            let broken = lines.filter { !$0.isEmpty }.prefix(3).map { Self.cut($0) }.joined(separator: "; ")
            return "`pip check` found broken requirements in the new venv: \(broken)"
        }
        let last = lines.last(where: { $0.hasPrefix("ERROR:") }) ?? lines.last(where: { !$0.isEmpty }) ?? "no output"
        return "pip \(step) failed: \(Self.cut(last))"
    }

    static func cut(_ line: String) -> String {
        let escaped = line.escapingControlCharacters()
        return escaped.count > 300 ? String(escaped.prefix(300)) + "…" : escaped
    }

    /// `'api'` (CPython writes the prompt as a Python literal) → `api`.
    static func unquoted(_ prompt: String) -> String {
        guard prompt.count >= 2, let first = prompt.first, first == "'" || first == "\"", prompt.last == first else { return prompt }
        return String(prompt.dropFirst().dropLast())
    }

    /// Rewrites the interpreter lines of the scripts in `bin` (pip's `#!<venv>/bin/python`, and its
    /// `/bin/sh` trampoline for long paths) from the folder they were made in to the venv's final one.
    static func retarget(scriptsIn bin: String, from made: String, to final: String) throws {
        for name in FileSystem.listDirectory(bin) where !name.hasPrefix("activate") && !name.hasPrefix("Activate") {
            let path = bin + "/" + name
            guard FileSystem.isRegularFile(path, followingLinks: false), let head = try? FileSystem.readPrefix(path, count: 2),
                  head == Array("#!".utf8), let bytes = try? FileSystem.readFile(path, limit: 1 << 20) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var changed = false
            for index in lines.indices.prefix(3) where lines[index].hasPrefix("#!") || lines[index].hasPrefix("'''exec'") {
                let line = lines[index].replacing(made + "/bin/", with: final + "/bin/")
                if line != lines[index] { (lines[index], changed) = (line, true) }
            }
            if changed { try AtomicFile.write(lines.joined(separator: "\n"), to: path, mode: try AtomicFile.permissions(of: path)) }
        }
    }
}
