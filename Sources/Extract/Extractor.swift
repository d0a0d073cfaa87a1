import CArchive
import Core
import SystemPackage

/// What an extraction wrote.
public struct ExtractSummary: Sendable {
    public var entries = 0
    public var bytes = 0
    /// A full archive's `python/PYTHON.json`, as it is (nil for `install_only` archives).
    public var buildMetadata: [UInt8]?
    public init() {}
}

/// Writes the Python held by a python-build-standalone archive to disk with libarchive.
public enum Extractor {
    /// libarchive's guards against `..` and absolute paths stay on (they cost no syscalls); its guard
    /// against writing through symlinks, which calls lstat on every parent of every entry, is replaced by
    /// `SymlinkGuard`, which is as strong for a fresh folder and costs nothing. Permissions are restored
    /// (so executables stay executable) after setuid/setgid bits are stripped here; owners are not.
    /// Times are restored because `.pyc` files are validated against their source's mtime.
    static let diskFlags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM
        | ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS

    /// Reads a (compressed) tar stream from `fd` to its end and extracts it into `folder`, a new folder
    /// (it must not exist yet) at a path relative to the current directory. Decompression runs on a
    /// second thread (`DecompressionStage`); entries are checked and written on this one.
    /// `isal: false` inflates gzip with libarchive (zlib) even when libisal is there (tests compare both).
    public static func extract(fd: FileDescriptor, into folder: String, isal: Bool = true) throws -> ExtractSummary {
        if let failure = LibArchive.loadFailure() { throw PymanError(failure) }
        // Made here, so it is a real, empty directory: `SymlinkGuard` relies on that.
        let permissions = FilePermissions(rawValue: 0o755)
        do {
            try FileSystem.makeDirectory(folder, permissions: permissions)
        } catch let failure as PymanError where failure.code == .noSpace {
            throw noSpace(folder)
        }
        // Whatever the umask: every user may run the Python (entries get fixed modes too).
        try FileSystem.setPermissions(folder, permissions)
        let stage = try DecompressionStage(input: fd, isal: isal)
        let result = Result { try extractTar(from: stage, into: folder) }
        if case .success = result {
            stage.drain()  // the caller hashes all of the input: read it to its end
        } else {
            stage.stop()
        }
        // A decompression failure comes first: it is the root cause of a truncated tar stream, which
        // the tar side may even take for a complete archive (libarchive accepts a missing end marker).
        if let failure = stage.finish() { throw failure }
        return try result.get()
    }

