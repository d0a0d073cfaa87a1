import Foundation
import XCTest

/// The patch level: an install whose receipt and index record say it was patched at an older level is
/// named by `list` and by `doctor` (for a venv made from it), and `install --reinstall` patches it anew
/// and records the current level.
final class PatchLevelTests: XCTestCase {
    let fixture = FixturePython(version: "3.13.5")

    /// `patch_level` of `key` in the index and in its receipt.
    func recordedLevels(_ sandbox: Sandbox) throws -> (index: Int?, receipt: Int?) {
        let index = try json(sandbox.installDir.appendingPathComponent(".pyman-index.json"))
        let record = (index["installs"] as? [[String: Any]])?.first { $0["key"] as? String == fixture.key }
        let receipt = try json(sandbox.installDir.appendingPathComponent("\(fixture.key)/.pyman-receipt.json"))
        return (record?["patch_level"] as? Int, receipt["patch_level"] as? Int)
    }

    func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], url.path)
    }

    /// Rewrites `patch_level` in the index record and the receipt, as an older pyman would have left them.
    func setLevel(_ level: Int, _ sandbox: Sandbox) throws {
        let indexURL = sandbox.installDir.appendingPathComponent(".pyman-index.json")
        var index = try json(indexURL)
        index["installs"] = (index["installs"] as? [[String: Any]] ?? []).map { record in
            var record = record
            if record["key"] as? String == fixture.key { record["patch_level"] = level }
            return record
        }
        try JSONSerialization.data(withJSONObject: index).write(to: indexURL)
        let receiptURL = sandbox.installDir.appendingPathComponent("\(fixture.key)/.pyman-receipt.json")
        var receipt = try json(receiptURL)
        receipt["patch_level"] = level
        try JSONSerialization.data(withJSONObject: receipt).write(to: receiptURL)
    }

    func testOlderLevelIsNamedByListAndDoctorAndReinstallUpdatesIt() throws {
        let sandbox = try Sandbox()
        let installed = try sandbox.pyman("install", fixture.minor)
        XCTAssertEqual(installed.status, 0, installed.summary)
        let levels = try recordedLevels(sandbox)
        let current = try XCTUnwrap(levels.receipt, "the receipt records a patch level")
        XCTAssertGreaterThan(current, 0)
        XCTAssertEqual(levels.index, current)
        let venvModule = sandbox.installDir.appendingPathComponent("\(fixture.key)/lib/python\(fixture.minor)/venv/__init__.py")
        XCTAssertTrue(try String(contentsOf: venvModule, encoding: .utf8).contains("# pyman: symlink-home fix, level \(current)."))

        let venv = sandbox.work.appendingPathComponent("venv")
        let made = try sandbox.pyman("venv", venv.path, "--python", fixture.minor)
        XCTAssertEqual(made.status, 0, made.summary)
        let advice = "`pyman install --reinstall \(fixture.key)` patches it at level \(current)"
        for arguments in [["list", "--only-installed"], ["doctor", venv.path]] {
            let upToDate = try sandbox.pyman(arguments)
            XCTAssertEqual(upToDate.status, 0, upToDate.summary)
            XCTAssertFalse(upToDate.stderr.contains("older pyman"), upToDate.summary)
        }

        try setLevel(current - 1, sandbox)
        // A file only the old unpacked folder has: the reinstall must unpack and patch anew.
        let leftover = sandbox.installDir.appendingPathComponent("\(fixture.key)/left-by-the-old-install")
        XCTAssertTrue(FileManager.default.createFile(atPath: leftover.path, contents: Data()))
        let older = "\(fixture.key) was patched by an older pyman (patch level \(current - 1)); \(advice)"
        let listed = try sandbox.pyman("list", "--only-installed")
        XCTAssertEqual(listed.status, 0, listed.summary)
        XCTAssertTrue(listed.stderr.contains(older), listed.summary)
        XCTAssertTrue(listed.stdout.hasPrefix(fixture.key), "stdout keeps its rows: \(listed.summary)")
        let listedJSON = try sandbox.pyman("list", "--only-installed", "--json")
        XCTAssertTrue(listedJSON.stderr.contains(older), listedJSON.summary)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(listedJSON.stdout.utf8)), listedJSON.summary)
        let examined = try sandbox.pyman("doctor", venv.path)
        XCTAssertEqual(examined.status, 0, "the venv still works: \(examined.summary)")
        XCTAssertTrue(examined.stderr.contains(older), examined.summary)

        let reinstalled = try sandbox.pyman("install", "--reinstall", fixture.key)
        XCTAssertEqual(reinstalled.status, 0, reinstalled.summary)
        let after = try recordedLevels(sandbox)
        XCTAssertEqual(after.index, current)
        XCTAssertEqual(after.receipt, current)
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path), "the reinstall unpacked a fresh folder")
        XCTAssertTrue(try String(contentsOf: venvModule, encoding: .utf8).contains("# pyman: symlink-home fix, level \(current)."))
        for arguments in [["list", "--only-installed"], ["doctor", venv.path]] {
            let updated = try sandbox.pyman(arguments)
            XCTAssertEqual(updated.status, 0, updated.summary)
            XCTAssertFalse(updated.stderr.contains("older pyman"), updated.summary)
        }
    }

    /// A folder without a receipt (not made by pyman, or damaged) has no level: list says so.
    func testInstallWithoutReceiptIsNamedByList() throws {
        let sandbox = try Sandbox()
        let installed = try sandbox.pyman("install", fixture.minor)
        XCTAssertEqual(installed.status, 0, installed.summary)
        try FileManager.default.removeItem(at: sandbox.installDir.appendingPathComponent("\(fixture.key)/.pyman-receipt.json"))
        try FileManager.default.removeItem(at: sandbox.installDir.appendingPathComponent(".pyman-index.json"))
        let listed = try sandbox.pyman("list", "--only-installed")
        XCTAssertEqual(listed.status, 0, listed.summary)
        XCTAssertTrue(listed.stderr.contains("\(fixture.key) has no pyman patch level recorded; `pyman install --reinstall \(fixture.key)`"), listed.summary)
    }
}
