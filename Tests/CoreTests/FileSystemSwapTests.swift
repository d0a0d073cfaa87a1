import FoundationEssentials
@testable import Core
import SystemPackage
import XCTest

/// `FileSystem.exchange` (renameat2's RENAME_EXCHANGE, looked up at run time) and `removeTree`.
final class FileSystemSwapTests: ScratchFolderTestCase {
    func testExchangeSwapsTwoFoldersInOneStep() throws {
        let a = folder + "/a", b = folder + "/b"
        try FileSystem.makeDirectory(a, permissions: .ownerReadWriteExecute)
        try FileSystem.makeDirectory(b, permissions: .ownerReadWriteExecute)
        try AtomicFile.write("old", to: a + "/which")
        try AtomicFile.write("new", to: b + "/which")
        guard try FileSystem.exchange(a, b) else { throw XCTSkip("this file system cannot exchange names") }
        XCTAssertEqual(String(decoding: try FileSystem.readFile(a + "/which", limit: 10), as: UTF8.self), "new")
        XCTAssertEqual(String(decoding: try FileSystem.readFile(b + "/which", limit: 10), as: UTF8.self), "old")
        XCTAssertThrowsError(try FileSystem.exchange(a, folder + "/absent")) { error in
            XCTAssertEqual((error as? PymanError)?.code, .noSuchFileOrDirectory)
        }
    }

    func testRemoveTreeNeverFollowsALink() throws {
        let outside = folder + "/outside", tree = folder + "/tree"
        try FileSystem.makeDirectories(outside + "/kept", permissions: .ownerReadWriteExecute)
        try FileSystem.makeDirectories(tree + "/deep/er", permissions: .ownerReadWriteExecute)
        try AtomicFile.write("x", to: tree + "/deep/er/file")
        try FileSystem.createSymlink(at: tree + "/deep/link", pointingTo: outside)
        try FileSystem.removeTree(tree)
        XCTAssertFalse(FileSystem.exists(tree))
        XCTAssertTrue(FileSystem.isDirectory(outside + "/kept"), "what the link led to is left alone")
        try FileSystem.removeTree(tree)   // gone already: no failure
    }
}
