import CIsal
import Core

/// Streaming gzip decompression with ISA-L's igzip, which inflates python-build-standalone archives
/// 2-3 times faster than zlib. Each member's header is parsed here (`GzipHeader`) and its deflate data
/// inflated by ISA-L with ISAL_GZIP_NO_HDR_VER, which also checks the trailer's CRC-32 and length:
/// ISA-L's own header parser (ISAL_GZIP) reads uninitialised memory (valgrind) when a header arrives
/// in small pieces, which corrupted the stream now and then. Concatenated members are followed as
/// gzip(1) does; what follows the last member must be zero padding (`TrailingBytes`), as with zlib. Used when libisal is installed; without it, libarchive
/// inflates with zlib.
final class GzipInflater {
    private let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
    private let output: UnsafeMutablePointer<UInt8>
    static let outputSize = 256 * 1024
    /// A member ended; what follows is another member or trailing bytes.
    private var betweenMembers = false
    /// The current member's header, while it is still arriving (nil once it is parsed).
    private var header: [UInt8]? = []
    /// Bytes after the last member, which must be padding.
    private var trailing = false
    private var padding = TrailingBytes()

    /// True when `prefix` starts like a gzip stream (magic and deflate method).
    static func isGzip(_ prefix: UnsafeRawBufferPointer) -> Bool {
        prefix.count >= 3 && prefix[0] == 0x1F && prefix[1] == 0x8B && prefix[2] == 8
    }

    /// Nil when libisal cannot be loaded.
    init?() {
        guard pyman_isal_load() == nil else {
            state.deallocate()
            return nil
        }
        output = .allocate(capacity: Self.outputSize)
        startMember()
    }

    deinit {
        state.deallocate()
        output.deallocate()
    }

    private func startMember() {
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP_NO_HDR_VER)
        header = []
    }

    /// Takes header bytes from the front of ISA-L's input until the header is complete.
    private func readHeader() throws {
        while var bytes = header, state.pointee.avail_in > 0 {
            bytes.append(state.pointee.next_in.pointee)
            state.pointee.next_in += 1
            state.pointee.avail_in -= 1
            header = try GzipHeader.isComplete(bytes) ? nil : bytes
        }
    }

    /// Decompresses `input`, handing every piece of output to `emit`; stops early (returning false)
    /// when `emit` returns false.
    func feed(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) throws -> Bool {
        guard let base = input.baseAddress, input.count > 0 else { return true }
        if trailing {
            try padding.accept(input)
            return true
        }
        state.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        while true {
            if betweenMembers {
                guard state.pointee.avail_in > 0 else { return true }
                // Another member must start with the gzip magic; anything else is trailing data.
                guard state.pointee.next_in.pointee == 0x1F else {
                    trailing = true
                    try padding.accept(UnsafeRawBufferPointer(start: state.pointee.next_in, count: Int(state.pointee.avail_in)))
                    return true
                }
                let (nextIn, availIn) = (state.pointee.next_in, state.pointee.avail_in)
                startMember()
                (state.pointee.next_in, state.pointee.avail_in) = (nextIn, availIn)
                betweenMembers = false
            }
            if header != nil {
                try readHeader()
                if header != nil { return true }  // the rest of the header is in the next input
            }
            state.pointee.next_out = output
            state.pointee.avail_out = UInt32(Self.outputSize)
            let status = isal_inflate(state)
            let produced = Self.outputSize - Int(state.pointee.avail_out)
            if produced > 0, !emit(UnsafeRawBufferPointer(start: output, count: produced)) { return false }
            guard status >= 0 else { throw PymanError("the archive is damaged: \(Self.describe(status))") }
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                betweenMembers = true
                continue
            }
            // More output may be waiting while the output buffer was full; otherwise wait for input.
            if produced == 0 && state.pointee.avail_in == 0 { return true }
        }
    }

    /// At the end of the input: the last member must be complete (both flags are set only after one is).
    func finish() throws {
        guard betweenMembers || trailing else {
            throw PymanError("the archive is damaged: the gzip stream ends early (truncated download or file)")
        }
    }

    static func describe(_ status: Int32) -> String {
        switch status {
        case ISAL_INCORRECT_CHECKSUM: return "gzip checksum mismatch"
        case ISAL_INVALID_WRAPPER, ISAL_UNSUPPORTED_METHOD: return "not a valid gzip stream"
        default: return "invalid deflate data (ISA-L error \(status))"
        }
    }
}

/// The gzip member header (RFC 1952, section 2.3): magic, method 8 (deflate), flags, mtime, xfl, os,
/// then the optional extra field, file name, comment and header CRC that the flags announce.
enum GzipHeader {
    /// Larger headers are refused: real ones are a few dozen bytes (a name at most), and the check
    /// below rescans the optional fields as bytes arrive.
    static let maximumLength = 4096

    /// Whether `bytes` is a whole header; throws as soon as it cannot be one.
    static func isComplete(_ bytes: [UInt8]) throws -> Bool {
        func refuse(_ why: String) -> PymanError { PymanError("the archive is damaged: not a valid gzip stream (\(why))") }
        if bytes.count >= 1, bytes[0] != 0x1F { throw refuse("bad magic") }
        if bytes.count >= 2, bytes[1] != 0x8B { throw refuse("bad magic") }
        if bytes.count >= 3, bytes[2] != 8 { throw refuse("compression method \(bytes[2]), not deflate") }
        if bytes.count >= 4, bytes[3] & 0xE0 != 0 { throw refuse("reserved flags set") }
        guard bytes.count <= maximumLength else { throw refuse("header longer than \(maximumLength) bytes") }
        guard bytes.count >= 10 else { return false }
        let flags = bytes[3]
        var end = 10
        if flags & 0x04 != 0 {  // FEXTRA: two-byte little-endian length, then that many bytes
            guard bytes.count >= end + 2 else { return false }
            end += 2 + (Int(bytes[end]) | Int(bytes[end + 1]) << 8)
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            guard bytes.count > end, let zero = bytes[end...].firstIndex(of: 0) else { return false }
            end = zero + 1
        }
        if flags & 0x02 != 0 { end += 2 }  // FHCRC
        return bytes.count >= end
    }
}
