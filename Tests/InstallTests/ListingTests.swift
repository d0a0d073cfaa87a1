import XCTest
import UnitTestSupport
@testable import Catalogue
@testable import Install

final class ListingTests: XCTestCase {
    let catalogue = Fixture.catalogue([
        "cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu", "cpython-3.13.15+debug-linux-x86_64-gnu",
        "cpython-3.11.2-linux-x86_64-gnu", "cpython-3.14.9-linux-x86_64-musl", "cpython-3.15.0rc1-linux-x86_64-gnu",
    ])

    func testNewestOfEachSeriesNewestFirstWithoutDebugOrOtherPlatforms() {
        let rows = Listing.rows(installed: [], catalogue: catalogue, filter: nil, platform: Fixture.linux)
        XCTAssertEqual(rows.map(\.key), ["cpython-3.15.0rc1-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu", "cpython-3.11.2-linux-x86_64-gnu"])
        XCTAssertEqual(rows.map(\.installed), [false, false, false])
    }

    func testInstalledRowsReplaceTheirDownloads() throws {
        let installed = [Fixture.record("cpython-3.11.2-linux-x86_64-gnu"), Fixture.record("cpython-3.13.5-linux-x86_64-gnu")]
        let rows = Listing.rows(installed: installed, catalogue: catalogue, filter: try PythonRequest(parsing: "3.13"), platform: Fixture.linux)
        XCTAssertEqual(rows.map(\.key), ["cpython-3.13.15-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64-gnu"])
        XCTAssertEqual(rows.map(\.installed), [false, true])
        XCTAssertEqual(rows[1].executable, "/nonexistent/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13")
    }

    func testOnlyInstalledReadsNoCatalogue() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder, environment: ["PYMAN_DOWNLOADS_JSON": folder.appendingPathComponent("missing.json").path])
        XCTAssertEqual(try Listing.rows(matching: nil, onlyInstalled: true, settings: settings).rows, [])
        XCTAssertThrowsError(try Listing.rows(matching: nil, onlyInstalled: false, settings: settings))
    }
}