    static func extractTar(from stage: DecompressionStage, into folder: String) throws -> ExtractSummary {
        guard let reader = archive_read_new(), let writer = archive_write_disk_new() else {
            throw PymanError(LibArchive.cannotStart)
        }
        defer {
            archive_read_free(reader)
            archive_write_free(writer)
        }
        archive_read_support_format_tar(reader)  // already decompressed: no filters
        archive_write_disk_set_options(writer, diskFlags)
        guard stage.open(reader) == ARCHIVE_OK else {
            throw PymanError("cannot read the archive: \(LibArchive.message(reader))")
        }

        var summary = ExtractSummary()
        var symlinks = SymlinkGuard()
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw PymanError("the archive is damaged: \(LibArchive.message(reader))")
            }
            guard let name = archive_entry_pathname(entry).map({ String(cString: $0) }) else {
                throw PymanError("the archive has an entry without a name")
            }
            let relative: String
            switch try ArchiveLayout.map(name) {
            case .install(let path): relative = path
            case .skip: continue
            case .buildMetadata:
                summary.buildMetadata = try readBuildMetadata(entry, from: reader, name: name)
                continue
            }
            let kind = try check(entry: entry, name: name, relative: relative)
            try symlinks.admit(name: name, path: relative, kind: kind)
            archive_entry_set_pathname(entry, relative.isEmpty ? folder : "\(folder)/\(relative)")
            if case .hardLink(let target) = kind {
                archive_entry_set_hardlink(entry, "\(folder)/\(target)")
            }
            guard archive_write_header(writer, entry) == ARCHIVE_OK else {
                throw writeError("cannot extract", name, writer)
            }
            if archive_entry_size(entry) > 0 {
                summary.bytes += try copyData(from: reader, to: writer, name: name)
            }
            guard archive_write_finish_entry(writer) == ARCHIVE_OK else {
                throw writeError("cannot finish", name, writer)
            }
            summary.entries += 1
        }
        guard archive_write_close(writer) == ARCHIVE_OK else {
            throw PymanError("cannot finish extracting: \(LibArchive.message(writer))")
        }
        return summary
    }

    /// Refuses entry kinds a Python install never needs and that could harm the host, and returns what
    /// the entry is, for `SymlinkGuard`.
    static func check(entry: OpaquePointer, name: String, relative: String) throws -> SymlinkGuard.Kind {
        // A tar hard link carries no file type of its own (its mode field holds permissions only);
        // it becomes a regular file, and its target must be inside the Python too.
        let kind: SymlinkGuard.Kind
        let type: mode_t
        if let link = archive_entry_hardlink(entry).map({ String(cString: $0) }) {
            guard case .install(let target)? = try? ArchiveLayout.map(link), !target.isEmpty else {
                throw PymanError("archive entry '\(name)' is a hard link to '\(link)' outside the Python; refusing it")
            }
            (kind, type) = (.hardLink(target: target), LibArchive.regularFile)
        } else {
            type = archive_entry_filetype(entry)
            kind = type == LibArchive.directory ? .directory : type == LibArchive.symlink ? .symlink : .file
        }
        switch type {
        case LibArchive.regularFile, LibArchive.directory:
            break
        case LibArchive.symlink:
            let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
            guard !target.isEmpty, ArchiveLayout.symlinkStaysInside(path: relative, target: target) else {
                throw PymanError("archive entry '\(name)' is a symlink to '\(target)' outside the install; refusing it")
            }
        default:
            throw PymanError("archive entry '\(name)' is a device, fifo or socket; refusing it")
        }
        // Drop setuid/setgid/sticky and write access for group and others (a system-wide install must
        // not be changeable by every user), and make everything readable by all users.
        var mode = archive_entry_perm(entry) & 0o755
        mode |= type == LibArchive.directory ? 0o755 : 0o644
        archive_entry_set_perm(entry, mode)
        return kind
    }

    /// PYTHON.json's bytes, bounded: a regular file of at most `ArchiveLimits.buildMetadata`.
    static func readBuildMetadata(_ entry: OpaquePointer, from reader: OpaquePointer, name: String) throws -> [UInt8] {
        let size = archive_entry_size(entry)
        guard archive_entry_hardlink(entry) == nil, archive_entry_filetype(entry) == LibArchive.regularFile,
              size >= 0, size <= ArchiveLimits.buildMetadata else {
            throw PymanError("archive entry '\(name)' is not a regular file of at most \(ArchiveLimits.buildMetadata >> 20) MiB; refusing the archive")
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { archive_read_data(reader, $0.baseAddress! + filled, $0.count - filled) }
            guard count > 0 else { throw PymanError("the archive is damaged at '\(name)': \(LibArchive.message(reader))") }
            filled += count
        }
        return bytes
    }

    static func copyData(from reader: OpaquePointer, to writer: OpaquePointer, name: String) throws -> Int {
        var total = 0
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return total }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw PymanError("the archive is damaged at '\(name)': \(LibArchive.message(reader))")
            }
            guard archive_write_data_block(writer, buffer, size, offset) >= ARCHIVE_OK else {
                throw writeError("cannot write", name, writer)
            }
            total += size
        }
    }

    /// A failed write, with the system's reason (libarchive often says only "Write failed"); a full
    /// disk is said plainly, with what to do about it.
    static func writeError(_ verb: String, _ name: String, _ writer: OpaquePointer) -> PymanError {
        let code = archive_errno(writer)
        if Errno(rawValue: code) == .noSpace { return noSpace(name) }
        let text = LibArchive.message(writer), reason = code > 0 ? Errno(rawValue: code).description : ""
        return PymanError("\(verb) '\(name)': \(text)\(reason.isEmpty || text.contains(reason) ? "" : ": \(reason)")",
                          code: code > 0 ? Errno(rawValue: code) : nil)
    }

    static func noSpace(_ name: String) -> PymanError {
        PymanError("no space left on the device while writing '\(name)'",
                   hint: "free some space or set PYMAN_INSTALL_DIR to a folder on a disk with room", code: .noSpace)
    }
}
