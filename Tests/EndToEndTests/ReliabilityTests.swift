import Foundation
import XCTest

/// Network and source faults (issue 4): the real binary against the fixture server's fault injection
/// (Fixtures/serve.py), a TLS server with a self-signed certificate, and the server acting as a proxy.
/// Every failure must be one clear line and leave nothing installed; transient ones are retried.
/// The other ReliabilityTests classes: ArchiveReliabilityTests (hostile archives), CrashReliabilityTests
/// (kills, disk full), ConcurrencyReliabilityTests. docs/reliability.md maps guarantees to tests.
final class ReliabilityTests: XCTestCase {
    let python = FixturePython.all[0]  // 3.11.2, the catalogue's default archive
    var archivePath: String { "/\(Fixture.build)/\(Fixture.file(python.version, "install_only_stripped.tar.gz").replacingOccurrences(of: "+", with: "%2B"))" }
    /// The catalogue's own URL of that archive: the last resort after the mirror (refused at once in
    /// tests: the sandbox's https_proxy is a closed port).
    var github: String { "https://github.com/astral-sh/python-build-standalone/releases/download" + archivePath }
    /// How an error that went through the whole mirror list ends.
    var lastResortEnd: String { "(\(github)); check the mirrors (--mirror / PYMAN_PYTHON_MIRROR) and the network\n" }

