/// What an install checks in the header of an ELF executable: the CPU it was built for (`e_machine`)
/// and the program interpreter it names (`PT_INTERP`), which tells a glibc build from a musl one.
/// Pure: it reads the bytes it is given (the start of the file: program headers and the interpreter's
/// name sit in the first few hundred bytes of any executable), and anything malformed or cut short is
/// nil, never a trap, since the bytes come from a downloaded archive.
public struct ELFHeader: Equatable, Sendable {
    /// `e_machine`: 62 for x86-64, 183 for AArch64, …
    public var machine: UInt16
    public var is64Bit: Bool
    public var isLittleEndian: Bool
    /// The dynamic loader's path (`/lib64/ld-linux-x86-64.so.2`); nil for a static executable.
    public var interpreter: String?

    /// How many bytes of the file `init?(_:)` needs at most for any executable pyman installs.
    public static let prefixSize = 64 * 1024

    static let programInterpreter: UInt32 = 3   // PT_INTERP

    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 52, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46,
              bytes[4] == 1 || bytes[4] == 2, bytes[5] == 1 || bytes[5] == 2 else { return nil }
        is64Bit = bytes[4] == 2
        isLittleEndian = bytes[5] == 1
        let little = isLittleEndian
        func number(at offset: Int, size: Int) -> Int? {
            guard offset >= 0, size <= 8, offset <= bytes.count - size else { return nil }
            var value: UInt64 = 0
            for index in 0..<size {
                let byte = UInt64(bytes[offset + (little ? size - 1 - index : index)])
                value = value << 8 | byte
            }
            // Offsets beyond Int's range are as unreadable as those beyond the prefix.
            return value <= UInt64(Int.max) ? Int(value) : nil
        }
        guard let machine = number(at: 18, size: 2) else { return nil }
        self.machine = UInt16(machine)
        let wide = is64Bit
        guard let tableOffset = number(at: wide ? 32 : 28, size: wide ? 8 : 4),
              let entrySize = number(at: wide ? 54 : 42, size: 2),
              let entryCount = number(at: wide ? 56 : 44, size: 2),
              entrySize >= (wide ? 56 : 32) else { return nil }
        interpreter = nil
        for index in 0..<entryCount {
            // Bounded by the prefix: a table that runs past it is malformed as far as pyman can tell.
            let (product, overflow) = index.multipliedReportingOverflow(by: entrySize)
            let (entry, overflow2) = tableOffset.addingReportingOverflow(product)
            guard !overflow, !overflow2, entry <= bytes.count - entrySize else { return nil }
            guard let type = number(at: entry, size: 4), UInt32(type) == Self.programInterpreter else { continue }
            guard let offset = number(at: entry + (wide ? 8 : 4), size: wide ? 8 : 4),
                  let size = number(at: entry + (wide ? 32 : 16), size: wide ? 8 : 4),
                  size > 0, size <= 4096, offset <= bytes.count - size else { return nil }
            let name = bytes[offset..<(offset + size)].prefix { $0 != 0 }
            interpreter = String(decoding: name, as: UTF8.self)
            break
        }
    }

    /// The catalogue's architecture names (`Platform.arch`) for an ELF machine; empty when pyman knows
    /// none. The same number serves both byte orders on POWER, so the order picks the name.
    public var architectures: Set<String> {
        switch machine {
        case 62: return ["x86_64"]
        case 183: return ["aarch64"]
        case 3: return ["i686", "i386", "i586", "x86"]
        case 40: return ["armv7", "armv6", "arm", "armv7l"]
        case 21: return isLittleEndian ? ["powerpc64le", "ppc64le"] : ["powerpc64", "ppc64"]
        case 22: return ["s390x"]
        case 243: return ["riscv64"]
        default: return []
        }
    }

    /// `gnu` for glibc's loader (`ld-linux-x86-64.so.2`, and `ld64.so.2` on POWER and s390x), `musl`
    /// for musl's (`ld-musl-x86_64.so.1`), nil for a static executable or a loader pyman does not know.
    public var libc: String? {
        guard let interpreter else { return nil }
        let name = interpreter.split(separator: "/").last.map(String.init) ?? interpreter
        if name.hasPrefix("ld-musl-") { return "musl" }
        if name.hasPrefix("ld-linux") || name.hasPrefix("ld64.so") || name.hasPrefix("ld.so") { return "gnu" }
        return nil
    }
}
