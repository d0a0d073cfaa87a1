import Foundation
import XCTest

/// install, list, find, uninstall, upgrade, dir and their errors, with the real binary and fixture archives.
final class InstallTests: XCTestCase {
    func testInstallTwoInParallelThenFindAndList() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        for fixture in FixturePython.all {
            let install = sandbox.installDir.appendingPathComponent(fixture.key)
            let found = try sandbox.pyman("find", fixture.minor)
            XCTAssertEqual(found.status, 0, found.summary)
            XCTAssertEqual(found.stdout, install.appendingPathComponent("bin/\(fixture.executable)").path + "\n")
            try assertRunsFromInstall(install.appendingPathComponent("bin/\(fixture.executable)").path, fixture,
                                      install: install, imports: "ssl, sqlite3, ctypes, zlib", sandbox: sandbox)
            let minorLink = try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.installDir.appendingPathComponent(fixture.minorLink).path)
            XCTAssertEqual(minorLink, fixture.key)
            let binLink = try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.binDir.appendingPathComponent(fixture.executable).path)
            XCTAssertEqual(binLink, sandbox.installDir.appendingPathComponent("\(fixture.minorLink)/bin/\(fixture.executable)").path)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.binDir.appendingPathComponent("python3").path), "python3 is linked only with --default")

        let listed = try sandbox.pyman("list", "--only-installed", "--json")
        XCTAssertEqual(listed.status, 0, listed.summary)
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(rows.compactMap { $0["key"] as? String }.sorted(), FixturePython.all.map(\.key).sorted())

        let all = try sandbox.pyman("list")
        XCTAssertEqual(all.status, 0, all.summary)
        XCTAssertTrue(all.stdout.contains("cpython-3.13.5-linux-x86_64-gnu"), all.stdout)

        let again = try sandbox.pyman("install", "3.13")
        XCTAssertEqual(again.status, 0, again.summary)
        XCTAssertTrue(again.stderr.contains("already installed"), again.stderr)
    }

    func testFindWithoutMatchFailsWithOneLine() throws {
        let sandbox = try Sandbox()
        let found = try sandbox.pyman("find", "3.12")
        XCTAssertEqual(found.status, 1)
        XCTAssertEqual(found.stdout, "")
        XCTAssertEqual(found.stderr.split(separator: "\n").count, 1, found.stderr)
        XCTAssertTrue(found.stderr.contains("no installed Python matches '3.12'"), found.stderr)
    }

    func testDefaultLinksPython3AndPythonAndUninstallRemovesEverything() throws {
        let sandbox = try Sandbox()
        let installed = try sandbox.pyman("install", "3.13", "--default")
        XCTAssertEqual(installed.status, 0, installed.summary)
        for name in ["python3.13", "python3", "python"] {
            let link = sandbox.binDir.appendingPathComponent(name).path
            let result = try sandbox.exec(link, ["-c", "import sys; print(sys.version_info[:2])"])
            XCTAssertEqual(result.stdout, "(3, 13)\n", result.summary)
        }
        let removed = try sandbox.pyman("uninstall", "3.13")
        XCTAssertEqual(removed.status, 0, removed.summary)
        let names = try FileManager.default.contentsOfDirectory(atPath: sandbox.installDir.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(names, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.binDir.path), [])
        XCTAssertEqual(try sandbox.pyman("find", "3.13").status, 1)
        XCTAssertEqual(try sandbox.pyman("uninstall", "3.13").status, 1)
    }

    func testUninstallAll() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman("install", "3.11", "3.13").status, 0)
        let removed = try sandbox.pyman("uninstall", "--all")
        XCTAssertEqual(removed.status, 0, removed.summary)
        let listed = try sandbox.pyman("list", "--only-installed")
        XCTAssertEqual(listed.stdout, "")
        XCTAssertEqual(try sandbox.pyman("uninstall").status, 2, "neither requests nor --all is a usage error")
    }

    func testInstallFromLocalArchiveFile() throws {
        let sandbox = try Sandbox()
        let archive = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(Fixture.file("3.11.2", "install_only_stripped.tar.gz"))")
        let installed = try sandbox.pyman("install", archive.path)
        XCTAssertEqual(installed.status, 0, installed.summary)
        let install = sandbox.installDir.appendingPathComponent("cpython-3.11.2-linux-x86_64-gnu")
        try assertRunsFromInstall(install.appendingPathComponent("bin/python3.11").path, FixturePython.all[0], install: install, sandbox: sandbox)
    }

    /// `.tar.zst` install_only and the `full` layout (`python/install/` + PYTHON.json).
    func testZstdAndFullArchives() throws {
        for flavour in ["install_only_stripped.tar.zst", "full.tar.zst"] {
            let file = Fixture.file("3.13.5", flavour)
            let scratch = try Sandbox()
            scratch.environment["PYMAN_DOWNLOADS_JSON"] = try scratch.catalogue([("cpython-3.13.5-linux-x86_64-gnu", file, try Fixture.sha256(file))]).path
            let installed = try scratch.pyman("install", "3.13")
            XCTAssertEqual(installed.status, 0, installed.summary)
            let install = scratch.installDir.appendingPathComponent("cpython-3.13.5-linux-x86_64-gnu")
            XCTAssertFalse(FileManager.default.fileExists(atPath: install.appendingPathComponent("PYTHON.json").path))
            XCTAssertFalse(FileManager.default.fileExists(atPath: install.appendingPathComponent("install").path))
            try assertRunsFromInstall(scratch.binDir.appendingPathComponent("python3.13").path, FixturePython.all[1], install: install, sandbox: scratch)
        }
    }

    /// A venv made through the bin link before `pyman upgrade` keeps working after it, even once the
    /// old patch release is uninstalled. The newer release is the same genuine 3.13.5 build listed as
    /// 3.13.6 in a second catalogue: only one 3.13 can be built from Debian's sources here.
    func testUpgradeMovesMinorLinkAndVenvsSurvive() throws {
        let sandbox = try Sandbox()
        let file = Fixture.file("3.13.5", "install_only_stripped.tar.gz")
        let sha = try Fixture.sha256(file)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue([("cpython-3.13.5-linux-x86_64-gnu", file, sha)]).path
        XCTAssertEqual(try sandbox.pyman("install", "3.13").status, 0)
        let venv = sandbox.work.appendingPathComponent("v")
        let made = try sandbox.exec(sandbox.binDir.appendingPathComponent("python3.13").path, ["-m", "venv", "--without-pip", venv.path])
        XCTAssertEqual(made.status, 0, made.summary)

        let upToDate = try sandbox.pyman("upgrade")
        XCTAssertTrue(upToDate.stderr.contains("up to date"), upToDate.summary)

        // The real 3.13.15 (Debian forky's source), not a relabelled 3.13.5.
        let newer = FixturePython(version: "3.13.15")
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue([
            ("cpython-3.13.5-linux-x86_64-gnu", file, sha), (newer.key, newer.archive, try Fixture.sha256(newer.archive)),
        ]).path
        let upgraded = try sandbox.pyman("upgrade", "3.13")
        XCTAssertEqual(upgraded.status, 0, upgraded.summary)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.installDir.appendingPathComponent("cpython-3.13-linux-x86_64-gnu").path)
        XCTAssertEqual(link, newer.key)
        let newInstall = sandbox.installDir.appendingPathComponent(newer.key)
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, newer, install: newInstall, sandbox: sandbox)
        XCTAssertEqual(try sandbox.pyman("uninstall", "3.13.5").status, 0)
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, newer, install: newInstall, sandbox: sandbox)
        XCTAssertEqual(try sandbox.pyman("find", "3.13").stdout, newInstall.appendingPathComponent("bin/python3.13").path + "\n")
        let pip = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import encodings, sys; print(sys.version.split()[0])"])
        XCTAssertEqual(pip.stdout, "3.13.15\n", pip.summary)
    }

    func testPythonVersionFileIsSearchedUpward() throws {
        let sandbox = try Sandbox()
        try "3.11\n".write(to: sandbox.work.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        let deep = sandbox.work.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let installed = try sandbox.pyman(["install"], cwd: deep)
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("cpython-3.11.2-linux-x86_64-gnu").path))
        XCTAssertEqual(try sandbox.pyman(["find"], cwd: deep).status, 0)
    }

    func testIndexIsRebuiltFromFoldersWhenDeletedOrCorrupt() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman("install", "3.11").status, 0)
        let index = sandbox.installDir.appendingPathComponent(".pyman-index.json")
        let before = try String(contentsOf: index, encoding: .utf8)
        try FileManager.default.removeItem(at: index)
        let listed = try sandbox.pyman("list", "--only-installed")
        XCTAssertTrue(listed.stdout.contains("cpython-3.11.2-linux-x86_64-gnu"), listed.summary)
        XCTAssertEqual(try String(contentsOf: index, encoding: .utf8), before, "the rebuilt index equals the original")

        try "{ not json".write(to: index, atomically: true, encoding: .utf8)
        let found = try sandbox.pyman("find", "3.11")
        XCTAssertEqual(found.status, 0, found.summary)
        XCTAssertTrue(found.stderr.contains("corrupt"), found.stderr)
    }

    func testWrongChecksumInstallsNothing() throws {
        let sandbox = try Sandbox()
        let file = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue([("cpython-3.11.2-linux-x86_64-gnu", file, String(repeating: "0", count: 64))]).path
        let installed = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(installed.status, 1)
        XCTAssertTrue(installed.stderr.contains("expected sha256 " + String(repeating: "0", count: 64)), installed.stderr)
        XCTAssertTrue(installed.stderr.contains(try Fixture.sha256(file)), installed.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: sandbox.installDir.path).filter { !$0.hasPrefix(".lock") && !$0.hasPrefix(".pyman-index") }
        XCTAssertEqual(left, [], "nothing but locks may remain")
        XCTAssertEqual(try sandbox.pyman("list", "--only-installed").stdout, "")
    }

    func testBadInputGetsOneClearLine() throws {
        let sandbox = try Sandbox()
        let cases: [([String], [String: String], String, Int32)] = [
            (["install", "3.99"], [:], "no Python matches '3.99'", 1),
            (["install", "3.x"], [:], "invalid Python request '3.x'", 1),
            (["install", "--frobnicate"], [:], "Unknown option '--frobnicate'", 2),
            (["install", "3.13"], ["PYMAN_DOWNLOADS_JSON": "/nonexistent/catalogue.json"], "/nonexistent/catalogue.json does not exist", 1),
            (["install", "3.13"], ["PYMAN_INSTALL_DIR": "/etc/passwd/python"], "cannot create the install dir", 1),
            (["install", "./missing.tar.gz"], [:], "does not exist", 1),
        ]
        for (arguments, overrides, message, status) in cases {
            let saved = sandbox.environment
            sandbox.environment.merge(overrides) { $1 }
            let result = try sandbox.pyman(arguments)
            sandbox.environment = saved
            XCTAssertEqual(result.status, status, result.summary)
            XCTAssertTrue(result.stderr.split(separator: "\n").first?.contains(message) ?? false, result.summary)
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.summary)
        }
    }

    /// Under umask 077 (a hardened root shell), a system-wide install must still be every user's Python.
    func testInstallIsReadableByAllUnderARestrictiveUmask() throws {
        let sandbox = try Sandbox()
        let result = try EndToEndTests.run("/bin/sh", ["-c", "umask 077; exec \"$0\" install 3.13", Paths.pyman.path],
                             cwd: sandbox.work, environment: sandbox.environment)
        XCTAssertEqual(result.status, 0, result.summary)
        let install = sandbox.installDir.appendingPathComponent("cpython-3.13.5-linux-x86_64-gnu")
        func mode(_ url: URL) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
        }
        XCTAssertEqual(try mode(sandbox.installDir), 0o755)
        XCTAssertEqual(try mode(install), 0o755)
        XCTAssertEqual(try mode(install.appendingPathComponent("bin/python3.13")), 0o755)
        XCTAssertEqual(try mode(install.appendingPathComponent("lib/python3.13/os.py")), 0o644)
        XCTAssertEqual(try mode(sandbox.installDir.appendingPathComponent(".pyman-index.json")), 0o644)
        XCTAssertEqual(try mode(install.appendingPathComponent(".pyman-receipt.json")), 0o644)
        XCTAssertEqual(try mode(sandbox.binDir), 0o755)
    }

    func testDirPrintsTheConfiguredFolders() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman("dir").stdout, sandbox.installDir.path + "\n")
        XCTAssertEqual(try sandbox.pyman("dir", "--bin").stdout, sandbox.binDir.path + "\n")
    }
}
