import Foundation
import XCTest

/// The download cache (`<cache dir>/downloads-v1/<sha256>`), against a mirror of the fixture archives that
/// each test can stop: a second install comes from the cache with no network, a damaged entry is never
/// installed from, concurrent fills leave one whole entry.
final class DownloadCacheTests: XCTestCase {
    let python = FixturePython(version: "3.13.5")

    /// A sandbox whose mirror is a server of its own, and the cache entry its 3.13.5 archive fills.
    func world() throws -> (Sandbox, FolderServer, URL) {
        let sandbox = try Sandbox()
        let server = try FolderServer(serving: Paths.mirror)
        sandbox.environment["PYMAN_PYTHON_MIRROR"] = String(server.url("").dropLast())
        let entry = sandbox.root.appendingPathComponent("cache/downloads-v1/\(try Fixture.sha256(python.archive))")
        return (sandbox, server, entry)
    }

    func installed(_ sandbox: Sandbox, _ arguments: [String] = [], env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let result = try sandbox.pyman(["install", python.version] + arguments, env: env, file: file, line: line)
        XCTAssertEqual(result.status, 0, result.summary, file: file, line: line)
        return result
    }

    func testAnInstallFillsTheCacheAndTheNextOneNeedsNoNetwork() throws {
        var (sandbox, server, entry) = try world()
        _ = try installed(sandbox)
        let archive = Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)")
        XCTAssertEqual(try Data(contentsOf: entry), try Data(contentsOf: archive), "the entry is the archive, byte for byte")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: entry.deletingLastPathComponent().path), [entry.lastPathComponent],
                       "no temporary file is left beside the entry")
        withExtendedLifetime(server) {}
        server = try FolderServer(serving: sandbox.work)   // the mirror's server stopped; the sandbox names its port
        _ = server

        // Into another install dir, reading the same cache: from the cache, and fully working.
        sandbox.environment["PYMAN_INSTALL_DIR"] = sandbox.root.appendingPathComponent("second").path
        _ = try installed(sandbox)
        let python = sandbox.root.appendingPathComponent("second/\(self.python.key)/bin/\(self.python.executable)").path
        try assertRunsFromInstall(python, self.python, install: sandbox.root.appendingPathComponent("second/\(self.python.key)"), sandbox: sandbox)
        _ = try installed(sandbox, ["--reinstall"], env: ["PYMAN_OFFLINE": "1"])
    }

    func testADamagedEntryIsRemovedAndDownloadedAgain() throws {
        let (sandbox, server, entry) = try world()
        _ = try installed(sandbox)
        let whole = try Data(contentsOf: entry)
        for damage in ["truncated", "one byte flipped"] {
            var bytes = whole
            if damage == "truncated" { bytes = bytes.prefix(bytes.count / 2) } else { bytes[bytes.count / 3] ^= 0x01 }
            try bytes.write(to: entry)
            let again = try installed(sandbox, ["--reinstall"])
            XCTAssertTrue(again.stderr.contains("the cached archive \(entry.path) is damaged"), "\(damage): \(again.summary)")
            XCTAssertEqual(try Data(contentsOf: entry), whole, "\(damage): the entry was stored anew from the download")
            XCTAssertTrue(try sandbox.assertConsistent(python))
        }
        withExtendedLifetime(server) {}
    }

    func testADamagedEntryOfflineIsRefusedAndNothingInstalled() throws {
        let (sandbox, server, entry) = try world()
        _ = try installed(sandbox)
        _ = try sandbox.pyman(["uninstall", python.version], env: [:])
        var bytes = try Data(contentsOf: entry)
        bytes[bytes.count / 2] ^= 0x80
        try bytes.write(to: entry)
        let refused = try sandbox.pyman(["install", python.version], env: ["PYMAN_OFFLINE": "1"])
        XCTAssertEqual(refused.status, 1, refused.summary)
        let lines = refused.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, refused.summary)
        XCTAssertTrue(lines.first?.contains("the cached archive \(entry.path) is damaged") ?? false, refused.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: entry.path), "the damaged entry is removed")
        XCTAssertEqual(sandbox.installDirContents(), [], "nothing installed from a damaged entry")
        XCTAssertFalse(try sandbox.assertConsistent(python))
        withExtendedLifetime(server) {}
    }

    func testNoCacheNeitherStoresNorReads() throws {
        var (sandbox, server, entry) = try world()
        _ = try installed(sandbox, env: ["PYMAN_NO_CACHE": "1"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: entry.path), "PYMAN_NO_CACHE=1 stored the archive")
        _ = try installed(sandbox, ["--reinstall"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: entry.path))
        withExtendedLifetime(server) {}
        server = try FolderServer(serving: sandbox.work)
        _ = server
        let network = try sandbox.pyman(["install", "--reinstall", "--no-cache", python.version], env: ["PYMAN_HTTP_RETRIES": "0"])
        XCTAssertEqual(network.status, 1, "--no-cache read the cache: \(network.summary)")
        XCTAssertTrue(network.stderr.contains("download failed"), network.summary)
        XCTAssertTrue(try sandbox.assertConsistent(python), "the install from before is still there")
    }

    func testALocalArchiveIsNotCopiedIntoTheCache() throws {
        let (sandbox, server, entry) = try world()
        let archive = Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)")
        let result = try sandbox.pyman(["install", archive.path], env: [:])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: entry.deletingLastPathComponent().path), "a local archive was cached")
        withExtendedLifetime(server) {}
    }

    /// Two installs (two containers on one cache mount) filling one entry at once: both install, and
    /// the entry is one whole archive, with no temporary file left.
    func testConcurrentFillsLeaveOneWholeEntry() throws {
        let (sandbox, server, entry) = try world()
        let runs = try (1...3).map { n in
            try sandbox.start(["install", python.version], env: ["PYMAN_INSTALL_DIR": sandbox.root.appendingPathComponent("dir\(n)").path])
        }
        for run in runs {
            let result = run.wait(timeout: 120)
            XCTAssertEqual(result.status, 0, result.summary)
        }
        let archive = Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)")
        XCTAssertEqual(try Data(contentsOf: entry), try Data(contentsOf: archive))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: entry.deletingLastPathComponent().path), [entry.lastPathComponent])
        withExtendedLifetime(server) {}
    }

    func testPruneKeepsWhatIsInstalledAndCleanEmptiesTheCache() throws {
        let (sandbox, server, entry) = try world()
        _ = try installed(sandbox)
        let stray = entry.deletingLastPathComponent().appendingPathComponent(String(repeating: "e", count: 64))
        try Data("not an archive".utf8).write(to: stray)
        let pruned = try sandbox.pyman(["cache", "prune"], env: [:])
        XCTAssertEqual(pruned.status, 0, pruned.summary)
        XCTAssertTrue(pruned.stderr.contains("Removed 1 file"), pruned.summary)
        XCTAssertTrue(pruned.stderr.contains("kept 1 archive in use"), pruned.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: entry.path), "the installed Python's archive was pruned")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stray.path))

        _ = try sandbox.pyman(["uninstall", python.version], env: [:])
        _ = try sandbox.pyman(["cache", "prune"], env: [:])
        XCTAssertFalse(FileManager.default.fileExists(atPath: entry.path), "an archive nothing refers to was kept")

        let dir = try sandbox.pyman(["cache", "dir"], env: [:])
        XCTAssertEqual(dir.stdout, sandbox.root.appendingPathComponent("cache").path + "\n")
        _ = try installed(sandbox)
        let cleaned = try sandbox.pyman(["cache", "clean"], env: [:])
        XCTAssertEqual(cleaned.status, 0, cleaned.summary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.root.appendingPathComponent("cache").path), [])
        withExtendedLifetime(server) {}
    }
}