    /// Exit 1, exactly one line on stderr, nothing in the install dir, nothing listed.
    func assertRefused(_ result: Run, _ sandbox: Sandbox, mentioning parts: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.status, 1, result.summary, file: file, line: line)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        XCTAssertEqual(errors.count, 1, result.summary, file: file, line: line)
        for part in parts {
            XCTAssertTrue(errors.first?.contains(part) ?? false, "'\(part)' missing from: \(result.stderr)", file: file, line: line)
        }
        XCTAssertFalse(result.stderr.contains("Fatal error"), result.summary, file: file, line: line)
        XCTAssertEqual(sandbox.installDirContents(), [], "nothing but locks and the index may remain", file: file, line: line)
        XCTAssertEqual(try sandbox.listedKeys(file: file, line: line), [], file: file, line: line)
    }

    /// Neither is retried. A 404 passes the archive to the catalogue's own URL, the last resort (one
    /// note, then the error naming both); a 403 ends the list: the mirror wants credentials.
    func testNotFoundAndForbiddenAreOneLineNamingURLAndStatus() throws {
        let sandbox = try Sandbox()
        for status in [404, 403] {
            let mirror = try Faults.mirror("\(status)")
            let result = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": mirror])
            try assertRefused(result, sandbox, mentioning: ["HTTP \(status)", mirror + archivePath])
            XCTAssertEqual(result.stderr.split(separator: "\n").count, status == 404 ? 2 : 1, "no retry of a \(status): \(result.stderr)")
            XCTAssertEqual(try Faults.requests(under: Faults.path(of: mirror)).requests, 1)
            XCTAssertFalse(result.stderr.contains("retrying"), result.stderr)
            if status == 404 {
                XCTAssertTrue(result.stderr.hasPrefix("\(python.key): download failed with HTTP 404 (\(mirror + archivePath)); trying the catalogue's own URL, the last resort\n"), result.stderr)
                XCTAssertTrue(result.stderr.hasSuffix(lastResortEnd), result.stderr)
            } else {
                XCTAssertFalse(result.stderr.contains(github), "a 403 ends the list: \(result.stderr)")
            }
        }
    }

    func testTruncatedBodyIsAnErrorAndInstallsNothing() throws {
        let sandbox = try Sandbox()
        let mirror = try Faults.mirror("truncate")
        let result = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": mirror, "PYMAN_HTTP_RETRIES": "1"])
        try assertRefused(result, sandbox, mentioning: ["bytes remaining to read", mirror + archivePath + ") after 2 attempts; ", github])
        XCTAssertTrue(result.stderr.hasSuffix(lastResortEnd), "the catalogue's own URL, once, last: \(result.stderr)")
        // Each pass: the truncated body, then a Range request this fault answers with the whole file
        // (200, refused). The first such refusal starts the pass over on the same mirror without counting
        // as an attempt; then 2 attempts: 3 passes, 6 requests. NetworkTests covers resumptions that succeed.
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: mirror)).requests, 6)
    }

    /// 500/502/503, twice each, then the real file: installed on the third attempt, after backoff delays
    /// of 0.5 s and 1 s. (A connection reset mid-body resumes instead: NetworkTests.)
    func testTransientFailuresAreRetriedWithBackoffThenInstalled() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_NO_CACHE"] = "1"   // every round must reach the network, not the cache the first filled
        for spec in ["500-2", "502-2", "503-2"] {
            let mirror = try Faults.mirror(spec)
            let started = Date()
            let result = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": mirror])
            let elapsed = Date().timeIntervalSince(started)
            XCTAssertEqual(result.status, 0, "\(spec): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("retrying (attempt 2 of 3)") && result.stderr.contains("retrying (attempt 3 of 3)"), result.stderr)
            XCTAssertGreaterThanOrEqual(elapsed, 1.5, "\(spec): retries must back off (0.5 s, then 1 s)")
            XCTAssertEqual(try Faults.requests(under: Faults.path(of: mirror)).requests, 3, spec)
            XCTAssertTrue(try sandbox.assertConsistent(python), spec)
            XCTAssertEqual(sandbox.installDirContents(), [python.minorLink, python.key], "no temporary folder left by the failed attempts")
            XCTAssertEqual(try sandbox.pyman(["uninstall", python.version], env: [:]).status, 0)
        }
    }

    /// The mirror's attempts are named after its URL; the catalogue's own URL follows, tried once.
    func testFinalFailureNamesTheAttempts() throws {
        let sandbox = try Sandbox()
        for (retries, attempts) in [("1", " after 2 attempts"), ("0", "")] {
            let mirror = try Faults.mirror("503")
            let result = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": mirror, "PYMAN_HTTP_RETRIES": retries])
            try assertRefused(result, sandbox, mentioning: ["HTTP 503", mirror + archivePath])
            XCTAssertTrue(result.stderr.hasSuffix(lastResortEnd), result.stderr)
            XCTAssertTrue(result.stderr.contains("error: \(python.key): no mirror gave the archive: download failed with HTTP 503 (\(mirror + archivePath))\(attempts); download failed: "), result.stderr)
            XCTAssertEqual(try Faults.requests(under: Faults.path(of: mirror)).requests, Int(retries)! + 1)
        }
    }

    /// Headers and 16 bytes, then silence: abandoned once libcurl's speed (averaged over up to 5 s) has
    /// stayed under 1 byte/s for PYMAN_HTTP_TIMEOUT seconds, here about 7 s. A stall is transient: a
    /// server that stalls once is retried.
    func testStalledServerTimesOut() throws {
        let sandbox = try Sandbox()
        let mirror = try Faults.mirror("stall")
        let started = Date()
        let result = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": mirror, "PYMAN_HTTP_TIMEOUT": "1", "PYMAN_HTTP_RETRIES": "0"], timeout: 30)
        XCTAssertLessThan(Date().timeIntervalSince(started), 12)
        try assertRefused(result, sandbox, mentioning: ["stalled", "PYMAN_HTTP_TIMEOUT", mirror + archivePath])

        let once = try Faults.mirror("stall-1")
        let retried = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": once, "PYMAN_HTTP_TIMEOUT": "1"], timeout: 30)
        XCTAssertEqual(retried.status, 0, retried.summary)
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: once)).requests, 2)
        XCTAssertTrue(try sandbox.assertConsistent(python))
    }

    func testCatalogueEntryWithoutChecksumNeedsNoVerify() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue([(python.key, Fixture.file(python.version, "install_only_stripped.tar.gz"), nil)]).path
        let refused = try sandbox.pyman(["install", "3.11"], env: [:])
        try assertRefused(refused, sandbox, mentioning: ["gives no sha256 for \(python.key)", "--no-verify"])
        let installed = try sandbox.pyman(["install", "3.11", "--no-verify"], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
    }

    func testMalformedCatalogueNamesTheFileAndWhere() throws {
        let sandbox = try Sandbox()
        let broken = sandbox.root.appendingPathComponent("broken.json")
        try "{\n  \"cpython-3.11.2-linux-x86_64-gnu\": {\n    \"name\": \"cpython\",,\n  }\n}\n".write(to: broken, atomically: true, encoding: .utf8)
        let incomplete = try sandbox.catalogue(key: python.key, url: "https://example.invalid/x.tar.gz", sha256: nil)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: incomplete)) as! [String: [String: Any]]
        object[python.key]!["url"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: incomplete)

        for (catalogue, wanted) in [(broken, "line 3, column"), (incomplete, "lacks \"url\"")] {
            for command in [["install", "3.11"], ["list"]] {
                let result = try sandbox.pyman(command, env: ["PYMAN_DOWNLOADS_JSON": catalogue.path])
                XCTAssertEqual(result.status, 1, result.summary)
                XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.summary)
                XCTAssertTrue(result.stderr.contains("malformed catalogue \(catalogue.path)") && result.stderr.contains(wanted), result.summary)
            }
        }
        XCTAssertEqual(sandbox.installDirContents(), [])
    }

    /// https is always verified: a self-signed server is refused (also with --no-verify, which is about
    /// checksums only) until SSL_CERT_FILE or SSL_CERT_DIR names its certificate.
    func testHTTPSIsVerifiedAndHonoursSSLCertFileAndDir() throws {
        let sandbox = try Sandbox()
        let server = try TLSMirror(in: sandbox.root)
        let refused = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": server.mirror])
        try assertRefused(refused, sandbox, mentioning: ["SSL_CERT_FILE", server.mirror + archivePath])
        let unchecked = try sandbox.pyman(["install", "3.11", "--no-verify"], env: ["PYMAN_PYTHON_MIRROR": server.mirror])
        try assertRefused(unchecked, sandbox, mentioning: ["SSL_CERT_FILE"])

        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": server.mirror, "SSL_CERT_FILE": server.certificate.path])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
        XCTAssertEqual(try sandbox.pyman(["uninstall", "--all"], env: [:]).status, 0)

        let folder = sandbox.root.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: server.certificate, to: folder.appendingPathComponent("pyman-test.pem"))
        let hashed = try EndToEndTests.run("/usr/bin/env", ["openssl", "rehash", folder.path])
        XCTAssertEqual(hashed.status, 0, hashed.summary)
        let viaDir = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": server.mirror, "SSL_CERT_DIR": folder.path])
        XCTAssertEqual(viaDir.status, 0, viaDir.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
    }

    /// http_proxy is honoured (the mirror's host does not even resolve: only the proxy can answer),
    /// and no_proxy exempts a host from a proxy that would fail.
    func testProxyVariablesAreHonoured() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_NO_CACHE"] = "1"   // each reinstall must download, through the proxy or not
        let port = try MirrorServer.shared.start()
        let tag = String(UUID().uuidString.prefix(8))
        let viaProxy = try sandbox.pyman(["install", "3.11"], env: [
            "PYMAN_PYTHON_MIRROR": "http://pyman-proxy-test.invalid/fault/ok@\(tag)", "http_proxy": "http://127.0.0.1:\(port)",
        ])
        XCTAssertEqual(viaProxy.status, 0, viaProxy.summary)
        let counted = try Faults.requests(under: "/fault/ok@\(tag)/")
        XCTAssertEqual(counted.requests, 1)
        XCTAssertEqual(counted.proxied, 1, "the download went through the proxy")
        XCTAssertTrue(try sandbox.assertConsistent(python))

        let direct = try Faults.mirror("ok")
        let exempt = try sandbox.pyman(["install", "3.11", "--reinstall"], env: [
            "PYMAN_PYTHON_MIRROR": direct, "http_proxy": "http://127.0.0.1:9", "no_proxy": "127.0.0.1",
        ])
        XCTAssertEqual(exempt.status, 0, exempt.summary)
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: direct)).proxied, 0)
        let deadProxy = try sandbox.pyman(["install", "3.11", "--reinstall"], env: [
            "PYMAN_PYTHON_MIRROR": direct, "http_proxy": "http://127.0.0.1:9", "no_proxy": "", "PYMAN_HTTP_RETRIES": "0",
        ])
        XCTAssertEqual(deadProxy.status, 1, "without no_proxy the dead proxy is used: \(deadProxy.summary)")
        XCTAssertTrue(try sandbox.assertConsistent(python), "a failed reinstall keeps the old install")
    }

    /// What InstallTests.testBadInputGetsOneClearLine does not cover: other commands' bad requests, a
    /// catalogue URL that fails, a version nobody installed.
    func testMoreBadInputGetsOneClearLine() throws {
        let sandbox = try Sandbox()
        let missing = try Faults.mirror("404") + "/download-metadata.json"
        let cases: [([String], [String: String], String, Int32)] = [
            (["find", "3..13"], [:], "invalid Python request '3..13'", 1),
            (["list", "graalpy3.10"], [:], "pyman installs CPython and PyPy", 1),
            (["uninstall", "3.11"], [:], "no installed Python matches '3.11'", 1),
            (["uninstall", "3.11", "--all"], [:], "not both", 2),
            (["install", "3.11"], ["PYMAN_DOWNLOADS_JSON": missing], "cannot read the catalogue \(missing): download failed with HTTP 404", 1),
            (["install", "3.11"], ["PYMAN_DOWNLOADS_JSON": "file:///nonexistent/catalogue.json"], "cannot read the catalogue file:///nonexistent/catalogue.json", 1),
        ]
        for (arguments, overrides, message, status) in cases {
            let result = try sandbox.pyman(arguments, env: overrides)
            XCTAssertEqual(result.status, status, result.summary)
            // A usage error (status 2) is one line followed by swift-argument-parser's usage summary.
            let lines = result.stderr.split(separator: "\n")
            XCTAssertTrue(status == 2 ? lines.first?.hasPrefix("Error: ") ?? false : lines.count == 1, result.summary)
            XCTAssertTrue(lines.first?.contains(message) ?? false, result.summary)
            XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Stack dump"), result.summary)
        }
        XCTAssertEqual(sandbox.installDirContents(), [])
    }
}
