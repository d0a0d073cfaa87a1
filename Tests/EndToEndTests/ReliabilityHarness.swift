import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A process started in the background, to be killed or raced; output goes through files like `run`'s.
final class Background {
    let process = Process()
    let command: String
    private let scratch: URL
    private var finished: Run?

    init(_ executable: String, _ arguments: [String], cwd: URL, environment: [String: String]) throws {
        command = ([executable] + arguments).joined(separator: " ")
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        for name in ["out", "err"] { FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = cwd
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("out"))
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: scratch)
    }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the exit; past `timeout` seconds the process is killed and the test fails, so a hang
    /// (a stall pyman failed to notice) costs a bounded time instead of the whole run.
    @discardableResult
    func wait(timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) -> Run {
        if let finished { return finished }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            XCTFail("`\(command)` still running after \(Int(timeout))s; killed", file: file, line: line)
            kill9()
        }
        process.waitUntilExit()
        let result = Run(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: scratch.appendingPathComponent("out"), encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: scratch.appendingPathComponent("err"), encoding: .utf8)) ?? "",
                         command: command)
        finished = result
        return result
    }

    var killedBySignal: Bool { process.terminationReason == .uncaughtSignal }
}

extension Sandbox {
    /// `pyman` with a deadline, optionally with changed environment variables (an empty value unsets one)
    /// and in another folder than `work`.
    func pyman(_ arguments: [String], env overrides: [String: String], cwd: URL? = nil, timeout: TimeInterval = 60,
               file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        try start(arguments, env: overrides, cwd: cwd).wait(timeout: timeout, file: file, line: line)
    }

    func start(_ arguments: [String], env overrides: [String: String] = [:], cwd: URL? = nil) throws -> Background {
        var environment = self.environment
        for (name, value) in overrides { environment[name] = value.isEmpty ? nil : value }
        return try Background(Paths.pyman.path, arguments, cwd: cwd ?? work, environment: environment)
    }

    /// A catalogue of one entry for an archive at any URL (Sandbox.catalogue names github files only).
    func catalogue(key: String, url: String, sha256: String?) throws -> URL {
        let numbers = key.split(separator: "-")[1].split(separator: ".").map { Int($0)! }
        let object: [String: Any] = [key: [
            "name": "cpython", "arch": ["family": "x86_64", "variant": NSNull()], "os": "linux", "libc": "gnu",
            "major": numbers[0], "minor": numbers[1], "patch": numbers[2], "prerelease": "",
            "url": url, "sha256": sha256.map { $0 as Any } ?? NSNull(), "variant": NSNull(), "build": "20250723",
        ]]
        let path = root.appendingPathComponent("catalogue-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: object).write(to: path)
        return path
    }

    /// Names in the install dir other than pyman's own bookkeeping (locks, index).
    func installDirContents() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: installDir.path)) ?? [])
            .filter { !$0.hasPrefix(".lock-") && !$0.hasPrefix(".pyman-index") }.sorted()
    }

    /// Keys `pyman list --only-installed --json` reports; fails the test if listing fails or warns.
    func listedKeys(file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let listed = try pyman(["list", "--only-installed", "--json"], env: [:], file: file, line: line)
        XCTAssertEqual(listed.status, 0, listed.summary, file: file, line: line)
        XCTAssertFalse(listed.stderr.contains("warning"), listed.summary, file: file, line: line)
        let rows = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [[String: Any]]
        XCTAssertNotNil(rows, "list --json printed no JSON: \(listed.summary)", file: file, line: line)
        return (rows ?? []).compactMap { $0["key"] as? String }.sorted()
    }

    /// The state every interruption must leave: whatever is listed is complete and findable, a folder
    /// under a key's name is a complete install, links lead somewhere. Returns whether `fixture` is installed.
    @discardableResult
    func assertConsistent(_ fixture: FixturePython, file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let folder = installDir.appendingPathComponent(fixture.key)
        let python = folder.appendingPathComponent("bin/\(fixture.executable)").path
        let present = FileManager.default.fileExists(atPath: folder.path)
        if present {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".pyman-receipt.json").path),
                          "\(folder.path) exists without its receipt: a partial install", file: file, line: line)
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: python), "\(python) missing", file: file, line: line)
        }
        let listed = try listedKeys(file: file, line: line).contains(fixture.key)
        if listed { XCTAssertTrue(present, "\(fixture.key) is listed but its folder is missing", file: file, line: line) }
        let found = try pyman(["find", fixture.version], env: [:], file: file, line: line)
        XCTAssertEqual(found.status, listed ? 0 : 1, found.summary, file: file, line: line)
        if listed { XCTAssertEqual(found.stdout, python + "\n", file: file, line: line) }
        XCTAssertFalse(found.stderr.contains("warning"), found.summary, file: file, line: line)
        for link in [installDir.appendingPathComponent(fixture.minorLink), binDir.appendingPathComponent(fixture.executable)] {
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) != nil else { continue }
            XCTAssertTrue(listed, "\(link.path) remains though \(fixture.key) is not installed", file: file, line: line)
            XCTAssertTrue(FileManager.default.fileExists(atPath: link.path), "\(link.path) dangles", file: file, line: line)
        }
        return listed
    }
}

