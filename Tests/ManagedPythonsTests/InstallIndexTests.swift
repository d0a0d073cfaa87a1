import Catalogue
import Foundation
import XCTest
@testable import ManagedPythons

final class InstallIndexTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func record(_ key: String) -> InstallRecord {
        InstallRecord(key: PythonKey(key)!, path: dir.appendingPathComponent(key).path, url: "file:///a", sha256: "ab",
                      size: 1, installedAt: Date(timeIntervalSince1970: 1), pymanVersion: "t", patchLevel: 1)
    }

    /// An install folder with its receipt, as the installer leaves it.
    func makeInstall(_ key: String) throws -> InstallRecord {
        let folder = dir.appendingPathComponent(key)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = record(key)
        try InstallIndex.writeReceipt(made, into: folder.path)
        return made
    }

    func testUpdateThenReadBack() throws {
        let index = InstallIndex(directory: dir.path, warn: { _ in })
        try index.update { $0.append(self.record("cpython-3.13.5-linux-x86_64-gnu")) }
        XCTAssertEqual(index.records().map(\.key), ["cpython-3.13.5-linux-x86_64-gnu"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "the temporary file is renamed, never left")
    }

    func testRebuildsFromReceiptsIgnoringTemporaryFoldersAndLinks() throws {
        let a = try makeInstall("cpython-3.11.2-linux-x86_64-gnu")
        let b = try makeInstall("cpython-3.13.5-linux-x86_64-gnu")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".tmp-cpython-3.12.0-linux-x86_64-gnu-1-2"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("cpython-3.13-linux-x86_64-gnu").path, withDestinationPath: b.key)
        let warnings = Warnings()
        let index = InstallIndex(directory: dir.path, warn: { warnings.add($0) })
        XCTAssertEqual(index.records(), [a, b])
        XCTAssertTrue(warnings.all.isEmpty, "a missing index is rebuilt silently")

        try Data("{ half".utf8).write(to: dir.appendingPathComponent(InstallIndex.fileName))
        XCTAssertEqual(index.records(), [a, b])
        XCTAssertEqual(warnings.all.count, 1)
        XCTAssertTrue(warnings.all[0].contains("corrupt"))
        XCTAssertEqual(index.records(), [a, b], "the rebuilt index was saved")
        XCTAssertEqual(warnings.all.count, 1)
    }

    func testConcurrentWritersLoseNoRecord() throws {
        let index = InstallIndex(directory: dir.path, warn: { _ in })
        let keys = (0..<16).map { "cpython-3.13.\($0)-linux-x86_64-gnu" }
        DispatchQueue.concurrentPerform(iterations: keys.count) { i in
            try? index.update { $0.append(self.record(keys[i])) }
        }
        XCTAssertEqual(Set(index.records().map(\.key)), Set(keys))
    }

    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var all: [String] = []
        func add(_ message: String) { lock.lock(); all.append(message); lock.unlock() }
    }

    func testRepatchAdviceNamesOlderLevelsOnly() {
        var made = record("cpython-3.13.5-linux-x86_64-gnu")
        made.patchLevel = 2
        XCTAssertFalse(made.needsRepatch(current: 2))
        XCTAssertNil(made.repatchAdvice(current: 2))
        XCTAssertTrue(made.needsRepatch(current: 3))
        XCTAssertEqual(made.repatchAdvice(current: 3),
                       "cpython-3.13.5-linux-x86_64-gnu was patched by an older pyman (patch level 2); `pyman install --reinstall cpython-3.13.5-linux-x86_64-gnu` patches it at level 3")
        made.patchLevel = 0
        XCTAssertEqual(made.repatchAdvice(current: 3),
                       "cpython-3.13.5-linux-x86_64-gnu has no pyman patch level recorded; `pyman install --reinstall cpython-3.13.5-linux-x86_64-gnu` patches it at level 3")
    }

    func testRecordContainingFollowsLinksToTheInstall() throws {
        let key = "cpython-3.13.5-linux-x86_64-gnu"
        let made = try makeInstall(key)
        let index = InstallIndex(directory: dir.path, warn: { _ in })
        try index.update { $0.append(made) }
        let bin = dir.appendingPathComponent("\(key)/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let minorLink = dir.appendingPathComponent("cpython-3.13-linux-x86_64-gnu")
        try FileManager.default.createSymbolicLink(atPath: minorLink.path, withDestinationPath: key)
        XCTAssertEqual(index.record(containing: bin.path)?.key, key)
        XCTAssertEqual(index.record(containing: minorLink.appendingPathComponent("bin").path)?.key, key)
        XCTAssertEqual(index.record(containing: dir.appendingPathComponent(key).path)?.key, key)
        // A sibling whose name starts with the key is not inside it, nor is a path that does not exist.
        let sibling = dir.appendingPathComponent("\(key)-other")
        try FileManager.default.createDirectory(at: sibling, withIntermediateDirectories: true)
        XCTAssertNil(index.record(containing: sibling.path))
        XCTAssertNil(index.record(containing: dir.appendingPathComponent("missing").path))
    }
}
