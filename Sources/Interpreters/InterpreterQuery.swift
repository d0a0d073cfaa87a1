import Crypto
import Core
import FoundationEssentials
import SystemPackage

/// Describes an interpreter pyman did not install by asking it once, then remembering the answer (or
/// that it gave none) in the cache, keyed by its path, modification time and size.
///
/// The cache is another user's way in when its folder is not safe: an entry is read only when
/// `FolderTrust.isTrustedFile` passes (a regular file of this user's or root's that nobody else can
/// write, in folders nobody else can change), and even then every field is checked before use and the
/// executable is always the path that was asked about, never one the entry names. An entry that fails
/// is asked again, not obeyed.
public struct InterpreterQuery: Sendable {
    public let cacheDir: String

    public init(cacheDir: String) {
        self.cacheDir = cacheDir
    }

    static let script = """
    import json, os, sys, sysconfig
    stdlib = sysconfig.get_path('stdlib')
    print(json.dumps({
        'executable': os.path.abspath(sys.executable),
        'version': '%d.%d.%d%s' % (sys.version_info[:3] + ({'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}.get(sys.version_info[3], '') + (str(sys.version_info[4]) if sys.version_info[3] != 'final' else ''),)),
        'versionInfo': '.'.join(map(str, sys.version_info)),
        'implementation': {'cpython': 'CPython', 'pypy': 'PyPy'}.get(sys.implementation.name, sys.implementation.name),
        'stdlibName': os.path.basename(stdlib),
        'prefix': sys.base_prefix,
    }))
    """

    /// The largest cache entry read: a real one is a few hundred bytes.
    static let entryLimit = 64 << 10

