import FoundationEssentials
@testable import Core
import XCTest

/// A test case with a fresh private folder per test, removed after it.
class ScratchFolderTestCase: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "pyman-core-\(UInt32.random(in: 0 ... .max))"
        try FileSystem.makeDirectory(folder, permissions: .ownerReadWriteExecute)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(atPath: folder) }
    }
}
