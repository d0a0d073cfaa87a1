/// Reads what a python-build-standalone archive's file name says about the build inside:
/// `cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-freethreaded-install_only_stripped.tar.gz`.
public enum ArchiveName {
    public static let extensions = [".tar.gz", ".tgz", ".tar.zst", ".tar.xz", ".tar.bz2", ".tar"]

    public static func looksLikeArchive(_ text: String) -> Bool {
        extensions.contains { text.hasSuffix($0) }
    }

    /// The key and release tag the name describes, or nil when it does not follow the naming scheme.
    public static func parse(_ fileName: String) -> (key: PythonKey, build: String?)? {
        var name = fileName.replacing("%2B", with: "+")
        guard let ext = extensions.first(where: { name.hasSuffix($0) }) else { return nil }
        name.removeLast(ext.count)
        let parts = name.split(separator: "-").map(String.init)
        guard parts.count >= 5, parts[0] == "cpython" else { return nil }
        let versionAndBuild = parts[1].split(separator: "+", maxSplits: 1).map(String.init)
        guard let version = PythonVersion(versionAndBuild[0]) else { return nil }
        let build = versionAndBuild.count > 1 ? versionAndBuild[1] : nil

        // Target triple: `<arch>-apple-darwin` or `<arch>-unknown-linux-<libc>`.
        let archTag = parts[2]
        let platform: Platform?
        let rest: ArraySlice<String>
        if parts[3] == "apple", parts[4] == "darwin" {
            platform = Platform(os: "darwin", archTag: archTag, libc: "none")
            rest = parts[5...]
        } else if parts[3] == "unknown", parts.count >= 6 {
            platform = Platform(os: parts[4], archTag: archTag, libc: parts[5])
            rest = parts[6...]
        } else {
            return nil
        }
        guard let platform else { return nil }
        // Flavour words: `freethreaded`, `debug`, `freethreaded+debug`, `pgo+lto`, `install_only`, `full`…
        let words = Set(rest.flatMap { $0.split(separator: "+").map(String.init) })
        let variant: String? = switch (words.contains("freethreaded"), words.contains("debug")) {
        case (true, true): "freethreaded+debug"
        case (true, false): "freethreaded"
        case (false, true): "debug"
        case (false, false): nil
        }
        return (PythonKey(implementation: "cpython", version: version, variant: variant, platform: platform), build)
    }
}
