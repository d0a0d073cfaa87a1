import Core

/// A position in a TOML file's UTF-8 bytes within one line, whose LF or CRLF `end` leaves out: what the
/// lock file's line scanner (`TOMLLineScanner`) and pyproject.toml's reader (`TOMLReader`) share, so that
/// both read strings, escapes and comments alike and word their refusals alike.
public protocol TOMLCursor {
    var bytes: [UInt8] { get }
    var index: Int { get set }
    /// Where the current line ends.
    var end: Int { get }
    /// The current line's number, from 1, for messages.
    var line: Int { get }
}

extension TOMLCursor {
    public var peek: UInt8? { index < end ? bytes[index] : nil }

    public func startsWith(_ prefix: [UInt8]) -> Bool { bytes[index..<end].starts(with: prefix) }

    public mutating func skipBlanks() {
        while let byte = peek, Self.isBlank(byte) { index += 1 }
    }

    /// At a `#`, to the line end. TOML refuses control characters other than tab in comments, as in strings.
    public mutating func skipComment() throws(TOMLProblem) {
        while let byte = peek {
            if Self.isControl(byte) { throw problem("control character \(Self.shown(byte)) in a comment") }
            index += 1
        }
    }

    /// The rest of the line from `index`, as typed.
    public var restText: String { String(decoding: bytes[index..<end], as: UTF8.self) }

    /// The rest of the line, quoted for a message.
    public var rest: String { TOMLProblem.quoted(restText) }

    public func problem(_ what: String) -> TOMLProblem { TOMLProblem(line: line, what) }

    public static func isBlank(_ byte: UInt8) -> Bool { byte == TOMLByte.space || byte == TOMLByte.tab }

    public static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// TOML's bare keys: ASCII letters, digits, `_` and `-`.
    public static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == TOMLByte.underscore || byte == TOMLByte.minus
    }

    /// The control characters TOML refuses outside escapes: C0 but tab, and DEL.
    public static func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != TOMLByte.tab) || byte == 0x7F }

    /// A control byte as `\u{1b}` (or `\r`) for a message.
    public static func shown(_ byte: UInt8) -> String { String(decoding: [byte], as: UTF8.self).escapingControlCharacters() }
}
