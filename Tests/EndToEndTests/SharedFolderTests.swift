import Foundation
import XCTest

/// Folders someone else can change: pyman refuses them (sshd's StrictModes rule), and never follows a
/// link planted where it creates a lock. Runs as root, with a second local user made for the test.
final class SharedFolderTests: XCTestCase {
    var otherUser = ""
    var otherUID: UInt32 = 0

    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to make a second user and hand it folders") }
        (otherUser, otherUID) = try makeOtherUser(for: self)
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

    /// Finding 5 of #23: a folder reached through a link another user owns is refused for every
    /// write, store and delete, even while the link leads to a safe folder of root's; a link of root's
    /// own is fine.
    func testFoldersReachedThroughAnotherUsersLinkAreRefused() throws {
        let sandbox = try Sandbox()
        let safe = sandbox.root.appendingPathComponent("safe")
        try give(safe, mode: 0o755, toOther: false)
        let theirs = sandbox.root.appendingPathComponent("theirs"), ours = sandbox.root.appendingPathComponent("ours")
        for link in [theirs, ours] { try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: safe.path) }
        XCTAssertEqual(lchown(theirs.path, otherUID, gid_t(UInt32.max)), 0)
        let refusal = "\(theirs.path), a link on the way to the"

        sandbox.environment["PYMAN_INSTALL_DIR"] = theirs.appendingPathComponent("python").path
        let install = try sandbox.pyman("install", "3.11", "--no-bin")
        XCTAssertEqual(install.status, 1, install.summary)
        XCTAssertEqual(install.stderr, "error: cpython-3.11.2-linux-x86_64-gnu: \(refusal) install dir \(theirs.path)/python, belongs to user \(otherUID), not to you or root, so they could change where it leads; choose a path for the install dir that passes through no other user's link\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: safe.appendingPathComponent("python").path), "nothing written")

        sandbox.environment["PYMAN_INSTALL_DIR"] = ours.appendingPathComponent("python").path
        sandbox.environment["PYMAN_BIN_DIR"] = theirs.appendingPathComponent("bin").path
        let linked = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(linked.status, 1, linked.summary)
        XCTAssertTrue(linked.stderr.contains("\(refusal) bin dir \(theirs.path)/bin, belongs to user \(otherUID)"), linked.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: safe.appendingPathComponent("bin").path), "no link written through theirs")

        sandbox.environment["PYMAN_BIN_DIR"] = ours.appendingPathComponent("bin").path
        let fine = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(fine.status, 0, "through root's own link: \(fine.summary)")
        let python = ours.appendingPathComponent("bin/python3.11").path
        let prefix = try sandbox.exec(python, ["-c", "import sys, os; print(os.path.realpath(sys.base_prefix))"])
        XCTAssertEqual(prefix.stdout, safe.appendingPathComponent("python/cpython-3.11.2-linux-x86_64-gnu").path + "\n", prefix.summary)

        // The install is there now; a venv from it through their link would write `home` through it.
        sandbox.environment["PYMAN_INSTALL_DIR"] = theirs.appendingPathComponent("python").path
        let venv = try sandbox.pyman("venv", "v", "--python", "3.11")
        XCTAssertEqual(venv.status, 1, venv.summary)
        XCTAssertTrue(venv.stderr.contains("\(refusal) install dir"), venv.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.work.appendingPathComponent("v/pyvenv.cfg").path))

        let keep = safe.appendingPathComponent("cache/keep")
        try FileManager.default.createDirectory(at: keep.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: keep)
        sandbox.environment["PYMAN_CACHE_DIR"] = theirs.appendingPathComponent("cache").path
        let clean = try sandbox.pyman("cache", "clean")
        XCTAssertEqual(clean.status, 1, clean.summary)
        XCTAssertTrue(clean.stderr.contains("\(refusal) cache dir \(theirs.path)/cache, belongs to user \(otherUID)"), clean.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: keep.path), "nothing deleted through their link")
    }

    /// Finding 6 of #23: root running update-shell with a HOME of another user's (their link to
    /// root's own startup file inside) writes nothing; nor is a bin dir of theirs put on PATH.
    func testUpdateShellInAnotherUsersHomeWritesNothing() throws {
        let sandbox = try Sandbox()
        let theirHome = sandbox.root.appendingPathComponent("home-of-other")
        try give(theirHome, mode: 0o755, toOther: true)
        let rootsFile = sandbox.root.appendingPathComponent("roots-bashrc")
        try Data("# root's\n".utf8).write(to: rootsFile)
        let link = theirHome.appendingPathComponent(".bashrc").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: rootsFile.path)
        XCTAssertEqual(lchown(link, otherUID, gid_t(UInt32.max)), 0)
        sandbox.environment["HOME"] = theirHome.path
        let refused = try sandbox.pyman("update-shell")
        XCTAssertEqual(refused.status, 1, refused.summary)
        XCTAssertEqual(refused.stderr, "error: the home folder \(theirHome.path) belongs to uid \(otherUID), not to this user (uid 0), and pyman sets up only the startup files of the user it runs as; run pyman update-shell as uid \(otherUID)\n")
        XCTAssertEqual(try String(contentsOf: rootsFile, encoding: .utf8), "# root's\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: theirHome.path), [".bashrc"])

        sandbox.environment["HOME"] = sandbox.root.path
        let theirBin = sandbox.root.appendingPathComponent("their-bin")
        try give(theirBin, mode: 0o755, toOther: true)
        sandbox.environment["PYMAN_BIN_DIR"] = theirBin.path
        let bin = try sandbox.pyman("update-shell")
        XCTAssertEqual(bin.status, 1, bin.summary)
        XCTAssertEqual(bin.stderr, "error: the bin dir \(theirBin.path) belongs to user \(otherUID), not to you or root, so they could change what pyman runs; remove it, or choose another folder\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent(".bashrc").path))

        sandbox.environment["PYMAN_BIN_DIR"] = sandbox.binDir.path
        let fine = try sandbox.pyman("update-shell")
        XCTAssertEqual(fine.status, 0, "root's own HOME: \(fine.summary)")
        XCTAssertTrue(try String(contentsOf: sandbox.root.appendingPathComponent(".bashrc"), encoding: .utf8).contains(sandbox.binDir.path))
    }
}
