import Foundation
import XCTest

/// `pyman catalogue update/show` and the refresh install makes by itself, against Fixtures/serve.py.
/// The served catalogue's entry for 3.13.5 carries the fixture archive's checksum; the embedded
/// catalogue's entry for the same key carries python-build-standalone's real one, which the fixture
/// archive cannot match. So an install that succeeds used the served catalogue, one that fails with a
/// checksum mismatch the embedded one.
final class CatalogueRefreshTests: XCTestCase {
    let python = FixturePython(version: "3.13.5")
    var archive: String { Fixture.file(python.version, "install_only_stripped.tar.gz") }

    /// A sandbox reading no catalogue file (PYMAN_DOWNLOADS_JSON unset), a server over its root, and
    /// the served catalogue's path there.
    func world() throws -> (Sandbox, FolderServer, String) {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = nil
        // The embedded catalogue also has x86_64_v2-v4 builds of 3.13.5; the fixture archive bears the
        // baseline build's name, which is the one whose checksum must not match.
        sandbox.environment["PYMAN_PYTHON_ARCH"] = "x86_64"
        let served = try sandbox.catalogue([(key: python.key, file: archive, sha256: try Fixture.sha256(archive))])
        return (sandbox, try FolderServer(serving: sandbox.root), served.lastPathComponent)
    }

    var storedFile: (Sandbox) -> URL { { $0.root.appendingPathComponent("cache/catalogue-v1/stored-catalogue") } }

