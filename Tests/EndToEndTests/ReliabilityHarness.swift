import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A process started in the background, to be killed or raced; output goes through files like `run`'s.
final class Background {
    private let started: StartedProcess
    var process: Process { started.process }
    var command: String { started.command }
    private var finished: Run?

    init(_ executable: String, _ arguments: [String], cwd: URL, environment: [String: String]) throws {
        started = try StartedProcess(executable, arguments, cwd: cwd, environment: environment)
    }

    func kill9() {
        started.kill9()
    }

    /// Waits for the exit; past `timeout` seconds the process is killed and the test fails, so a hang
    /// (a stall pyman failed to notice) costs a bounded time instead of the whole run.
    @discardableResult
    func wait(timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) -> Run {
        if let finished { return finished }
        started.wait(timeout: timeout, file: file, line: line)
        let result = started.finished()
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
        try writeCatalogue([key: Self.catalogueEntry(key: key, url: url, sha256: sha256, build: Fixture.build)])
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

    /// TestSupport's, under the name the tests have used.
    static func httpGet(_ url: URL) throws -> Data { try TestSupport.httpGet(url) }
}

/// A second fixture server speaking HTTPS with a self-signed certificate made for the test, naming
/// `host` (127.0.0.1, or a name such as github.com for a server standing in for it).
final class TLSMirror {
    let certificate: URL
    let server: FolderServer

    init(in folder: URL, serving directory: URL = Paths.mirror, host: String = "127.0.0.1") throws {
        let name = host == "127.0.0.1" ? "" : host + "-"
        certificate = folder.appendingPathComponent("\(name)cert.pem")
        let key = folder.appendingPathComponent("\(name)key.pem")
        let altName = host.allSatisfy({ $0.isNumber || $0 == "." }) ? "IP:\(host)" : "DNS:\(host)"
        let made = try run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                             "-subj", "/CN=\(host)", "-addext", "subjectAltName=\(altName)",
                                             "-keyout", key.path, "-out", certificate.path])
        guard made.status == 0 else { throw XCTSkipError("openssl could not make a certificate: \(made.summary)") }
        server = try FolderServer(serving: directory, arguments: ["--tls-cert", certificate.path, "--tls-key", key.path])
    }

    var port: Int { server.port }
    var mirror: String { "https://127.0.0.1:\(port)" }
}

/// A local server standing in for GitHub: `https://github.com/astral-sh/python-build-standalone/releases/
/// download/…` (the fixture catalogue's own URLs) reaches it through `proxy`, set as https_proxy, which
/// relays each `CONNECT github.com:443` to a TLS server whose certificate names github.com and which
/// serves the fixture mirror under that path (Fixtures/serve.py's `--tunnel-to`). With `tunnelling`
/// false the proxy answers every CONNECT 502: GitHub fails, and its attempts can still be counted.
final class GitHubStandIn {
    let tls: TLSMirror
    let proxy: FolderServer

    init(in folder: URL, tunnelling: Bool = true) throws {
        let site = folder.appendingPathComponent("github-\(UUID().uuidString.prefix(6))")
        let releases = site.appendingPathComponent("astral-sh/python-build-standalone/releases")
        try FileManager.default.createDirectory(at: releases, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: releases.appendingPathComponent("download"), withDestinationURL: Paths.mirror)
        tls = try TLSMirror(in: site, serving: site, host: "github.com")
        proxy = try FolderServer(serving: site, arguments: tunnelling ? ["--tunnel-to", "\(tls.port)"] : [])
    }

    /// What sends pyman's https://github.com/… requests here (and trusts the stand-in's certificate).
    var environment: [String: String] {
        ["https_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": "127.0.0.1", "SSL_CERT_FILE": tls.certificate.path]
    }

    /// The status the proxy answered each `CONNECT github.com:443` with, in order: one per attempt.
    func tunnels() throws -> [Int] {
        var components = URLComponents(string: proxy.url("__log"))!
        components.queryItems = [URLQueryItem(name: "prefix", value: "CONNECT ")]
        let entries = try JSONSerialization.jsonObject(with: try TestSupport.httpGet(components.url!)) as? [[String: Any]] ?? []
        XCTAssertEqual(Set(entries.compactMap { $0["path"] as? String }).subtracting(["CONNECT github.com:443"]), [], "\(entries)")
        return entries.compactMap { $0["status"] as? Int }
    }
}
