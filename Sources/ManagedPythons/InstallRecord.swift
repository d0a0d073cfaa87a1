import Catalogue
import FoundationEssentials

/// What pyman knows about one installed Python. Stored in the index and, as a receipt, inside
/// the install folder itself so the index can always be rebuilt from the folders.
public struct InstallRecord: Codable, Equatable, Sendable {
    /// The key, which is also the folder name: `cpython-3.13.5-linux-x86_64-gnu`.
    public var key: String
    public var version: String
    public var variant: String?
    public var os: String
    public var arch: String
    public var libc: String
    /// Absolute path of the install folder.
    public var path: String
    public var url: String?
    public var sha256: String?
    /// Size of the downloaded archive in bytes.
    public var size: Int?
    public var installedAt: String
    public var pymanVersion: String
    /// `InstallPatches.level` of the pyman that patched it (sysconfig, venv home); 0 when no receipt says.
    public var patchLevel: Int

    enum CodingKeys: String, CodingKey {
        case key, version, variant, os, arch, libc, path, url, sha256, size
        case installedAt = "installed_at", pymanVersion = "pyman_version", patchLevel = "patch_level"
    }

    public init(key: PythonKey, path: String, url: String?, sha256: String?, size: Int?,
                installedAt: Date, pymanVersion: String, patchLevel: Int) {
        self.key = key.description
        version = key.version.description
        variant = key.variant
        os = key.platform.os
        arch = key.platform.archTag
        libc = key.platform.libc
        self.path = path
        self.url = url
        self.sha256 = sha256
        self.size = size
        self.installedAt = installedAt.formatted(.iso8601)  // 2026-11-27T09:52:54Z
        self.pymanVersion = pymanVersion
        self.patchLevel = patchLevel
    }

    public var pythonKey: PythonKey? { PythonKey(key) }

    /// `<install>/bin/python3.13` (or `python3.13t`).
    public var executable: String {
        "\(path)/bin/\(pythonKey?.executableName ?? "python3")"
    }

    /// Whether the install was patched below `current` (the running pyman's `InstallPatches.level`), so
    /// `pyman install --reinstall` would patch it anew.
    public func needsRepatch(current: Int) -> Bool { patchLevel < current }

    /// What `list` and `doctor` say about an install patched below `current`; nil when it is up to date.
    public func repatchAdvice(current: Int) -> String? {
        guard needsRepatch(current: current) else { return nil }
        let made = patchLevel == 0 ? "has no pyman patch level recorded" : "was patched by an older pyman (patch level \(patchLevel))"
        return "\(key) \(made); `pyman install --reinstall \(key)` patches it at level \(current)"
    }
}
