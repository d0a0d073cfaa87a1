import Foundation
import XCTest

/// Folders someone else can change: pyman refuses them (sshd's StrictModes rule), and never follows a
/// link planted where it creates a lock. Runs as root, with a second local user made for the test.
final class SharedFolderTests: XCTestCase {
    var otherUser = ""
    var otherUID: UInt32 = 0

    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to make a second user and hand it folders") }
        otherUser = "pyman-other-\(UInt32.random(in: 1000...999_999))"
        let made = try EndToEndTests.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", otherUser])
        XCTAssertEqual(made.status, 0, made.summary)
        let id = try EndToEndTests.run("/usr/bin/id", ["-u", otherUser])
        otherUID = UInt32(id.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertNotEqual(otherUID, 0)
        addTeardownBlock { [otherUser] in _ = try? EndToEndTests.run("/usr/sbin/userdel", [otherUser]) }
    }

    func give(_ url: URL, mode: Int, toOther: Bool) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(url.path, mode_t(mode)), 0)
        if toOther { XCTAssertEqual(chown(url.path, otherUID, gid_t(UInt32.max)), 0) }
    }

    func testAnInstallDirAnotherUserMadeIsRefused() throws {
        let sandbox = try Sandbox()
        try give(sandbox.installDir, mode: 0o755, toOther: true)
        let result = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("the install dir \(sandbox.installDir.path) belongs to user \(otherUID), not to you or root"), result.summary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.installDir.path), [], "nothing is written into it")
    }

    func testFoldersOthersCanWriteAreRefusedUnlessSticky() throws {
        let sandbox = try Sandbox()
        try give(sandbox.installDir, mode: 0o777, toOther: false)
        let open = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(open.status, 1, open.summary)
        XCTAssertTrue(open.stderr.contains("the install dir \(sandbox.installDir.path) can be written by other users"), open.summary)
        XCTAssertTrue(open.stderr.contains("chmod go-w"), open.summary)

        let shared = sandbox.root.appendingPathComponent("shared")
        try give(shared, mode: 0o777, toOther: false)
        sandbox.environment["PYMAN_INSTALL_DIR"] = shared.appendingPathComponent("python").path
        let above = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(above.status, 1, above.summary)
        XCTAssertTrue(above.stderr.contains("\(shared.path), a folder above the install dir"), above.summary)

        let sticky = sandbox.root.appendingPathComponent("sticky")
        try give(sticky, mode: 0o1777, toOther: false)
        sandbox.environment["PYMAN_INSTALL_DIR"] = sticky.appendingPathComponent("python").path
        let fine = try sandbox.pyman("install", "3.11", "--no-bin")
        XCTAssertEqual(fine.status, 0, "a sticky folder like /tmp is fine above: \(fine.summary)")
    }

    func testABinDirAndACacheDirOfAnotherUserAreRefused() throws {
        let sandbox = try Sandbox()
        try give(sandbox.binDir, mode: 0o755, toOther: true)
        let linked = try sandbox.pyman("install", "3.13")
        XCTAssertEqual(linked.status, 1, linked.summary)
        XCTAssertTrue(linked.stderr.contains("the bin dir \(sandbox.binDir.path) belongs to user \(otherUID)"), linked.summary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.binDir.path), [])

        let cache = sandbox.root.appendingPathComponent("cache")
        try give(cache, mode: 0o777, toOther: false)
        let seeded = try sandbox.pyman("venv", sandbox.work.appendingPathComponent("v").path, "--python", "3.13", "--seed")
        XCTAssertEqual(seeded.status, 1, seeded.summary)
        XCTAssertTrue(seeded.stderr.contains("the cache dir \(cache.path) can be written by other users"), seeded.summary)
    }

    func testALinkPlantedAtALockIsNotFollowed() throws {
        let sandbox = try Sandbox()
        try give(sandbox.installDir, mode: 0o755, toOther: false)
        let elsewhere = sandbox.root.appendingPathComponent("made-through-the-lock")
        try FileManager.default.createSymbolicLink(atPath: sandbox.installDir.appendingPathComponent(".lock-cpython-3.11.2-linux-x86_64-gnu").path,
                                                   withDestinationPath: elsewhere.path)
        let result = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains(".lock-cpython-3.11.2-linux-x86_64-gnu is a symlink; pyman never follows a link where it creates files"), result.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere.path), "no file was created through the link")
    }
}