/// The fixture server's fault injection and request counters (Fixtures/serve.py documents both).
enum Faults {
    /// A mirror URL whose downloads get `spec` (`503-2`, `reset-1`, `stall`, `ok`…), tagged so the test
    /// counts only its own requests.
    static func mirror(_ spec: String, tag: String = String(UUID().uuidString.prefix(8))) throws -> String {
        "http://127.0.0.1:\(try MirrorServer.shared.start())/fault/\(spec)@\(tag)"
    }

    /// Requests (and those that came through as a proxy) the fixture server saw for paths under `prefix`.
    static func requests(under prefix: String) throws -> (requests: Int, proxied: Int) {
        let port = try MirrorServer.shared.start()
        var components = URLComponents(string: "http://127.0.0.1:\(port)/__requests")!
        components.queryItems = [URLQueryItem(name: "prefix", value: prefix)]
        let body = try httpGet(components.url!)
        let object = try JSONSerialization.jsonObject(with: body) as? [String: Int] ?? [:]
        return (object["requests"] ?? -1, object["proxied"] ?? -1)
    }

    /// The path part of a fault mirror URL, for `requests(under:)`.
    static func path(of mirror: String) -> String {
        URL(string: mirror)!.path + "/"
    }

    static func httpGet(_ url: URL) throws -> Data {
        final class Box: @unchecked Sendable { var result: Result<Data, Error> = .failure(XCTSkipError("no answer")) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: url) { data, _, error in
            box.result = data.map { .success($0) } ?? .failure(error ?? XCTSkipError("no data from \(url)"))
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 10) == .success else { throw XCTSkipError("\(url) did not answer") }
        return try box.result.get()
    }
}

/// A second fixture server speaking HTTPS with a self-signed certificate made for the test.
final class TLSMirror {
    let certificate: URL
    let server: FolderServer

    init(in folder: URL, serving directory: URL = Paths.mirror) throws {
        certificate = folder.appendingPathComponent("cert.pem")
        let key = folder.appendingPathComponent("key.pem")
        let made = try run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                             "-keyout", key.path, "-out", certificate.path])
        guard made.status == 0 else { throw XCTSkipError("openssl could not make a certificate: \(made.summary)") }
        server = try FolderServer(serving: directory, arguments: ["--tls-cert", certificate.path, "--tls-key", key.path])
    }

    var port: Int { server.port }
    var mirror: String { "https://127.0.0.1:\(port)" }
}

/// Fixtures/serve.py over a folder of the test's (a sandbox's catalogues), stopped with the object.
final class FolderServer {
    let port: Int
    private let server = Process()

    init(serving directory: URL, arguments: [String] = []) throws {
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", Paths.repository.appendingPathComponent("Fixtures/serve.py").path, directory.path] + arguments
        let pipe = Pipe()
        server.standardOutput = pipe
        try server.run()
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.split(separator: "\n").first ?? "") else {
            server.terminate()
            throw XCTSkipError("Fixtures/serve.py did not start")
        }
        self.port = port
    }

    deinit {
        server.terminate()
        server.waitUntilExit()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// The server's counters for one URL path: requests, 304 answers, and every TCP connection it
    /// accepted (this query's own included).
    func counters(_ path: String = "/") throws -> (requests: Int, notModified: Int, connections: Int) {
        var components = URLComponents(string: url("__requests"))!
        components.queryItems = [URLQueryItem(name: "path", value: path)]
        let object = try JSONSerialization.jsonObject(with: try Faults.httpGet(components.url!)) as? [String: Int] ?? [:]
        return (object["requests"] ?? -1, object["not_modified"] ?? -1, object["connections"] ?? -1)
    }
}
