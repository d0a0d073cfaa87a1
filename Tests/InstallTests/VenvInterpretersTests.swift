import Foundation
import UnitTestSupport
import XCTest
@testable import Install

/// `venv --python` text is a path only when it holds a `/`.
final class VenvInterpretersTests: XCTestCase {
    func testVenvPythonTextWithoutASlashIsARequestNeverAFile() throws {
        let folder = try Fixture.folder(self)
        let marker = folder.appendingPathComponent("ran")
        for name in ["3.12", "python3x"] {
            let file = folder.appendingPathComponent(name)
            try Data("#!/bin/sh\ntouch '\(marker.path)'\n".utf8).write(to: file)
            XCTAssertEqual(chmod(file.path, 0o755), 0)
        }
        let catalogue = folder.appendingPathComponent("catalogue.json")
        try Data("{}".utf8).write(to: catalogue)
        let settings = Fixture.settings(in: folder, environment: ["PYMAN_DOWNLOADS_JSON": catalogue.path])
        let interpreters = VenvInterpreters(settings: settings, progress: ProgressBoard(enabled: false))
        XCTAssertThrowsError(try interpreters.resolve("3.12")) { error in
            XCTAssertTrue("\(error)".hasPrefix("no Python matches '3.12'"), "\(error)")
        }
        XCTAssertThrowsError(try interpreters.resolve("python3x")) { error in
            XCTAssertEqual("\(error)", "invalid Python request 'python3x': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'; to use the file of that name in this folder, pass --python ./python3x")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "the file named like the request was not run")
        XCTAssertThrowsError(try interpreters.resolve("./3.12")) { error in
            XCTAssertEqual("\(error)", "\(folder.path)/3.12 did not answer like a Python interpreter; pass --python a Python 3 executable")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "with a slash it is a path, and is asked")
    }
}
