import Foundation
import XCTest

/// Catalogues that lie: each entry points at a real fixture archive with its true sha256, but its key
/// claims another version, implementation, variant or CPU. The install must refuse in the temporary
/// folder, before the commit: exit 1, one line naming what the catalogue says and what the archive
/// holds, nothing in the install dir and nothing in the index. (The fixtures hold no free-threaded
/// archive, so "plain key, free-threaded archive" is covered by ArchiveIdentityCheckTests on a crafted tree.)
final class ArchiveIdentityTests: XCTestCase {
    static let pypyArchive = "pypy3.9-v7.3.11-linux64.tar.bz2"

    /// A uv-shaped catalogue entry for `key` (whose parts become the entry's fields) at `url`.
    func entry(_ key: String, url: String, sha256: String) -> [String: Any] {
        let parts = key.split(separator: "-").map(String.init)
        let versionAndVariant = parts[1].split(separator: "+", maxSplits: 1).map(String.init)
        let numbers = versionAndVariant[0].split(separator: ".").map(String.init)
        let patchDigits = numbers[2].prefix { $0.isNumber }
        return [
            "name": parts[0], "arch": ["family": parts[3], "variant": NSNull()], "os": parts[2], "libc": parts[4],
            "major": Int(numbers[0])!, "minor": Int(numbers[1])!, "patch": Int(patchDigits)!,
            "prerelease": String(numbers[2].dropFirst(patchDigits.count)),
            "url": url, "sha256": sha256, "variant": versionAndVariant.count > 1 ? versionAndVariant[1] : NSNull(), "build": "20250723",
        ]
    }

