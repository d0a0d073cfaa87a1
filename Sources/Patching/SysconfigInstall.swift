import Core
import FoundationEssentials

extension SysconfigPatch {
    /// Patches the sysconfig files of the CPython install whose files are now at `root`
    /// (e.g. a temporary extraction folder) and which will live at `realPrefix` (the final
    /// path after the install is moved into place):
    /// - `lib/python3.*/_sysconfigdata_*.py`
    /// - `lib/python3.*/_sysconfig_vars_*.json` (3.14+)
    /// - `lib/python3.*/config-*/Makefile`
    /// - `lib/pkgconfig/*.pc`
    ///
    /// Symlinks are skipped (their targets are patched), stale `_sysconfigdata_*.pyc` caches
    /// are deleted, and each changed file is replaced atomically with its mode preserved.
    /// Every file is parsed before any is written, so a parse error leaves the tree untouched.
    ///
    /// - Returns: The paths, relative to `root` and sorted, of the files whose content
    ///   changed. Patching an already patched install returns `[]`.
    /// - Throws: `SysconfigError` if `realPrefix` is not an absolute path, if no
    ///   `_sysconfigdata_*.py` exists (not a CPython install this understands), if a file
    ///   does not parse, or on I/O failure.
    public static func patchInstall(root: String, realPrefix: String) throws -> [String] {
        guard realPrefix.hasPrefix("/") else {
            throw SysconfigError("real prefix must be an absolute path: \(realPrefix)")
        }
        // A newline or NUL cannot be written into a Makefile or .pc value faithfully.
        guard !realPrefix.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw SysconfigError("real prefix contains a control character: \(realPrefix)")
        }

        let files = try SysconfigFiles(root: root)
        guard !files.sysconfigData.isEmpty else {
            throw SysconfigError(
                "no lib/python3.*/_sysconfigdata_*.py under \(root): not a CPython install pyman can patch")
        }

        // Phase 1: compute every new content; nothing is written if any file fails to parse.
        var changes: [(relativePath: String, contents: Data)] = []
        func plan(_ relativePath: String, _ transform: (Data) throws -> Data) throws {
            let original = try read(root, relativePath)
            let patched = try transform(original)
            if patched != original { changes.append((relativePath, patched)) }
        }
        for path in files.sysconfigData {
            try plan(path) { data in
                let text = try decodeUTF8(data, path)
                do {
                    return Data(try patchSysconfigData(text, realPrefix: realPrefix).utf8)
                } catch let error as SysconfigError {
                    throw SysconfigError("\(path):\(error.description)")
                }
            }
        }
        for path in files.sysconfigVarsJSON {
            try plan(path) { data in
                do {
                    return try patchSysconfigVarsJSON(data, realPrefix: realPrefix)
                } catch let error as SysconfigError {
                    throw SysconfigError("\(path):\(error.description)")
                }
            }
        }
        for path in files.makefiles {
            try plan(path) { Data(patchMakefile(try decodeUTF8($0, path), realPrefix: realPrefix).utf8) }
        }
        for path in files.pkgConfigs {
            try plan(path) { Data(patchPkgConfig(try decodeUTF8($0, path), realPrefix: realPrefix).utf8) }
        }

        // Phase 2: write.
        for change in changes {
            try replaceAtomically(root + "/" + change.relativePath, with: change.contents)
        }
        // A cached module compiled from the unpatched source must not win over the new one
        // (unchecked-hash .pyc files are never revalidated). Python regenerates them.
        for path in files.sysconfigData {
            try removeCachedBytecode(of: root + "/" + path)
        }
        return changes.map(\.relativePath).sorted()
    }

    private static func read(_ root: String, _ relativePath: String) throws -> Data {
        do {
            return Data(try FileSystem.readFile(root + "/" + relativePath, limit: PatchedFile.readLimit))
        } catch {
            throw SysconfigError("cannot read \(relativePath): \(systemReason(error))")
        }
    }

    private static func decodeUTF8(_ data: Data, _ relativePath: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw SysconfigError("\(relativePath) is not valid UTF-8")
        }
        return text
    }

    private static func replaceAtomically(_ path: String, with contents: Data) throws {
        try PatchedFile.replace(path, with: contents)
    }

    /// Deletes the `__pycache__/<module>.*.pyc` of the module file at `module`.
    private static func removeCachedBytecode(of module: String) throws {
        let name = Path.lastComponent(module)
        try PatchedFile.removeBytecode(of: String(name.prefix(upTo: name.lastIndex(of: ".") ?? name.endIndex)), in: Path.parent(module))
    }
}

/// The sysconfig files of an install, as paths relative to its root, each list sorted.
private struct SysconfigFiles {
    var sysconfigData: [String] = []
    var sysconfigVarsJSON: [String] = []
    var makefiles: [String] = []
    var pkgConfigs: [String] = []

    init(root: String) throws {
        let lib = root + "/lib"
        guard Self.isDirectory(lib) else {
            throw SysconfigError("no lib folder under \(root): not a CPython install pyman can patch")
        }
        // python3.13 and the free-threaded python3.13t alike.
        for version in Self.list(lib) where version.hasPrefix("python3.") && Self.isDirectory(lib + "/" + version) {
            let versionPath = lib + "/" + version
            for name in Self.list(versionPath) {
                let relative = "lib/\(version)/\(name)"
                let full = versionPath + "/" + name
                if name.hasPrefix("_sysconfigdata_") && name.hasSuffix(".py") && Self.isRegularFile(full) {
                    sysconfigData.append(relative)
                } else if name.hasPrefix("_sysconfig_vars_") && name.hasSuffix(".json") && Self.isRegularFile(full) {
                    sysconfigVarsJSON.append(relative)
                } else if name.hasPrefix("config-") && Self.isDirectory(full) && Self.isRegularFile(full + "/Makefile") {
                    makefiles.append(relative + "/Makefile")
                }
            }
        }
        let pkgconfig = lib + "/pkgconfig"
        for name in Self.list(pkgconfig) where name.hasSuffix(".pc") && Self.isRegularFile(pkgconfig + "/" + name) {
            pkgConfigs.append("lib/pkgconfig/\(name)")
        }
    }

    /// Sorted entry names, or none if `path` cannot be listed (a missing folder is normal).
    static func list(_ path: String) -> [String] {
        FileSystem.listDirectory(path).sorted()
    }

    /// lstat-based so a symlink is neither a regular file nor a directory: patching through
    /// a link would replace the link with a copy.
    static func isRegularFile(_ path: String) -> Bool {
        FileSystem.isRegularFile(path, followingLinks: false)
    }

    static func isDirectory(_ path: String) -> Bool {
        FileSystem.isDirectory(path, followingLinks: false)
    }
}
