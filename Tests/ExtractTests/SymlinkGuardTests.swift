import Foundation
import XCTest
@testable import Extract

/// The in-memory guard that replaced libarchive's per-entry lstat() walk (ARCHIVE_EXTRACT_SECURE_SYMLINKS).
final class SymlinkGuardTests: XCTestCase {
    func guarded(_ entries: [(String, SymlinkGuard.Kind)]) throws {
        var guard_ = SymlinkGuard()
        for (path, kind) in entries { try guard_.admit(name: "python/\(path)", path: path, kind: kind) }
    }

    func testNothingIsWrittenThroughAnArchiveSymlink() {
        let link = ("lib/link", SymlinkGuard.Kind.symlink)
        for (entry, why) in [
            (("lib/link/file", SymlinkGuard.Kind.file), "a file under the symlink"),
            (("lib/link/a/b", .directory), "a folder under it"),
            (("lib/link/h", .hardLink(target: "bin/python3")), "a hard link under it"),
            (("lib/h", .hardLink(target: "lib/link/python3")), "a hard link whose target is under it"),
            (("lib/h", .hardLink(target: "lib/link")), "a hard link to the symlink itself (a second, unrecorded symlink)"),
            (("lib/link", .directory), "a folder at the symlink (libarchive would update the folder it points to)"),
            (("LIB/Link/file", .file), "a file under it on a case-folding filesystem"),
            (("lib/link/x/y/z", .symlink), "a symlink under it"),
        ] {
            XCTAssertThrowsError(try guarded([link, entry]), why)
        }
    }

    func testOrdinaryTreesAndLinksPass() throws {
        try guarded([
            ("", .directory), ("bin", .directory), ("bin/python3.13", .file), ("bin/python3", .symlink),
            ("bin/python", .symlink), ("lib/libpython3.so", .file), ("lib/linked", .hardLink(target: "lib/libpython3.so")),
            ("lib/linkage/x", .file),  // "link" is a name prefix of "linkage", not a component
            ("bin/python3", .file),    // a later entry replaces a symlink (libarchive unlinks it, never follows it)
        ])
        try guarded([("lib/link", .symlink), ("lib/link2/x", .file), ("lib/h", .hardLink(target: "lib/other"))])
    }

    func testTheFolderItselfMustBeAFolder() {
        XCTAssertThrowsError(try guarded([("", .symlink)]))
        XCTAssertThrowsError(try guarded([("", .file)]))
        XCTAssertThrowsError(try guarded([("", .hardLink(target: "bin/python3"))]))
    }
}
