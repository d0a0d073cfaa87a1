import Core

/// What may follow a compressed archive, the same whichever decompressor reads it (ISA-L or zlib):
/// zero bytes, as padding (gzip(1) and Python's gzip skip them too), up to `ArchiveLimits.afterEnd`;
/// anything else is refused: the archive must be what the catalogue names, and nothing after it.
struct TrailingBytes {
    private(set) var count = 0

    /// Also what libarchive's path says when it cannot see the bytes its filter left unconsumed.
    static let dataAfterTheStream = PymanError("the archive has data after the end of its compressed stream; refusing it",
                                               hint: "check the mirror and the catalogue")

    mutating func accept(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.contains(where: { $0 != 0 }) { throw Self.dataAfterTheStream }
        count += bytes.count
        if count > ArchiveLimits.afterEnd {
            throw PymanError("the archive is followed by more than \(ArchiveLimits.afterEnd >> 10) KiB of padding; refusing it", hint: "check the mirror and the catalogue")
        }
    }
}
