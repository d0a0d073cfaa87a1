import Catalogue
import Core
import FoundationEssentials

/// `.python-version`: the request a project pins (read by `Resolution.pinnedRequest`).
public enum PythonVersionFile {
    public static let name = ".python-version"
    /// uv's file for a project that pins several Pythons, one request a line (read by `pyman lock`).
    public static let severalName = ".python-versions"

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
