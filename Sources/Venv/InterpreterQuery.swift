import Crypto
import Core
import FoundationEssentials

/// Describes an interpreter pyman did not install by asking it once, then remembering the answer in
/// the cache, keyed by its path and modification time.
public struct InterpreterQuery: Sendable {
    public let cacheDir: URL

    public init(cacheDir: URL) {
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

    struct CacheEntry: Codable {
        var path: String
        var mtime: Double
        var size: Int
        var interpreter: BaseInterpreter
    }

    public func describe(_ path: String) throws -> BaseInterpreter {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        } catch {
            throw PymanError("no Python at \(path): the file does not exist", hint: "pass --python a path to an interpreter or a version like 3.13")
        }
        let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes[.size] as? Int) ?? 0
        let digest = SHA256.hash(data: Data(path.utf8)).prefix(12).hexString()
        let cacheFile = cacheDir.appendingPathComponent("interpreters/\(digest).json")
        if let data = FileManager.default.contents(atPath: cacheFile.path),
           let entry = try? JSONDecoder().decode(CacheEntry.self, from: data),
           entry.path == path, entry.mtime == mtime, entry.size == size {
            return entry.interpreter
        }
        var interpreter = try ask(path)
        // Keep the spelling the user gave (a symlink stays a symlink), as `python -m venv` would.
        interpreter.executable = URL(fileURLWithPath: path).standardizedFileURL.path
        if let data = try? JSONEncoder().encode(CacheEntry(path: path, mtime: mtime, size: size, interpreter: interpreter)) {
            try? FileManager.default.createDirectory(at: cacheFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? AtomicFile.write(data, to: cacheFile.path)
        }
        return interpreter
    }

    func ask(_ path: String) throws -> BaseInterpreter {
        let result: (status: Int32, stdout: [UInt8])
        do {
            result = try ChildProcess.output(of: path, ["-I", "-c", Self.script])
        } catch {
            throw PymanError("cannot run \(path): \(error)", hint: "pass --python a Python interpreter")
        }
        guard result.status == 0, let interpreter = try? JSONDecoder().decode(BaseInterpreter.self, from: Data(result.stdout)) else {
            throw PymanError("\(path) did not answer like a Python interpreter", hint: "pass --python a Python 3 executable")
        }
        return interpreter
    }
}
