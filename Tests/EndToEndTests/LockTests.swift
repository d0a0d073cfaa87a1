import Foundation
import XCTest

/// `pyman lock`, `pyman install --locked`, `pyman venv` in a locked folder and `pyman lock --fetch`,
/// against a mirror of the fixture archives each test can stop.
final class LockTests: XCTestCase {
    let python = FixturePython(version: "3.13.5")
    let python311 = FixturePython(version: "3.11.2")
    var lockFile: (Sandbox) -> URL { { $0.work.appendingPathComponent("pyman.lock") } }

    func world() throws -> (Sandbox, FolderServer) {
        let sandbox = try Sandbox()
        let server = try FolderServer(serving: Paths.mirror)
        sandbox.environment["PYMAN_PYTHON_MIRROR"] = String(server.url("").dropLast())
        return (sandbox, server)
    }

    func lock(_ sandbox: Sandbox, _ arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let locked = try sandbox.pyman(["lock"] + arguments, env: [:], file: file, line: line)
        XCTAssertEqual(locked.status, 0, locked.summary, file: file, line: line)
        return try String(contentsOf: lockFile(sandbox), encoding: .utf8)
    }

    func testTheLockPinsTheArchiveAndALockedInstallNeedsNoNetworkAfterwards() throws {
        var (sandbox, server) = try world()
        XCTAssertEqual(try sandbox.pyman(["pin", python.minor], env: [:]).status, 0)
        let text = try lock(sandbox)
        let archive = Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)")
        let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as! Int
        for line in ["version = 1", "[[python]]", "request = \"\(python.minor)\"", "key = \"\(python.key)\"", "version = \"\(python.version)\"",
                     "platform = \"linux-x86_64-gnu\"", "build = \"\(python.build)\"", "sha256 = \"\(try Fixture.sha256(python.archive))\"", "size = \(size)",
                     "url = \"https://github.com/astral-sh/python-build-standalone/releases/download/\(python.build)/\(python.archive.replacingOccurrences(of: "+", with: "%2B"))\""] {
            XCTAssertTrue(text.contains(line + "\n"), "pyman.lock lacks `\(line)`:\n\(text)")
        }
        XCTAssertEqual(text.components(separatedBy: "[[python]]").count, 2, "one build: \(text)")
        let installed = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)

        withExtendedLifetime(server) {}
        server = try FolderServer(serving: sandbox.work)   // the mirror's server stopped
        _ = server
        sandbox.environment["PYMAN_INSTALL_DIR"] = sandbox.root.appendingPathComponent("again").path
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = "/nonexistent/catalogue.json"   // the lock needs no catalogue
        let again = try sandbox.pyman(["install", "--locked", "--offline"], env: [:])
        XCTAssertEqual(again.status, 0, again.summary)
        let folder = sandbox.root.appendingPathComponent("again/\(python.key)")
        try assertRunsFromInstall(folder.appendingPathComponent("bin/\(python.executable)").path, python, install: folder, sandbox: sandbox)
    }

    func testATamperedLockInstallsNothing() throws {
        let (sandbox, server) = try world()
        let text = try lock(sandbox, [python.version])
        let sha = try Fixture.sha256(python.archive)
        try text.replacingOccurrences(of: sha, with: String(repeating: "0", count: 64)).write(to: lockFile(sandbox), atomically: true, encoding: .utf8)
        let wrongSHA = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(wrongSHA.status, 1, wrongSHA.summary)
        XCTAssertTrue(wrongSHA.stderr.contains("checksum mismatch"), wrongSHA.summary)
        XCTAssertEqual(sandbox.installDirContents(), [], "nothing installed from an archive the lock does not pin")

        try text.replacingOccurrences(of: "size = ", with: "size = \"").write(to: lockFile(sandbox), atomically: true, encoding: .utf8)
        let broken = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(broken.status, 1, broken.summary)
        XCTAssertEqual(broken.stderr.split(separator: "\n").count, 1, broken.summary)
        XCTAssertTrue(broken.stderr.hasPrefix("error: \(lockFile(sandbox).path) line "), broken.summary)

        // A lock is TOML, so UTF-8: a Latin-1 byte in a comment is refused, not read past.
        let firstLine = text.prefix(while: { $0 != "\n" }).count
        try Data(Array(text.utf8.prefix(firstLine + 1)) + Array("# caf".utf8) + [0xE9] + Array(text.utf8.dropFirst(firstLine))).write(to: lockFile(sandbox))
        let latin1 = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(latin1.status, 1, latin1.summary)
        XCTAssertEqual(latin1.stderr, "error: \(lockFile(sandbox).path) line 2: byte 0xe9 is not UTF-8, and a TOML file must be UTF-8 text; save the file as UTF-8\n")
        XCTAssertEqual(sandbox.installDirContents(), [])

        try FileManager.default.removeItem(at: lockFile(sandbox))
        let missing = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(missing.stderr, "error: there is no pyman.lock in \(sandbox.work.path); run `pyman lock` first\n")
        XCTAssertEqual(sandbox.installDirContents(), [])
        withExtendedLifetime(server) {}
    }

    func testALockWithoutThisPlatformOrThePinnedRequestIsRefused() throws {
        let (sandbox, server) = try world()
        // A catalogue with an aarch64 build too (its archive is the x86-64 one: locking only reads its size).
        let archive = "\(python.build)/\(python.archive.replacingOccurrences(of: "+", with: "%2B"))"
        let catalogue = try sandbox.catalogue([(key: python.key, file: python.archive, sha256: try Fixture.sha256(python.archive))])
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: catalogue)) as! [String: [String: Any]]
        var arm = object[python.key]!
        arm["arch"] = ["family": "aarch64", "variant": NSNull()]
        arm["url"] = "https://github.com/astral-sh/python-build-standalone/releases/download/\(archive)"
        arm["sha256"] = String(repeating: "b", count: 64)
        object["cpython-3.13.5-linux-aarch64-gnu"] = arm
        try JSONSerialization.data(withJSONObject: object).write(to: catalogue)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path

        let both = try lock(sandbox, [python.minor, "--platform", "linux-aarch64-gnu"])
        XCTAssertTrue(both.contains("key = \"cpython-3.13.5-linux-aarch64-gnu\"") && both.contains("key = \"\(python.key)\""), both)
        let armOnly = try lock(sandbox, [python.minor, "--platform", "linux-aarch64-gnu"]).components(separatedBy: "\n\n")
            .filter { !$0.contains("key = \"\(python.key)\"") }.joined(separator: "\n\n")
        try armOnly.write(to: lockFile(sandbox), atomically: true, encoding: .utf8)
        let refused = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(refused.status, 1, refused.summary)
        XCTAssertEqual(refused.stderr, "error: \(lockFile(sandbox).path) pins no build for this machine (linux-x86_64-gnu); it holds linux-aarch64-gnu; run `pyman lock --platform linux-x86_64-gnu` to add it\n")

        _ = try lock(sandbox, [python.minor])
        XCTAssertEqual(try sandbox.pyman(["pin", "3.11"], env: [:]).status, 0)
        let unpinned = try sandbox.pyman(["install", "--locked"], env: [:])
        XCTAssertEqual(unpinned.status, 1, unpinned.summary)
        XCTAssertTrue(unpinned.stderr.contains("holds no build for '3.11' (\(sandbox.work.path)/.python-version asks for it)"), unpinned.summary)
        XCTAssertEqual(sandbox.installDirContents(), [])
        withExtendedLifetime(server) {}
    }

    func testAVenvInALockedFolderUsesTheLockedPython() throws {
        let (sandbox, server) = try world()
        XCTAssertEqual(try sandbox.pyman(["install", python311.version], env: [:]).status, 0)
        _ = try lock(sandbox, [python.minor])
        let made = try sandbox.pyman(["venv"], env: [:])
        XCTAssertEqual(made.status, 0, made.summary)
        XCTAssertTrue(made.stderr.contains("as pyman.lock pins it"), made.summary)
        try assertRunsFromInstall(sandbox.work.appendingPathComponent(".venv/bin/python").path, python,
                                  install: sandbox.installDir.appendingPathComponent(python.key), sandbox: sandbox)
        let other = try sandbox.pyman(["venv", "--python", "3.11", "other"], env: [:])
        XCTAssertEqual(other.status, 1, "a request the lock does not hold: \(other.summary)")
        withExtendedLifetime(server) {}
    }

    func testFetchMakesAnOfflineMirror() throws {
        var (sandbox, server) = try world()
        _ = try lock(sandbox, [python.minor, python311.minor, "--fetch", "mirror"])
        let mirror = sandbox.work.appendingPathComponent("mirror")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mirror.path).sorted(), [python311.archive, python.archive, "downloads.json"].sorted())
        XCTAssertEqual(try Data(contentsOf: mirror.appendingPathComponent(python.archive)),
                       try Data(contentsOf: Paths.mirror.appendingPathComponent("\(python.build)/\(python.archive)")))
        let again = try sandbox.pyman(["lock", python.minor, python311.minor, "--fetch", "mirror"], env: [:])
        XCTAssertTrue(again.stderr.contains("Fetched 0 archives into \(mirror.path) (2 already there)"), again.summary)

        // Elsewhere, with no network and no cache: the folder alone serves.
        withExtendedLifetime(server) {}
        server = try FolderServer(serving: sandbox.work)
        _ = server
        let moved = sandbox.root.appendingPathComponent("air-gapped")
        try FileManager.default.moveItem(at: mirror, to: moved)
        let installed = try sandbox.pyman(["install", python.minor, python311.minor], env: [
            "PYMAN_OFFLINE": "1", "PYMAN_NO_CACHE": "1", "PYMAN_DOWNLOADS_JSON": moved.appendingPathComponent("downloads.json").path,
        ])
        XCTAssertEqual(installed.status, 0, installed.summary)
        try assertRunsFromInstall(sandbox.installDir.appendingPathComponent("\(python.key)/bin/\(python.executable)").path, python,
                                  install: sandbox.installDir.appendingPathComponent(python.key), sandbox: sandbox)
    }

    /// Two patch releases of 3.13 (all the fixtures have: the three-release case is
    /// UninstallSelectionTests'), 3.11 and 3.9: --outdated leaves the newest of each series, keeps what
    /// pyman.lock pins, and the minor link ends on the newest.
    func testUninstallOutdatedKeepsTheNewestAndThePinned() throws {
        let (sandbox, server) = try world()
        let newest = FixturePython(version: "3.13.15"), python39 = FixturePython(version: "3.9.2")
        let catalogue = try sandbox.catalogue(try [python39, python311, python, newest].map {
            (key: $0.key, file: $0.archive, sha256: try Fixture.sha256($0.archive))
        })
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        let installed = try sandbox.pyman(["install", python39.version, python311.version, python.version, newest.version], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)
        _ = try lock(sandbox, ["==\(python.version)"])
        let kept = try sandbox.pyman(["uninstall", "--outdated"], env: [:])
        XCTAssertEqual(kept.status, 0, kept.summary)
        XCTAssertTrue(kept.stderr.contains("Kept \(python.key): pyman.lock pins it"), kept.summary)
        XCTAssertTrue(kept.stderr.contains("Nothing is outdated"), kept.summary)
        XCTAssertEqual(try sandbox.listedKeys(), [python39.key, python311.key, python.key, newest.key].sorted())

        try FileManager.default.removeItem(at: lockFile(sandbox))
        let removed = try sandbox.pyman(["uninstall", "--outdated", "3.13"], env: [:])
        XCTAssertEqual(removed.status, 0, removed.summary)
        XCTAssertTrue(removed.stderr.contains("Uninstalled \(python.key)"), removed.summary)
        XCTAssertEqual(try sandbox.listedKeys(), [python39.key, python311.key, newest.key].sorted(), "the other series are not touched")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.installDir.appendingPathComponent(python.minorLink).path), newest.key)
        XCTAssertTrue(try sandbox.assertConsistent(newest))
        let nothing = try sandbox.pyman(["uninstall", "--outdated"], env: [:])
        XCTAssertTrue(nothing.stderr.contains("Nothing is outdated"), nothing.summary)
        withExtendedLifetime(server) {}
    }
}
