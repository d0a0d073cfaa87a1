import Core
import FoundationEssentials

/// Writing patched files the same way for every patch.
enum PatchedFile {
    /// The largest file a patch reads: sysconfig files and venv/__init__.py are under 200 KB; an
    /// archive's file claiming to be one is not read into memory beyond this.
    static let readLimit = 16 << 20

    /// Writes `data` beside `path` and renames it over, keeping the original's permissions. Not flushed: the file is in a not yet committed install folder, whose
    /// thousands of extracted files are not flushed either.
    static func replace(_ path: String, with data: Data) throws {
        try AtomicFile.write(data, to: path, mode: try AtomicFile.permissions(of: path))
    }

    /// Deletes `<folder>/__pycache__/<module>.*.pyc`, compiled from the unpatched source: an
    /// unchecked-hash .pyc is never revalidated, so it would run instead of the patch. A file that
    /// cannot be deleted is therefore a failure; one already gone (ENOENT) is what was wanted.
    static func removeBytecode(of module: String, in folder: String) throws {
        let cache = folder + "/__pycache__"
        // A missing __pycache__ is normal (the archive may ship none).
        for name in FileSystem.listDirectory(cache)
        where name.hasPrefix(module + ".") && name.hasSuffix(".pyc") {
            let path = cache + "/" + name
            try FileSystem.removeFileIfPresent(path)
        }
    }
}
