import Foundation
import TestSupport
import XCTest
@testable import Extract

/// ISA-L's inflate against gzip(1)'s output: members, trailing bytes, damage, every chunking.
final class GzipInflaterTests: XCTestCase {
    func gzip(_ data: Data) throws -> Data {
        let folder = try ScratchFolder("gz")
        let scratch = folder.url.appendingPathComponent("data")
        try data.write(to: scratch)
        defer { withExtendedLifetime(folder) {} }
        XCTAssertEqual(try TestSupport.run("/bin/gzip", ["-6", "-f", scratch.path]).status, 0)
        return try Data(contentsOf: URL(fileURLWithPath: scratch.path + ".gz"))
    }

    /// Some compressible and some random bytes, like a tar of a Python.
    func sample(_ size: Int, seed: UInt64) -> Data {
        var generator = seed
        return Data((0..<size).map { i in
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            return i % 7 == 0 ? UInt8(truncatingIfNeeded: generator >> 56) : UInt8(ascii: "a") + UInt8(i % 13)
        })
    }

    func inflate(_ compressed: Data, chunk: Int) throws -> Data {
        let inflater = try XCTUnwrap(GzipInflater(), "libisal2 must be installed for the tests (make deps)")
        var output = Data()
        var offset = 0
        while offset < compressed.count {
            let piece = compressed[offset..<min(offset + chunk, compressed.count)]
            _ = try piece.withUnsafeBytes { try inflater.feed($0) { output.append(contentsOf: $0); return true } }
            offset += chunk
        }
        try inflater.finish()
        return output
    }

    func testInflatesWhateverTheChunking() throws {
        let data = sample(1_500_000, seed: 1)
        let compressed = try gzip(data)
        XCTAssertTrue(compressed.withUnsafeBytes { GzipInflater.isGzip($0) })
        for chunk in [1, 7, 4096, 65536, compressed.count] where chunk != 1 || compressed.count < 2_000_000 {
            XCTAssertEqual(try inflate(compressed, chunk: chunk), data, "chunk \(chunk)")
        }
    }

    func testConcatenatedMembersAndTrailingBytes() throws {
        let one = sample(300_000, seed: 2), two = sample(200_000, seed: 3)
        let joined = try gzip(one) + gzip(two)
        for chunk in [3, 1000, joined.count] {
            XCTAssertEqual(try inflate(joined, chunk: chunk), one + two, "chunk \(chunk)")
            XCTAssertEqual(try inflate(joined + Data(repeating: 0, count: 512), chunk: chunk), one + two, "trailing zeros, chunk \(chunk)")
        }
    }

    func testTruncatedAndDamagedStreamsAreRefused() throws {
        let compressed = try gzip(sample(400_000, seed: 4))
        for cut in [5, 100, compressed.count / 2, compressed.count - 4] {
            XCTAssertThrowsError(try inflate(compressed.prefix(cut), chunk: 4096), "cut at \(cut)") { error in
                XCTAssertTrue("\(error)".hasPrefix("the archive is damaged"), "\(error)")
            }
        }
        var badCRC = compressed
        badCRC[badCRC.count - 6] ^= 0xFF
        XCTAssertThrowsError(try inflate(badCRC, chunk: 4096)) { error in
            XCTAssertEqual("\(error)", "the archive is damaged: gzip checksum mismatch")
        }
        var badData = compressed
        for i in stride(from: 200, to: 400, by: 3) { badData[i] ^= 0x5A }
        XCTAssertThrowsError(try inflate(badData, chunk: 4096))
    }

    /// Every optional header field, fed a byte at a time and whole.
    func testHeaderFieldsAreSkipped() throws {
        let data = sample(100_000, seed: 6)
        let plain = try gzip(data)  // gzip(1) stores the file name: FNAME is set
        XCTAssertEqual(plain[3] & 0x08, 0x08)
        let nameEnd = try XCTUnwrap(plain[10...].firstIndex(of: 0))
        let body = plain[(nameEnd + 1)...]  // deflate data and trailer
        var header = Data([0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3])
        header += Data([5, 0]) + Data("extra".utf8)             // FEXTRA
        header += Data("cpython.tar".utf8) + Data([0])           // FNAME
        header += Data("a comment".utf8) + Data([0])             // FCOMMENT
        header += Data([0xAB, 0xCD])                             // FHCRC (not checked)
        for chunk in [1, 5, 100_000] {
            XCTAssertEqual(try inflate(header + body, chunk: chunk), data, "chunk \(chunk)")
        }
        for (bad, why) in [(Data([0x1F, 0x8C]), "bad magic"), (Data([0x1F, 0x8B, 7]), "compression method 7, not deflate"),
                           (Data([0x1F, 0x8B, 8, 0x20]), "reserved flags set")] {
            XCTAssertThrowsError(try inflate(bad + body, chunk: 4096)) { error in
                XCTAssertEqual("\(error)", "the archive is damaged: not a valid gzip stream (\(why))")
            }
        }
        let endless = Data([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3]) + Data(repeating: UInt8(ascii: "n"), count: 10_000)
        XCTAssertThrowsError(try inflate(endless, chunk: 512)) { error in
            XCTAssertEqual("\(error)", "the archive is damaged: not a valid gzip stream (header longer than 4096 bytes)")
        }
    }

    func testEmitCanStopTheStream() throws {
        let compressed = try gzip(sample(1_000_000, seed: 5))
        let inflater = try XCTUnwrap(GzipInflater())
        var pieces = 0
        let finished = try compressed.withUnsafeBytes { try inflater.feed($0) { _ in pieces += 1; return false } }
        XCTAssertFalse(finished)
        XCTAssertEqual(pieces, 1)
    }
}
