import Catalogue
import Core
import FoundationEssentials

/// `.python-version`: the request a project pins (read by `Resolution.pinnedRequest`).
public enum PythonVersionFile {
    public static let name = ".python-version"

    /// Writes `request` into `folder/.python-version`, refusing what `install`, `find` and `venv` could
    /// not read back. Returns the file's path.
    @discardableResult
    public static func write(_ request: String, in folder: URL) throws -> URL {
        _ = try PythonRequest(parsing: request)
        let file = folder.appendingPathComponent(name)
        // Beside, then renamed over: a symlink planted at .python-version is replaced, never followed.
        try AtomicFile.write(request + "\n", to: file.path)
        return file
    }
}
