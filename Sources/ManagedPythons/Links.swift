import Catalogue
import Configuration
import Core
import FoundationEssentials
import SystemPackage

/// The two kinds of links pyman keeps:
/// - the minor link `cpython-3.13-linux-x86_64-gnu -> cpython-3.13.5-linux-x86_64-gnu` in the install dir,
///   always at the newest installed patch release, so whatever was made through it survives upgrades;
/// - executables in the bin dir (`python3.13`, and with --default `python3`, `python`) pointing through
///   the minor link.
public struct Links: Sendable {
    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Brings `key`'s minor link, and with `executables` its bin links, in line with the index, under the
    /// key's lock. An uninstall holds that lock from removing the folder until its minor link is gone,
    /// so links made here never lead to a folder that a racing uninstall removed. Returns the bin links made.
    public func refresh(for key: PythonKey, executables: Bool, makeDefault: Bool) throws -> [String] {
        let lock = try settings.lockKey(key.description)
        defer { withExtendedLifetime(lock) {} }
        let installed = InstallIndex(directory: settings.installDir, warn: settings.output.warn).records()
        try refreshMinorLink(for: key, installed: installed)
        guard executables, installed.contains(where: { $0.key == key.description }) else { return [] }
        return try linkExecutables(for: key, makeDefault: makeDefault)
    }

    /// Points the minor link of `key`'s series at the newest installed patch release, or removes it
    /// when none is left. Returns the folder it now points at.
    @discardableResult
    public func refreshMinorLink(for key: PythonKey, installed: [InstallRecord]) throws -> String? {
        let link = Path.join(settings.installDir, key.minorLinkName)
        let newest = installed.compactMap(\.pythonKey)
            .filter { $0.minorLinkName == key.minorLinkName }
            .max { $0.version < $1.version }
        guard let newest else {
            if FileSystem.isSymlink(link) { try? FileSystem.removeFile(link) }
            return nil
        }
        try replaceSymlink(at: link, pointingTo: newest.description)
        return newest.description
    }

    /// Links the executables of `key` into the bin dir. Existing files pyman did not make are left alone
    /// with a warning. Returns the links made.
    public func linkExecutables(for key: PythonKey, makeDefault: Bool) throws -> [String] {
        try FolderTrust.check(settings.binDir, role: "bin dir")   // before and after it is made, as the install dir
        do {
            try FileSystem.makeDirectories(settings.binDir, exactly: FilePermissions(rawValue: 0o755))
        } catch {
            throw PymanError("cannot create the bin dir \(settings.binDir): \(systemReason(error))", hint: "set PYMAN_BIN_DIR or pass --no-bin")
        }
        try FolderTrust.check(settings.binDir, role: "bin dir")
        let target = Path.join(settings.installDir, "\(key.minorLinkName)/bin/\(key.executableName)")
        var names = [key.executableName]
        // PyPy's defaults are pypy3 and pypy: python3 stays CPython's.
        if makeDefault { names += key.isPyPy ? ["pypy3", "pypy"] : key.isFreethreaded ? ["python3t"] : ["python3", "python"] }
        var made: [String] = []
        for name in names {
            let path = Path.join(settings.binDir, name)
            if FileSystem.exists(path), !isManaged(path) {
                settings.output.warn("\(path) exists and was not made by pyman; leaving it (remove it to let pyman link \(name))")
                continue
            }
            try replaceSymlink(at: path, pointingTo: target)
            made.append(path)
        }
        return made
    }

    /// Removes bin-dir links into the install dir that no longer lead anywhere.
    public func removeDanglingExecutables() {
        let names = FileSystem.listDirectory(settings.binDir)
        for name in names where name.hasPrefix("python") || name.hasPrefix("pypy") {
            let path = Path.join(settings.binDir, name)
            if isManaged(path), !FileSystem.exists(path, followingLinks: true) { try? FileSystem.removeFile(path) }
        }
    }

    /// A symlink whose target lies in pyman's install dir, compared as normalised paths: a target such as
    /// `<install dir>/../../usr/bin/python3` starts with the install dir's text but is not pyman's.
    func isManaged(_ path: String) -> Bool {
        guard let text = FileSystem.symlinkTarget(path) else { return false }
        var target = FilePath(text)
        if !target.isAbsolute { target = FilePath(Path.parent(path)).pushing(target) }
        let installDir = FilePath(settings.installDir).lexicallyNormalized()
        let normalised = target.lexicallyNormalized()
        return normalised != installDir && normalised.starts(with: installDir)
    }

    /// Creates the link beside its final name and renames it over, so the name never disappears.
    func replaceSymlink(at path: String, pointingTo target: String) throws {
        let temp = "\(path).pyman-\(ProcessEnvironment.processID)-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.createSymlink(at: temp, pointingTo: target)
        do {
            try FileSystem.rename(temp, to: path)
        } catch {
            try? FileSystem.removeFile(temp)
            throw error
        }
    }
}
