import Foundation
import UnitTestSupport
import XCTest
@testable import Project

/// The project's lock is read only when nobody else could have written it (issue #23).
final class ProjectLockTests: XCTestCase {
    func testALockAnotherUserCouldHaveWrittenIsRefused() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        let path = folder.appendingPathComponent("pyman.lock").path
        let python = LockedPython(request: "3.11", key: Fixture.key("cpython-3.11.2-linux-x86_64-gnu"), build: "20250723",
                                  url: "https://example.invalid/a.tar.gz", sha256: String(repeating: "d", count: 64), size: 100)
        try LockFile(pythons: [python]).text.write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(path, 0o644), 0)
        XCTAssertEqual(try ProjectLock(settings: settings).read()?.pythons.count, 1, "this user's lock is read")

        XCTAssertEqual(chmod(path, 0o666), 0)
        XCTAssertThrowsError(try ProjectLock(settings: settings).read()) { error in
            XCTAssertEqual("\(error)", "the lock file \(path) can be written by other users, so they could change what pyman runs; run `chmod go-w \(path)`, or choose another file")
        }
        XCTAssertEqual(chmod(path, 0o644), 0)
        guard getuid() == 0 else { throw XCTSkip("needs root to hand the lock to another user") }
        XCTAssertEqual(chown(path, 65534, gid_t(UInt32.max)), 0)
        XCTAssertThrowsError(try ProjectLock(settings: settings).read()) { error in
            XCTAssertEqual("\(error)", "the lock file \(path) belongs to user 65534, not to you or root, so they could change what pyman runs; remove it, or choose another file")
        }
    }
}
