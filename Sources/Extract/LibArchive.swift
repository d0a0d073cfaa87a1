import CArchive

/// What the tar and the zip extractor both need of libarchive beyond its functions: loading it, the
/// entry types it reports, and its error text.
enum LibArchive {
    // libarchive's AE_IF* macros are casts, which Swift does not import; these are their values.
    static let regularFile: mode_t = 0o100000
    static let directory: mode_t = 0o040000
    static let symlink: mode_t = 0o120000

    static let cannotStart = "could not start libarchive"

    /// nil once libarchive is usable, else the one-line message naming it and how to install it.
    static func loadFailure() -> String? {
        pyman_archive_load().map { String(cString: $0) }
    }

    /// The archive's last error, for messages.
    static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
