#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
@testable import Core
import SystemPackage
import XCTest

/// FolderTrust walks a path as the kernel resolves it. Runs as root, handing entries to a uid nobody has.
final class FolderTrustTests: ScratchFolderTestCase {
    let otherUID: uid_t = 54_321

    override func setUpWithError() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to give files to another user") }
        try super.setUpWithError()
    }

    func giveAway(_ path: String) {
        XCTAssertEqual(lchown(path, otherUID, gid_t(UInt32.max)), 0)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    func testALinkAnotherUserOwnsIsRefusedWhereverItLeads() throws {
        let safe = folder + "/safe", link = folder + "/link"
        try FileSystem.makeDirectory(safe, permissions: FilePermissions(rawValue: 0o755))
        try FileSystem.createSymlink(at: link, pointingTo: safe)
        XCTAssertNil(message { try FolderTrust.check(link + "/python", role: "install dir") }, "a link of root's is fine")
        giveAway(link)
        XCTAssertEqual(message { try FolderTrust.check(link + "/python", role: "install dir") },
                       "\(link), a link on the way to the install dir \(link)/python, belongs to user 54321, not to you or root, so they could change where it leads; choose a path for the install dir that passes through no other user's link")
    }

    func testTheFoldersALinkLeadsThroughAreChecked() throws {
        let theirs = folder + "/theirs", inside = theirs + "/inside", link = folder + "/link"
        try FileSystem.makeDirectories(inside, permissions: FilePermissions(rawValue: 0o755))
        giveAway(theirs)
        try FileSystem.createSymlink(at: link, pointingTo: inside)
        XCTAssertEqual(message { try FolderTrust.check(link, role: "cache dir") },
                       "\(theirs), a folder above the cache dir \(link), belongs to user 54321, not to you or root, so they could change what pyman runs; choose a cache dir outside it")
        let relative = folder + "/relative"
        try FileSystem.createSymlink(at: relative, pointingTo: "theirs/../theirs/inside")
        XCTAssertNotNil(message { try FolderTrust.check(relative + "/x", role: "cache dir") }, "relative targets and .. resolve as the kernel does")
    }

    func testFilesMustBeRegularTheirsAndClosedToOthers() throws {
        let file = folder + "/pyman.lock"
        try AtomicFile.write("x", to: file)
        XCTAssertTrue(FolderTrust.isTrustedFile(file))
        XCTAssertEqual(chmod(file, 0o666), 0)
        XCTAssertEqual(message { try FolderTrust.checkFile(file, role: "lock file") },
                       "the lock file \(file) can be written by other users, so they could change what pyman runs; run `chmod go-w \(file)`, or choose another file")
        XCTAssertEqual(chmod(file, 0o644), 0)
        giveAway(file)
        XCTAssertFalse(FolderTrust.isTrustedFile(file))
        let link = folder + "/linked.lock"
        try FileSystem.createSymlink(at: link, pointingTo: file)
        XCTAssertEqual(message { try FolderTrust.checkFile(link, role: "lock file") },
                       "the lock file \(link) is a link, so pyman does not read it; replace it with a regular file of yours")
        XCTAssertTrue(FolderTrust.isTrustedFile(folder + "/absent"), "a missing file is the caller's to report")
    }

    func testAStickyFolderAboveAFileIsFine() throws {
        let shared = folder + "/tmp"
        try FileSystem.makeDirectory(shared, permissions: FilePermissions(rawValue: 0o755))
        XCTAssertEqual(chmod(shared, 0o1777), 0)
        let file = shared + "/pyman.lock"
        try AtomicFile.write("x", to: file, mode: 0o644)
        XCTAssertTrue(FolderTrust.isTrustedFile(file))
        XCTAssertNotNil(message { try FolderTrust.check(shared, role: "install dir") }, "but not as the folder written into")
    }
}
