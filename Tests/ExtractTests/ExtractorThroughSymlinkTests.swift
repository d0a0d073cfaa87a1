import Foundation
import XCTest
@testable import Extract

extension ExtractorTests {
    /// Entries written through a symlink the archive made are refused, and nothing lands where the
    /// symlink points. The last case would escape the folder: a hard link to `lib/a/up -> ../..` is a
    /// second symlink, `bin/up`, whose same text climbs from `bin/` to the folder's parent.
    func testEntriesThroughArchiveSymlinksAreRefused() throws {
        let base = """
        add('python/', type=tarfile.DIRTYPE, mode=0o755)
        add('python/bin/', type=tarfile.DIRTYPE, mode=0o755)
        add('python/bin/x', b'x')
        add('python/lib/', type=tarfile.DIRTYPE, mode=0o755)
        add('python/lib/link', type=tarfile.SYMTYPE, link='../bin')

        """
        let cases = [
            "file": "add('python/lib/link/file', b'x')",
            "dir": "add('python/lib/link/dir/', type=tarfile.DIRTYPE, mode=0o755)\nadd('python/lib/link/dir/file', b'x')",
            "hardlink": "add('python/lib/link/hard', type=tarfile.LNKTYPE, link='python/bin/x')",
            "hardlink-target": "add('python/lib/hard', type=tarfile.LNKTYPE, link='python/lib/link/x')",
            "hardlink-to-symlink": """
            add('python/lib/a/', type=tarfile.DIRTYPE, mode=0o755)
            add('python/lib/a/up', type=tarfile.SYMTYPE, link='../..')
            add('python/bin/up', type=tarfile.LNKTYPE, link='python/lib/a/up')
            add('python/bin/up/escaped', b'x')
            """,
        ]
        for (name, script) in cases.sorted(by: { $0.key < $1.key }) {
            let url = try archive("\(name).tar.gz", base + script)
            XCTAssertThrowsError(try extract(url), name) { error in
                XCTAssertTrue("\(error)".contains("symlink"), "\(name): \(error)")
            }
            let bin = scratch.appendingPathComponent("out/bin")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: bin.path), ["x"], "\(name) wrote through lib/link")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted(), ["\(name).tar.gz", "out"], name)
            try FileManager.default.removeItem(at: scratch.appendingPathComponent("out"))
            try FileManager.default.removeItem(at: url)
        }
    }

    func testTheFolderMustBeNew() throws {
        let url = try archive("ok.tar.gz", "add('python/bin/x', b'x')")
        try FileManager.default.createSymbolicLink(atPath: scratch.appendingPathComponent("out").path, withDestinationPath: "elsewhere")
        XCTAssertThrowsError(try extract(url))
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("elsewhere").path))
    }
}
