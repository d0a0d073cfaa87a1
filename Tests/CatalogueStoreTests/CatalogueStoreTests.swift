import Foundation
import UnitTestSupport
import XCTest
@testable import Catalogue
@testable import CatalogueStore

/// The stored catalogue: what `catalogue update` keeps, what commands then read, and what never
/// replaces it. Fetched from file: URLs here; HTTP, ETag and 304 are in the end-to-end tests.
final class CatalogueStoreTests: XCTestCase {
    /// uv's format, one build per key.
    func uvCatalogue(_ keys: [String], os: String = "linux") throws -> Data {
        var object: [String: Any] = [:]
        for key in keys {
            let numbers = key.split(separator: "-")[1].split(separator: ".").map { Int($0)! }
            object[key] = ["name": "cpython", "arch": ["family": "x86_64", "variant": NSNull()], "os": os, "libc": os == "linux" ? "gnu" : "none",
                           "major": numbers[0], "minor": numbers[1], "patch": numbers[2], "prerelease": "",
                           "url": "https://example.invalid/\(key).tar.gz", "sha256": String(repeating: "b", count: 64),
                           "variant": NSNull(), "build": "20261021"]
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    func keys(_ loaded: LoadedCatalogue) -> [String] {
        loaded.catalogue.entries.map(\.key.description).sorted()
    }

    func testUpdateStoresTheCatalogueAndCommandsReadIt() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        XCTAssertTrue(keys(try settings.chooseCatalogue(refreshing: false)).count > 4000, "nothing stored: the embedded one")
        let file = folder.appendingPathComponent("new.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: file)

        let (outcome, stored) = try CatalogueUpdate.update(url: "new.json", settings: settings, now: 1000)
        guard case .fetched = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(stored.origin.url, file.absoluteString, "a path is taken as the file: URL of its absolute path")
        XCTAssertEqual(stored.origin.entries, 1)
        XCTAssertEqual(stored.origin.newestBuild, "20261021")
        let loaded = try settings.chooseCatalogue(refreshing: false)
        XCTAssertEqual(keys(loaded), ["cpython-3.16.0-linux-x86_64-gnu"])
        guard case .stored(let origin, let path) = loaded.source else { return XCTFail("\(loaded.source)") }
        XCTAssertEqual(origin.fetched, 1000)
        XCTAssertEqual(path, folder.appendingPathComponent(".cache/pyman/catalogue-v1/stored-catalogue").path)
        XCTAssertEqual(CatalogueSummary(loaded, platform: Fixture.linux).newestBuild, "2026-10-21")
    }

    func testAStoredCatalogueInTheUnversionedBucketIsNotRead() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        let file = folder.appendingPathComponent("new.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: file)
        _ = try CatalogueUpdate.update(url: file.path, settings: settings, now: 1000)
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: false)), ["cpython-3.16.0-linux-x86_64-gnu"])
        let store = CatalogueStore(cacheDir: settings.cacheDir)
        try FileManager.default.moveItem(atPath: store.folder, toPath: URL(fileURLWithPath: settings.cacheDir).appendingPathComponent("catalogue").path)
        XCTAssertTrue(keys(try settings.chooseCatalogue(refreshing: false)).count > 4000, "the old layout's catalogue was read")
    }

    func testABadCatalogueNeverReplacesTheStoredOne() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        let good = folder.appendingPathComponent("good.json"), bad = folder.appendingPathComponent("bad.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: good)
        _ = try CatalogueUpdate.update(url: good.path, settings: settings, now: 1000)
        let before = try Data(contentsOf: URL(fileURLWithPath: CatalogueStore(cacheDir: settings.cacheDir).file))

        let whole = try uvCatalogue(["cpython-3.16.1-linux-x86_64-gnu", "cpython-3.16.2-linux-x86_64-gnu"])
        try whole.prefix(whole.count / 2).write(to: bad)
        XCTAssertThrowsError(try CatalogueUpdate.update(url: bad.path, settings: settings, now: 2000)) { error in
            XCTAssertTrue("\(error)".contains(bad.absoluteString) && "\(error)".contains("line 1, column"), "\(error)")
            XCTAssertTrue("\(error)".contains("the catalogue in use is kept"), "\(error)")
        }
        try uvCatalogue(["cpython-3.16.1-darwin-x86_64-none"], os: "darwin").write(to: bad)
        XCTAssertThrowsError(try CatalogueUpdate.update(url: bad.path, settings: settings, now: 2000)) { error in
            XCTAssertTrue("\(error)".contains("offers no Python for linux-x86_64-gnu"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: CatalogueStore(cacheDir: settings.cacheDir).file)), before)
    }

    func testInstallRefreshesWhenDueAndOnlyThen() throws {
        let folder = try Fixture.folder(self)
        let file = folder.appendingPathComponent("served.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: file)
        var settings = Fixture.settings(in: folder, environment: ["PYMAN_CATALOGUE_URL": file.absoluteString])
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 1000)), ["cpython-3.16.0-linux-x86_64-gnu"],
                       "nothing fetched yet: fetched first")
        try uvCatalogue(["cpython-3.16.1-linux-x86_64-gnu"]).write(to: file)
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 1000 + 3600)), ["cpython-3.16.0-linux-x86_64-gnu"],
                       "an hour old, within the day: kept")
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: false, now: 1000 + 86400)), ["cpython-3.16.0-linux-x86_64-gnu"],
                       "list never refreshes")
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 1000 + 86400)), ["cpython-3.16.1-linux-x86_64-gnu"],
                       "a day old: fetched again")
        try uvCatalogue(["cpython-3.16.2-linux-x86_64-gnu"]).write(to: file)
        settings.catalogueTTL = "never"
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 1000 + 10 * 86400)), ["cpython-3.16.1-linux-x86_64-gnu"])
        settings.catalogueTTL = "0"
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 1000 + 86400)), ["cpython-3.16.2-linux-x86_64-gnu"])
        settings.catalogueTTL = "soon"
        XCTAssertThrowsError(try settings.chooseCatalogue(refreshing: true))
        XCTAssertNoThrow(try settings.chooseCatalogue(refreshing: false), "a bad TTL fails only what would refresh")
    }

    func testNothingFetchedAndTTLNeverMeansTheEmbeddedOne() throws {
        let folder = try Fixture.folder(self)
        let file = folder.appendingPathComponent("served.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: file)
        let settings = Fixture.settings(in: folder, environment: ["PYMAN_CATALOGUE_URL": file.absoluteString, "PYMAN_CATALOGUE_TTL": "never"])
        guard case .embedded = try settings.chooseCatalogue(refreshing: true).source else { return XCTFail("fetched although TTL is never") }
    }

    func testAFailedRefreshKeepsTheStoredOne() throws {
        let folder = try Fixture.folder(self)
        let file = folder.appendingPathComponent("served.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: file)
        var settings = Fixture.settings(in: folder, environment: ["PYMAN_CATALOGUE_TTL": "0"])
        _ = try CatalogueUpdate.update(url: file.path, settings: settings, now: 1000)
        settings.catalogueURL = folder.appendingPathComponent("missing.json").absoluteString
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 2000)), ["cpython-3.16.0-linux-x86_64-gnu"])
        settings.catalogueURL = "http://127.0.0.1:9/catalogue.json"
        settings.offline = true
        XCTAssertEqual(keys(try settings.chooseCatalogue(refreshing: true, now: 2000)), ["cpython-3.16.0-linux-x86_64-gnu"])
    }

    func testAStoredCatalogueOthersCouldChangeOrThatIsDamagedIsNotRead() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        let file = folder.appendingPathComponent("served.json")
        try uvCatalogue(["cpython-3.16.0-linux-x86_64-gnu"]).write(to: file)
        _ = try CatalogueUpdate.update(url: file.path, settings: settings, now: 1000)
        let stored = CatalogueStore(cacheDir: settings.cacheDir).file
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: stored)
        guard case .embedded = try settings.chooseCatalogue(refreshing: false).source else { return XCTFail("read a file others may write") }
        XCTAssertThrowsError(try CatalogueStore(cacheDir: settings.cacheDir).load()) { error in
            XCTAssertTrue("\(error)".contains("can be written by other users"), "\(error)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: stored)
        try Data("{\"url\": 1}\n{}".utf8).write(to: URL(fileURLWithPath: stored))
        XCTAssertThrowsError(try CatalogueStore(cacheDir: settings.cacheDir).load()) { error in
            XCTAssertTrue("\(error)".contains("is damaged") && "\(error)".contains("pyman catalogue update"), "\(error)")
        }
        guard case .embedded = try settings.chooseCatalogue(refreshing: false).source else { return XCTFail("read a damaged file") }
        // A link, even to a good catalogue, is not read.
        let good = folder.appendingPathComponent("good-stored")
        try FileManager.default.moveItem(at: URL(fileURLWithPath: stored), to: good)
        _ = try CatalogueUpdate.update(url: file.path, settings: settings, now: 1000)
        try FileManager.default.moveItem(at: URL(fileURLWithPath: stored), to: good.appendingPathExtension("2"))
        try FileManager.default.createSymbolicLink(at: URL(fileURLWithPath: stored), withDestinationURL: good.appendingPathExtension("2"))
        XCTAssertThrowsError(try CatalogueStore(cacheDir: settings.cacheDir).load()) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
    }
}
