import Catalogue
import Core
import TOML

/// `pyman.lock`: the archives `pyman lock` resolved the requests to, which `pyman install --locked`
/// installs exactly. A TOML file (users read TOML in pyproject.toml and uv.lock), read by a strict reader
/// of this file's own shape (`LockFileParser`): a general TOML library would bring in all of Foundation.
public struct LockFile: Equatable, Sendable {
    public static let fileName = "pyman.lock"
    public static let formatVersion = 1
    /// Callers read at most this many bytes; the parser refuses a longer text too.
    public static let sizeLimit = 1 << 20

    public var pythons: [LockedPython]

    public init(pythons: [LockedPython]) {
        self.pythons = pythons
    }

    /// Parses the text of a lock file; `path` is only used in messages. Anything but what `text` writes,
    /// give or take comments, blanks, CRLF, literal strings and key order, is refused with the line.
    public init(parsing text: String, path: String) throws(PymanError) {
        self = try LockFileParser(path: path).parse(text)
    }

    /// The TOML text, as `pyman lock` writes it. Parsing it gives back an equal LockFile when every
    /// field passes the reader's checks (a caller can make sure by parsing it before writing it).
    public var text: String {
        var lines = Self.preamble + ["version = \(Self.formatVersion)"]
        for python in pythons {
            lines += ["", "[[python]]"]
            lines.append("request = \(TOMLString.quoted(python.request))")
            lines.append("key = \(TOMLString.quoted(python.key.description))")
            // Redundant with the key, for the human reader; the reader checks they agree.
            lines.append("version = \(TOMLString.quoted(python.key.version.description))")
            lines.append("platform = \(TOMLString.quoted(python.key.platform.description))")
            if let build = python.build { lines.append("build = \(TOMLString.quoted(build))") }
            lines.append("url = \(TOMLString.quoted(python.url))")
            lines.append("sha256 = \(TOMLString.quoted(python.sha256))")
            lines.append("size = \(python.size)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let preamble = [
        "# pyman.lock: written by `pyman lock`. `pyman install --locked` installs exactly these archives.",
        "# Change the requests (.python-version or the command line) and run `pyman lock` again rather than editing it.",
    ]
}
