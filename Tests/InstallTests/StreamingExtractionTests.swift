import Core
import Extract
import Foundation
import SystemPackage
import TestSupport
import XCTest
import UnitTestSupport
@testable import Install

final class StreamingExtractionTests: XCTestCase {
    /// What follows the compressed stream is read (it is hashed) but only so far: with zlib, libarchive
    /// takes trailing bytes after a gzip member for no part of it, and an endless body would hold pyman.
    func testWhatFollowsTheArchiveIsReadUpToALimit() throws {
        for (size, refused) in [(ArchiveLimits.afterEnd, false), (ArchiveLimits.afterEnd + 1, true)] {
            let (readEnd, writeEnd) = try Pipe.make()
            BackgroundThread.start {
                let bytes = [UInt8](repeating: 0, count: size)
                _ = try? bytes.withUnsafeBytes { try writeEnd.writeAll($0) }
                try? writeEnd.close()
            }
            if refused {
                XCTAssertThrowsError(try StreamingExtraction.drain(readEnd, limit: ArchiveLimits.afterEnd)) { error in
                    XCTAssertEqual("\(error)", "the download goes on for more than 1024 KiB after the end of the archive; refusing it; check the mirror and the catalogue")
                }
            } else {
                XCTAssertNoThrow(try StreamingExtraction.drain(readEnd, limit: ArchiveLimits.afterEnd))
            }
            try? readEnd.close()
        }
    }

    /// A lock's size bounds the body: a longer or shorter one is refused as such, before its sha256 is
    /// compared or shown (a hostile lock learns no digest of what it did not name).
    func testABodyOfAnotherSizeThanTheLockGivesIsRefused() throws {
        let folder = try scratchFolder("size")
        let body = folder.appendingPathComponent("body")
        try Data(repeating: 7, count: 3000).write(to: body)
        let url = body.absoluteString
        let wrongSHA = String(repeating: "0", count: 64)
        let options = Fixture.settings(in: folder).download
        for (size, shown) in [(2999, "more than 2999"), (3001, "3000")] {
            let into = folder.appendingPathComponent("x-\(size)").path
            XCTAssertThrowsError(try StreamingExtraction.run(url: url, into: into, expectedSHA256: wrongSHA, expectedSize: Int64(size),
                                                              options: options, progress: nil)) { error in
                XCTAssertEqual("\(error)", "size mismatch for \(url): the lock gives \(size) bytes, the download has \(shown); the download or the lock is wrong, nothing was installed")
            }
        }
        XCTAssertThrowsError(try StreamingExtraction.run(url: url, into: folder.appendingPathComponent("x").path, expectedSHA256: wrongSHA,
                                                          expectedSize: 3000, options: options, progress: nil)) { error in
            XCTAssertTrue("\(error)".hasPrefix("checksum mismatch for \(url): expected sha256 \(wrongSHA), got "), "the right size goes on to the sha256: \(error)")
        }
    }
}
