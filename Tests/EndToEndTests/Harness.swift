import Foundation
import XCTest

/// The output of a finished process.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var command: String

    var summary: String { "`\(command)` exited \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Paths of the repository, the built binary and the fixtures (`make fixtures`).
enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var pyman: URL {
        if let path = ProcessInfo.processInfo.environment["PYMAN_BINARY"] { return URL(fileURLWithPath: path) }
        return repository.appendingPathComponent(".build/debug/pyman")
    }

    static var fixtures: URL {
        let env = ProcessInfo.processInfo.environment
        if let path = env["PYMAN_FIXTURES_CACHE"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: env["HOME"] ?? "/root").appendingPathComponent(".cache/pyman-fixtures")
    }

    static var mirror: URL { fixtures.appendingPathComponent("mirror") }
    static var catalogue: URL { fixtures.appendingPathComponent("download-metadata.json") }
}

/// A second local user, made for a test that runs as root and needs files of another user's (as
/// `nobody` would write them in a shared folder), and removed after the test: its name and uid.
func makeOtherUser(for test: XCTestCase) throws -> (name: String, uid: UInt32) {
    let name = "pyman-other-\(UInt32.random(in: 1000...999_999))"
    let made = try run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name])
    XCTAssertEqual(made.status, 0, made.summary)
    test.addTeardownBlock { _ = try? run("/usr/sbin/userdel", [name]) }
    let id = try run("/usr/bin/id", ["-u", name])
    let uid = UInt32(id.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    XCTAssertNotEqual(uid, 0)
    return (name, uid)
}

/// Runs `executable` with `arguments`, waiting for it; output is captured through files so a chatty
/// child never blocks on a full pipe.
func run(_ executable: String, _ arguments: [String], cwd: URL? = nil, environment: [String: String]? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = cwd }
    if let environment { process.environment = environment }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return Run(status: process.terminationStatus,
               stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
               stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
               command: ([executable] + arguments).joined(separator: " "))
}

/// The fixture mirror served over HTTP on 127.0.0.1 for the whole test run.
final class MirrorServer: @unchecked Sendable {
    static let shared = MirrorServer()

    private var process: Process?
    private(set) var port = 0
    private let lock = NSLock()

    /// Starts the server once; fails the calling test when fixtures are missing.
    func start() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        if port != 0 { return port }
        guard FileManager.default.fileExists(atPath: Paths.catalogue.path) else {
            throw XCTSkipError("fixtures are missing at \(Paths.fixtures.path): run `make fixtures`")
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", Paths.repository.appendingPathComponent("Fixtures/serve.py").path, Paths.mirror.path]
        let pipe = Pipe()
        server.standardOutput = pipe
        try server.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8)?.split(separator: "\n").first, let value = Int(text) else {
            throw XCTSkipError("the fixture server did not start")
        }
        process = server
        port = value
        atexit { MirrorServer.shared.stop() }
        return port
    }

    func stop() {
        process?.terminate()
    }
}

/// Missing fixtures are a failure of the test setup, not a reason to pass: this error fails the test.
struct XCTSkipError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A scratch world for pyman: its own install, bin and cache dirs, HOME, and work folder.
final class Sandbox {
    let root: URL
    var installDir: URL { root.appendingPathComponent("python") }
    var binDir: URL { root.appendingPathComponent("bin") }
    var work: URL { root.appendingPathComponent("work") }
    var environment: [String: String]

    init(catalogue: URL = Paths.catalogue) throws {
        let port = try MirrorServer.shared.start()
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("pyman-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("work"), withIntermediateDirectories: true)
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": root.path,
            "PYMAN_INSTALL_DIR": root.appendingPathComponent("python").path,
            "PYMAN_BIN_DIR": root.appendingPathComponent("bin").path,
            "PYMAN_CACHE_DIR": root.appendingPathComponent("cache").path,
            "PYMAN_DOWNLOADS_JSON": catalogue.path,
            "PYMAN_PYTHON_MIRROR": "http://127.0.0.1:\(port)",
            // pyman's installs only: Debian's /usr/bin/python3.11 is 3.11.2 like the fixture, so with the
            // default preference `find 3.11.2` of an uninstalled fixture would find it. DiscoveryTests sets
            // the other preferences.
            "PYMAN_PYTHON_PREFERENCE": "only-managed",
        ]
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func pyman(_ arguments: String..., cwd: URL? = nil) throws -> Run {
        try pyman(arguments, cwd: cwd)
    }

    func pyman(_ arguments: [String], cwd: URL? = nil) throws -> Run {
        try run(Paths.pyman.path, arguments, cwd: cwd ?? work, environment: environment)
    }

    /// Runs a program (a Python) with a clean environment: no PYTHONHOME/PYTHONPATH leaks from the host.
    /// A relative `program` (`./python`, `../a/python`) is started by a shell in `cwd`, so the interpreter
    /// sees the relative argv[0] a user's shell would give it.
    func exec(_ program: String, _ arguments: [String], cwd: URL? = nil) throws -> Run {
        let environment = ["PATH": "/usr/bin:/bin", "HOME": root.path]
        guard !program.hasPrefix("/") else { return try run(program, arguments, cwd: cwd ?? work, environment: environment) }
        return try run("/bin/sh", ["-c", "exec \"$0\" \"$@\"", program] + arguments, cwd: cwd ?? work, environment: environment)
    }

    /// Writes a catalogue in uv's format into the sandbox, for tests that need other archives. The
    /// build tag is the one in the file's name (`cpython-3.13.15+20251217-…`).
    func catalogue(_ entries: [(key: String, file: String, sha256: String?)]) throws -> URL {
        var object: [String: Any] = [:]
        for entry in entries {
            let parts = entry.key.split(separator: "-")
            let numbers = parts[1].split(separator: ".").map { Int($0)! }
            let build = entry.file.split(separator: "+").dropFirst().first?.split(separator: "-").first.map(String.init) ?? Fixture.build
            object[entry.key] = [
                "name": "cpython", "arch": ["family": "x86_64", "variant": NSNull()], "os": "linux", "libc": "gnu",
                "major": numbers[0], "minor": numbers[1], "patch": numbers[2], "prerelease": "",
                "url": "https://github.com/astral-sh/python-build-standalone/releases/download/\(build)/\(entry.file.replacingOccurrences(of: "+", with: "%2B"))",
                "sha256": entry.sha256.map { $0 as Any } ?? NSNull(), "variant": NSNull(), "build": build,
            ]
        }
        let url = root.appendingPathComponent("catalogue-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return url
    }
}

/// The archives `make fixtures` builds.
enum Fixture {
    static let build = "20250723"
    static func file(_ version: String, _ flavour: String) -> String {
        "cpython-\(version)+\(build)-x86_64-unknown-linux-gnu-\(flavour)"
    }

    /// SHA-256 of a mirror file, from the fixtures' SHA256SUMS.
    static func sha256(_ file: String) throws -> String {
        let sums = try String(contentsOf: Paths.fixtures.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2, parts[1].hasSuffix(file) { return String(parts[0]) }
        }
        throw XCTSkipError("\(file) is not in SHA256SUMS: run `make fixtures`")
    }
}
