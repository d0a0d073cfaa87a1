import Foundation
import XCTest

/// pyman processes racing each other (issue 4): per-key locks, the index lock, readers that never lock.
final class ConcurrencyReliabilityTests: XCTestCase {
    let old = FixturePython.all[0], new = FixturePython.all[1]

    /// Four processes, one version: all succeed, the archive is downloaded once, one install results.
    func testFourProcessesInstallingTheSameVersionDownloadOnce() throws {
        let sandbox = try Sandbox()
        let mirror = try Faults.mirror("ok")
        let installs = try (0..<4).map { _ in try sandbox.start(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": mirror]) }
        for install in installs {
            let result = install.wait()
            XCTAssertEqual(result.status, 0, result.summary)
        }
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: mirror)).requests, 1, "one download")
        XCTAssertEqual(installs.filter { $0.wait().stderr.contains("Installed \(old.key)") }.count, 1, "one install")
        XCTAssertTrue(try sandbox.assertConsistent(old))
        XCTAssertEqual(sandbox.installDirContents(), [old.minorLink, old.key])
    }

    func testTwoVersionsInParallelProcessesBothInstall() throws {
        let sandbox = try Sandbox()
        let installs = try [old, new].map { try sandbox.start(["install", $0.minor]) }
        for install in installs {
            let result = install.wait()
            XCTAssertEqual(result.status, 0, result.summary)
        }
        XCTAssertEqual(try sandbox.listedKeys(), [old.key, new.key], "neither index update was lost")
        for fixture in [old, new] { XCTAssertTrue(try sandbox.assertConsistent(fixture)) }
    }

    /// `list` and `find` while a slowed-down install runs, in an install dir that has no index yet (the
    /// readers rebuild it while the installer writes it): they never fail, warn, or show a half install.
    func testListAndFindDuringAnInstallNeverFail() throws {
        let sandbox = try Sandbox()
        let install = try sandbox.start(["install", "3.11"], env: ["PYMAN_PYTHON_MIRROR": try Faults.mirror("slow-6144")])
        var reads = 0, sawInstalled = false
        let deadline = Date().addingTimeInterval(40)
        while (install.process.isRunning || reads < 3) && Date() < deadline {
            reads += 1
            let keys = try sandbox.listedKeys()  // exit 0, no warning, parseable JSON
            XCTAssertTrue(keys.allSatisfy { $0 == old.key }, "\(keys)")
            for key in keys {
                XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("\(key)/.pyman-receipt.json").path),
                              "\(key) is listed before its folder is complete")
            }
            let found = try sandbox.pyman(["find", "3.11"], env: [:])
            XCTAssertTrue([0, 1].contains(found.status) && !found.stderr.contains("warning"), found.summary)
            if found.status == 0 {
                sawInstalled = true
                let path = found.stdout.trimmingCharacters(in: .newlines)
                XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path), "find printed \(path), which does not exist yet")
                XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("\(old.key)/.pyman-receipt.json").path))
            }
        }
        XCTAssertEqual(install.wait().status, 0)
        XCTAssertGreaterThan(reads, 5, "the install was too fast to read during it")
        XCTAssertTrue(sawInstalled, "the last reads see the finished install")
        XCTAssertTrue(try sandbox.assertConsistent(old))
    }

    /// `uninstall` started while another process installs (or reinstalls) the same version, at several
    /// delays: one of them wins, and the end state is consistent — installed, listed, findable and
    /// linked, or absent everywhere — with no folder or link left behind.
    func testUninstallRacingAnInstallEndsConsistent() throws {
        let sandbox = try Sandbox()
        let slow = try Faults.mirror("slow-16384")
        for (round, delay) in [0.05, 0.3, 0.6, 0.9, 1.2].enumerated() {
            let reinstall = round % 2 == 1
            if reinstall, try !sandbox.assertConsistent(old) {
                XCTAssertEqual(try sandbox.pyman(["install", "3.11"], env: [:]).status, 0)
            }
            let install = try sandbox.start(["install", "3.11"] + (reinstall ? ["--reinstall"] : []), env: ["PYMAN_PYTHON_MIRROR": slow])
            Thread.sleep(forTimeInterval: delay)
            let uninstall = try sandbox.start(["uninstall", "3.11"])
            for result in [install.wait(), uninstall.wait()] {
                XCTAssertTrue(result.status == 0 || result.status == 1 && result.stderr.split(separator: "\n").count == 1, result.summary)
                XCTAssertFalse(result.stderr.contains("Fatal error"), result.summary)
            }
            let installed = try sandbox.assertConsistent(old)
            XCTAssertEqual(sandbox.installDirContents(), installed ? [old.minorLink, old.key] : [], "round \(round)")
        }
    }
}
