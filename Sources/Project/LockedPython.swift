import Catalogue
/// One locked artefact of `pyman.lock`: what one request resolved to for one platform, pinned to the
/// archive's URL, digest and size so that `pyman install --locked` installs exactly it.
public struct LockedPython: Hashable, Sendable {
    /// The request text it was resolved from, e.g. `3.13` or `3.13t`.
    public var request: String
    public var key: PythonKey
    /// The python-build-standalone release tag (`20250612`), when known.
    public var build: String?
    public var url: String
    /// Lower-case hex SHA-256 of the archive.
    public var sha256: String
    /// Bytes of the archive.
    public var size: Int64

    public init(request: String, key: PythonKey, build: String?, url: String, sha256: String, size: Int64) {
        self.request = request
        self.key = key
        self.build = build
        self.url = url
        self.sha256 = sha256
        self.size = size
    }
}
