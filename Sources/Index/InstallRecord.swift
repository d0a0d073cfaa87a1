import Catalogue
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

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
    /// Version of the patches pyman applied (sysconfig, venv home); lets a later pyman re-patch old installs.
    public var patchLevel: Int
    /// Values from the interpreter's build, read from files at install time so `venv` needs no Python process.
    public var abiFlags: String?

    enum CodingKeys: String, CodingKey {
        case key, version, variant, os, arch, libc, path, url, sha256, size
        case installedAt = "installed_at", pymanVersion = "pyman_version", patchLevel = "patch_level", abiFlags = "abi_flags"
    }

    public init(key: PythonKey, path: String, url: String?, sha256: String?, size: Int?,
                installedAt: Date, pymanVersion: String, patchLevel: Int, abiFlags: String? = nil) {
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
        self.abiFlags = abiFlags
    }

    public var pythonKey: PythonKey? { PythonKey(key) }

    /// `<install>/bin/python3.13` (or `python3.13t`).
    public var executable: String {
        "\(path)/bin/\(pythonKey?.executableName ?? "python3")"
    }
}