    /// What the file at a path was when it was asked: its contents changing changes these.
    struct Stamp: Codable, Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
    }

    struct CacheEntry: Codable {
        var path: String
        var stamp: Stamp
        /// What it answered; nil when it gave no usable answer (`failure` says why), so discovery does
        /// not ask it again until the file changes.
        var interpreter: BaseInterpreter?
        var failure: String?
    }

    /// Asks the Python at `path` (a remembered answer when the file has not changed since; a remembered
    /// failure is not trusted here: the path was given on purpose, so it is asked again).
    public func describe(_ path: String) throws -> BaseInterpreter {
        let stamp = try Self.stamp(path)
        if let entry = cached(path, stamp: stamp), let interpreter = entry.interpreter { return interpreter }
        let answer = ChildProcess.outputs(of: [(path, ["-I", "-c", Self.script])])[0]
        return try remember(path, stamp: stamp, answer: answer).get()
    }

    /// Hands `body` what each path is, in order, until it returns false: from the cache when it knows
    /// the file as it is now (a remembered failure fails again without a run), else by asking it
    /// (`ChildProcess.each`: the next path is asked when this one has answered, or `stagger` seconds
    /// after it started, and all under one deadline of `timeout` seconds). A path not asked before the
    /// deadline is handed over as nil; nothing is remembered of it. Nothing after the path `body` stops
    /// at is run.
    public func describeEach(_ paths: [String], timeout: Double = 10, stagger: Double,
                             _ body: (Int, Result<BaseInterpreter, PymanError>?) -> Bool) {
        var known: [Int: Result<BaseInterpreter, PymanError>] = [:]
        var asked: [(index: Int, stamp: Stamp)] = []
        for (index, path) in paths.enumerated() {
            do {
                let stamp = try Self.stamp(path)
                if let entry = cached(path, stamp: stamp) {
                    known[index] = entry.interpreter.map { .success($0) }
                        ?? .failure(PymanError("\(path) gave no answer when last asked, and has not changed since"))
                } else {
                    asked.append((index, stamp))
                }
            } catch {
                known[index] = .failure(error as? PymanError ?? PymanError("\(error)"))
            }
        }
        var handed = 0
        /// Hands over the known outcomes before `end`; false when `body` has had enough.
        func handKnown(upTo end: Int) -> Bool {
            while handed < end {
                if let outcome = known[handed], !body(handed, outcome) { return false }
                handed += 1
            }
            return true
        }
        guard handKnown(upTo: asked.first?.index ?? paths.count) else { return }
        var enough = false
        ChildProcess.each(of: asked.map { (paths[$0.index], ["-I", "-c", Self.script]) }, timeout: timeout, stagger: stagger) { slot, answer in
            let (index, stamp) = asked[slot]
            guard handKnown(upTo: index) else { enough = true; return false }
            let outcome = answer.map { remember(paths[index], stamp: stamp, answer: $0) }
            handed = index + 1
            if !body(index, outcome) { enough = true; return false }
            return true
        }
        if !enough { _ = handKnown(upTo: paths.count) }
    }

    static func stamp(_ path: String) throws -> Stamp {
        guard let info = FileSystem.status(path, followingLinks: true) else {
            throw PymanError("no Python at \(path): the file does not exist", hint: "pass --python a path to an interpreter or a version like 3.13")
        }
        let time = info.modificationTime
        return Stamp(seconds: time.seconds, nanoseconds: time.nanoseconds, size: Int(info.size))
    }

    func cacheFile(for path: String) -> String {
        let digest = SHA256.hash(data: Data(path.utf8)).prefix(12).hexString()
        return CacheLayout(root: cacheDir).interpreters + "/\(digest).json"
    }

    /// The entry for `path` as it is now, when one is stored in a file nobody else could have written
    /// and every field it holds is sound; nil otherwise.
    func cached(_ path: String, stamp: Stamp) -> CacheEntry? {
        let file = cacheFile(for: path)
        guard FolderTrust.isTrustedFile(file), let bytes = try? FileSystem.readFile(file, limit: Self.entryLimit),
              var entry = try? JSONDecoder().decode(CacheEntry.self, from: Data(bytes)),
              entry.path == path, entry.stamp == stamp else { return nil }
        if let interpreter = entry.interpreter {
            guard Self.problem(with: interpreter) == nil else { return nil }
            entry.interpreter = Self.spelled(interpreter, as: path)
        }
        return entry
    }

    /// Turns what `path` answered into an interpreter, and stores the outcome.
    func remember(_ path: String, stamp: Stamp, answer: Result<ChildProcess.Output, PymanError>) -> Result<BaseInterpreter, PymanError> {
        let result: Result<BaseInterpreter, PymanError>
        switch answer {
        case .success(let output):
            result = Result { try Self.interpreter(path, from: output) }.mapError { $0 as? PymanError ?? PymanError("\($0)") }
        case .failure(let error):
            result = .failure(PymanError("cannot run \(path): \(error)", hint: "pass --python a Python interpreter"))
        }
        switch result {
        case .success(let interpreter): store(CacheEntry(path: path, stamp: stamp, interpreter: interpreter))
        case .failure(let error): store(CacheEntry(path: path, stamp: stamp, failure: error.message))
        }
        return result
    }

    /// What `path` answered, checked as a cached entry is.
    static func interpreter(_ path: String, from output: ChildProcess.Output) throws -> BaseInterpreter {
        guard output.status == 0, let answer = try? JSONDecoder().decode(BaseInterpreter.self, from: Data(output.stdout)) else {
            throw PymanError("\(path) did not answer like a Python interpreter", hint: "pass --python a Python 3 executable")
        }
        if let problem = problem(with: answer) {
            throw PymanError("\(path) did not answer like a Python interpreter: \(problem)", hint: "pass --python a Python 3 executable")
        }
        return spelled(answer, as: path)
    }

    /// The interpreter as `path` names it: the user's spelling (a symlink stays a symlink, as
    /// `python -m venv` keeps it), whatever executable the answer or a cache entry gave.
    static func spelled(_ interpreter: BaseInterpreter, as path: String) -> BaseInterpreter {
        var copy = interpreter
        copy.executable = Path.absolute(path, in: FileSystem.currentDirectory() ?? "")
        return copy
    }

    /// Stores `entry` when the cache's folder is one nobody else can change (making it if need be);
    /// otherwise the answer is simply not remembered.
    func store(_ entry: CacheEntry) {
        let file = cacheFile(for: entry.path)
        let folder = Path.parent(file)
        guard (try? FolderTrust.ensureFolder(folder, role: "interpreter cache", permissions: FilePermissions(rawValue: 0o755))) != nil,
              let data = try? JSONEncoder().encode(entry) else { return }
        try? AtomicFile.write(data, to: file)
    }

    /// Why an answer (or a cache entry) cannot be used as it stands: each field is written into
    /// pyvenv.cfg or joined onto a path, so each must have the shape the query script gives it. Nil
    /// when all is well.
    static func problem(with interpreter: BaseInterpreter) -> String? {
        let version = interpreter.version
        let numbers = version.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let release = numbers.split(separator: ".", omittingEmptySubsequences: false)
        let tail = version.dropFirst(numbers.count)
        let tag = tail.prefix { $0.isASCII && $0.isLetter }
        guard release.count == 3, release.allSatisfy({ (1...4).contains($0.count) }),
              tail.isEmpty || (["a", "b", "rc"].contains(String(tag)) && isDigits(tail.dropFirst(tag.count))) else {
            return "version '\(version.escapingControlCharacters().prefix(40))' is not like 3.13.5 or 3.14.0rc1"
        }
        guard interpreter.versionInfo == BaseInterpreter.versionInfo(for: version) else {
            return "version_info '\(interpreter.versionInfo.escapingControlCharacters().prefix(40))' does not match version \(version)"
        }
        let implementation = interpreter.implementation
        guard (1...32).contains(implementation.count), implementation.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return "implementation '\(implementation.escapingControlCharacters().prefix(40))' is not a plain name"
        }
        let minor = "\(release[0]).\(release[1])"
        guard ["python\(minor)", "python\(minor)t", "pypy\(minor)"].contains(interpreter.stdlibName) else {
            return "stdlib folder '\(interpreter.stdlibName.escapingControlCharacters().prefix(40))' is not python\(minor), python\(minor)t or pypy\(minor)"
        }
        let prefix = interpreter.prefix
        let parts = prefix.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard prefix.hasPrefix("/"), prefix.utf8.count < 4096, prefix == "/" || !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              !prefix.containsControlCharacters else {
            return "prefix '\(prefix.escapingControlCharacters().prefix(60))' is not a plain absolute path"
        }
        return nil
    }

    static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 4 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
