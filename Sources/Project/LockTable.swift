import Catalogue
import Core
import TOML

/// One `[[python]]` table as read: its keys, each with the line it was on for messages. `lockedPython()`
/// checks them once the table ends, when every key is known (they may come in any order).
struct LockTable {
    /// The line of the `[[python]]` header, for "has no sha256".
    let line: Int
    private var fields: [String: (value: TOMLValue, line: Int)] = [:]

    static let keys = ["request", "key", "version", "platform", "build", "url", "sha256", "size"]

    init(line: Int) {
        self.line = line
    }

    /// Each key once, as TOML wants, and only the format's.
    mutating func set(_ key: String, _ value: TOMLValue, line: Int) throws(TOMLProblem) {
        guard Self.keys.contains(key) else {
            throw TOMLProblem(line: line, "unknown key \(TOMLProblem.quoted(key)) in [[python]] (it has \(Self.keys.joined(separator: ", ")))")
        }
        if let first = fields[key] {
            throw TOMLProblem(line: line, "duplicate key '\(key)' (it is set on line \(first.line) already)")
        }
        fields[key] = (value, line)
    }

    func lockedPython() throws(TOMLProblem) -> LockedPython {
        let request = try string("request")
        try check(!request.text.isEmpty && !request.text.containsControlCharacters, request.line,
                  "request \(TOMLProblem.quoted(request.text)) is empty or holds control characters")

        let keyText = try string("key")
        guard let key = PythonKey(keyText.text), key.isWellFormed else {
            throw TOMLProblem(line: keyText.line, "key \(TOMLProblem.quoted(keyText.text)) is not a Python key such as cpython-3.13.5-linux-x86_64-gnu")
        }
        // The version and platform are there for the human reader; a file where they say something else
        // than the key was edited by hand, and which of the two was meant cannot be known.
        let version = try string("version")
        try check(version.text == key.version.description, version.line,
                  "version \(TOMLProblem.quoted(version.text)) does not match the key's \(key.version)")
        let platform = try string("platform")
        try check(platform.text == key.platform.description, platform.line,
                  "platform \(TOMLProblem.quoted(platform.text)) does not match the key's \(key.platform)")

        let build = try optionalString("build")
        if let build {
            try check(!build.text.isEmpty && !build.text.containsControlCharacters, build.line,
                      "build \(TOMLProblem.quoted(build.text)) is empty or holds control characters")
        }
        let url = try string("url")
        try check(Self.isURL(url.text), url.line,
                  "url \(TOMLProblem.quoted(url.text)) is not an https://, http:// or file:// URL without blanks or control characters")
        let sha256 = try string("sha256")
        try check(Self.isSHA256(sha256.text), sha256.line,
                  "sha256 \(TOMLProblem.quoted(sha256.text)) is not 64 lower-case hex digits")
        let size = try integer("size")
        try check(size.value > 0, size.line, "size \(size.value) is not a positive number of bytes")

        return LockedPython(request: request.text, key: key, build: build?.text, url: url.text, sha256: sha256.text, size: size.value)
    }

    private func check(_ isValid: Bool, _ line: Int, _ what: @autoclosure () -> String) throws(TOMLProblem) {
        guard isValid else { throw TOMLProblem(line: line, what()) }
    }

    private func optionalString(_ key: String) throws(TOMLProblem) -> (text: String, line: Int)? {
        guard let field = fields[key] else { return nil }
        guard case .string(let text) = field.value else {
            throw TOMLProblem(line: field.line, "\(key) must be a string, not \(field.value.typeName)")
        }
        return (text, field.line)
    }

    private func string(_ key: String) throws(TOMLProblem) -> (text: String, line: Int) {
        guard let field = try optionalString(key) else { throw missing(key) }
        return field
    }

    private func integer(_ key: String) throws(TOMLProblem) -> (value: Int64, line: Int) {
        guard let field = fields[key] else { throw missing(key) }
        guard case .integer(let value) = field.value else {
            throw TOMLProblem(line: field.line, "\(key) must be an integer, not \(field.value.typeName)")
        }
        return (value, field.line)
    }

    private func missing(_ key: String) -> TOMLProblem {
        TOMLProblem(line: line, "[[python]] has no \(key)")
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { TOMLLineScanner.isDigit($0) || (0x61...0x66).contains($0) }
    }

    /// The schemes pyman downloads from (or copies, for file://), and nothing a URL must not hold.
    static func isURL(_ text: String) -> Bool {
        ["https://", "http://", "file://"].contains(where: text.hasPrefix)
            && !text.containsControlCharacters && !text.unicodeScalars.contains(where: \.properties.isWhitespace)
    }
}
