// TestSupport (Paths, run and Run, FolderServer, ScratchFolder, XCTSkipError) is visible in every file of
// EndToEndTests through this one import.
@_exported import TestSupport
import Foundation
import XCTest

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

/// The fixture mirror served over HTTP on 127.0.0.1 for the whole test run.
final class MirrorServer: @unchecked Sendable {
    static let shared = MirrorServer()

    private var server: FolderServer?
    private let lock = NSLock()

    /// Starts the server once; fails the calling test when fixtures are missing.
    func start() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let server { return server.port }
        guard FileManager.default.fileExists(atPath: Paths.catalogue.path) else {
            throw XCTSkipError("fixtures are missing at \(Paths.fixtures.path): run `make fixtures`")
        }
        let started = try FolderServer(serving: Paths.mirror)
        server = started
        atexit { MirrorServer.shared.stop() }
        return started.port
    }

    func stop() {
        server?.stop()
    }
}

/// A scratch world for pyman: its own install, bin and cache dirs, HOME, and work folder.
final class Sandbox {
    private let folder: ScratchFolder
    var root: URL { folder.url }
    var installDir: URL { root.appendingPathComponent("python") }
    var binDir: URL { root.appendingPathComponent("bin") }
    var work: URL { root.appendingPathComponent("work") }
    var environment: [String: String]

    init(catalogue: URL = Paths.catalogue) throws {
        let port = try MirrorServer.shared.start()
        folder = try ScratchFolder("e2e")
        let root = folder.url
        try FileManager.default.createDirectory(at: root.appendingPathComponent("work"), withIntermediateDirectories: true)
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": root.path,
            "PYMAN_INSTALL_DIR": root.appendingPathComponent("python").path,
            "PYMAN_BIN_DIR": root.appendingPathComponent("bin").path,
            "PYMAN_CACHE_DIR": root.appendingPathComponent("cache").path,
            "PYMAN_DOWNLOADS_JSON": catalogue.path,
            "PYMAN_PYTHON_MIRROR": "http://127.0.0.1:\(port)",
            // The catalogue's own URLs (github.com: the last resort after the mirror; releases.astral.sh,
            // downloads.python.org) are https: through a proxy on a closed port, that attempt fails at
            // once and alike on every machine, and no test reaches the internet. 127.0.0.1 goes direct
            // (TLSMirror); GitHubStandIn points https_proxy at a server standing in for GitHub.
            "https_proxy": "http://127.0.0.1:1",
            "no_proxy": "127.0.0.1",
            // pyman's installs only: Debian's /usr/bin/python3.11 is 3.11.2 like the fixture, so with the
            // default preference `find 3.11.2` of an uninstalled fixture would find it. DiscoveryTests sets
            // the other preferences.
            "PYMAN_PYTHON_PREFERENCE": "only-managed",
        ]
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
            let build = entry.file.split(separator: "+").dropFirst().first?.split(separator: "-").first.map(String.init) ?? Fixture.build
            let url = "https://github.com/astral-sh/python-build-standalone/releases/download/\(build)/\(entry.file.replacingOccurrences(of: "+", with: "%2B"))"
            object[entry.key] = Self.catalogueEntry(key: entry.key, url: url, sha256: entry.sha256, build: build)
        }
        return try writeCatalogue(object)
    }

    /// An entry of a catalogue in uv's format for `key`, every field from the key's parts
    /// (`cpython-3.13.5+freethreaded-linux-x86_64_v2-gnu`: variant, CPU level and all), at `url`.
    static func catalogueEntry(key: String, url: String, sha256: String?, build: String = Fixture.build) -> [String: Any] {
        let parts = key.split(separator: "-").map(String.init)
        let versionAndVariant = parts[1].split(separator: "+", maxSplits: 1).map(String.init)
        let numbers = versionAndVariant[0].split(separator: ".").map(String.init)
        let patchDigits = numbers[2].prefix { $0.isNumber }
        let level = parts[3].range(of: "_v", options: .backwards)
        return [
            "name": parts[0], "os": parts[2], "libc": parts[4],
            "arch": ["family": level.map { String(parts[3][..<$0.lowerBound]) } ?? parts[3],
                     "variant": level.map { "v" + parts[3][$0.upperBound...] as Any } ?? NSNull()],
            "major": Int(numbers[0])!, "minor": Int(numbers[1])!, "patch": Int(patchDigits)!,
            "prerelease": String(numbers[2].dropFirst(patchDigits.count)),
            "url": url, "sha256": sha256.map { $0 as Any } ?? NSNull(),
            "variant": versionAndVariant.count > 1 ? versionAndVariant[1] : NSNull(), "build": build,
        ]
    }

    /// Writes a catalogue (key → entry) into the sandbox under a name of its own.
    func writeCatalogue(_ object: [String: Any]) throws -> URL {
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
