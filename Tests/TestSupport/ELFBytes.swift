import XCTest

/// Crafted ELF executables' first bytes, for ELFHeader's tests and the identity check's.
public enum ELFBytes {
    /// An executable's start: the ELF header, a PT_LOAD and (unless static) a PT_INTERP entry, then the
    /// interpreter's name.
    public static func craft(machine: UInt16, is64Bit: Bool = true, littleEndian: Bool = true, interpreter: String?) -> [UInt8] {
        func bytes(_ value: UInt64, _ size: Int) -> [UInt8] {
            let little = (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            return littleEndian ? little : little.reversed()
        }
        let headerSize = is64Bit ? 64 : 52, entrySize = is64Bit ? 56 : 32
        let entries = interpreter == nil ? 1 : 2
        var out: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, is64Bit ? 2 : 1, littleEndian ? 1 : 2, 1, 0] + [UInt8](repeating: 0, count: 8)
        out += bytes(2, 2) + bytes(UInt64(machine), 2) + bytes(1, 4)   // e_type, e_machine, e_version
        if is64Bit {
            out += bytes(0x401000, 8) + bytes(UInt64(headerSize), 8) + bytes(0, 8)   // e_entry, e_phoff, e_shoff
        } else {
            out += bytes(0x8048000, 4) + bytes(UInt64(headerSize), 4) + bytes(0, 4)
        }
        out += bytes(0, 4) + bytes(UInt64(headerSize), 2) + bytes(UInt64(entrySize), 2) + bytes(UInt64(entries), 2)
        out += bytes(0, 2) + bytes(0, 2) + bytes(0, 2)
        XCTAssertEqual(out.count, headerSize)
        let name: [UInt8] = interpreter.map { Array($0.utf8) + [0] } ?? []
        let nameOffset = UInt64(headerSize + entries * entrySize)
        func entry(type: UInt32, offset: UInt64, size: UInt64) -> [UInt8] {
            if is64Bit {
                return bytes(UInt64(type), 4) + bytes(4, 4) + bytes(offset, 8) + bytes(0, 8) + bytes(0, 8) + bytes(size, 8) + bytes(size, 8) + bytes(1, 8)
            }
            return bytes(UInt64(type), 4) + bytes(offset, 4) + bytes(0, 4) + bytes(0, 4) + bytes(size, 4) + bytes(size, 4) + bytes(4, 4) + bytes(1, 4)
        }
        out += entry(type: 1, offset: 0, size: 4096)
        if interpreter != nil { out += entry(type: 3, offset: nameOffset, size: UInt64(name.count)) }
        return out + name + [UInt8](repeating: 0, count: 64)
    }
}
