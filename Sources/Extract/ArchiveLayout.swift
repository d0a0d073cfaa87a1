import Core

/// Maps entry names of python-build-standalone archives to paths inside the install folder.
///
/// `install_only` archives hold `python/{bin,include,lib,share}`; `full` archives hold
/// `python/install/…` beside `python/PYTHON.json`, `python/build/…` and `python/licenses/…`,
/// of which only `install/` is the Python. PyPy's archives (downloads.python.org) hold one folder named
/// for the release and platform, `pypy3.9-v7.3.11-linux64/{bin,include,lib}`, which is the Python.
/// The rule is per entry, so archive order does not matter.
public enum ArchiveLayout {
    public enum Mapping: Equatable {
        /// Write the entry at this relative path inside the install folder ("" is the folder itself).
        case install(String)
        /// Part of the archive that is not the Python (build products, licences): not written.
        case skip
        /// A full archive's `python/PYTHON.json`, the build's own description: read into memory for the
        /// install's identity check (its `python_version`), not written.
        case buildMetadata
    }

    static let installOnlyTopFolders: Set<String> = ["bin", "include", "lib", "share"]

    /// Throws for names that could escape the install folder or do not belong to a standalone build.
    public static func map(_ rawName: String) throws -> Mapping {
        var name = rawName
        while name.hasPrefix("./") { name.removeFirst(2) }
        guard !name.hasPrefix("/") else { throw PymanError("archive entry '\(rawName)' has an absolute path; refusing to extract it") }
        let components = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.contains("..") else { throw PymanError("archive entry '\(rawName)' climbs out with '..'; refusing to extract it") }
        let parts = components.filter { $0 != "." }
        if let top = parts.first, isPyPyTopFolder(top) { return .install(parts.dropFirst().joined(separator: "/")) }
        guard parts.first == "python" else {
            throw PymanError("archive entry '\(rawName)' is outside the python/ folder; this is not a python-build-standalone archive")
        }
        if parts.count == 1 { return .install("") }
        if parts.count == 2, parts[1] == "PYTHON.json" { return .buildMetadata }
        if parts[1] == "install" { return .install(parts.dropFirst(2).joined(separator: "/")) }
        if installOnlyTopFolders.contains(parts[1]) { return .install(parts.dropFirst(1).joined(separator: "/")) }
        return .skip
    }

    /// `pypy3.9-v7.3.11-linux64`, `pypy3.10-v7.3.17-aarch64`: `pypy`, a Python version, `-v`, a PyPy
    /// version, `-`, a platform name.
    static func isPyPyTopFolder(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasPrefix("pypy"), parts[1].hasPrefix("v"), !parts[2].isEmpty else { return false }
        let python = parts[0].dropFirst(4), pypy = parts[1].dropFirst()
        func isVersion(_ text: Substring) -> Bool {
            !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        }
        return isVersion(python) && isVersion(pypy)
    }

    /// Whether a symlink at `path` (relative to the install folder) pointing at `target` stays inside it.
    /// `..` may only lead the target: after a name, that name may itself be a symlink of the archive, and
    /// `lib/up -> ..` makes `lib/esc -> up/../../x` leave the folder although its text looks inside.
    /// Leading `..`s are exact, since libarchive refuses to create anything under a symlink.
    public static func symlinkStaysInside(path: String, target: String) -> Bool {
        if target.hasPrefix("/") { return false }
        var depth = path.split(separator: "/").count - 1
        var descended = false
        for part in target.split(separator: "/") where part != "." {
            if part != ".." {
                descended = true
            } else if descended || depth == 0 {
                return false
            } else {
                depth -= 1
            }
        }
        return true
    }
}
