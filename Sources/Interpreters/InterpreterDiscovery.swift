import Catalogue
import Configuration
import Core
import FoundationEssentials
import Patching

/// The Pythons on the machine that pyman did not install: `python3.X`, `python3` and `python` in each
/// PATH folder in order, then pyenv's versions, uv's managed Pythons, /usr/local/bin and /usr/bin. Each is
/// asked once what it is (`InterpreterQuery`, cached by path, mtime and size, failures too). Left out:
/// broken links, scripts (pyenv's, mise's and asdf's shims are shell scripts that pick a Python by their
/// own rules), venvs (a venv's python is not a base interpreter), pyman's own installs, anything that
/// does not answer within the one deadline, and, when pyman runs as root, anything another user could
/// change (`FolderTrust`).
public struct InterpreterDiscovery: Sendable {
    public let settings: Settings
    /// Seconds the whole search may spend asking Pythons: a Python that hangs costs at most this, once
    /// for all of them, not once per Python (and is then remembered as failed until its file changes).
    public var deadline: Double = 10
    /// Whether a candidate, its folders and every link on the way to it must pass `FolderTrust`: as
    /// root, a program someone else can change is never run.
    var checksTrust = ProcessEnvironment.effectiveUserID == 0

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Every Python found, in the order they are weighed.
    public func interpreters() -> [SystemInterpreter] {
        var found: [SystemInterpreter] = []
        forEachInterpreter { found.append($0); return true }
        return found
    }

    /// The first Python found that answers `request` (asking no more of them once one does), as uv
    /// takes the first interpreter on PATH that satisfies a request.
    public func first(matching request: PythonRequest) -> SystemInterpreter? {
        var match: SystemInterpreter?
        forEachInterpreter { interpreter in
            guard request.matches(interpreter.key), request.accepts(interpreter.key, on: settings.platform) else { return true }
            match = interpreter
            return false
        }
        return match
    }

    /// Describes each candidate in order until `body` returns false (`InterpreterQuery.describeEach`, under
    /// one deadline). A candidate not known from the cache is asked when the one before has answered, or
    /// `stagger` seconds after that one started if it has not: a Python answers in 20-60 ms (measured
    /// warm: Debian's 3.11, pyenv's 3.6 and 3.13), so those are still asked one at a time and only until
    /// one matches, while each that hangs delays the next by 0.2 s instead of the whole deadline.
    func forEachInterpreter(_ body: (SystemInterpreter) -> Bool) {
        let found = candidates()
        InterpreterQuery(cacheDir: settings.cacheDir).describeEach(found.map(\.path), timeout: deadline, stagger: 0.2) { index, answer in
            guard case .success(let described) = answer,
                  let interpreter = SystemInterpreter(source: found[index].source, interpreter: described, platform: settings.platform) else { return true }
            return body(interpreter)
        }
    }

    /// Executables worth asking, with where they were found, each real file once.
    func candidates() -> [(path: String, source: String)] {
        var folders = settings.executablePath.map { ($0, "PATH") }
        folders += Self.versionFolders(in: Path.join(settings.pyenvRoot, "versions")).map { ($0, "pyenv") }
        folders += Self.versionFolders(in: settings.uvPythonDir).map { ($0, "uv") }
        folders += [("/usr/local/bin", "system"), ("/usr/bin", "system")]
        var seen: Set<String> = []
        var result: [(String, String)] = []
        let ownInstalls = (FileSystem.resolvedPath(settings.installDir) ?? settings.installDir) + "/"
        for (folder, source) in folders where !folder.isEmpty {
            for name in Self.pythonNames(in: folder) {
                let path = folder + "/" + name
                guard let real = FileSystem.resolvedPath(path), !seen.contains(real) else { continue }
                seen.insert(real)
                guard !real.hasPrefix(ownInstalls), FileSystem.isRegularFile(real), Self.isProgram(real, for: settings.platform.arch), !Self.isInVenv(real) else { continue }
                if checksTrust {
                    do {
                        try FolderTrust.check(path, role: "\(source) Python")
                    } catch let error as PymanError {
                        settings.output.warn("\(error.message); pyman does not run it")
                        continue
                    } catch { continue }
                }
                result.append((path, source))
            }
        }
        return result
    }

    /// `python3.13`, `python3.13t`, `python3`, `python` in `folder`: the version-named first, newest first.
    static func pythonNames(in folder: String) -> [String] {
        func minor(_ name: String) -> Int { Int(name.dropFirst(8).filter(\.isNumber)) ?? 0 }
        let versioned = FileSystem.listDirectory(folder).filter(isVersionedName).sorted { (minor($0), $1) > (minor($1), $0) }
        return versioned + ["python3", "python"].filter { FileSystem.exists(folder + "/" + $0) }
    }

    /// `python3.X` or `python3.Xt` with X one or two digits.
    static func isVersionedName(_ name: String) -> Bool {
        guard name.hasPrefix("python3.") else { return false }
        var rest = name.dropFirst(8)
        if rest.hasSuffix("t") { rest = rest.dropLast() }
        return (1...2).contains(rest.count) && rest.allSatisfy(\.isASCII) && rest.allSatisfy(\.isNumber)
    }

    /// `<root>/<version>/bin` for each version folder, newest name first.
    static func versionFolders(in root: String) -> [String] {
        FileSystem.listDirectory(root).filter { !$0.hasPrefix(".") }.sorted(by: >).map { root + "/" + $0 + "/bin" }
    }

    /// A compiled program rather than a script: a shim (`#!/usr/bin/env bash …`) would run another Python.
    /// A binary for this machine's CPU: not a script (pyenv's, mise's and asdf's shims), and not an
    /// ELF executable of another architecture. Under binfmt_misc (qemu-user: Docker Desktop, CI runners
    /// building arm64 images) an aarch64 pyman can run the host's x86-64 Pythons, which would answer
    /// and be offered as aarch64 ones. The program headers sit in the first few hundred bytes; a file
    /// whose header cannot be read there is not told apart (as on macOS, whose Mach-O is not read).
    static func isProgram(_ path: String, for arch: String) -> Bool {
        guard let head = try? FileSystem.readPrefix(path, count: 4096) else { return false }
        if head.starts(with: Array("#!".utf8)) { return false }
        guard let elf = ELFHeader(head), !elf.architectures.isEmpty else { return true }
        return elf.architectures.contains(arch)
    }

    static func isInVenv(_ path: String) -> Bool {
        FileSystem.exists(Path.parent(Path.parent(path)) + "/pyvenv.cfg")
    }
}