    func writeCatalogue(_ entries: [String: [String: Any]], in folder: URL, name: String = "lies.json") throws -> URL {
        let path = folder.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: entries).write(to: path)
        return path
    }

    func mirrorURL(_ file: String) throws -> String {
        "http://127.0.0.1:\(try MirrorServer.shared.start())/\(Fixture.build)/\(file.replacingOccurrences(of: "+", with: "%2B"))"
    }

    /// Installs `key` from a one-entry catalogue at `url` and checks the refusal.
    func assertRefused(_ key: String, url: String, sha256: String, says: [String], request: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        let catalogue = try writeCatalogue([key: entry(key, url: url, sha256: sha256)], in: sandbox.root)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        try assertRefusal(sandbox, ["install", request ?? key], key: key, says: says, file: file, line: line)
    }

    func assertRefusal(_ sandbox: Sandbox, _ arguments: [String], key: String, says: [String],
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let index = sandbox.installDir.appendingPathComponent(".pyman-index.json")
        let indexBefore = try? Data(contentsOf: index)
        let refused = try sandbox.pyman(arguments, env: [:])
        XCTAssertEqual(refused.status, 1, refused.summary, file: file, line: line)
        let lines = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(lines.count, 1, refused.summary, file: file, line: line)
        let message = lines.first.map(String.init) ?? ""
        XCTAssertTrue(message.hasPrefix("error: \(key): the archive holds "), refused.summary, file: file, line: line)
        XCTAssertTrue(message.contains("as the catalogue says; nothing was installed"), refused.summary, file: file, line: line)
        for part in says { XCTAssertTrue(message.contains(part), "no \"\(part)\" in: \(refused.summary)", file: file, line: line) }
        XCTAssertEqual(sandbox.installDirContents(), [], "something was installed", file: file, line: line)
        if let indexBefore {
            XCTAssertEqual(try? Data(contentsOf: index), indexBefore, "the index changed", file: file, line: line)
        } else if let written = try? Data(contentsOf: index) {
            // Reading an absent index writes an empty one (a rebuild from the folders): no install in it.
            let installs = ((try? JSONSerialization.jsonObject(with: written)) as? [String: Any])?["installs"] as? [Any]
            XCTAssertEqual(installs?.count, 0, String(decoding: written, as: UTF8.self), file: file, line: line)
        }
        XCTAssertEqual(try sandbox.listedKeys(file: file, line: line), [], file: file, line: line)
    }

    func testAnotherVersionIsRefused() throws {
        let archive = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        try assertRefused("cpython-3.11.99-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["CPython 3.11.2, not 3.11.99"])
        try assertRefused("cpython-3.11.2rc1-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["CPython 3.11.2, not 3.11.2rc1"])
        // Another minor altogether: named by what it holds, not by a missing folder.
        try assertRefused("cpython-3.9.2-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["CPython 3.11.2, not 3.9.2"])
        // PyPy's header states the Python version its key names.
        let pypy = "http://127.0.0.1:\(try MirrorServer.shared.start())/pypy/\(Self.pypyArchive)"
        try assertRefused("pypy-3.9.99-linux-x86_64-gnu", url: pypy, sha256: try Fixture.sha256(Self.pypyArchive),
                          says: ["PyPy 3.9.16, not 3.9.99"])
    }

    func testAnotherImplementationIsRefused() throws {
        let cpython = Fixture.file("3.9.2", "install_only_stripped.tar.gz")
        try assertRefused("pypy-3.9.2-linux-x86_64-gnu", url: try mirrorURL(cpython), sha256: try Fixture.sha256(cpython),
                          says: ["CPython 3.9.2, not PyPy 3.9.2"])
        let pypy = "http://127.0.0.1:\(try MirrorServer.shared.start())/pypy/\(Self.pypyArchive)"
        try assertRefused("cpython-3.9.16-linux-x86_64-gnu", url: pypy, sha256: try Fixture.sha256(Self.pypyArchive),
                          says: ["PyPy 3.9.16, not CPython 3.9.16"])
    }

    func testAFreeThreadedKeyOnAGILBuildIsRefused() throws {
        let archive = Fixture.file("3.13.5", "install_only_stripped.tar.gz")
        try assertRefused("cpython-3.13.5+freethreaded-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["with the GIL", "not a free-threaded one"])
    }

    /// The 3.11.2 fixture with bin/python3.11's e_machine set to AArch64 (183), repacked under the same
    /// name in `folder`; returns its path.
    func aarch64Copy(in folder: URL) throws -> URL {
        let name = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        let unpacked = folder.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        let source = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(name)")
        XCTAssertEqual(try EndToEndTests.run("/bin/tar", ["-xzf", source.path, "-C", unpacked.path]).status, 0)
        let binary = unpacked.appendingPathComponent("python/bin/python3.11")
        let handle = try FileHandle(forUpdating: binary)
        try handle.seek(toOffset: 18)
        try handle.write(contentsOf: Data([183, 0]))   // little-endian EM_AARCH64
        try handle.close()
        let repacked = folder.appendingPathComponent(name)
        XCTAssertEqual(try EndToEndTests.run("/bin/tar", ["-czf", repacked.path, "-C", unpacked.path, "python"]).status, 0)
        return repacked
    }

    func testABinaryForAnotherCPUIsRefusedFromACatalogueAndAsALocalFile() throws {
        let sandbox = try Sandbox()
        let served = sandbox.root.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let archive = try aarch64Copy(in: served)
        let sha256 = try EndToEndTests.run("/usr/bin/sha256sum", [archive.path]).stdout.split(separator: " ").first.map(String.init) ?? ""
        let server = try FolderServer(serving: served)
        let key = "cpython-3.11.2-linux-x86_64-gnu"
        let catalogue = try writeCatalogue([key: entry(key, url: server.url(archive.lastPathComponent), sha256: sha256)], in: sandbox.root)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        try assertRefusal(sandbox, ["install", key], key: key, says: ["bin/python3.11 built for aarch64", "not x86_64"])
        try assertRefusal(sandbox, ["install", archive.path], key: key, says: ["bin/python3.11 built for aarch64", "not x86_64"])
    }

    /// A catalogue from a server may not name files of this machine; the same catalogue read from a
    /// file may (as `pyman lock --fetch` writes them).
    func testARemoteCatalogueMayNotNameLocalFiles() throws {
        let sandbox = try Sandbox()
        let archive = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(Fixture.file("3.11.2", "install_only_stripped.tar.gz"))")
        let key = "cpython-3.11.2-linux-x86_64-gnu"
        let catalogue = try writeCatalogue([key: entry(key, url: archive.absoluteString, sha256: try Fixture.sha256(archive.lastPathComponent))], in: sandbox.root)
        let server = try FolderServer(serving: sandbox.root)
        let remote = try sandbox.pyman(["install", key], env: ["PYMAN_DOWNLOADS_JSON": server.url(catalogue.lastPathComponent)])
        XCTAssertEqual(remote.status, 1, remote.summary)
        XCTAssertEqual(remote.stderr.split(separator: "\n").count, 1, remote.summary)
        XCTAssertTrue(remote.stderr.hasPrefix("error: \(key): the remote catalogue names a local file (file://"), remote.summary)
        XCTAssertEqual(sandbox.installDirContents(), [])

        // Stored by `catalogue update` from the server: the same refusal.
        let updated = try sandbox.pyman(["catalogue", "update", "--url", server.url(catalogue.lastPathComponent)], env: ["PYMAN_DOWNLOADS_JSON": ""])
        XCTAssertEqual(updated.status, 0, updated.summary)
        let stored = try sandbox.pyman(["install", key], env: ["PYMAN_DOWNLOADS_JSON": "", "PYMAN_CATALOGUE_TTL": "never"])
        XCTAssertEqual(stored.status, 1, stored.summary)
        XCTAssertTrue(stored.stderr.contains("the remote catalogue names a local file"), stored.summary)
        XCTAssertEqual(sandbox.installDirContents(), [])

        let local = try sandbox.pyman(["install", key], env: ["PYMAN_DOWNLOADS_JSON": catalogue.path])
        XCTAssertEqual(local.status, 0, local.summary)
        XCTAssertTrue(try sandbox.assertConsistent(FixturePython(version: "3.11.2")))
    }
}
