import XCTest
@testable import Install

final class UninstallSelectionTests: XCTestCase {
    let records = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu", "cpython-3.11.2-linux-x86_64-gnu"].map { Fixture.record($0) }

    func testRequestsSelectEveryMatchOnce() throws {
        let doomed = try Uninstaller.select(["3.13", "3.13.5"], all: false, from: records)
        XCTAssertEqual(doomed.map(\.key), ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu"])
        XCTAssertEqual(try Uninstaller.select(["3.13.15"], all: false, from: records).map(\.key), ["cpython-3.13.15-linux-x86_64-gnu"])
    }

    func testAllSelectsEverything() throws {
        XCTAssertEqual(try Uninstaller.select([], all: true, from: records).count, 3)
        XCTAssertEqual(try Uninstaller.select([], all: true, from: []).count, 0)
    }

    func testARequestMatchingNothingIsRefused() {
        XCTAssertThrowsError(try Uninstaller.select(["3.11", "3.9"], all: false, from: records)) { error in
            XCTAssertEqual("\(error)", "no installed Python matches '3.9'; `pyman list --only-installed` shows what is installed")
        }
        XCTAssertThrowsError(try Uninstaller.select(["3..9"], all: false, from: records))
    }

    func testUninstallingFromAnEmptyInstallDirRemovesNothing() throws {
        let folder = try Fixture.folder(self)
        XCTAssertEqual(try Uninstaller(settings: Fixture.settings(in: folder)).uninstall([], all: true), [])
    }
}
