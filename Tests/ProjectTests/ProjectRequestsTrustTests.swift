import Core
import Foundation
import UnitTestSupport
import XCTest
@testable import Project

/// The upward search for .python-version(s) and pyproject.toml obeys only files nobody else could have
/// written (issue #23): others' files, files others can write, files in others' folders and links are
/// skipped as if absent; a trusted file still answers, and a bad one shows only its escaped, cut token.
final class ProjectRequestsTrustTests: XCTestCase {
    var folder: URL!
    var job: URL { folder.appendingPathComponent("job") }

    override func setUpWithError() throws {
        folder = try Fixture.folder(self)
        try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
    }

    func write(_ text: String, _ name: String, in place: URL? = nil, mode: Int = 0o644) throws -> String {
        let file = (place ?? folder).appendingPathComponent(name)
        try text.write(to: file, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(file.path, mode_t(mode)), 0)
        return file.path
    }

    func found(from directory: URL? = nil) throws -> ProjectRequests {
        try ProjectRequests.find(settings: Fixture.settings(in: directory ?? job, environment: ["HOME": folder.path]))
    }

    func requireRoot() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to hand a file to another user") }
    }

    func testATrustedPinAnswersAndAnUntrustedOneIsSkipped() throws {
        let pin = try write("3.11\n3.13\n", ".python-versions")
        XCTAssertEqual(try found().requests.map(\.text), ["3.11", "3.13"])
        XCTAssertEqual(try found().file, pin)

        XCTAssertEqual(chmod(pin, 0o664), 0)
        XCTAssertNil(try found().file, "a file others can write is skipped")
        XCTAssertEqual(chmod(pin, 0o644), 0)

        try requireRoot()
        XCTAssertEqual(chown(pin, 65534, gid_t(UInt32.max)), 0)
        XCTAssertNil(try found().file, "another user's file is skipped")
        // The search goes on: a trusted file further up, or the sibling, answers instead.
        let sibling = try write("3.12\n", ".python-version")
        XCTAssertEqual(try found().file, sibling)
    }

    func testAFileInAFolderAnotherUserControlsIsSkippedButStickyIsFine() throws {
        try requireRoot()
        let shared = folder.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared.appendingPathComponent("job"), withIntermediateDirectories: true)
        _ = try write("3.11\n", ".python-version", in: shared)
        XCTAssertEqual(chown(shared.path, 65534, gid_t(UInt32.max)), 0)
        XCTAssertNil(try found(from: shared.appendingPathComponent("job")).file, "root's file in nobody's folder: nobody could swap it")

        let sticky = folder.appendingPathComponent("sticky")
        try FileManager.default.createDirectory(at: sticky.appendingPathComponent("job"), withIntermediateDirectories: true)
        XCTAssertEqual(chmod(sticky.path, 0o1777), 0)
        let pin = try write("3.11\n", ".python-version", in: sticky.appendingPathComponent("job"))
        XCTAssertEqual(try found(from: sticky.appendingPathComponent("job")).file, pin, "a sticky folder above, like /tmp, is fine")
    }

    func testAPinIsNotFollowedThroughALink() throws {
        let secret = try write("top-secret-line\n", "secret", mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: job.appendingPathComponent(".python-version").path, withDestinationPath: secret)
        XCTAssertNil(try found().file, "a link is skipped, so its target's content is never read nor shown")
    }

    func testABadPinShowsOnlyItsTokenEscapedAndCut() throws {
        let token = "\u{1b}[31m" + String(repeating: "x", count: 200)
        let pin = try write(token + "\n", ".python-version", in: job)
        XCTAssertThrowsError(try found()) { error in
            let shown = "\\u{1b}[31m" + String(repeating: "x", count: 55) + "…"
            XCTAssertEqual("\(error)", "\(pin): invalid Python request '\(shown)': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'")
        }
    }

    /// Chosen as a uv user would expect: a broken pyproject.toml nobody else could have written is the
    /// user's to fix (one line, file and line); one that is not theirs is skipped, and the search goes on.
    func testAMalformedPyprojectIsAnErrorOnlyWhenTrusted() throws {
        let pyproject = try write("[project]\nrequires-python = \">=3.11\n", "pyproject.toml")
        XCTAssertThrowsError(try found()) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(pyproject) line 2: "), "\(error)")
        }
        XCTAssertEqual(chmod(pyproject, 0o666), 0)
        XCTAssertNil(try found().file, "others can write it: skipped")
        XCTAssertEqual(chmod(pyproject, 0o644), 0)

        try requireRoot()
        XCTAssertEqual(chown(pyproject, 65534, gid_t(UInt32.max)), 0)
        XCTAssertNil(try found().file, "another user's: skipped")
        let near = try write("[project]\nrequires-python = \">=3.12\"\n", "pyproject.toml", in: job)
        XCTAssertEqual(try found().file, near)
        XCTAssertEqual(try found().requests.map(\.text), [">=3.12"])
    }

    /// Found walking up, a pyproject.toml that is not UTF-8 is what any unreadable project file is: an
    /// error when trusted, skipped with a note when not; a .python-version below it still answers first.
    func testAPyprojectThatIsNotUTF8IsAnErrorOnlyWhenTrusted() throws {
        let pyproject = folder.appendingPathComponent("pyproject.toml")
        try Data(Array("[project]\n# caf".utf8) + [0xE9] + Array("\nrequires-python = \">=3.11\"\n".utf8)).write(to: pyproject)
        XCTAssertThrowsError(try found()) { error in
            XCTAssertEqual("\(error)", "\(pyproject.path) line 2: byte 0xe9 is not UTF-8, and a TOML file must be UTF-8 text; save the file as UTF-8")
        }
        XCTAssertEqual(chmod(pyproject.path, 0o666), 0)
        XCTAssertNil(try found().file, "others can write it: skipped")
        XCTAssertEqual(chmod(pyproject.path, 0o644), 0)
        let pin = try write("3.12\n", ".python-version", in: job)
        XCTAssertEqual(try found().file, pin, "a pin below comes first: the pyproject.toml is not read")
    }
}
