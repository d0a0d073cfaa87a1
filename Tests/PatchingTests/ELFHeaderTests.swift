import Foundation
import TestSupport
import XCTest
@testable import Patching

/// ELFHeader on real executables (the host's Python, glibc x86-64) and crafted headers for the other
/// machines, byte orders, musl, static builds and malformed input.
final class ELFHeaderTests: XCTestCase {
    func testTheHostPythonIsX86_64Glibc() throws {
        let path = "/usr/bin/python3.11"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path)") }
        let bytes = [UInt8](try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: ELFHeader.prefixSize) ?? Data())
        let header = try XCTUnwrap(ELFHeader(bytes))
        XCTAssertEqual(header.machine, 62)
        XCTAssertTrue(header.is64Bit && header.isLittleEndian)
        XCTAssertEqual(header.architectures, ["x86_64"])
        XCTAssertEqual(header.interpreter, "/lib64/ld-linux-x86-64.so.2")
        XCTAssertEqual(header.libc, "gnu")
    }

    func testCraftedMachinesByteOrdersAndLoaders() throws {
        let cases: [(UInt16, Bool, Bool, String?, String, String?)] = [
            (183, true, true, "/lib/ld-linux-aarch64.so.1", "aarch64", "gnu"),
            (183, true, true, "/lib/ld-musl-aarch64.so.1", "aarch64", "musl"),
            (62, true, true, "/lib/ld-musl-x86_64.so.1", "x86_64", "musl"),
            (3, false, true, "/lib/ld-linux.so.2", "i686", "gnu"),
            (40, false, true, "/lib/ld-linux-armhf.so.3", "armv7", "gnu"),
            (21, true, true, "/lib64/ld64.so.2", "powerpc64le", "gnu"),
            (22, true, false, "/lib/ld64.so.1", "s390x", "gnu"),
            (243, true, true, "/lib/ld-linux-riscv64-lp64d.so.1", "riscv64", "gnu"),
            (62, true, true, nil, "x86_64", nil),   // static
        ]
        for (machine, wide, little, interpreter, arch, libc) in cases {
            let header = try XCTUnwrap(ELFHeader(ELFBytes.craft(machine: machine, is64Bit: wide, littleEndian: little, interpreter: interpreter)), "\(machine)")
            XCTAssertEqual(header.machine, machine)
            XCTAssertEqual(header.is64Bit, wide)
            XCTAssertEqual(header.isLittleEndian, little)
            XCTAssertTrue(header.architectures.contains(arch), "\(machine): \(header.architectures)")
            XCTAssertEqual(header.interpreter, interpreter)
            XCTAssertEqual(header.libc, libc)
        }
        // Big-endian POWER is not ppc64le.
        let big = try XCTUnwrap(ELFHeader(ELFBytes.craft(machine: 21, littleEndian: false, interpreter: "/lib64/ld64.so.1")))
        XCTAssertFalse(big.architectures.contains("powerpc64le"))
    }

    /// Every truncation, a wrong magic, and tables or names pointing past the bytes: nil, never a trap.
    func testMalformedInputIsNil() {
        let good = ELFBytes.craft(machine: 62, interpreter: "/lib64/ld-linux-x86-64.so.2")
        let nameEnd = good.count - 64
        for length in 0..<nameEnd { XCTAssertNil(ELFHeader(Array(good.prefix(length))), "\(length) bytes") }
        XCTAssertNil(ELFHeader([]))
        var magic = good
        magic[1] = 0x46
        XCTAssertNil(ELFHeader(magic))
        var badClass = good
        badClass[4] = 7
        XCTAssertNil(ELFHeader(badClass))
        var farTable = good
        for index in 32..<40 { farTable[index] = 0xFF }   // e_phoff near UInt64.max
        XCTAssertNil(ELFHeader(farTable))
        var manyEntries = good
        manyEntries[56] = 0xFF
        manyEntries[57] = 0xFF
        manyEntries[64 + 56] = 1   // no PT_INTERP before the table runs past the bytes
        XCTAssertNil(ELFHeader(manyEntries))
        var shortEntries = good
        shortEntries[54] = 8
        XCTAssertNil(ELFHeader(shortEntries))
        var farName = good
        for index in (64 + 56 + 8)..<(64 + 56 + 16) { farName[index] = 0xEE }   // PT_INTERP's p_offset
        XCTAssertNil(ELFHeader(farName))
        // Random bytes behind a valid magic: whatever comes out, nothing traps.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var noise = good
            for _ in 0..<6 { noise[Int.random(in: 4..<noise.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = ELFHeader(noise)
        }
    }
}
