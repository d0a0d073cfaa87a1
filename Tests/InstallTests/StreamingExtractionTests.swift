import Core
import Extract
import SystemPackage
import XCTest
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
}
