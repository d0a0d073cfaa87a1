import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Path-string helpers with NSString's semantics (`deletingLastPathComponent`, `lastPathComponent`),
/// which FoundationEssentials lacks. Purely lexical: no file system access.
public enum Path {
    /// "/a/b/c" → "/a/b", "/a" → "/", "a" → "", trailing slashes ignored.
    public static func parent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// "/a/b/c" → "c", "/" → "/", trailing slashes ignored.
    public static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    static func withoutTrailingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}

/// The system's reason inside a FoundationEssentials file error ("No such file or directory"); the
/// error's own description is a dump of its fields.
public func systemReason(_ error: Error) -> String {
    if let posix = (error as? CocoaError)?.underlying as? POSIXError ?? error as? POSIXError {
        return String(cString: strerror(posix.code.rawValue))
    }
    return "\(error)"
}
