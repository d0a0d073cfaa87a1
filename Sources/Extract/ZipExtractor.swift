import CArchive
import Core
import FoundationEssentials
import SystemPackage

/// Unpacks a wheel (a zip) with libarchive into an empty folder that the caller created and owns.
///
/// The folder is private (a temporary folder in the wheel cache), so nothing in it can be a symlink planted
/// by someone else: files are created with O_EXCL|O_NOFOLLOW and every entry name is checked before use.
/// Only regular files and directories are accepted; absolute names, `..`, `.`, empty components and
/// backslashes (zip slip), symlinks, hard links and devices make the whole wheel unusable. On a throw
/// the folder may hold a partial tree; the caller deletes it.
public enum ZipExtractor {
    static let filePermissions = FilePermissions(rawValue: 0o644)
    static let executablePermissions = FilePermissions(rawValue: 0o755)

    /// Throws `WheelFailure.damaged` for what is wrong with the wheel, `.io` when libarchive is missing,
    /// and Core's `PymanError` (naming the path and the system's reason) for what the file system refused.
    public static func unpack(_ wheel: String, into folder: String) throws {
        if let failure = LibArchive.loadFailure() { throw WheelFailure.io(failure) }
        guard let reader = archive_read_new() else { throw WheelFailure.io(LibArchive.cannotStart) }
        defer { archive_read_free(reader) }
        archive_read_support_format_zip(reader)
        guard archive_read_open_filename(reader, wheel, 64 * 1024) == ARCHIVE_OK else {
            throw WheelFailure.damaged("not a readable zip (\(LibArchive.message(reader)))")
        }
        var entry: OpaquePointer?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var count = 0
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw WheelFailure.damaged("unreadable zip entry (\(LibArchive.message(reader)))")
            }
            let raw = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)
            guard let raw else { throw WheelFailure.damaged("a zip entry has no usable name") }
            let name = String(cString: raw)
            let components = try safeComponents(name)
            if archive_entry_hardlink(entry) != nil {
                throw WheelFailure.damaged("zip entry '\(name)' is a hard link; refusing it")
            }
            let type = archive_entry_filetype(entry)
            // Some zip writers mark directories only by the trailing slash.
            if type == LibArchive.directory || (name.hasSuffix("/") && archive_entry_size(entry) == 0 && type == LibArchive.regularFile) {
                try makeDirectories(folder, components)
                continue
            }
            guard type == LibArchive.regularFile else {
                let kind = type == LibArchive.symlink ? "a symlink" : "a device, fifo or socket"
                throw WheelFailure.damaged("zip entry '\(name)' is \(kind); refusing it")
            }
            guard !name.hasSuffix("/") else { throw WheelFailure.damaged("zip entry '\(name)' is a file named like a folder") }
            try makeDirectories(folder, Array(components.dropLast()))
            let path = folder + "/" + components.joined(separator: "/")
            let executable = archive_entry_perm(entry) & 0o111 != 0
            // Exactly these permissions, whatever the umask: console scripts and data files readable by all.
            let fd: FileDescriptor
            do {
                fd = try FileDescriptor.createNew(path, permissions: executable ? executablePermissions : filePermissions)
            } catch let failure as PymanError where [.fileExists, .isDirectory, .notDirectory].contains(failure.code) {
                throw WheelFailure.damaged("zip entry '\(name)' appears twice or clashes with a folder")
            }
            defer { try? fd.close() }
            while true {
                let read = buffer.withUnsafeMutableBytes { archive_read_data(reader, $0.baseAddress, $0.count) }
                if read == 0 { break }
                guard read > 0 else {
                    throw WheelFailure.damaged("cannot read '\(name)' (\(LibArchive.message(reader)))")
                }
                try buffer.withUnsafeBytes { try fd.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<read]), path: path) }
            }
            count += 1
        }
        guard count > 0 else { throw WheelFailure.damaged("the zip holds no files") }
    }

    /// The entry name's components, or a throw when the name could leave the folder it is unpacked into.
    static func safeComponents(_ name: String) throws -> [String] {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0") else {
            throw WheelFailure.damaged("zip entry '\(name)' has an absolute or unsafe name; refusing it (zip slip)")
        }
        var components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if name.hasSuffix("/") { components.removeLast() }
        guard !components.isEmpty, !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw WheelFailure.damaged("zip entry '\(name)' has an absolute or unsafe name; refusing it (zip slip)")
        }
        return components
    }

    static func makeDirectories(_ folder: String, _ components: [String]) throws {
        var path = folder
        for component in components {
            path += "/" + component
            do {
                try FileSystem.makeDirectory(path, permissions: executablePermissions)
                try FileSystem.setPermissions(path, executablePermissions)   // whatever the umask
            } catch let failure as PymanError where failure.code == .fileExists {
                guard FileSystem.isDirectory(path, followingLinks: false) else {
                    throw WheelFailure.damaged("'\(component)' is both a file and a folder in the wheel")
                }
            }
        }
    }
}
