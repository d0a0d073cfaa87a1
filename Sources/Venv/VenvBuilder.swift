import Core
import FoundationEssentials
import Interpreters
import SystemPackage

/// Writes a virtual environment the way CPython's `venv` lays it out, without running Python.
public struct VenvBuilder: Sendable {
    public let pymanVersion: String
    public let cacheDir: String

    public init(pymanVersion: String, cacheDir: String) {
        self.pymanVersion = pymanVersion
        self.cacheDir = cacheDir
    }

    /// Creates (or updates) the venv at `path`. On failure a venv folder this call created is removed again.
    @discardableResult
    public func create(at path: String, from base: BaseInterpreter, options: VenvOptions) throws -> String? {
        try VenvTarget.checkNames(path: path, prompt: options.prompt)
        let existed = try prepare(path, options: options)
        if existed, !options.clear { try VenvTarget.checkNoLinks(in: path, stdlib: base.stdlibName) }
        do {
            let bin = Path.join(path, "bin")
            let sitePackages = Path.join(path, "lib/\(base.stdlibName)/site-packages")
            for folder in [bin, sitePackages, Path.join(path, "include")] {
                try FileSystem.makeDirectories(folder, permissions: Self.folderPermissions)
            }
            // CPython links lib64 to lib on 64-bit Linux, and tools look there.
            let lib64 = Path.join(path, "lib64")
            if MemoryLayout<Int>.size == 8, !FileSystem.exists(lib64) { try FileSystem.createSymlink(at: lib64, pointingTo: "lib") }
            try placeInterpreter(in: path, from: base, copies: options.copies)
            let prompt = options.prompt ?? Path.lastComponent(path)
            // Replaced atomically but not flushed: a venv is cheap to recreate, a flush is not (ms each).
            let config = PyvenvConfig(base: base, systemSitePackages: options.systemSitePackages, prompt: options.prompt, pymanVersion: pymanVersion)
            try AtomicFile.write(config.text, to: Path.join(path, "pyvenv.cfg"))
            try AtomicFile.write("# Created by pyman\n*\n", to: Path.join(path, ".gitignore"))
            try Activators.write(into: bin, venvPath: path, prompt: prompt)
            if options.seedPip {
                // The unpacked pip in the cache is hard-linked into the venv: nobody else may change it.
                try FolderTrust.check(cacheDir, role: "cache dir")
                return try PipSeeder(cacheDir: cacheDir).seedPip(
                    stdlib: base.stdlib, sitePackages: sitePackages, binDir: bin,
                    python: Path.join(bin, "python"), pythonVersion: base.minorVersion)
            }
            return nil
        } catch {
            if !existed { try? FileSystem.removeTree(path) }
            throw error
        }
    }

    /// Checks the target and clears it when asked. Returns whether the folder existed before.
    func prepare(_ path: String, options: VenvOptions) throws -> Bool {
        guard let info = FileSystem.status(path, followingLinks: true) else {
            do {
                try FileSystem.makeDirectories(path, permissions: Self.folderPermissions)
            } catch {
                throw PymanError("cannot create \(path): \(systemReason(error))", hint: "choose a writable location")
            }
            return false
        }
        guard info.type == .directory else {
            throw PymanError("\(path) exists and is not a folder", hint: "remove it or choose another path")
        }
        guard FileSystem.isWritable(path) else {
            throw PymanError("cannot write to \(path): permission denied", hint: "choose a writable location")
        }
        let contents = try FileSystem.contentsOfDirectory(path)
        let isVenv = contents.contains("pyvenv.cfg")
        guard isVenv || contents.isEmpty else {
            // Never clear or fill a folder of someone else's files, --clear or not.
            throw PymanError("refusing to write into \(path): the folder is not empty and is not a virtual environment (no pyvenv.cfg)",
                             hint: "choose another path")
        }
        if options.clear {
            for name in contents { try FileSystem.removeTree(Path.join(path, name)) }
        }
        return true
    }

    /// bin/python, python3, python3.X (and python3.Xt): links to the base interpreter, or copies of it
    /// with its libpython beside them in lib/ — the copied binary finds libraries through the
    /// `$ORIGIN/../lib` RUNPATH of standalone builds, which is the venv's own lib/. PyPy's venv also
    /// has pypy, pypy3 and pypy3.X (the main one), and a copied pypy3.X finds libpypy3.X-c.so in its
    /// own folder (RUNPATH `$ORIGIN`), as PyPy's venv module places it.
    func placeInterpreter(in venv: String, from base: BaseInterpreter, copies: Bool) throws {
        let bin = Path.join(venv, "bin")
        let main = base.isPyPy ? "pypy\(base.minorVersion)" : base.isFreethreaded ? "python\(base.minorVersion)t" : "python\(base.minorVersion)"
        var names = ["python", "python3", "python\(base.minorVersion)"]
        if base.isFreethreaded { names.append(main) }
        if base.isPyPy { names += ["pypy", "pypy3", main] }
        for name in names { try? FileSystem.removeTree(Path.join(bin, name)) }
        if copies {
            let copy = Path.join(bin, main)
            try copyFile(base.executable, to: copy)
            for name in names where name != main {
                try FileSystem.createSymlink(at: Path.join(bin, name), pointingTo: main)
            }
            if base.isPyPy {
                try copyPyPyLibrary(of: base, into: bin)
            } else {
                try copySharedLibraries(of: base, into: Path.join(venv, "lib"))
            }
        } else {
            try FileSystem.createSymlink(at: Path.join(bin, "python"), pointingTo: base.executable)
            for name in names where name != "python" {
                try FileSystem.createSymlink(at: Path.join(bin, name), pointingTo: "python")
            }
        }
    }

    /// Copies `lib/libpython3*.so*` of the base install (if any: static builds have none).
    func copySharedLibraries(of base: BaseInterpreter, into lib: String) throws {
        let baseLib = Path.join(base.prefix, "lib")
        let names = FileSystem.listDirectory(baseLib)
        for name in names where name.hasPrefix("libpython3") && name.contains(".so") {
            let target = Path.join(lib, name)
            try? FileSystem.removeTree(target)
            let source = Path.join(baseLib, name)
            if let link = FileSystem.symlinkTarget(source), !link.contains("/") {
                try FileSystem.createSymlink(at: target, pointingTo: link)
            } else {
                try copyFile(source, to: target)
            }
        }
    }

    /// Copies `bin/libpypy3.X-c.so` of the base install beside the copied interpreter.
    func copyPyPyLibrary(of base: BaseInterpreter, into bin: String) throws {
        let name = "libpypy\(base.minorVersion)-c.so"
        let source = Path.join(Path.parent(FileSystem.resolvedPath(base.executable) ?? base.executable), name)
        guard FileSystem.exists(source, followingLinks: true) else { return }
        let target = Path.join(bin, name)
        try? FileSystem.removeTree(target)
        try copyFile(source, to: target)
    }

    /// 0777 less the umask, as `mkdir -p` and CPython's venv module make a venv's folders.
    static let folderPermissions = FilePermissions(rawValue: 0o777)

    func copyFile(_ source: String, to target: String) throws {
        let resolved = FileSystem.resolvedPath(source) ?? source
        do {
            try FileSystem.copyFile(resolved, to: target)
        } catch {
            throw PymanError("cannot copy \(resolved) to \(target): \(systemReason(error))")
        }
    }
}
