import FoundationEssentials
@testable import Core
import SystemPackage
import XCTest

final class FileSystemTests: ScratchFolderTestCase {
    func testFailuresNameThePathTheReasonAndKeepTheCode() {
        XCTAssertThrowsError(try FileSystem.rename(folder + "/absent", to: folder + "/b")) { error in
            let failure = error as? PymanError
            XCTAssertEqual(failure?.code, .noSuchFileOrDirectory)
            XCTAssertEqual("\(error)", "cannot move \(folder)/absent to \(folder)/b: No such file or directory")
        }
        XCTAssertThrowsError(try FileSystem.makeDirectory(folder, permissions: .ownerReadWriteExecute)) { error in
            XCTAssertEqual((error as? PymanError)?.code, .fileExists)
        }
        XCTAssertEqual(PymanError.system("remove", "/x", .permissionDenied, hint: "run as root").description,
                       "cannot remove /x: Permission denied; run as root")
    }

    func testSymlinksAreNeverFollowedUnlessAsked() throws {
        let target = folder + "/target", link = folder + "/link"
        try FileSystem.makeDirectory(target, permissions: .ownerReadWriteExecute)
        try FileSystem.createSymlink(at: link, pointingTo: target)
        XCTAssertTrue(FileSystem.isSymlink(link))
        XCTAssertFalse(FileSystem.isDirectory(link, followingLinks: false))
        XCTAssertTrue(FileSystem.isDirectory(link))
        XCTAssertEqual(FileSystem.symlinkTarget(link), target)
        XCTAssertNil(FileSystem.symlinkTarget(target))
        XCTAssertEqual(FileSystem.resolvedPath(link), FileSystem.resolvedPath(target))
        try FileSystem.removeFile(link)
        XCTAssertTrue(FileSystem.isDirectory(target), "removing a link leaves its target")
        XCTAssertFalse(FileSystem.exists(link))
    }

    func testRemovingAnAbsentFileIsNoFailure() throws {
        let file = folder + "/file"
        try AtomicFile.write("x", to: file)
        XCTAssertTrue(try FileSystem.removeFileIfPresent(file))
        XCTAssertFalse(try FileSystem.removeFileIfPresent(file))
        XCTAssertThrowsError(try FileSystem.removeFile(file))
    }

    func testPipeCarriesChunksAndReadChunksSeesThemAll() throws {
        let (readEnd, writeEnd) = try Pipe.make(bufferSize: 1 << 20)
        let payload = [UInt8](repeating: 7, count: 200_000)
        BackgroundThread.start {
            try? payload.withUnsafeBytes { try writeEnd.writeAll($0, path: "pipe") }
            try? writeEnd.close()
        }
        var received = 0
        try readEnd.readChunks(path: "pipe") { received += $0.count }
        try readEnd.close()
        XCTAssertEqual(received, payload.count)
    }

    func testOpenForReadingRefusesASymlink() throws {
        let file = folder + "/file", link = folder + "/link"
        try AtomicFile.write("x", to: file)
        try FileSystem.createSymlink(at: link, pointingTo: file)
        XCTAssertThrowsError(try FileDescriptor.openForReading(link)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot open \(link): "), "\(error)")
        }
        try FileDescriptor.openForReading(file).close()
    }

    func testOpenForAppendingWritesAtTheEndOfTheSameFileAndNeverThroughALink() throws {
        let file = folder + "/file", link = folder + "/link"
        try AtomicFile.write("one\n", to: file, mode: 0o640)
        let before = try XCTUnwrap(FileSystem.status(file))
        let appender = try FileDescriptor.openForAppending(file)
        XCTAssertEqual(try appender.stat().type, .regular)
        try Array("two\n".utf8).withUnsafeBytes { try appender.writeAll($0, path: file) }
        try appender.close()
        let after = try XCTUnwrap(FileSystem.status(file))
        XCTAssertEqual(try FileSystem.readFile(file, limit: 100), Array("one\ntwo\n".utf8))
        XCTAssertEqual(after.inode, before.inode, "appended in place, not replaced")
        XCTAssertEqual(after.permissions, before.permissions)

        try FileSystem.createSymlink(at: link, pointingTo: file)
        XCTAssertThrowsError(try FileDescriptor.openForAppending(link)) { error in
            XCTAssertEqual((error as? PymanError)?.code, .tooManySymbolicLinkLevels, "\(error)")
        }
        XCTAssertThrowsError(try FileDescriptor.openForAppending(folder + "/absent")) { error in
            XCTAssertEqual((error as? PymanError)?.code, .noSuchFileOrDirectory, "an append never creates the file")
        }
        XCTAssertFalse(FileSystem.exists(folder + "/absent"))
    }

    func testExecutableFilesAreRegularFilesWithAnExecuteBit() throws {
        let script = folder + "/script", data = folder + "/data"
        try AtomicFile.write("#!/bin/sh\n", to: script, mode: 0o755)
        try AtomicFile.write("x", to: data, mode: 0o644)
        try FileSystem.createSymlink(at: folder + "/link", pointingTo: script)
        XCTAssertTrue(FileSystem.isExecutableFile(script))
        XCTAssertTrue(FileSystem.isExecutableFile(folder + "/link"), "a link to a program is how PATH folders often hold one")
        XCTAssertFalse(FileSystem.isExecutableFile(data))
        XCTAssertFalse(FileSystem.isExecutableFile(folder), "a folder is searchable, not runnable")
        XCTAssertFalse(FileSystem.isExecutableFile(folder + "/absent"))
    }
}

final class EscapingTests: XCTestCase {
    func testControlCharactersAreWrittenAsEscapes() {
        XCTAssertEqual("plain /path é".escapingControlCharacters(), "plain /path é")
        XCTAssertEqual("a\nb\rc\td".escapingControlCharacters(), "a\\nb\\rc\\td")
        XCTAssertEqual("\u{1b}[2J\u{7f}\u{9b}\u{0}".escapingControlCharacters(), "\\u{1b}[2J\\u{7f}\\u{9b}\\u{0}")
    }
}
