import Core
import Extract
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Why `pyman venv --seed` could not install pip: one line naming the problem and the fix.
public struct SeedError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description.replacing("\n", with: " ").replacing("\r", with: " ")
    }
}

/// Installs the pip wheel an interpreter bundles for ensurepip into a venv, without running Python and
/// without pip's own installer.
///
/// The wheel is unpacked once into `<cacheDir>/wheels/<wheel name>/` (checked against its RECORD on every
/// use) and its files are hard-linked into site-packages, copied when linking fails (another file system).
/// Because installed files share their inode with the cache, editing one in place edits the cache too; pip
/// itself never does that (it replaces and removes files), and the next seeding notices a changed cache
/// (RECORD hashes) and unpacks the wheel again. `INSTALLER`, `RECORD` and the console scripts are always
/// fresh files of the venv. No bytecode is written; Python compiles on first import.
public struct PipSeeder: Sendable {
    public let cacheDir: URL

    /// `cacheDir` is pyman's cache (PYMAN_CACHE_DIR); unpacked wheels are kept under cacheDir/wheels/<wheel-name>/.
    public init(cacheDir: URL) {
        self.cacheDir = cacheDir
    }

    /// Finds `lib/pythonX.Y/ensurepip/_bundled/pip-*.whl` under `stdlib` (the interpreter's lib/pythonX.Y folder),
    /// installs it into `sitePackages`, and writes console scripts `pip`, `pip3`, `pip3.Y` (Y = the venv's minor version,
    /// from `pythonVersion` like "3.13") into `binDir` with `#!<python>` as shebang (`python` = the venv's absolute
    /// bin/python path). Returns the installed pip version. Throws a SeedError (Error, CustomStringConvertible, one line
    /// naming the problem and the fix) when no bundled wheel exists or the wheel is damaged.
    public func seedPip(stdlib: URL, sitePackages: URL, binDir: URL, python: String, pythonVersion: String) throws -> String {
        let (major, minor) = try Self.majorMinor(pythonVersion)
        guard python.hasPrefix("/"), !python.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw SeedError("the venv interpreter path '\(python)' is not a usable absolute path; pass the venv's absolute bin/python")
        }
        let shebang = try Self.shebang(python: python)
        let wheel = try Self.bundledWheel(stdlib: stdlib)

        let cache = WheelCache(root: cacheDir.appendingPathComponent("wheels", isDirectory: true))
        let tree: WheelTree
        do {
            tree = try cache.tree(for: wheel, distribution: "pip")
        } catch let failure as WheelFailure {
            switch failure {
            case .damaged(let reason):
                throw SeedError("the bundled pip wheel \(wheel.path) is damaged: \(reason); reinstall this Python (pyman install --reinstall \(major).\(minor)) or create the venv without --seed")
            case .unsupported(let reason):
                throw SeedError("the bundled pip wheel \(wheel.path) cannot be seeded: \(reason); create the venv without --seed and run python -m ensurepip in it")
            case .io(let reason):
                throw SeedError("cannot unpack the bundled pip wheel into \(cache.root.path): \(reason); make sure pyman's cache (PYMAN_CACHE_DIR) is writable")
            }
        } catch {
            throw SeedError("cannot unpack the bundled pip wheel into \(cache.root.path): \(error); make sure pyman's cache (PYMAN_CACHE_DIR) is writable")
        }

        let entryPoints = tree.root.appendingPathComponent(tree.distInfo).appendingPathComponent("entry_points.txt")
        guard let data = FileManager.default.contents(atPath: entryPoints.path), let text = String(data: data, encoding: .utf8),
              let (module, function) = Self.consoleScript("pip", in: text) else {
            throw SeedError("the bundled pip wheel \(wheel.path) is damaged: \(tree.distInfo)/entry_points.txt has no usable [console_scripts] pip entry; reinstall this Python (pyman install --reinstall \(major).\(minor)) or create the venv without --seed")
        }
        let script = Self.script(shebang: shebang, module: module, function: function)
        let names = ["pip", "pip\(major)", "pip\(major).\(minor)"]

