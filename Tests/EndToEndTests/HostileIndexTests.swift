import Foundation
import XCTest

/// An index, receipt or catalogue written by someone else: keys are folder names and nothing more, paths
/// come from the install dir pyman is given, and numbers a key could not name are refused.
final class HostileIndexTests: XCTestCase {
    /// `pyman list` with each catalogue source fails with one line holding its message.
    func assertListingFails(_ sandbox: Sandbox, _ cases: [(source: String, message: String)], line: UInt = #line) throws {
        for (source, message) in cases {
            sandbox.environment["PYMAN_DOWNLOADS_JSON"] = source
            let listed = try sandbox.pyman("list")
            XCTAssertEqual(listed.status, 1, listed.summary, line: line)
            XCTAssertTrue(listed.stderr.contains(message), listed.summary, line: line)
            XCTAssertEqual(listed.stderr.split(separator: "\n").count, 1, listed.summary, line: line)
        }
    }

    /// The index with its one record copied under other keys.
    func plant(_ keys: [String], in sandbox: Sandbox) throws {
        let index = sandbox.installDir.appendingPathComponent(".pyman-index.json")
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as! [String: Any]
        var installs = document["installs"] as! [[String: Any]]
        for key in keys {
            var copy = installs[0]
            copy["key"] = key
            copy["path"] = sandbox.root.appendingPathComponent("victim").path
            installs.append(copy)
        }
        document["installs"] = installs
        try JSONSerialization.data(withJSONObject: document).write(to: index)
    }

    func testKeysThatAreNotFolderNamesAreIgnored() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman("install", "3.11").status, 0)
        let victim = sandbox.root.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try plant(["../victim", "cpython-3.11.9-linux-x86_64-gnu/../../victim", "cpython-3.11.-1-linux-x86_64-gnu"], in: sandbox)

        let found = try sandbox.pyman("find", "3.11")
        XCTAssertEqual(found.stdout, sandbox.installDir.appendingPathComponent("cpython-3.11.2-linux-x86_64-gnu/bin/python3.11").path + "\n", found.summary)
        XCTAssertTrue(found.stderr.contains("'../victim', which is not an install key; ignored it"), found.summary)
        let listed = try sandbox.pyman("list", "--only-installed")
        XCTAssertEqual(listed.stdout.split(separator: "\n").count, 1, listed.summary)

        let removed = try sandbox.pyman("uninstall", "--all")
        XCTAssertEqual(removed.status, 0, removed.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: victim.appendingPathComponent("bin").path), "a folder outside the install dir was removed: \(removed.summary)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("cpython-3.11.2-linux-x86_64-gnu").path))
    }

    func testPathsFollowTheInstallDirWhenItMoves() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman("install", "3.11", "--no-bin").status, 0)
        let moved = sandbox.root.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: sandbox.installDir, to: moved)
        sandbox.environment["PYMAN_INSTALL_DIR"] = moved.path
        let found = try sandbox.pyman("find", "3.11")
        XCTAssertEqual(found.stdout, moved.appendingPathComponent("cpython-3.11.2-linux-x86_64-gnu/bin/python3.11").path + "\n", found.summary)
        let listed = try sandbox.pyman("list", "--only-installed", "--json")
        XCTAssertTrue(listed.stdout.contains(moved.path + "/cpython-3.11.2-linux-x86_64-gnu"), listed.summary)
        XCTAssertFalse(listed.stdout.contains(sandbox.installDir.path + "/"), listed.summary)
    }

    func testCatalogueEntriesNoKeyCanNameAreLeftOut() throws {
        let sandbox = try Sandbox()
        let file = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        let catalogue = sandbox.root.appendingPathComponent("hostile.json")
        func entry(_ patch: Int, libc: String = "gnu", name: String = "cpython") -> String {
            """
            {"name": "\(name)", "arch": {"family": "x86_64", "variant": null}, "os": "linux", "libc": "\(libc)", "major": 3, "minor": 11,
             "patch": \(patch), "prerelease": "", "url": "https://github.com/astral-sh/python-build-standalone/releases/download/20250723/\(file.replacingOccurrences(of: "+", with: "%2B"))",
             "sha256": "\(try! Fixture.sha256(file))", "variant": null, "build": "20250723"}
            """
        }
        try """
        {"a": \(entry(-1)), "b": \(entry(100000)), "c": \(entry(7, libc: "gnu/../../x")), "d": \(entry(8, name: "..")), "e": \(entry(2))}
        """.write(to: catalogue, atomically: true, encoding: .utf8)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        let listed = try sandbox.pyman("list")
        XCTAssertEqual(listed.status, 0, listed.summary)
        XCTAssertEqual(listed.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] }, ["cpython-3.11.2-linux-x86_64-gnu"], listed.summary)
        let installed = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path).filter { $0 == "x" }, [])
    }

    func testMessagesEscapeControlCharacters() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.pyman("install", "./evil\u{1b}[2J\nerror: forged.tar.gz")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line, no forged second one: \(result.summary)")
        XCTAssertFalse(result.stderr.contains("\u{1b}"), result.summary)
        XCTAssertTrue(result.stderr.contains("evil\\u{1b}[2J\\nerror: forged.tar.gz does not exist"), result.summary)
    }

    func testOnlyHTTPHTTPSAndFileURLsAndRedirectsToHTTPAreFollowed() throws {
        let sandbox = try Sandbox()
        let port = try MirrorServer.shared.start()
        let cases = [
            ("dict://127.0.0.1:9/x", "Protocol \"dict\" not supported or disabled"),
            ("gopher://127.0.0.1:9/x", "Protocol \"gopher\" not supported or disabled"),
            ("http://127.0.0.1:\(port)/fault/redirect/ftp://127.0.0.1:9/x", "Protocol \"ftp\" not supported or disabled"),
            ("http://127.0.0.1:\(port)/fault/redirect/file://\(Paths.catalogue.path)", "Protocol \"file\" not supported or disabled"),
        ]
        try assertListingFails(sandbox, cases)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = "http://127.0.0.1:\(port)/fault/redirect/http://127.0.0.1:\(port)/missing.json"
        let followed = try sandbox.pyman("list")
        XCTAssertTrue(followed.stderr.contains("HTTP 404"), "a redirect to http is followed: \(followed.summary)")
    }

    func testACatalogueIsReadUpToItsLimit() throws {
        let sandbox = try Sandbox()
        let port = try MirrorServer.shared.start()
        let huge = sandbox.root.appendingPathComponent("huge.json")
        FileManager.default.createFile(atPath: huge.path, contents: nil)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 65 * 1_048_576)   // sparse: nothing is written
        try handle.close()
        let cases = [
            ("http://127.0.0.1:\(port)/fault/endless/catalogue.json", "the response is larger than the 64 MiB allowed"),
            (huge.path, "huge.json is 65 MiB, more than the 64 MiB allowed"),
            ("/dev/zero", "cannot read /dev/zero: not a regular file"),
        ]
        try assertListingFails(sandbox, cases)
    }

    func testABinLinkIsPymansOnlyIfItLeadsIntoTheInstallDir() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.binDir, withIntermediateDirectories: true)
        let link = sandbox.binDir.appendingPathComponent("python3.11")
        let foreign = sandbox.installDir.path + "/../../../usr/bin/python3"
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: foreign)
        let installed = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("\(link.path) exists and was not made by pyman"), installed.summary)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), foreign, "the user's link is left alone")
    }
}
