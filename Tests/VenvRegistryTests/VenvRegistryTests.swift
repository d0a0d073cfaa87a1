import Foundation
import XCTest
import Core
@testable import VenvRegistry

/// The registry file against temporary folders: whole after concurrent writers, gone folders dropped,
/// a corrupt or foreign-owned file ignored with one note.
final class VenvRegistryTests: XCTestCase {
    var scratch: URL!
    var notes: Notes!

    final class Notes: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        notes = Notes()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    var registry: VenvRegistry {
        let notes = self.notes!
        return VenvRegistry(folder: scratch.appendingPathComponent("data").path, note: { notes.add($0) })
    }

    func venv(_ name: String) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func entry(_ path: String, version: String = "3.13.5") -> VenvRegistry.Entry {
        VenvRegistry.Entry(path: path, home: "/opt/python/bin", python: "/opt/python/bin/python3.13", version: version, install: nil)
    }

    func testRecordReplacesTheSameFolderAndDropsGoneOnes() throws {
        let a = try venv("a"), b = try venv("b")
        XCTAssertEqual(registry.entries(), [])
        try registry.record(entry(b))
        try registry.record(entry(a))
        try registry.record(entry(a, version: "3.13.6"))
        XCTAssertEqual(registry.entries().map(\.path), [a, b])
        XCTAssertEqual(registry.entries().first?.version, "3.13.6")
        try FileManager.default.removeItem(atPath: b)
        XCTAssertEqual(registry.entries().map(\.path), [a, b], "a reader changes nothing")
        try registry.record(entry(a))
        XCTAssertEqual(registry.entries().map(\.path), [a], "the next write drops the gone folder")
        XCTAssertEqual(notes.all, [])
    }

    /// Writers hold the lock and replace the file whole: every concurrent record survives.
    func testConcurrentWritersLeaveAWholeRegistry() throws {
        let paths = try (0..<24).map { try venv("v\($0)") }
        let registry = self.registry
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            do { try registry.record(entry(paths[index])) } catch { XCTFail("\(error)") }
        }
        XCTAssertEqual(registry.entries().map(\.path), paths.sorted())
    }

    func testCorruptRegistryIsIgnoredWithOneNoteAndReplaced() throws {
        let a = try venv("a")
        try registry.record(entry(a))
        try Data("{\"format\": 1, \"venvs\": [{\"path\": \"/x\\u001b[2J\"".utf8).write(to: URL(fileURLWithPath: registry.path))
        XCTAssertEqual(registry.entries(), [])
        XCTAssertEqual(notes.all, ["ignored the venv registry \(registry.path): it is not one pyman wrote (corrupt, or of another format); the next `pyman venv` replaces it"])
        let escape = "{\"format\": 1, \"venvs\": [{\"path\": \"/x\\u001b[2J\", \"home\": \"/h\", \"python\": \"/p\", \"version\": \"3\", \"recorded_at\": \"t\"}]}"
        try Data(escape.utf8).write(to: URL(fileURLWithPath: registry.path))
        XCTAssertEqual(registry.entries(), [], "a control character in a path is no registry pyman wrote")
        try registry.record(entry(a))
        XCTAssertEqual(registry.entries().map(\.path), [a])
    }

    func testForeignOwnedRegistryIsNeverTrusted() throws {
        guard geteuid() == 0 else { throw XCTSkip("giving the registry to another user needs root") }
        let a = try venv("a")
        try registry.record(entry(a))
        XCTAssertEqual(chown(registry.path, 65534, 65534), 0)
        XCTAssertEqual(registry.entries(), [])
        XCTAssertEqual(notes.all.count, 1)
        XCTAssertTrue(notes.all[0].hasPrefix("ignored the venv registry: the venv registry \(registry.path) belongs to user 65534"), notes.all[0])
        // A data folder others may write is refused for writing too.
        XCTAssertEqual(chmod(registry.folder, 0o777), 0)
        XCTAssertThrowsError(try registry.record(entry(a))) { error in
            XCTAssertTrue("\(error)".contains("can be written by other users"), "\(error)")
        }
    }
}
