import Foundation
import SystemPackage
import XCTest
@testable import Extract

/// What follows a gzip stream is judged the same way by ISA-L's path and by libarchive's (zlib): zero
/// padding passes, anything else, or too much padding, is refused.
extension ExtractorTests {
    func extractBothWays(_ archive: URL, appending tail: Data) throws -> [Result<Int, Error>] {
        var bytes = try Data(contentsOf: archive)
        bytes += tail
        let padded = scratch.appendingPathComponent("padded-\(UUID().uuidString.prefix(6)).tar.gz")
        try bytes.write(to: padded)
        return [true, false].enumerated().map { index, isal in
            Result {
                let fd = open(padded.path, O_RDONLY)
                defer { close(fd) }
                FileManager.default.changeCurrentDirectoryPath(scratch.path)
                return try Extractor.extract(fd: FileDescriptor(rawValue: fd), into: "out-\(UUID().uuidString.prefix(6))-\(index)", isal: isal).entries
            }
        }
    }

    func testWhatFollowsTheGzipStreamIsJudgedAlikeByBothInflaters() throws {
        let url = try archive("small.tar.gz", "add('python/', type=tarfile.DIRTYPE, mode=0o755)\nadd('python/a.py', b'x = 1\\n' * 1000)")
        for result in try extractBothWays(url, appending: Data(repeating: 0, count: 4096)) {
            XCTAssertEqual(try result.get(), 1, "zero padding passes")
        }
        for tail in [Data("not gzip".utf8), Data(repeating: 0, count: 4096) + Data([7]), Data(repeating: 0, count: (1 << 20) + 1)] {
            for result in try extractBothWays(url, appending: tail) {
                XCTAssertThrowsError(try result.get(), "\(tail.count) trailing bytes") { error in
                    XCTAssertTrue("\(error)".contains("after the end of its compressed stream") || "\(error)".contains("of padding"), "\(error)")
                }
            }
        }
    }
}
