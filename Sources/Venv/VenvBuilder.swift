import Core
import FoundationEssentials
import Interpreters
import SystemPackage

/// Writes a virtual environment the way CPython's `venv` lays it out, without running Python.
public struct VenvBuilder: Sendable {
    public let pymanVersion: String
    public let cacheDir: URL

    public init(pymanVersion: String, cacheDir: URL) {
        self.pymanVersion = pymanVersion
        self.cacheDir = cacheDir
    }

    /// Creates (or updates) the venv at `path`; returns the pip seeded, if asked. On failure a venv folder this
    /// call created is removed again.
    @discardableResult
    public func create(at path: URL, from base: BaseInterpreter, options: VenvOptions) throws -> PipSeeder.Seeded? {
        let fm = FileManager.default
        try VenvTarget.checkNames(path: path.path, prompt: options.prompt)
        let existed = try prepare(path, options: options)
        if existed, !options.clear { try VenvTarget.checkNoLinks(in: path.path, stdlib: base.stdlibName) }
        do {
            let bin = path.appendingPathComponent("bin")
            let sitePackages = path.appendingPathComponent("lib/\(base.stdlibName)/site-packages")
            for folder in [bin, sitePackages, path.appendingPathComponent("include")] {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            // CPython links lib64 to lib on 64-bit Linux, and tools look there.
            let lib64 = path.appendingPathComponent("lib64")
            if MemoryLayout<Int>.size == 8, !FileSystem.exists(lib64.path) { try fm.createSymbolicLink(atPath: lib64.path, withDestinationPath: "lib") }
            try placeInterpreter(in: path, from: base, copies: options.copies)
            let prompt = options.prompt ?? path.lastPathComponent
            // Replaced atomically but not flushed: a venv is cheap to recreate, a flush is not (ms each).
            let config = PyvenvConfig(base: base, systemSitePackages: options.systemSitePackages, prompt: options.prompt, pymanVersion: pymanVersion)
            try AtomicFile.write(config.text, to: path.appendingPathComponent("pyvenv.cfg").path)
            try AtomicFile.write("# Created by pyman\n*\n", to: path.appendingPathComponent(".gitignore").path)
            try Activators.write(into: bin, venvPath: path.path, prompt: prompt)
            if options.seedPip {
                // The unpacked pip in the cache is hard-linked into the venv: nobody else may change it.
                try FolderTrust.check(cacheDir.path, role: "cache dir")
                return try PipSeeder(cacheDir: cacheDir).seedPip(
                    stdlib: base.stdlib, sitePackages: sitePackages, binDir: bin,
                    python: bin.appendingPathComponent("python").path, pythonVersion: base.minorVersion)
            }
            return nil
        } catch {
            if !existed { try? fm.removeItem(at: path) }
            throw error
        }
    }

    /// Checks the target and clears it when asked. Returns whether the folder existed before.
    func prepare(_ path: URL, options: VenvOptions) throws -> Bool {
        let fm = FileManager.default
        guard let info = FileSystem.status(path.path, followingLinks: true) else {
            do {
                try fm.createDirectory(at: path, withIntermediateDirectories: true)
            } catch {
                throw PymanError("cannot create \(path.path): \(systemReason(error))", hint: "choose a writable location")
            }
            return false
        }
        guard info.type == .directory else {
            throw PymanError("\(path.path) exists and is not a folder", hint: "remove it or choose another path")
        }
        guard FileSystem.isWritable(path.path) else {
            throw PymanError("cannot write to \(path.path): permission denied", hint: "choose a writable location")
        }
        let contents = try fm.contentsOfDirectory(atPath: path.path)
        let isVenv = contents.contains("pyvenv.cfg")
        guard isVenv || contents.isEmpty else {
            // Never clear or fill a folder of someone else's files, --clear or not.
            throw PymanError("refusing to write into \(path.path): the folder is not empty and is not a virtual environment (no pyvenv.cfg)",
                             hint: "choose another path")
        }
        if options.clear {
            for name in contents { try fm.removeItem(at: path.appendingPathComponent(name)) }
        }
        return true
    }

    /// bin/python, python3, python3.X (and python3.Xt): links to the base interpreter, or copies of it
    /// with its libpython beside them in lib/ — the copied binary finds libraries through the
    /// `$ORIGIN/../lib` RUNPATH of standalone builds, which is the venv's own lib/. PyPy's venv also
    /// has pypy, pypy3 and pypy3.X (the main one), and a copied pypy3.X finds libpypy3.X-c.so in its
    /// own folder (RUNPATH `$ORIGIN`), as PyPy's venv module places it.
    func placeInterpreter(in venv: URL, from base: BaseInterpreter, copies: Bool) throws {
        let bin = venv.appendingPathComponent("bin")
        let main = base.isPyPy ? "pypy\(base.minorVersion)" : base.isFreethreaded ? "python\(base.minorVersion)t" : "python\(base.minorVersion)"
        var names = ["python", "python3", "python\(base.minorVersion)"]
        if base.isFreethreaded { names.append(main) }
        if base.isPyPy { names += ["pypy", "pypy3", main] }
        for name in names { try? FileManager.default.removeItem(at: bin.appendingPathComponent(name)) }
        if copies {
            let copy = bin.appendingPathComponent(main)
            try copyFile(base.executable, to: copy.path)
            for name in names where name != main {
                try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(name).path, withDestinationPath: main)
            }
            if base.isPyPy {
                try copyPyPyLibrary(of: base, into: bin)
            } else {
                try copySharedLibraries(of: base, into: venv.appendingPathComponent("lib"))
            }
        } else {
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("python").path, withDestinationPath: base.executable)
            for name in names where name != "python" {
                try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(name).path, withDestinationPath: "python")
            }
        }
    }

    /// Copies `lib/libpython3*.so*` of the base install (if any: static builds have none).
    func copySharedLibraries(of base: BaseInterpreter, into lib: URL) throws {
        let baseLib = URL(fileURLWithPath: base.prefix).appendingPathComponent("lib")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: baseLib.path)) ?? []
        for name in names where name.hasPrefix("libpython3") && name.contains(".so") {
            let target = lib.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            let source = baseLib.appendingPathComponent(name)
            if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: source.path), !link.contains("/") {
                try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: link)
            } else {
                try copyFile(source.path, to: target.path)
            }
        }
    }

    /// Copies `bin/libpypy3.X-c.so` of the base install beside the copied interpreter.
    func copyPyPyLibrary(of base: BaseInterpreter, into bin: URL) throws {
        let name = "libpypy\(base.minorVersion)-c.so"
        let source = URL(fileURLWithPath: base.executable).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: source.path) else { return }
        let target = bin.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: target)
        try copyFile(source.path, to: target.path)
    }

    func copyFile(_ source: String, to target: String) throws {
        let resolved = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
        do {
            try FileManager.default.copyItem(atPath: resolved, toPath: target)
        } catch {
            throw PymanError("cannot copy \(resolved) to \(target): \(systemReason(error))")
        }
    }
}
