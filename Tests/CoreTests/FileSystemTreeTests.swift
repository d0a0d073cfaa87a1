import FoundationEssentials
import Glibc
@testable import Core
import SystemPackage
import XCTest

/// The operations that replaced FileManager's: removing and copying, listing with its failure, folders
/// with an exact mode.
final class FileSystemTreeTests: ScratchFolderTestCase {
    func write(_ path: String, _ text: String) throws {
        try AtomicFile.write(text, to: path)
    }

    func testRemoveTreeRemovesFoldersAndLinksButNeverWhatALinkPointsTo() throws {
        let outside = folder + "/outside"
        try FileSystem.makeDirectory(outside, permissions: .ownerReadWriteExecute)
        try write(outside + "/kept", "k")
        let tree = folder + "/tree"
        try FileSystem.makeDirectories(tree + "/a/b", permissions: .ownerReadWriteExecute)
        try write(tree + "/a/b/file", "x")
        try write(tree + "/top", "y")
        try FileSystem.createSymlink(at: tree + "/a/link", pointingTo: outside)
        try FileSystem.createSymlink(at: tree + "/dangling", pointingTo: folder + "/nothing")
        try FileSystem.removeTree(tree)
        XCTAssertFalse(FileSystem.exists(tree))
        XCTAssertEqual(FileSystem.listDirectory(outside), ["kept"], "a link's target was emptied")
        try FileSystem.createSymlink(at: folder + "/link", pointingTo: outside)
        try FileSystem.removeTree(folder + "/link")
        XCTAssertFalse(FileSystem.exists(folder + "/link"))
        XCTAssertEqual(FileSystem.listDirectory(outside), ["kept"], "a link to a folder was followed")
        try FileSystem.removeTree(folder + "/absent")   // nothing there is no failure
    }

    func testRemoveTreeFailsNamingWhatItCouldNotRemove() throws {
        guard geteuid() != 0 else { throw XCTSkip("root removes anything") }
        let locked = folder + "/locked"
        try FileSystem.makeDirectories(locked + "/inner", permissions: .ownerReadWriteExecute)
        try write(locked + "/inner/file", "x")
        try FileSystem.setPermissions(locked + "/inner", [.ownerRead, .ownerExecute])
        defer { try? FileSystem.setPermissions(locked + "/inner", .ownerReadWriteExecute) }
        XCTAssertThrowsError(try FileSystem.removeTree(locked)) { error in
            XCTAssertEqual("\(error)", "cannot remove \(locked)/inner/file: Permission denied")
            XCTAssertEqual((error as? PymanError)?.code, .permissionDenied)
        }
    }

    func testContentsOfDirectoryThrowsWhatListDirectoryHides() throws {
        XCTAssertEqual(FileSystem.listDirectory(folder + "/absent"), [])
        XCTAssertThrowsError(try FileSystem.contentsOfDirectory(folder + "/absent")) { error in
            XCTAssertEqual("\(error)", "cannot list \(folder)/absent: No such file or directory")
        }
        try write(folder + "/f", "")
        XCTAssertEqual(try FileSystem.contentsOfDirectory(folder), ["f"])
    }

    func testCopyFileKeepsBytesAndModeAndNeverReplaces() throws {
        let source = folder + "/python", target = folder + "/copy"
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try AtomicFile.write(Data(bytes), to: source)
        try FileSystem.setPermissions(source, FilePermissions(rawValue: 0o751))
        try FileSystem.copyFile(source, to: target)
        XCTAssertEqual(try FileSystem.readFile(target, limit: 1 << 20), bytes)
        XCTAssertEqual(FileSystem.status(target)?.permissions.rawValue, 0o751)
        XCTAssertThrowsError(try FileSystem.copyFile(source, to: target)) { error in
            XCTAssertEqual((error as? PymanError)?.code, .fileExists)
        }
        try FileSystem.createSymlink(at: folder + "/link", pointingTo: folder + "/elsewhere")
        XCTAssertThrowsError(try FileSystem.copyFile(source, to: folder + "/link"))
        XCTAssertFalse(FileSystem.exists(folder + "/elsewhere"), "the copy went through a link")
        XCTAssertThrowsError(try FileSystem.copyFile(folder, to: folder + "/dir")) { error in
            XCTAssertEqual("\(error)", "cannot copy \(folder): not a regular file")
        }
        XCTAssertFalse(FileSystem.exists(folder + "/dir"))
    }

    func testExactlyIgnoresTheUmaskForTheFolderItMakes() throws {
        let mask = umask(0o077)
        defer { umask(mask) }
        try FileSystem.makeDirectories(folder + "/a/b", exactly: FilePermissions(rawValue: 0o755))
        XCTAssertEqual(FileSystem.status(folder + "/a/b")?.permissions.rawValue, 0o755)
        XCTAssertEqual(FileSystem.status(folder + "/a")?.permissions.rawValue, 0o700, "the folders above keep the umask's share")
        try FileSystem.setPermissions(folder + "/a/b", FilePermissions(rawValue: 0o700))
        try FileSystem.makeDirectories(folder + "/a/b", exactly: FilePermissions(rawValue: 0o755))
        XCTAssertEqual(FileSystem.status(folder + "/a/b")?.permissions.rawValue, 0o700, "an existing folder's mode was changed")
        try write(folder + "/file", "")
        XCTAssertThrowsError(try FileSystem.makeDirectories(folder + "/file/x", exactly: .ownerReadWriteExecute)) { error in
            XCTAssertEqual((error as? PymanError)?.code, .notDirectory)
        }
    }

    func testExistsFollowingLinksSeesADanglingLinkAsNothing() throws {
        try FileSystem.createSymlink(at: folder + "/dangling", pointingTo: folder + "/nothing")
        XCTAssertTrue(FileSystem.exists(folder + "/dangling"))
        XCTAssertFalse(FileSystem.exists(folder + "/dangling", followingLinks: true))
    }
}
