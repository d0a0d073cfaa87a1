import Foundation
import XCTest

/// Real networks (issue 28): mirrors that ask for credentials, downloads that resume after a break, and
/// several mirrors in order, against the fixture server's `auth`, `authredirect`, `reset` and
/// `resetnorange` faults and its request log (Fixtures/serve.py).
final class NetworkTests: XCTestCase {
    let python = FixturePython.all[0]  // 3.11.2, the catalogue's default archive
    /// Fixtures/serve.py's AUTH_USER and AUTH_TOKEN.
    let user = "mirror-user", token = "tok-93f1c7e2-secret"

    var archiveFile: String { Fixture.file(python.version, "install_only_stripped.tar.gz") }

    /// A fault mirror URL with `userinfo@` in it.
    func mirror(_ spec: String, userinfo: String?) throws -> String {
        let plain = try Faults.mirror(spec)
        guard let userinfo else { return plain }
        return plain.replacingOccurrences(of: "http://", with: "http://\(userinfo)@")
    }

    /// The fixture server's log of the requests under `prefix` (a path): status, Range, Authorization.
    func log(under prefix: String, port: Int? = nil) throws -> [[String: Any]] {
        var components = URLComponents(string: "http://127.0.0.1:\(try port ?? MirrorServer.shared.start())/__log")!
        components.queryItems = [URLQueryItem(name: "prefix", value: prefix)]
        return try JSONSerialization.jsonObject(with: try Faults.httpGet(components.url!)) as? [[String: Any]] ?? []
    }

