extension StringProtocol {
    /// Whether this URL names a file of this machine: the `file:` scheme in any case, as libcurl reads it
    /// (RFC 3986: schemes are case-insensitive), so `FILE:///dev/zero` is as local as `file:///dev/zero`.
    /// Such a URL is the user's own where they named it (no checksum needed, never cached, read offline)
    /// and refused where a remote catalogue or a project's lock names it outside what they may.
    public var isFileURL: Bool {
        prefix(5).lowercased() == "file:"
    }
}
