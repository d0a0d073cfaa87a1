import Foundation
import XCTest
import UnitTestSupport
@testable import Download
@testable import Install

final class CacheMaintenanceTests: XCTestCase {
    func testPruneKeepsWhatIsReferencedAndLiveFills() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder, environment: ["PYMAN_CACHE_DIR": folder.appendingPathComponent("cache").path])
        let cache = settings.archiveCache
        try cache.ensureFolder()
        let (kept, unused) = (String(repeating: "a", count: 64), String(repeating: "b", count: 64))
        for name in [kept, unused, ".tmp-\(kept)-1-1", ".tmp-\(unused)-2-2"] {
            try Data(count: 10).write(to: URL(fileURLWithPath: cache.folder + "/" + name))
        }
        let old = Date(timeIntervalSinceNow: -7200)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: cache.folder + "/.tmp-\(unused)-2-2")
        let outcome = try CacheMaintenance(settings: settings).prune(keeping: [kept], now: Int(Date().timeIntervalSince1970))
        XCTAssertEqual(outcome, CacheMaintenance.Outcome(removedFiles: 2, removedBytes: 20, keptArchives: 1))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.folder).sorted(), [".tmp-\(kept)-1-1", kept],
                       "the referenced entry and a fill still being written stay; the unused entry and a killed fill go")
    }

    func testPruneRemovesTheBucketsOfOtherFormats() throws {
        let folder = try Fixture.folder(self)
        let root = folder.appendingPathComponent("cache")
        let settings = Fixture.settings(in: folder, environment: ["PYMAN_CACHE_DIR": root.path])
        for name in ["downloads", "wheels/pip", "interpreters", "catalogue", "downloads-v0", "wheels-v1/pip", "catalogue-v1", "notes"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data(count: 7).write(to: root.appendingPathComponent("downloads/" + String(repeating: "d", count: 64)))
        try Data(count: 4).write(to: root.appendingPathComponent("wheels-v1/pip/x.py"))
        let outcome = try CacheMaintenance(settings: settings).prune(keeping: [], now: Int(Date().timeIntervalSince1970))
        XCTAssertEqual(outcome, CacheMaintenance.Outcome(removedFiles: 1, removedBytes: 7, keptArchives: 0))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted(), ["catalogue-v1", "notes", "wheels-v1"],
                       "the unversioned buckets and downloads-v0 go; current buckets and what pyman never made stay")
    }

    func testCleanEmptiesTheCacheDirButKeepsIt() throws {
        let folder = try Fixture.folder(self)
        let root = folder.appendingPathComponent("cache")
        let settings = Fixture.settings(in: folder, environment: ["PYMAN_CACHE_DIR": root.path])
        try settings.archiveCache.ensureFolder()
        try Data(count: 5).write(to: URL(fileURLWithPath: settings.archiveCache.folder + "/" + String(repeating: "c", count: 64)))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("wheels/x"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: folder.appendingPathComponent("outside"))
        try Data(count: 3).write(to: folder.appendingPathComponent("outside"))
        let outcome = try CacheMaintenance(settings: settings).clean()
        XCTAssertEqual(outcome.removedFiles, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("outside").path), "a link's target outside the cache was removed")
    }
}
