import Crypto
import Foundation
import TestSupport
import XCTest
@testable import Download

final class ArchiveCacheTests: XCTestCase {
    func cache() throws -> ArchiveCache {
        ArchiveCache(cacheDir: try scratchFolder("cache").path)
    }

    let body = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    var sha256: String { SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined() }

    func fill(_ cache: ArchiveCache, with data: Data, claiming sha256: String) throws -> CacheFill {
        let fill = try cache.beginFill(sha256: sha256)
        data.withUnsafeBytes { fill.write($0) }
        return fill
    }

    func names(_ cache: ArchiveCache) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache.folder).sorted()
    }

    func testAnEntryIsStoredOnlyWhenTheBodyHashedToItsName() throws {
        let cache = try cache()
        XCTAssertNil(cache.entry(sha256: sha256))
        XCTAssertNil(try fill(cache, with: body, claiming: sha256).finish(bodySHA256: sha256))
        XCTAssertEqual(cache.entry(sha256: sha256), cache.path(sha256: sha256))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cache.path(sha256: sha256))), body)

        let other = String(repeating: "0", count: 64)
        try fill(cache, with: body, claiming: other).finish(bodySHA256: sha256)
        XCTAssertNil(cache.entry(sha256: other), "a body of another hash was stored under the name")
        try fill(cache, with: body, claiming: other).finish(bodySHA256: nil)   // a failed transfer
        XCTAssertEqual(try names(cache), [sha256], "temporary files are removed")
    }

    func testAnAbandonedFillLeavesNothing() throws {
        let cache = try cache()
        var fill: CacheFill? = try fill(cache, with: body.prefix(1000), claiming: sha256)
        XCTAssertEqual(try names(cache).count, 1)
        fill = nil
        _ = fill
        XCTAssertEqual(try names(cache), [])
    }

    func testFillsRacingForOneEntryLeaveOneWholeFile() throws {
        let cache = try cache()
        let fills = try (0..<4).map { _ in try cache.beginFill(sha256: sha256) }
        for offset in stride(from: 0, to: body.count, by: 10_000) {
            for fill in fills { body[offset..<min(offset + 10_000, body.count)].withUnsafeBytes { fill.write($0) } }
        }
        for fill in fills { XCTAssertNil(fill.finish(bodySHA256: sha256)) }
        XCTAssertEqual(try names(cache), [sha256])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cache.path(sha256: sha256))), body)
    }

    func testWhatIsNotARegularFileIsNoEntry() throws {
        let cache = try cache()
        try cache.ensureFolder()
        let target = cache.folder + "/elsewhere"
        try body.write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: cache.path(sha256: sha256), withDestinationPath: target)
        XCTAssertNil(cache.entry(sha256: sha256), "a symlink is read as an entry")
        XCTAssertNil(cache.entry(sha256: "../elsewhere"))
        XCTAssertThrowsError(try cache.beginFill(sha256: "../../etc/passwd"))
        let items = cache.contents().sorted { $0.name < $1.name }
        XCTAssertEqual(items.map(\.isEntry), [false, false], "a link and a stray file are no entries")
    }

    func testACacheOthersCanWriteIsRefused() throws {
        let cache = try cache()
        try cache.ensureFolder()
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: cache.folder)
        XCTAssertThrowsError(try cache.beginFill(sha256: sha256)) { error in
            XCTAssertTrue("\(error)".contains("can be written by other users"), "\(error)")
        }
    }
}
