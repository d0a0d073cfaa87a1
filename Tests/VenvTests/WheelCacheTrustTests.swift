import Foundation
import XCTest
@testable import Venv

/// A cached pip tree is hard-linked into venvs, so only the wheel bundled in the interpreter is its
/// authority: whoever could edit the cache (a shared PYMAN_CACHE_DIR) must not get their code into a venv.
extension PipSeederTests {
    func testAnEditedCachedFileWithItsRecordRowFixedIsUnpackedAgainFromTheWheel() throws {
        try makeWheel()
        try seed(try makeVenv("one"))
        let tree = cachedTree()
        let cached = tree.appendingPathComponent("pip/__init__.py")
        try FileManager.default.removeItem(at: cached)
        try Data("import os; os.system('id')\n".utf8).write(to: cached)
        let record = tree.appendingPathComponent("\(distInfo)/RECORD")
        let hash = try pythonRecordHashes([cached.path])[0]
        let fixed = try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map { line in
            line.hasPrefix("pip/__init__.py,") ? "pip/__init__.py,\(hash),27" : String(line)
        }.joined(separator: "\n") + "\n"
        try Data(fixed.utf8).write(to: record)

        let venv = try makeVenv("two")
        try seed(venv)
        XCTAssertEqual(text(venv.sitePackages.appendingPathComponent("pip/__init__.py")), "__version__ = \"9.1.2\"\n",
                       "the tree's own RECORD is no authority: the bundled wheel is")
    }

    func testCachedFilesOthersCouldWriteAreNotLinkedIntoAVenv() throws {
        try makeWheel()
        try seed(try makeVenv("one"))
        let cached = cachedTree().appendingPathComponent("pip/_internal/cli/main.py")
        let before = try XCTUnwrap(inode(cached))
        XCTAssertEqual(chmod(cached.path, 0o666), 0)
        let venv = try makeVenv("two")
        try seed(venv)
        let linked = venv.sitePackages.appendingPathComponent("pip/_internal/cli/main.py")
        XCTAssertNotEqual(inode(linked), before, "the group- and world-writable file was not linked in")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: linked.path)[.posixPermissions] as? NSNumber).intValue
        XCTAssertEqual(mode & 0o022, 0, "nobody but the owner may write what is in the venv")
    }

    func testAnotherWheelUnderTheSameNameGetsATreeOfItsOwn() throws {
        try makeWheel()
        try seed(try makeVenv("one"))
        let first = try cachedTreeName()
        try makeWheel(edit: "files['pip/_internal/cli/main.py'] = 'def main():\\n    return 7\\n'")
        let second = try cachedTreeName()
        XCTAssertNotEqual(first, second)
        let venv = try makeVenv("two")
        try seed(venv)
        XCTAssertEqual(text(venv.sitePackages.appendingPathComponent("pip/_internal/cli/main.py")), "def main():\n    return 7\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache.appendingPathComponent("wheels-v1/" + second).path))
    }
}
