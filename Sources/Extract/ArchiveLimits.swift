import Core

/// How far an archive may go before pyman stops reading it. The SHA-256 is known only once the whole
/// download is in, so without limits a small archive that expands without end (or a stream that never
/// ends) would fill the disk, or hang, before "checksum mismatch" could be said.
public enum ArchiveLimits {
    /// Compressed bytes: python-build-standalone's largest archives (full debug builds) are a few hundred
    /// MB; 2 GiB leaves room for years of growth.
    public static let compressed = 2 << 30
    /// Plain (decompressed) bytes per compressed byte. Real archives expand 3-6 times (the 3.11
    /// `install_only` .tar.gz: 28 MB to 113 MB; the 3.13 `full` .tar.zst about 6 times); a gzip or zstd
    /// bomb expands a thousand times. `slack` covers the first bytes, where the ratio means nothing.
    public static let expansion = 40
    public static let slack = 64 << 20
    /// Decompressed bytes after the tar archive's end marker: tar pads to its 10 KiB record size.
    public static let afterEnd = 1 << 20
    /// A full archive's PYTHON.json, held in memory: python-build-standalone's are 10-60 KiB.
    public static let buildMetadata = 4 << 20

    /// Why reading must stop at these counts, or nil while they are within the limits.
    static func check(compressed: Int, plain: Int) -> PymanError? {
        if compressed > Self.compressed {
            return PymanError("the archive is larger than \(Self.compressed >> 30) GiB; refusing it", hint: "check the mirror and the catalogue")
        }
        if plain > expansion * compressed + slack {
            return PymanError("the archive expands to more than \(expansion) times its size (\(plain >> 20) MiB from \(compressed >> 20) MiB); refusing it",
                              hint: "check the mirror and the catalogue")
        }
        return nil
    }
}