    func show(_ sandbox: Sandbox, env: [String: String] = [:]) throws -> [String: Any] {
        let shown = try sandbox.pyman(["catalogue", "show", "--json"], env: env)
        XCTAssertEqual(shown.status, 0, shown.summary)
        return (try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8))) as? [String: Any] ?? [:]
    }

    func testInstallUsesTheCatalogueFetchedByUpdate() throws {
        let (sandbox, server, served) = try world()
        let never = ["PYMAN_CATALOGUE_TTL": "never"]
        XCTAssertEqual(try show(sandbox)["source"] as? String, "embedded")
        let embedded = try sandbox.pyman(["install", python.version], env: never)
        XCTAssertEqual(embedded.status, 1, embedded.summary)
        XCTAssertTrue(embedded.stderr.contains("checksum mismatch"), "the embedded entry was not the one used: \(embedded.summary)")

        let updated = try sandbox.pyman(["catalogue", "update", "--url", server.url(served)], env: never)
        XCTAssertEqual(updated.status, 0, updated.summary)
        XCTAssertTrue(updated.stderr.contains("Fetched 1 builds from \(server.url(served))"), updated.summary)
        let shown = try show(sandbox)
        XCTAssertEqual(shown["source"] as? String, "fetched")
        XCTAssertEqual(shown["location"] as? String, server.url(served))
        XCTAssertEqual(shown["entries"] as? Int, 1)
        XCTAssertEqual(shown["newestBuild"] as? String, "2025-07-23")
        XCTAssertNotNil(shown["etag"] as? String)
        let text = try sandbox.pyman(["catalogue", "show"], env: [:])
        XCTAssertTrue(text.stdout.contains("fetched from \(server.url(served))"), text.summary)

        let installed = try sandbox.pyman(["install", python.version], env: never)
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
        let listed = try sandbox.pyman(["list"], env: [:])
        XCTAssertEqual(listed.stdout.split(separator: "\n").count, 1, "list offers what the fetched catalogue holds: \(listed.summary)")
        XCTAssertEqual(try server.counters("/" + served).requests, 1, "TTL never: install fetched nothing more")
    }

    func testInstallFetchesByItselfThenOnlyWhenDueWithETag() throws {
        let (sandbox, server, served) = try world()
        let path = "fault/ok@refresh/\(served)"
        sandbox.environment["PYMAN_CATALOGUE_URL"] = server.url(path)
        let installed = try sandbox.pyman(["install", python.version], env: [:])
        XCTAssertEqual(installed.status, 0, "nothing fetched yet: install fetched the catalogue first\n\(installed.summary)")
        XCTAssertTrue(try sandbox.assertConsistent(python))
        XCTAssertEqual(try server.counters("/" + path).requests, 1)

        let again = try sandbox.pyman(["install", python.version, "--reinstall"], env: [:])
        XCTAssertEqual(again.status, 0, again.summary)
        XCTAssertEqual(try server.counters("/" + path).requests, 1, "fetched a minute ago: within the day, not fetched again")

        let fetchedBefore = try show(sandbox)["fetched"] as? String
        Thread.sleep(forTimeInterval: 1.1)   // the fetch time has a resolution of a second
        let due = try sandbox.pyman(["upgrade"], env: ["PYMAN_CATALOGUE_TTL": "0"])
        XCTAssertEqual(due.status, 0, due.summary)
        let counters = try server.counters("/" + path)
        XCTAssertEqual(counters.requests, 2, "TTL 0: upgrade asked again")
        XCTAssertEqual(counters.notModified, 1, "with the stored ETag, answered 304")
        XCTAssertNotEqual(try show(sandbox)["fetched"] as? String, fetchedBefore, "a 304 renews the fetch time")

        let unchanged = try sandbox.pyman(["catalogue", "update"], env: [:])
        XCTAssertEqual(unchanged.status, 0, unchanged.summary)
        XCTAssertTrue(unchanged.stderr.contains("is unchanged"), unchanged.summary)
        XCTAssertEqual(try server.counters("/" + path).notModified, 2)
    }

    /// A 404, a truncated catalogue, a stalled server, a certificate nobody vouches for, a catalogue
    /// without this platform: one line naming the URL, exit 1, and the stored catalogue as it was.
    func testBadServersNeverReplaceTheCatalogueInUse() throws {
        let (sandbox, server, served) = try world()
        XCTAssertEqual(try sandbox.pyman(["catalogue", "update", "--url", server.url(served)], env: [:]).status, 0)
        let before = try Data(contentsOf: storedFile(sandbox))

        let whole = try Data(contentsOf: sandbox.root.appendingPathComponent(served))
        try whole.prefix(whole.count - 40).write(to: sandbox.root.appendingPathComponent("truncated.json"))
        let darwin = String(decoding: whole, as: UTF8.self).replacingOccurrences(of: "\"linux\"", with: "\"darwin\"")
        try Data(darwin.utf8).write(to: sandbox.root.appendingPathComponent("darwin.json"))
        let tls = try TLSMirror(in: sandbox.root, serving: sandbox.root)
        let cases: [(url: String, says: String, env: [String: String])] = [
            (server.url("fault/404/\(served)"), "HTTP 404", [:]),
            (server.url("truncated.json"), "line 1, column", [:]),
            (server.url("fault/stall/\(served)"), "stalled", ["PYMAN_HTTP_TIMEOUT": "2", "PYMAN_HTTP_RETRIES": "0"]),
            ("https://127.0.0.1:\(tls.port)/\(served)", "SSL_CERT_FILE", [:]),
            (server.url("darwin.json"), "offers no Python for linux-x86_64-gnu", [:]),
        ]
        for (url, says, env) in cases {
            let refused = try sandbox.pyman(["catalogue", "update", "--url", url], env: env)
            XCTAssertEqual(refused.status, 1, refused.summary)
            XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.summary)
            XCTAssertTrue(refused.stderr.hasPrefix("error: ") && refused.stderr.contains(url) && refused.stderr.contains(says), refused.summary)
            XCTAssertTrue(refused.stderr.contains("the catalogue in use is kept"), refused.summary)
            XCTAssertEqual(try Data(contentsOf: storedFile(sandbox)), before, "\(url) replaced the stored catalogue")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: storedFile(sandbox).deletingLastPathComponent().path).sorted()
        XCTAssertEqual(names, [".lock", "stored-catalogue"], "no temporary file left behind")
    }

    /// #23, "also broken": a `lock --fetch` folder's downloads.json names its archives relative to
    /// itself; stored by `catalogue update --url`, they resolve against where it came from, offline.
    func testAFolderCatalogueStoredByUpdateResolvesItsRelativeURLs() throws {
        let (sandbox, _, _) = try world()
        let folder = sandbox.root.appendingPathComponent("mirror")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)"),
                                         to: folder.appendingPathComponent(python.archive))
        let written = try sandbox.catalogue(key: python.key, url: python.archive, sha256: try Fixture.sha256(archive))
        let downloads = folder.appendingPathComponent("downloads.json")
        try FileManager.default.moveItem(at: written, to: downloads)
        let offline = ["PYMAN_OFFLINE": "1", "PYMAN_NO_CACHE": "1", "PYMAN_CATALOGUE_TTL": "never"]
        let updated = try sandbox.pyman(["catalogue", "update", "--url", downloads.path], env: offline)
        XCTAssertEqual(updated.status, 0, updated.summary)
        let installed = try sandbox.pyman(["install", python.version], env: offline)
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
    }

    /// #23 finding 7: a catalogue file is read again at every refresh, so it must be as trusted as the
    /// stored copy: one of another user's is not stored, and once it becomes theirs a refresh leaves it
    /// alone (one note) and installs from the copy stored while it was root's.
    func testACatalogueFileOfAnotherUserIsNeitherStoredNorReadAgain() throws {
        try XCTSkipIf(getuid() != 0, "needs root to give a file away")
        let (sandbox, _, _) = try world()
        let folder = sandbox.root.appendingPathComponent("catalogues")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("downloads.json")
        let archiveURL = "file://" + Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)").path
        try FileManager.default.moveItem(at: try sandbox.catalogue(key: python.key, url: archiveURL, sha256: try Fixture.sha256(archive)), to: file)
        let due = ["PYMAN_CATALOGUE_TTL": "0", "PYMAN_CATALOGUE_URL": "file://" + file.path]
        XCTAssertEqual(try sandbox.pyman(["catalogue", "update"], env: due).status, 0)

        // Now another user's, with an entry of theirs: a wrong checksum stands in for their archive.
        try FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: try sandbox.catalogue(key: python.key, url: archiveURL, sha256: String(repeating: "0", count: 64)), to: file)
        XCTAssertEqual(chown(file.path, 65534, 65534), 0)
        let refused = try sandbox.pyman(["catalogue", "update"], env: due)
        XCTAssertEqual(refused.status, 1, refused.summary)
        XCTAssertEqual(refused.stderr, "error: the catalogue file \(file.path) belongs to user 65534, not to you or root, so they could change what pyman runs; remove it, or choose another file\n")
        let installed = try sandbox.pyman(["install", python.version], env: due)
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("catalogue not refreshed: the catalogue file \(file.path) belongs to user 65534"), installed.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python))
    }

    /// A refresh that fails (an error status, a stalled server) costs install one note and at most
    /// about ten seconds; the install goes on with the catalogue it has, and its exit status is its own.
    func testAFailedRefreshIsOneNoteAndInstallGoesOn() throws {
        let (sandbox, server, served) = try world()
        XCTAssertEqual(try sandbox.pyman(["catalogue", "update", "--url", server.url(served)], env: [:]).status, 0)
        for spec in ["500", "stall"] {
            let url = server.url("fault/\(spec)/\(served)")
            let started = Date()
            let installed = try sandbox.pyman(["install", python.version, "--reinstall"],
                                              env: ["PYMAN_CATALOGUE_URL": url, "PYMAN_CATALOGUE_TTL": "0"], timeout: 40)
            XCTAssertEqual(installed.status, 0, installed.summary)
            let notes = installed.stderr.split(separator: "\n").filter { $0.contains("catalogue not refreshed") }
            XCTAssertEqual(notes.count, 1, installed.summary)
            XCTAssertTrue(notes.first?.contains(url) ?? false, installed.summary)
            XCTAssertTrue(notes.first?.contains("using the one fetched") ?? false, installed.summary)
            XCTAssertLessThan(Date().timeIntervalSince(started), 30, "a stalled refresh held install up: \(installed.summary)")
        }
        XCTAssertTrue(try sandbox.assertConsistent(python))
        let quiet = try sandbox.pyman(["install", python.version, "-q"], env: ["PYMAN_CATALOGUE_URL": server.url("fault/500/\(served)"), "PYMAN_CATALOGUE_TTL": "0"])
        XCTAssertEqual(quiet.status, 0, quiet.summary)
        XCTAssertEqual(quiet.stderr, "", "-q silences the note")
    }

    /// find, list --only-installed, dir, pin and venv with an installed Python read no catalogue and
    /// open no connection, even with a catalogue due at every use; offline, nothing does.
    func testCommandsThatNeedNoCatalogueTouchNoNetwork() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman(["install", python.version], env: [:]).status, 0)
        let listener = try FolderServer(serving: sandbox.root)
        let counted = ["PYMAN_DOWNLOADS_JSON": "", "PYMAN_CATALOGUE_URL": listener.url("catalogue.json"),
                       "PYMAN_CATALOGUE_TTL": "0", "PYMAN_PYTHON_MIRROR": listener.url("mirror")]
        let before = try listener.counters().connections
        let commands: [[String]] = [
            ["find", python.minor], ["list", "--only-installed"], ["dir"], ["dir", "--bin"], ["pin", python.minor],
            ["venv", "v1", "--python", python.minor], ["venv", "v2"], ["catalogue", "show"],
        ]
        for arguments in commands {
            let ran = try sandbox.pyman(arguments, env: counted)
            XCTAssertEqual(ran.status, 0, ran.summary)
        }
        XCTAssertEqual(try listener.counters().connections, before + 1, "a command connected (only the counter query may)")

        for offline in [["PYMAN_OFFLINE": "1"], ["PYMAN_OFFLINE": "true"]] {
            let install = try sandbox.pyman(["install", "3.11"], env: counted.merging(offline) { $1 })
            XCTAssertEqual(install.status, 1, install.summary)
            XCTAssertTrue(install.stderr.contains("offline"), install.summary)
        }
        let flagged = try sandbox.pyman(["install", "3.11", "--offline"], env: counted)
        XCTAssertEqual(flagged.status, 1, flagged.summary)
        XCTAssertTrue(flagged.stderr.contains("offline"), flagged.summary)
        let update = try sandbox.pyman(["catalogue", "update", "--offline"], env: counted)
        XCTAssertEqual(update.status, 1, update.summary)
        XCTAssertTrue(update.stderr.contains("offline") && update.stderr.contains("PYMAN_OFFLINE"), update.summary)
        XCTAssertEqual(try listener.counters().connections, before + 2, "offline, a command connected")

        // A local archive needs no catalogue: a missing one is never opened.
        let archive = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(Fixture.file("3.11.2", "install_only_stripped.tar.gz"))")
        let local = try sandbox.pyman(["install", archive.path, "--offline"], env: counted.merging(["PYMAN_DOWNLOADS_JSON": "/nonexistent/catalogue.json"]) { $1 })
        XCTAssertEqual(local.status, 0, local.summary)
        XCTAssertTrue(try sandbox.assertConsistent(FixturePython(version: "3.11.2")))
        XCTAssertEqual(try listener.counters().connections, before + 3)
    }

    /// Updates racing each other from two catalogues: the stored file is always one of them, whole.
    func testTwoUpdatesAtOnceLeaveOneWholeFile() throws {
        let (sandbox, server, served) = try world()
        let other = try sandbox.catalogue([(key: python.key, file: archive, sha256: try Fixture.sha256(archive)),
                                           (key: "cpython-3.11.2-linux-x86_64-gnu", file: Fixture.file("3.11.2", "install_only_stripped.tar.gz"), sha256: nil)])
        for _ in 0..<4 {
            let first = try sandbox.start(["catalogue", "update", "--url", server.url(served)])
            let second = try sandbox.start(["catalogue", "update", "--url", server.url(other.lastPathComponent)])
            XCTAssertEqual(first.wait().status, 0)
            XCTAssertEqual(second.wait().status, 0)
            let shown = try show(sandbox)
            XCTAssertTrue([1, 2].contains(shown["entries"] as? Int ?? 0), "\(shown)")
            let listed = try sandbox.pyman(["list", "--json"], env: [:])
            XCTAssertEqual(listed.status, 0, listed.summary)
            XCTAssertFalse(listed.stderr.contains("warning"), listed.summary)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: storedFile(sandbox).deletingLastPathComponent().path).sorted()
        XCTAssertEqual(names, [".lock", "stored-catalogue"])
    }
}
