import Core

/// The archive's bytes did not hash to the sha256 the catalogue (or lock) gives. Its own type because
/// the installer treats it apart when the bytes came from the download cache: the entry is damaged, so it
/// is removed and the archive downloaded anew.
struct ChecksumMismatch: Error, CustomStringConvertible {
    var url: String
    var expected: String
    var actual: String

    var error: PymanError {
        PymanError("checksum mismatch for \(url): expected sha256 \(expected), got \(actual)",
                   hint: "the download or the catalogue is wrong, nothing was installed")
    }

    var description: String { error.description }
}
