import Core

/// The folders of a PATH value (`Settings.searchPath`), as a shell searches them: whether the bin dir is
/// among them (`install`'s note) and where a shell's executable is (`update-shell`).
public struct SearchPath: Sendable, Equatable {
    /// The absolute folders, in order. Empty and relative entries (which a shell resolves against
    /// whatever folder it is in) are left out: they name no fixed folder.
    public let folders: [String]

    public init(_ value: String?) {
        folders = (value ?? "").split(separator: ":", omittingEmptySubsequences: true)
            .map(String.init).filter { $0.hasPrefix("/") }
    }

    /// Whether `folder` is on the path: an entry with the same text (ignoring trailing slashes), or
    /// one that is the same folder after links (`/home` linked to `/data/home`).
    public func contains(_ folder: String) -> Bool {
        let wanted = Self.trimmed(folder)
        if folders.contains(where: { Self.trimmed($0) == wanted }) { return true }
        guard let resolved = FileSystem.resolvedPath(folder) else { return false }
        return folders.contains { FileSystem.resolvedPath($0) == resolved }
    }

    /// The first `name` in the folders that this process may run, as a shell would find it.
    public func executable(_ name: String) -> String? {
        folders.lazy.map { Self.trimmed($0) + "/" + name }.first(where: FileSystem.isExecutableFile)
    }

    static func trimmed(_ folder: String) -> String {
        var text = Substring(folder)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
