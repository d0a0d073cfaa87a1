import FoundationEssentials
@testable import Core
import SystemPackage
import XCTest

/// `FileSystem.exchange`: renameat2's RENAME_EXCHANGE, looked up at run time.
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
}
