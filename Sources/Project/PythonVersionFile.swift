import Catalogue
import Configuration
import Core
import FoundationEssentials
import SystemPackage

/// `.python-version`: the request a project pins (read by `Resolution.pinnedRequest`).
public enum PythonVersionFile {
    public static let name = ".python-version"
    /// uv's file for a project that pins several Pythons, one request a line (read by `pyman lock`).
    public static let severalName = ".python-versions"

    /// `pyman pin --global`: the pin read when no folder, pyproject.toml or request says which Python.
    @discardableResult
    public static func writeGlobal(_ request: String, settings: Settings) throws -> String {
        let folder = Path.parent(settings.globalPinFile)
        try FileSystem.makeDirectories(folder, permissions: [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute])
        return try write(request, in: folder, named: Path.lastComponent(settings.globalPinFile))
    }

    /// Writes `request` into `folder/.python-version`, refusing what `install`, `find` and `venv` could
    /// not read back. Returns the file's path.
    @discardableResult
    public static func write(_ request: String, in folder: String, named fileName: String = name) throws -> String {
        _ = try PythonRequest(parsing: request)
        let file = Path.join(folder, fileName)
        // Beside, then renamed over: a symlink planted at .python-version is replaced, never followed.
        try AtomicFile.write(request + "\n", to: file)
        return file
    }
}
