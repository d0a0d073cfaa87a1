import FoundationEssentials
@testable import Core
import SystemPackage
import XCTest

final class FileDescriptorCreateAndWaitTests: ScratchFolderTestCase {
    func testCreateNewSetsExactPermissionsWhateverTheUmask() throws {
        let path = folder + "/script"
        let mask = umask(0o077)
        defer { umask(mask) }
        let fd = try FileDescriptor.createNew(path, permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
        try Array("#!/bin/sh\n".utf8).withUnsafeBytes { try fd.writeAll($0, path: path) }
        try fd.close()
        XCTAssertEqual(FileSystem.status(path)?.permissions.rawValue, 0o755)
        XCTAssertEqual(FileSystem.status(path)?.size, 10)
    }

    func testCreateNewRefusesAnExistingFileAndASymlink() throws {
        let path = folder + "/file", link = folder + "/link"
        try AtomicFile.write("x", to: path)
        XCTAssertThrowsError(try FileDescriptor.createNew(path, permissions: .ownerReadWrite)) { error in
            XCTAssertEqual((error as? PymanError)?.code, .fileExists)
            XCTAssertEqual("\(error)", "cannot create \(path): File exists")
        }
        try FileSystem.createSymlink(at: link, pointingTo: folder + "/absent")
        XCTAssertThrowsError(try FileDescriptor.createNew(link, permissions: .ownerReadWrite))
        XCTAssertFalse(FileSystem.exists(folder + "/absent"), "nothing is created through a dangling symlink")
    }

    func testWaitForInputSeesDataAndTheWakeUp() throws {
        let (readEnd, writeEnd) = try Pipe.make()
        let (wakeRead, wakeWrite) = try Pipe.make()
        defer { [readEnd, writeEnd, wakeRead].forEach { try? $0.close() } }
        try Array("x".utf8).withUnsafeBytes { try writeEnd.writeAll($0, path: "pipe") }
        XCTAssertFalse(try readEnd.waitForInput(orWake: wakeRead), "input, no wake-up")
        var byte: UInt8 = 0
        XCTAssertEqual(try withUnsafeMutableBytes(of: &byte) { try readEnd.read(into: $0) }, 1)
        // Nothing to read now: closing the wake pipe's write end (from another thread) ends the wait.
        BackgroundThread.start { try? wakeWrite.close() }
        XCTAssertTrue(try readEnd.waitForInput(orWake: wakeRead))
    }
}

final class StatModificationTimeTests: XCTestCase {
    func testModificationTimeIsTheFilesMtime() throws {
        let path = NSTemporaryDirectory() + "pyman-mtime-\(UInt32.random(in: 0 ... .max))"
        try AtomicFile.write("x", to: path)
        defer { try? FileSystem.removeFile(path) }
        var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_600_000_000, tv_nsec: 123_456_789)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        let time = try XCTUnwrap(FileSystem.status(path)).modificationTime
        XCTAssertEqual(time.seconds, 1_600_000_000)
        XCTAssertEqual(time.nanoseconds, 123_456_789)
    }
}
