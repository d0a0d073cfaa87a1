import Foundation
import XCTest
import UnitTestSupport
@testable import Catalogue
@testable import Install

final class UpgradePlanTests: XCTestCase {
    let catalogue = Fixture.catalogue([
        "cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu", "cpython-3.13.16rc1-linux-x86_64-gnu",
        "cpython-3.11.2-linux-x86_64-gnu", "cpython-3.13.15+freethreaded-linux-x86_64-gnu",
    ])

    func testEachSeriesMovesToItsNewestFinalRelease() throws {
        let installed = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.11.2-linux-x86_64-gnu", "cpython-3.13.4+freethreaded-linux-x86_64-gnu"]
            .map { Fixture.record($0) }
        let plan = try Upgrade.plan(installed: installed, filters: [], catalogue: catalogue, platform: Fixture.linux)
        XCTAssertEqual(plan.sources.map(\.key.description), ["cpython-3.13.15+freethreaded-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu"])
        XCTAssertEqual(plan.notes, [
            "cpython-3.11-linux-x86_64-gnu is up to date (3.11.2)",
            "Upgrading cpython-3.13+freethreaded-linux-x86_64-gnu: 3.13.4 -> 3.13.15",
            "Upgrading cpython-3.13-linux-x86_64-gnu: 3.13.5 -> 3.13.15",
        ])
    }

    func testTheNewestInstalledReleaseOfASeriesCounts() throws {
        let installed = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu"].map { Fixture.record($0) }
        let plan = try Upgrade.plan(installed: installed, filters: [], catalogue: catalogue, platform: Fixture.linux)
        XCTAssertEqual(plan.sources, [])
        XCTAssertEqual(plan.notes, ["Nothing to upgrade: cpython-3.13-linux-x86_64-gnu (3.13.15) is up to date"])
    }

    /// Nothing to upgrade is one line, for one series or several, and when nothing is installed (without
    /// reading the catalogue, which may mean a fetch).
    func testNothingToUpgradeIsOneLine() throws {
        let installed = ["cpython-3.13.15-linux-x86_64-gnu", "cpython-3.11.2-linux-x86_64-gnu"].map { Fixture.record($0) }
        let plan = try Upgrade.plan(installed: installed, filters: [], catalogue: catalogue, platform: Fixture.linux)
        XCTAssertEqual(plan, Upgrade.Plan(notes: ["Nothing to upgrade: cpython-3.11-linux-x86_64-gnu (3.11.2), cpython-3.13-linux-x86_64-gnu (3.13.15) are up to date"]))
        func unreadable() throws -> Catalogue { XCTFail("catalogue read"); return Catalogue(entries: []) }
        XCTAssertEqual(try Upgrade.plan(installed: [], filters: [], catalogue: try unreadable(), platform: Fixture.linux),
                       Upgrade.Plan(notes: ["Nothing to upgrade: no Python is installed"]))
    }

    func testFiltersAndOtherPlatforms() throws {
        let installed = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.11.1-linux-x86_64-gnu", "cpython-3.11.0-linux-x86_64-musl"].map { Fixture.record($0) }
        let plan = try Upgrade.plan(installed: installed, filters: [try PythonRequest(parsing: "3.11")], catalogue: catalogue, platform: Fixture.linux)
        XCTAssertEqual(plan.sources.map(\.key.description), ["cpython-3.11.2-linux-x86_64-gnu"], "musl's 3.11 is another machine's")
    }

    func testAFilterMatchingNothingFailsBeforeTheCatalogueIsRead() throws {
        let installed = [Fixture.record("cpython-3.13.5-linux-x86_64-gnu")]
        func unreadable() throws -> Catalogue { XCTFail("catalogue read"); return Catalogue(entries: []) }
        XCTAssertThrowsError(try Upgrade.plan(installed: installed, filters: [try PythonRequest(parsing: "3.12")], catalogue: try unreadable(), platform: Fixture.linux)) { error in
            XCTAssertEqual("\(error)", "no installed Python matches '3.12'; install it first with `pyman install`")
        }
    }
}
