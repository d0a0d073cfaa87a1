import FoundationEssentials
@testable import Core
import TestSupport
import XCTest

/// A test case with a fresh private folder per test, removed after it.
class ScratchFolderTestCase: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try scratchFolder("core", permissions: 0o700).path
    }
}
