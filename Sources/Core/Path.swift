import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Path-string helpers with NSString's semantics (`deletingLastPathComponent`, `lastPathComponent`),
/// which FoundationEssentials lacks, on swift-system's `FilePath`. Purely lexical: no file system access.
public enum Path {
    /// "/a/b/c" → "/a/b", "/a" → "/", "a" → "", trailing slashes ignored.
    public static func parent(_ path: String) -> String {
        FilePath(path).removingLastComponent().string
    }

    /// `base` and `component` joined by one slash: "/a" + "b" → "/a/b", "/" + "b" → "/b".
    public static func join(_ base: String, _ component: String) -> String {
        base.hasSuffix("/") ? base + component : base + "/" + component
    }

    /// `path` made absolute against `folder` (when relative) and normalized lexically: "." and ".."
    /// components resolved, doubled and trailing slashes dropped; links are not resolved.
    public static func absolute(_ path: String, in folder: String) -> String {
        let absolute = path.hasPrefix("/") ? FilePath(path) : FilePath(folder).appending(path)
        return absolute.lexicallyNormalized().string
    }

    /// "/a/b/c" → "c", "/" → "/", trailing slashes ignored.
    public static func lastComponent(_ path: String) -> String {
        let filePath = FilePath(path)
        return filePath.lastComponent?.string ?? filePath.string
    }
}

/// The system's reason inside a FoundationEssentials file error or a `PymanError` of a system call ("No
/// such file or directory"), for a message that names its own path; a file error's own description is a
/// dump of its fields.
public func systemReason(_ error: Error) -> String {
    if let code = (error as? PymanError)?.code { return code.description }
    if let posix = (error as? CocoaError)?.underlying as? POSIXError ?? error as? POSIXError {
        return Errno(rawValue: posix.code.rawValue).description
    }
    return "\(error)"
}