    /// Fails when `secret` is in any file under `folder` (names included) or in what the runs printed.
    func assertNowhere(_ secret: String, under folder: URL, runs: [Run], file: StaticString = #filePath, line: UInt = #line) {
        for run in runs {
            XCTAssertFalse(run.stdout.contains(secret) || run.stderr.contains(secret), "the secret was printed: \(run.summary)", file: file, line: line)
        }
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey])
        var files = 0
        while let url = enumerator?.nextObject() as? URL {
            XCTAssertFalse(url.path.contains(secret), "a file is named with the secret: \(url.path)", file: file, line: line)
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            if values?.isSymbolicLink == true {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? ""
                XCTAssertFalse(target.contains(secret), "a link leads to the secret: \(url.path)", file: file, line: line)
                continue
            }
            guard values?.isRegularFile == true, let data = try? Data(contentsOf: url) else { continue }
            files += 1
            XCTAssertNil(data.range(of: Data(secret.utf8)), "\(url.path) holds the secret", file: file, line: line)
        }
        XCTAssertGreaterThan(files, 100, "the walk found the install's files", file: file, line: line)
    }

    /// The mirror's token is sent, and nowhere shown or kept: not in the receipt, the index, the stored
    /// catalogue's origin, `catalogue show`, pyman.lock, a `--fetch` folder's downloads.json, the cache,
    /// nor in any message, even a failure's (which names the host).
    func testCredentialsInTheURLAreSentAndNeverShownOrStored() throws {
        let sandbox = try Sandbox()
        let catalogueServer = try FolderServer(serving: Paths.fixtures)
        let secretMirror = try mirror("auth", userinfo: "\(user):\(token)")
        sandbox.environment["PYMAN_PYTHON_MIRROR"] = secretMirror
        let catalogueURL = catalogueServer.url("fault/auth@c/download-metadata.json").replacingOccurrences(of: "http://", with: "http://\(user):\(token)@")
        var runs: [Run] = []

        let updated = try sandbox.pyman(["catalogue", "update", "--url", catalogueURL], env: [:])
        XCTAssertEqual(updated.status, 0, updated.summary)
        let shown = try sandbox.pyman(["catalogue", "show"], env: ["PYMAN_DOWNLOADS_JSON": ""])
        XCTAssertTrue(shown.stdout.contains("fetched from http://127.0.0.1:\(catalogueServer.port)/fault/auth@c/download-metadata.json"), shown.summary)
        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_DOWNLOADS_JSON": "", "PYMAN_CATALOGUE_TTL": "never"])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
        let requests = try log(under: Faults.path(of: secretMirror))
        XCTAssertEqual(requests.map { $0["status"] as? Int }, [200], "\(requests)")
        XCTAssertEqual(requests.first?["authorized"] as? Bool, true)

        let project = sandbox.root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        // The catalogue read from the URL with the token, whose relative entries would carry it.
        let locked = try sandbox.pyman(["lock", "3.11", "--fetch", sandbox.root.appendingPathComponent("fetched").path],
                                       env: ["PYMAN_DOWNLOADS_JSON": catalogueURL], cwd: project)
        XCTAssertEqual(locked.status, 0, locked.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("fetched/downloads.json").path))
        let listed = try sandbox.pyman(["list", "--json"], env: [:])
        let viaURL = try sandbox.pyman(["catalogue", "show"], env: ["PYMAN_DOWNLOADS_JSON": catalogueURL])
        XCTAssertTrue(viaURL.stdout.contains("http://****@127.0.0.1:\(catalogueServer.port)/fault/auth@c/download-metadata.json"), viaURL.summary)

        // Refusals name the host, never the secret: wrong credentials, then none.
        let wrong = try sandbox.pyman(["install", "3.13", "--no-cache"], env: ["PYMAN_PYTHON_MIRROR": try mirror("auth", userinfo: "\(user):wrong-\(token)")])
        XCTAssertEqual(wrong.status, 1, wrong.summary)
        XCTAssertTrue(wrong.stderr.contains("127.0.0.1:\(try MirrorServer.shared.start()) refused the credentials given (HTTP 401)"), wrong.summary)
        XCTAssertEqual(wrong.stderr.split(separator: "\n").count, 1, wrong.summary)
        let none = try sandbox.pyman(["install", "3.13", "--no-cache"], env: ["PYMAN_PYTHON_MIRROR": try mirror("auth", userinfo: nil)])
        XCTAssertTrue(none.stderr.contains("asks for credentials and none were given (HTTP 401)"), none.summary)
        runs += [updated, shown, installed, locked, listed, viaURL, wrong, none]
        assertNowhere(token, under: sandbox.root, runs: runs)
        XCTAssertFalse(wrong.stderr.contains("wrong-"), wrong.summary)
    }

    /// `~/.netrc` (here the sandbox's HOME) gives credentials for the host; one that others can read is
    /// refused in one line, before any request.
    func testCredentialsFromNetrcAndAnExposedNetrcRefused() throws {
        let sandbox = try Sandbox()
        let netrc = sandbox.root.appendingPathComponent(".netrc")
        try "machine 127.0.0.1\n  login \(user)\n  password \(token)\n".write(to: netrc, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: netrc.path)
        let plain = try mirror("auth", userinfo: nil)
        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": plain])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertEqual(try log(under: Faults.path(of: plain)).map { $0["authorized"] as? Bool }, [true])

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: netrc.path)
        let other = try mirror("auth", userinfo: nil)
        let refused = try sandbox.pyman(["install", "3.13"], env: ["PYMAN_PYTHON_MIRROR": other])
        XCTAssertEqual(refused.status, 1, refused.summary)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.summary)
        XCTAssertTrue(refused.stderr.contains("the netrc file \(netrc.path) can be read or written by other users, so pyman does not use it; run `chmod 600 \(netrc.path)`"), refused.summary)
        XCTAssertEqual(try log(under: Faults.path(of: other)).count, 0, "no request with an exposed netrc")
        assertNowhere(token, under: sandbox.installDir, runs: [installed, refused])
    }

    /// A mirror that redirects to another port: the credentials stay with the first host (libcurl's
    /// CURLOPT_UNRESTRICTED_AUTH off), the other serves the archive without them.
    func testARedirectToAnotherPortGetsNoCredentials() throws {
        let sandbox = try Sandbox()
        let other = try FolderServer(serving: Paths.mirror)
        let tag = String(UUID().uuidString.prefix(8))
        let secretMirror = try mirror("authredirect", userinfo: "\(user):\(token)") + "/http://127.0.0.1:\(other.port)/fault/ok@\(tag)"
        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": secretMirror])
        XCTAssertEqual(installed.status, 0, installed.summary)
        let first = try log(under: Faults.path(of: secretMirror).components(separatedBy: "/http:")[0])
        XCTAssertEqual(first.map { $0["status"] as? Int }, [302], "\(first)")
        XCTAssertEqual(first.first?["authorized"] as? Bool, true)
        let second = try log(under: "/fault/ok@\(tag)/", port: other.port)
        XCTAssertEqual(second.map { $0["status"] as? Int }, [200], "\(second)")
        XCTAssertEqual(second.first?["authorized"] as? Bool, false, "the credentials went to another port")
        assertNowhere(token, under: sandbox.installDir, runs: [installed])
    }

    /// A reset halfway: the transfer goes on from the byte it reached (the server's log shows the 206 for
    /// that Range), the extraction never notices, the sha256 is the whole archive's; `-q` says nothing.
    func testAResetDownloadResumesWithARangeRequest() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_NO_CACHE"] = "1"
        let size = try FileManager.default.attributesOfItem(atPath: Paths.mirror.appendingPathComponent("\(Fixture.build)/\(archiveFile)").path)[.size] as! Int
        let broken = try Faults.mirror("reset-1")
        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": broken])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("; resuming at "), installed.summary)
        XCTAssertFalse(installed.stderr.contains("retrying"), installed.summary)
        let requests = try log(under: Faults.path(of: broken))
        XCTAssertEqual(requests.map { $0["status"] as? Int }, [200, 206], "\(requests)")
        // The server wrote half before its reset; what reached pyman (the reset may drop the unread tail) is where it goes on.
        let from = Int(((requests.last?["range"] as? String) ?? "").dropFirst("bytes=".count).dropLast()) ?? 0
        XCTAssertTrue(from > 0 && from <= size / 2, "\(requests)")
        let index = try Data(contentsOf: sandbox.installDir.appendingPathComponent(".pyman-index.json"))
        XCTAssertTrue(String(decoding: index, as: UTF8.self).contains(try Fixture.sha256(archiveFile)))
        XCTAssertTrue(try sandbox.assertConsistent(python))

        // Twice broken (half, then half the rest), quietly: two resumptions, no output.
        XCTAssertEqual(try sandbox.pyman(["uninstall", python.version], env: [:]).status, 0)
        let twice = try Faults.mirror("reset-2")
        let quiet = try sandbox.pyman(["install", "3.11", "-q"], env: ["PYMAN_PYTHON_MIRROR": twice])
        XCTAssertEqual(quiet.status, 0, quiet.summary)
        XCTAssertEqual(quiet.stderr, "")
        XCTAssertEqual(try log(under: Faults.path(of: twice)).map { $0["status"] as? Int }, [200, 206, 206])
        XCTAssertTrue(try sandbox.assertConsistent(python))
    }

    /// A server that answers a Range request with the whole file (200): the pass starts over from byte 0,
    /// extraction included, into a fresh folder, and installs the right archive.
    func testAServerThatIgnoresRangesRestartsFromZero() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_NO_CACHE"] = "1"
        let broken = try Faults.mirror("resetnorange-1")
        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": broken])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("and the server did not resume it: it sent the whole file again (HTTP 200)"), installed.summary)
        XCTAssertTrue(installed.stderr.contains("; starting over\n"), installed.summary)
        XCTAssertFalse(installed.stderr.contains("trying the next mirror"), "the same mirror starts over: \(installed.summary)")
        let requests = try log(under: Faults.path(of: broken))
        XCTAssertEqual(requests.map { $0["status"] as? Int }, [200, 200, 200], "\(requests)")
        XCTAssertNotNil(requests[1]["range"] as? String)
        XCTAssertNil(requests[2]["range"] as? String, "the restart asks the whole file")
        XCTAssertTrue(try sandbox.assertConsistent(python))
        XCTAssertEqual(sandbox.installDirContents(), [python.minorLink, python.key], "no temporary folder left")
    }

    /// Several mirrors: a dead first one passes the archive to the second; when all fail, the error
    /// names each and what it said.
    func testADeadFirstMirrorPassesToTheNext() throws {
        let sandbox = try Sandbox()
        let dead = "http://127.0.0.1:1/dead"
        let good = try Faults.mirror("ok")
        let installed = try sandbox.pyman(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": "\(dead) \(good)"])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("\(dead)/\(Fixture.build)/"), installed.summary)
        XCTAssertTrue(installed.stderr.contains("; trying the next mirror"), installed.summary)
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: good)).requests, 1)
        XCTAssertTrue(try sandbox.assertConsistent(python))

        let missing = try Faults.mirror("404")
        let failed = try sandbox.pyman(["install", "3.13"], env: ["PYMAN_PYTHON_MIRROR": "\(dead),\(missing)"])
        XCTAssertEqual(failed.status, 1, failed.summary)
        let error = failed.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        XCTAssertEqual(error.count, 1, failed.summary)
        let line = String(error.first ?? "")
        XCTAssertTrue(line.contains("no mirror gave the archive: download failed:"), line)
        let first = line.range(of: "\(dead)/")?.lowerBound, second = line.range(of: "\(missing)/")?.lowerBound
        XCTAssertNotNil(first, line)
        XCTAssertNotNil(second, line)
        if let first, let second { XCTAssertLessThan(first, second, "in the order tried: \(line)") }
        XCTAssertTrue(line.contains("HTTP 404"), line)
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: missing)).requests, 1, "each mirror once")
        XCTAssertTrue(line.hasSuffix("(https://github.com/astral-sh/python-build-standalone/releases/download/\(Fixture.build)/"
                                     + "\(Fixture.file("3.13.5", "install_only_stripped.tar.gz").replacingOccurrences(of: "+", with: "%2B"))); "
                                     + "check the mirrors (--mirror / PYMAN_PYTHON_MIRROR) and the network"), "the catalogue's own URL last: \(line)")
    }

    /// The catalogue's own URL stays the last resort after the user's mirrors: a dead mirror and one that
    /// answers 404 pass the archive on, and GitHub (a local server standing in, reached as
    /// https://github.com through https_proxy) is asked once, last, and serves it. `lock` (its size
    /// check), `lock --fetch` and `install --locked` go through the same list: the lock's URL is the
    /// catalogue's. When GitHub fails too, it is asked once while the last mirror had the retries, and
    /// the error names every URL tried, GitHub last; offline, neither it nor the second mirror is asked.
    func testTheCatalogueURLIsTheLastResortAfterTheMirrors() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_NO_CACHE"] = "1"   // every step downloads
        let github = try GitHubStandIn(in: sandbox.root)
        let dead = "http://127.0.0.1:1/dead", missing = try Faults.mirror("404")
        sandbox.environment.merge(github.environment) { $1 }
        sandbox.environment["PYMAN_PYTHON_MIRROR"] = "\(dead) \(missing)"
        let file = "\(Fixture.build)/\(archiveFile.replacingOccurrences(of: "+", with: "%2B"))"
        let own = "https://github.com/astral-sh/python-build-standalone/releases/download/\(file)"

        let installed = try sandbox.pyman(["install", "3.11"], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)
        let passed = installed.stderr.range(of: "(\(dead)/\(file)); trying the next mirror\n")
        let last = installed.stderr.range(of: "\(python.key): download failed with HTTP 404 (\(missing)/\(file)); trying the catalogue's own URL, the last resort\n")
        XCTAssertNotNil(passed, installed.summary)
        XCTAssertNotNil(last, installed.summary)
        if let passed, let last { XCTAssertLessThan(passed.lowerBound, last.lowerBound, installed.summary) }
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: missing)).requests, 1)
        XCTAssertEqual(try github.tunnels(), [200], "GitHub asked once, and it served the archive")
        XCTAssertTrue(try sandbox.assertConsistent(python))

        XCTAssertEqual(try sandbox.pyman(["uninstall", python.version], env: [:]).status, 0)
        let fetched = sandbox.root.appendingPathComponent("fetched")
        let locked = try sandbox.pyman(["lock", "3.11", "--fetch", fetched.path], env: [:])
        XCTAssertEqual(locked.status, 0, locked.summary)
        let lock = try String(contentsOf: sandbox.work.appendingPathComponent("pyman.lock"), encoding: .utf8)
        XCTAssertTrue(lock.contains("url = \"\(own)\"\n"), lock)
        XCTAssertEqual(try Data(contentsOf: fetched.appendingPathComponent(archiveFile)),
                       try Data(contentsOf: Paths.mirror.appendingPathComponent("\(Fixture.build)/\(archiveFile)")))
        XCTAssertEqual(try github.tunnels(), [200, 200, 200], "the size asked of GitHub (HEAD), then the archive fetched from it")
        let fromLock = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(fromLock.status, 0, fromLock.summary)
        XCTAssertTrue(fromLock.stderr.contains("trying the catalogue's own URL, the last resort"), fromLock.summary)
        XCTAssertEqual(try github.tunnels(), [200, 200, 200, 200])
        XCTAssertTrue(try sandbox.assertConsistent(python))
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: missing)).requests, 3, "the mirror first each time (the server counts GETs, not lock's HEAD)")

        let down = try GitHubStandIn(in: sandbox.root, tunnelling: false)
        let busy = try Faults.mirror("503")
        let failed = try sandbox.pyman(["install", "3.13"], env: down.environment.merging(["PYMAN_PYTHON_MIRROR": "\(dead),\(busy)", "PYMAN_HTTP_RETRIES": "2"]) { $1 })
        XCTAssertEqual(failed.status, 1, failed.summary)
        let errors = failed.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.map(String.init)
        XCTAssertEqual(errors.count, 1, failed.summary)
        let other = "\(Fixture.build)/\(Fixture.file("3.13.5", "install_only_stripped.tar.gz").replacingOccurrences(of: "+", with: "%2B"))"
        let line = errors.first ?? ""
        XCTAssertTrue(line.hasPrefix("error: cpython-3.13.5-linux-x86_64-gnu: no mirror gave the archive: download failed: "), line)
        XCTAssertTrue(line.hasSuffix("(\(dead)/\(other)); download failed with HTTP 503 (\(busy)/\(other)) after 3 attempts; "
                                     + "download failed: the proxy would not connect to github.com (HTTP 502 to CONNECT) "
                                     + "(https://github.com/astral-sh/python-build-standalone/releases/download/\(other)); "
                                     + "check the mirrors (--mirror / PYMAN_PYTHON_MIRROR) and the network"), line)
        XCTAssertEqual(failed.stderr.components(separatedBy: "retrying (attempt").count - 1, 2, "the retries stay on the last mirror: \(failed.summary)")
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: busy)).requests, 3)
        XCTAssertEqual(try down.tunnels(), [502], "GitHub once, not retried")

        let offline = try sandbox.pyman(["install", "3.13", "--offline"], env: down.environment.merging(["PYMAN_PYTHON_MIRROR": "\(busy) \(missing)"]) { $1 })
        XCTAssertEqual(offline.status, 1, offline.summary)
        XCTAssertEqual(offline.stderr.split(separator: "\n").count, 1, offline.summary)
        XCTAssertTrue(offline.stderr.contains("offline"), offline.summary)
        XCTAssertEqual(try down.tunnels(), [502], "offline, no last resort")
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: busy)).requests, 3)
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: missing)).requests, 3)
    }

    /// With no mirror set, pbs archives come from Astral's release mirror first, GitHub second. Neither
    /// is reachable in tests: a dead proxy refuses both, and the attempts pyman reports show the order.
    func testTheDefaultOrderIsAstralThenGitHub() throws {
        let sandbox = try Sandbox()
        let failed = try sandbox.pyman(["install", "3.11", "--no-cache"],
                                       env: ["PYMAN_PYTHON_MIRROR": "", "https_proxy": "http://127.0.0.1:1", "HTTPS_PROXY": "", "no_proxy": "",
                                             "PYMAN_HTTP_RETRIES": "0"])
        XCTAssertEqual(failed.status, 1, failed.summary)
        let file = "\(Fixture.build)/\(archiveFile.replacingOccurrences(of: "+", with: "%2B"))"
        let astral = "https://releases.astral.sh/github/python-build-standalone/releases/download/\(file)"
        let github = "https://github.com/astral-sh/python-build-standalone/releases/download/\(file)"
        let lines = failed.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, failed.summary)
        XCTAssertTrue(lines[0].contains("(\(astral)); trying the next mirror"), failed.summary)
        XCTAssertTrue(lines[1].hasPrefix("error: "), failed.summary)
        let first = lines[1].range(of: astral)?.lowerBound, second = lines[1].range(of: github)?.lowerBound
        XCTAssertNotNil(first, failed.summary)
        XCTAssertNotNil(second, failed.summary)
        if let first, let second { XCTAssertLessThan(first, second, failed.summary) }
    }
}
