import Core
import FoundationEssentials

/// Writing patched files the same way for every patch.
enum PatchedFile {
    /// Writes `data` beside `path` and renames it over, keeping the original's permissions; throws
    /// `AtomicFile.Failure`. Not flushed: the file is in a not yet committed install folder, whose
    /// thousands of extracted files are not flushed either.
    static func replace(_ path: String, with data: Data) throws {
        try AtomicFile.write(data, to: path, mode: try AtomicFile.permissions(of: path))
    }

    /// Deletes `__pycache__/<module>.*.pyc`, which would otherwise be rejected and rewritten at first import.
    static func removeBytecode(of module: String, in folder: URL) {
        let cache = folder.appendingPathComponent("__pycache__")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        where name.hasPrefix(module + ".") && name.hasSuffix(".pyc") {
            try? FileManager.default.removeItem(at: cache.appendingPathComponent(name))
        }
    }
}
