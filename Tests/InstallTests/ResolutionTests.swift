import Foundation
import XCTest
import UnitTestSupport
@testable import Catalogue
@testable import Install
@testable import Project

final class ResolutionTests: XCTestCase {
    func testExplicitTextWinsOverPythonVersionFile() throws {
        let folder = try Fixture.folder(self)
        try "3.11\n".write(to: folder.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Resolution.request("3.13", settings: Fixture.settings(in: folder)).text, "3.13")
        XCTAssertEqual(try Resolution.request(nil, settings: Fixture.settings(in: folder)).text, "3.11")
    }

    func testPythonVersionFileIsSearchedUpwardSkippingComments() throws {
        let folder = try Fixture.folder(self)
        let deep = folder.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try "# pinned\n\n  3.12  \n3.9\n".write(to: folder.appendingPathComponent("a/.python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Resolution.request(nil, settings: Fixture.settings(in: deep)).text, "3.12")
    }

    func testPythonVersionsGivesEveryLineAndTheFirstIsTheDefault() throws {
        let folder = try Fixture.folder(self)
        try "3.11\n".write(to: folder.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        try "# two\n3.13\n3.12t\n".write(to: folder.appendingPathComponent(".python-versions"), atomically: true, encoding: .utf8)
        let settings = Fixture.settings(in: folder)
        let project = try ProjectRequests.find(settings: settings)
        XCTAssertEqual(project.requests.map(\.text), ["3.13", "3.12t"], ".python-versions wins over .python-version in the same folder")
        XCTAssertEqual(project.file, folder.appendingPathComponent(".python-versions").path)
        XCTAssertEqual(try Resolution.request(nil, settings: settings).text, "3.13")
    }

    func testTheGlobalPinIsReadWhenNothingNearerSays() throws {
        let folder = try Fixture.folder(self)
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let settings = Fixture.settings(in: work, environment: ["XDG_CONFIG_HOME": folder.appendingPathComponent("config").path])
        XCTAssertEqual(try Resolution.request(nil, settings: settings), .newest)
        let pin = try PythonVersionFile.writeGlobal("3.12", settings: settings)
        XCTAssertEqual(pin, folder.appendingPathComponent("config/pyman/python-version").path)
        XCTAssertEqual(try Resolution.request(nil, settings: settings).text, "3.12")
        try "3.11\n".write(to: work.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Resolution.request(nil, settings: settings).text, "3.11", "a folder's pin beats the global one")
        XCTAssertEqual(try Resolution.request("3.9", settings: settings).text, "3.9", "an explicit request beats both")
    }

    func testNoFileMeansNewest() throws {
        // The temporary folder's parents hold no .python-version on a test machine; / is reached and nil returned.
        let folder = try Fixture.folder(self)
        XCTAssertEqual(try Resolution.request(nil, settings: Fixture.settings(in: folder)), .newest)
    }

    func testABadPinNamesItsFile() throws {
        let folder = try Fixture.folder(self)
        let file = folder.appendingPathComponent(".python-version")
        try "not-a-version!\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Resolution.request(nil, settings: Fixture.settings(in: folder))) { error in
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

/// x86-64 levels and debug builds, against a catalogue built in the test.
final class LevelAndDebugResolutionTests: XCTestCase {
    let catalogue = Fixture.catalogue([
        "cpython-3.14.7-linux-x86_64-gnu", "cpython-3.14.7-linux-x86_64_v2-gnu", "cpython-3.14.7-linux-x86_64_v3-gnu",
        "cpython-3.14.7-linux-x86_64_v4-gnu", "cpython-3.14.9-linux-x86_64-gnu",
        "cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64_v3-gnu",
        "cpython-3.13.5+debug-linux-x86_64-gnu", "cpython-3.13.5+freethreaded-linux-x86_64-gnu",
        "cpython-3.13.5+freethreaded+debug-linux-x86_64-gnu",
    ])
    var v3: Platform {
        var machine = Fixture.linux
        machine.archVariant = "v3"
        machine.runsLowerLevels = true
        return machine
    }

    func pick(_ text: String, on platform: Platform) throws -> String? {
        Resolution.download(try PythonRequest(parsing: text), in: catalogue, platform: platform)?.key.description
    }

    func testTheHighestLevelTheCPURunsOfTheNewestRelease() throws {
        XCTAssertEqual(try pick("3.14.7", on: v3), "cpython-3.14.7-linux-x86_64_v3-gnu", "v4 does not run here; v3 is the best that does")
        XCTAssertEqual(try pick("3.14", on: v3), "cpython-3.14.9-linux-x86_64-gnu", "a newer release at the baseline beats an older v3 build")
        XCTAssertEqual(try pick("3.13", on: v3), "cpython-3.13.5-linux-x86_64_v3-gnu")
        XCTAssertEqual(try pick("3.14.7", on: Fixture.linux), "cpython-3.14.7-linux-x86_64-gnu", "a baseline CPU: the baseline build")
        var forced = v3
        (forced.archVariant, forced.runsLowerLevels) = ("v2", false)
        XCTAssertEqual(try pick("3.14.7", on: forced), "cpython-3.14.7-linux-x86_64_v2-gnu", "PYMAN_PYTHON_ARCH=x86_64_v2")
        XCTAssertNil(try pick("3.14.9", on: forced), "forced to v2, and 3.14.9 has no v2 build")
        XCTAssertEqual(try pick("cpython-3.14.7-linux-x86_64_v4-gnu", on: v3), "cpython-3.14.7-linux-x86_64_v4-gnu", "a key names its level")
        XCTAssertEqual(try pick("3.14.7-linux", on: v3), "cpython-3.14.7-linux-x86_64_v3-gnu", "naming the os alone keeps the CPU's levels")
        XCTAssertEqual(try pick("3.14.9-linux", on: v3), "cpython-3.14.9-linux-x86_64-gnu", "and the baseline below them")
        XCTAssertEqual(try pick("3.14.7-linux-x86_64", on: v3), "cpython-3.14.7-linux-x86_64-gnu", "naming the architecture names the baseline")
        let installed = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64_v3-gnu"].map { Fixture.record($0) }
        XCTAssertEqual(Resolution.installed(try PythonRequest(parsing: "3.13"), in: installed, platform: v3)?.key, "cpython-3.13.5-linux-x86_64_v3-gnu")
    }

    func testListOffersOneRowPerSeriesAtItsBestLevel() {
        let rows = Listing.rows(installed: [], catalogue: catalogue, filter: nil, platform: v3).map(\.key)
        XCTAssertEqual(rows, ["cpython-3.14.9-linux-x86_64-gnu", "cpython-3.13.5+freethreaded-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64_v3-gnu"])
    }

    func testDebugRequests() throws {
        XCTAssertEqual(try pick("3.13d", on: v3), "cpython-3.13.5+debug-linux-x86_64-gnu")
        XCTAssertEqual(try pick("3.13td", on: v3), "cpython-3.13.5+freethreaded+debug-linux-x86_64-gnu")
        XCTAssertEqual(try pick("3.13+debug", on: v3), "cpython-3.13.5+debug-linux-x86_64-gnu")
        XCTAssertEqual(try pick("3.13.5+freethreaded+debug", on: v3), "cpython-3.13.5+freethreaded+debug-linux-x86_64-gnu")
        XCTAssertEqual(try pick("cpython-3.13.5+debug-linux-x86_64-gnu", on: v3), "cpython-3.13.5+debug-linux-x86_64-gnu")
        XCTAssertNil(try pick("3.14d", on: v3))
        XCTAssertEqual(Fixture.key("cpython-3.13.5+debug-linux-x86_64-gnu").executableName, "python3.13d")
        XCTAssertEqual(Fixture.key("cpython-3.13.5+freethreaded+debug-linux-x86_64-gnu").executableName, "python3.13td")
        let debugRows = Listing.rows(installed: [], catalogue: catalogue, filter: try PythonRequest(parsing: "3.13d"), platform: v3).map(\.key)
        XCTAssertEqual(debugRows, ["cpython-3.13.5+debug-linux-x86_64-gnu"], "list leaves debug builds out unless asked for them")
    }

    func testUpgradeStaysAtItsLevel() throws {
        let installed = [Fixture.record("cpython-3.14.7-linux-x86_64_v3-gnu")]
        let newer = Catalogue(entries: catalogue.entries + [Fixture.entry("cpython-3.14.8-linux-x86_64_v3-gnu")])
        let plan = try Upgrade.plan(installed: installed, filters: [], catalogue: newer, platform: v3)
        XCTAssertEqual(plan.sources.map(\.key.description), ["cpython-3.14.8-linux-x86_64_v3-gnu"], "not the baseline 3.14.9: the v3 series moves to its newest v3 build")
    }
}