        var install = SiteInstall(tree: tree, sitePackages: sitePackages.standardizedFileURL, binDir: binDir.standardizedFileURL)
        do {
            try install.run(scripts: names, script: script)
        } catch let error as SeedError {
            install.rollBack()
            throw error
        } catch {
            install.rollBack()
            let reason: String
            if case WheelFailure.io(let text) = error { reason = text } else { reason = "\(error)" }
            throw SeedError("cannot install pip into \(sitePackages.path): \(reason); make sure the venv folder is writable")
        }
        return tree.version
    }

    // MARK: - Locating the wheel

    /// The newest `pip-*.whl` in `<stdlib>/ensurepip/_bundled` (also accepts the interpreter prefix as `stdlib`).
    static func bundledWheel(stdlib: URL) throws -> URL {
        var folders = [stdlib.appendingPathComponent("ensurepip/_bundled", isDirectory: true)]
        let lib = stdlib.appendingPathComponent("lib", isDirectory: true)
        if let names = try? FileManager.default.contentsOfDirectory(atPath: lib.path) {
            for name in names.sorted() where name.hasPrefix("python") {
                folders.append(lib.appendingPathComponent(name).appendingPathComponent("ensurepip/_bundled", isDirectory: true))
            }
        }
        var best: (url: URL, version: String)?
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where name.hasPrefix("pip-") && name.hasSuffix(".whl") {
                let parts = name.dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 5 || parts.count == 6, parts[0] == "pip" else { continue }
                let version = String(parts[1])
                if best == nil || compareVersions(version, best!.version) == .orderedDescending {
                    best = (folder.appendingPathComponent(name), version)
                }
            }
        }
        guard let best else {
            throw SeedError("no bundled pip wheel (ensurepip/_bundled/pip-*.whl) in \(stdlib.path): this Python ships without ensurepip; create the venv without --seed and install pip yourself (e.g. get-pip.py), or use a pyman-installed Python")
        }
        return best.url
    }

    /// Compares dotted release numbers numerically ("23.0.1" < "25.1"); non-numeric parts compare as text.
    static func compareVersions(_ a: String, _ b: String) -> ComparisonResult {
        let left = a.split(separator: "."), right = b.split(separator: ".")
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "0"
            let r = index < right.count ? String(right[index]) : "0"
            if let x = Int(l), let y = Int(r) {
                if x != y { return x < y ? .orderedAscending : .orderedDescending }
            } else if l != r {
                return l < r ? .orderedAscending : .orderedDescending
            }
        }
        return .orderedSame
    }

    static func majorMinor(_ version: String) throws -> (Int, Int) {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
            throw SeedError("'\(version)' is not a Python version; pass the venv's major.minor version, like 3.13")
        }
        return (major, minor)
    }

    // MARK: - Console scripts

    /// `module:function` of the `[console_scripts]` entry `name` in entry_points.txt (extras ignored).
    static func consoleScript(_ name: String, in text: String) -> (module: String, function: String)? {
        var section = ""
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingBlanks()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = line.dropFirst().dropLast().trimmingBlanks()
                continue
            }
            guard section == "console_scripts", let equals = line.firstIndex(of: "="),
                  line[..<equals].trimmingBlanks() == name else { continue }
            var value = Substring(line[line.index(after: equals)...])
            if let bracket = value.firstIndex(of: "[") { value = value[..<bracket] }
            let parts = value.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let module = parts[0].trimmingBlanks()
            let function = parts[1].trimmingBlanks()
            guard isDottedIdentifier(module), isDottedIdentifier(function) else { return nil }
            return (module, function)
        }
        return nil
    }

    static func isDottedIdentifier(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        }
    }

    /// `#!<python>` as distlib (and so pip) writes it; when that line would be longer than 127 bytes (the
    /// historic kernel limit) or the path has blanks, the `/bin/sh` trampoline that re-execs the interpreter.
    static func shebang(python: String) throws -> String {
        let simple = "#!\(python)\n"
        if simple.utf8.count <= 127 && !python.contains(where: { $0 == " " || $0 == "\t" }) { return simple }
        // The trampoline line is shell (inside double quotes) and a Python string literal at once.
        guard !python.contains("$"), !python.contains("`"), !python.contains("'''") else {
            throw SeedError("the venv interpreter path '\(python)' needs a /bin/sh launcher but contains $, ` or '''; create the venv at a path without them")
        }
        let quoted = python.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "#!/bin/sh\n'''exec' \"\(quoted)\" \"$0\" \"$@\"\n' '''\n"
    }

    /// The console script pip's installer (distlib's ScriptMaker) writes.
    static func script(shebang: String, module: String, function: String) -> String {
        let importName = function.split(separator: ".")[0]
        return shebang + #"""
            # -*- coding: utf-8 -*-
            import re
            import sys
            from \#(module) import \#(importName)
            if __name__ == "__main__":
                sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
                sys.exit(\#(function)())

            """#
    }

    /// `target` relative to the folder `base`, lexically (as os.path.relpath does), e.g. `../../../bin/pip`.
    static func relativePath(from base: URL, to target: URL) -> String {
        let from = base.standardizedFileURL.pathComponents.filter { $0 != "/" }
        let to = target.standardizedFileURL.pathComponents.filter { $0 != "/" }
        var common = 0
        while common < from.count && common < to.count && from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}

/// Places a verified wheel tree into site-packages and writes INSTALLER, the console scripts and RECORD.
/// Remembers what it created so a failure can remove it again.
struct SiteInstall {
    let tree: WheelTree
    let sitePackages: URL
    let binDir: URL
    private(set) var createdFiles: [String] = []
    private(set) var createdDirectories: [String] = []
    private(set) var linked = 0
    private(set) var copied = 0

    init(tree: WheelTree, sitePackages: URL, binDir: URL) {
        self.tree = tree
        self.sitePackages = sitePackages
        self.binDir = binDir
    }

    mutating func run(scripts: [String], script: String) throws {
        try makeDirectory(sitePackages.path)
        try makeDirectory(binDir.path)
        try refuseOtherPip()

        let distInfo = tree.distInfo
        var rows: [WheelRecord.Row] = []
        for directory in tree.directories {
            guard let destination = tree.destination(directory) else { continue }
            try makeDirectory(sitePackages.path + "/" + destination)
        }
        let written: Set<String> = [distInfo + "/RECORD", distInfo + "/INSTALLER"]
        for file in tree.files where !tree.isRecord(file.path) && !written.contains(file.path) {
            guard let destination = tree.destination(file.path) else { continue }
            try place(tree.root.path + "/" + file.path, sitePackages.path + "/" + destination)
            rows.append(.init(path: destination, hash: WheelRecord.hashField(sha256: file.sha256), size: String(file.size)))
        }

        rows.append(try write("pyman\n", to: sitePackages.path + "/" + distInfo + "/INSTALLER", mode: 0o644, recordAs: distInfo + "/INSTALLER"))
        for name in scripts {
            let path = binDir.appendingPathComponent(name)
            rows.append(try write(script, to: path.path, mode: 0o755, recordAs: PipSeeder.relativePath(from: sitePackages, to: path)))
        }
        rows.sort { $0.path < $1.path }
        let record = distInfo + "/RECORD"
        rows.append(.init(path: record, hash: "", size: ""))
        _ = try write(WheelRecord.render(rows), to: sitePackages.path + "/" + record, mode: 0o644, recordAs: record)
    }

    /// A venv holding another pip version would end up with two dist-infos; seeding is for fresh venvs.
    func refuseOtherPip() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sitePackages.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".dist-info") && name != tree.distInfo {
            let stem = name.dropLast(".dist-info".count)
            if let dash = stem.firstIndex(of: "-"), WheelTree.normalize(String(stem[..<dash])) == "pip" {
                throw SeedError("\(sitePackages.path) already holds \(name); remove it or upgrade it with the venv's python -m pip install --upgrade pip instead of seeding")
            }
        }
    }

    mutating func makeDirectory(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR || (info.st_mode & S_IFMT == S_IFLNK && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR) else {
                throw WheelFailure.io("\(path) exists and is not a folder")
            }
            return
        }
        let parent = Path.parent(path)
        if !parent.isEmpty && parent != path && lstat(parent, &info) != 0 { try makeDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw WheelFailure.io("cannot create \(path): \(errnoText())")
        }
        createdDirectories.append(path)
    }

    /// Hard-links `source` (in the cache) to `destination`, replacing an older file there; copies when
    /// the link is refused (EXDEV across file systems, EPERM with protected_hardlinks, EMLINK, ...).
    mutating func place(_ source: String, _ destination: String) throws {
        var existed = false
        if link(source, destination) == 0 {
            linked += 1
            createdFiles.append(destination)
            return
        }
        if errno == EEXIST {
            existed = true
            guard unlink(destination) == 0 || errno == ENOENT else {
                throw WheelFailure.io("cannot replace \(destination): \(errnoText())")
            }
            if link(source, destination) == 0 {
                linked += 1
                return
            }
        }
        try copy(source, destination)
        copied += 1
        if !existed { createdFiles.append(destination) }
    }

    func copy(_ source: String, _ destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw WheelFailure.io("cannot read \(source): \(errnoText())") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw WheelFailure.io("cannot inspect \(source): \(errnoText())") }
        let mode = info.st_mode & 0o777
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard output >= 0 else { throw WheelFailure.io("cannot create \(destination): \(errnoText())") }
        var ok = false
        defer {
            close(output)
            if !ok { unlink(destination) }
        }
        fchmod(output, mode)
        try readChunks(input, path: source) { try writeAll(output, $0.baseAddress!, $0.count, path: destination) }
        ok = true
    }

    /// Writes a new file (temporary name, then rename), so nothing is ever written through a hard link
    /// into the cache and a running pip never sees a half-written script. Returns its RECORD row.
    mutating func write(_ text: String, to path: String, mode: mode_t, recordAs: String) throws -> WheelRecord.Row {
        let bytes = Array(text.utf8)
        var info = stat()
        let existed = lstat(path, &info) == 0
        do {
            try AtomicFile.write(bytes, to: path, mode: mode)
        } catch let failure as AtomicFile.Failure {
            throw WheelFailure.io(failure.description)
        }
        if !existed { createdFiles.append(path) }
        let digest = WheelRecord.hashField(sha256: sha256Bytes(bytes))
        return .init(path: recordAs, hash: digest, size: String(bytes.count))
    }

    /// Removes what this install created (files first, then now-empty folders, deepest first).
    func rollBack() {
        for path in createdFiles.reversed() { unlink(path) }
        for path in createdDirectories.sorted(by: >) { rmdir(path) }
    }
}
