import Foundation
import XCTest
@testable import Catalogue
@testable import Install

final class ResolutionTests: XCTestCase {
    func testExplicitTextWinsOverPythonVersionFile() throws {
        let folder = try Fixture.folder(self)
        try "3.11\n".write(to: folder.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Resolution.request("3.13", from: folder).text, "3.13")
        XCTAssertEqual(try Resolution.request(nil, from: folder).text, "3.11")
    }

    func testPythonVersionFileIsSearchedUpwardSkippingComments() throws {
        let folder = try Fixture.folder(self)
        let deep = folder.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try "# pinned\n\n  3.12  \n3.9\n".write(to: folder.appendingPathComponent("a/.python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Resolution.request(nil, from: deep).text, "3.12")
    }

    func testNoFileMeansNewest() throws {
        // The temporary folder's parents hold no .python-version on a test machine; / is reached and nil returned.
        let folder = try Fixture.folder(self)
        XCTAssertEqual(try Resolution.request(nil, from: folder), .newest)
    }

    func testABadPinNamesItsFile() throws {
        let folder = try Fixture.folder(self)
        let file = folder.appendingPathComponent(".python-version")
        try "not-a-version!\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Resolution.request(nil, from: folder)) { error in
            XCTAssertTrue("\(error)".hasPrefix(file.path + ": invalid Python request"), "\(error)")
        }
    }

    func testDownloadPrefersNewestStableOnThisPlatform() throws {
        let catalogue = Fixture.catalogue([
            "cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.7-linux-x86_64-musl", "cpython-3.14.0rc1-linux-x86_64-gnu",
            "cpython-3.13.6-linux-x86_64-gnu", "cpython-3.13.6+freethreaded-linux-x86_64-gnu",
        ])
        let pick = { (text: String) in Resolution.download(try PythonRequest(parsing: text), in: catalogue, platform: Fixture.linux)?.key.description }
        XCTAssertEqual(try pick("3.13"), "cpython-3.13.6-linux-x86_64-gnu")
        XCTAssertEqual(try pick("3.13t"), "cpython-3.13.6+freethreaded-linux-x86_64-gnu")
        XCTAssertEqual(try pick("3.14"), "cpython-3.14.0rc1-linux-x86_64-gnu", "a series with no final release offers its pre-release")
        XCTAssertEqual(Resolution.download(.newest, in: catalogue, platform: Fixture.linux)?.key.description, "cpython-3.13.6-linux-x86_64-gnu")
        XCTAssertEqual(try pick("3.13-linux-x86_64-musl"), "cpython-3.13.7-linux-x86_64-musl", "a request may name another platform")
        XCTAssertNil(try pick("3.12"))
    }

    func testInstalledOnlyAnswersForThisPlatform() throws {
        let records = [Fixture.record("cpython-3.13.5-linux-x86_64-gnu"), Fixture.record("cpython-3.13.9-linux-x86_64-musl")]
        XCTAssertEqual(Resolution.installed(try PythonRequest(parsing: "3.13"), in: records, platform: Fixture.linux)?.key,
                       "cpython-3.13.5-linux-x86_64-gnu")
        XCTAssertNil(Resolution.installed(try PythonRequest(parsing: "3.12"), in: records, platform: Fixture.linux))
    }

    func testFindSaysWhatToInstall() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        XCTAssertThrowsError(try Resolution.find("3.12", settings: settings)) { error in
            XCTAssertEqual("\(error)", "no installed Python matches '3.12'; install it with `pyman install 3.12`")
        }
    }
}
