import XCTest
import UnitTestSupport
@testable import ManagedPythons
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

    func testOutdatedIsEveryOlderPatchReleaseOfEachSeriesButThePinned() throws {
        func record(_ key: String, sha: String) -> InstallRecord {
            var record = Fixture.record(key)
            record.sha256 = sha
            return record
        }
        let installed = [
            record("cpython-3.13.4-linux-x86_64-gnu", sha: "a"), record("cpython-3.13.5-linux-x86_64-gnu", sha: "b"),
            record("cpython-3.13.15-linux-x86_64-gnu", sha: "c"), record("cpython-3.13.5+freethreaded-linux-x86_64-gnu", sha: "d"),
            record("cpython-3.11.1-linux-x86_64-gnu", sha: "e"), record("cpython-3.11.2-linux-x86_64-gnu", sha: "f"),
        ]
        let all = try Uninstaller.outdated([], pinned: [], from: installed)
        XCTAssertEqual(all.doomed.map(\.key).sorted(), ["cpython-3.11.1-linux-x86_64-gnu", "cpython-3.13.4-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64-gnu"],
                       "the newest of each series stays, and the free-threaded build is a series of its own")
        let pinned = try Uninstaller.outdated(["3.13"], pinned: ["cpython-3.13.5-linux-x86_64-gnu"], from: installed)
        XCTAssertEqual(pinned.doomed.map(\.key), ["cpython-3.13.4-linux-x86_64-gnu"])
        XCTAssertEqual(pinned.kept.map(\.key), ["cpython-3.13.5-linux-x86_64-gnu"])
        XCTAssertThrowsError(try Uninstaller.outdated(["3.12"], pinned: [], from: installed)) { error in
            XCTAssertTrue("\(error)".hasPrefix("no installed Python matches '3.12'"), "\(error)")
        }
    }
}
