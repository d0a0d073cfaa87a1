/// Reads one line of a lock file (its line end removed) as the subset of TOML lock files use: a blank,
/// a comment, a `[[name]]` header, or `key = value` with a string or an integer, each maybe followed by a
/// comment. Anything outside that subset throws, naming what it found: one wrong line, one clear message.
/// Works over the file's UTF-8 bytes; indices stay within `range` (see `TOMLCursor`).
public struct TOMLLineScanner: TOMLCursor {
    public let bytes: [UInt8]
    public let line: Int
    public var index: Int
    public let end: Int

    public init(_ bytes: [UInt8], range: Range<Int>, line: Int) {
        self.bytes = bytes
        self.line = line
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    public mutating func scan() throws(TOMLProblem) -> TOMLLine {
        skipBlanks()
        guard let first = peek else { return .blank }
        let result: TOMLLine
        switch first {
        case TOMLByte.hash:
            try skipComment()
            return .blank
        case TOMLByte.openBracket:
            result = try header()
        case TOMLByte.quote, TOMLByte.apostrophe:
            throw problem("quoted keys are not used in a lock file: \(rest)")
        case _ where Self.isBareKeyByte(first):
            result = try assignment()
        default:
            throw problem("expected `key = value`, a [[python]] header or a comment, not \(rest)")
        }
        try expectEndOfLine(after: first == TOMLByte.openBracket ? "the header" : "the value")
        return result
    }

    /// `[[ name ]]` with a bare name (TOML allows blanks inside the brackets). Any other header, `[name]`
    /// and dotted or quoted names included, is not a table of this format.
    private mutating func header() throws(TOMLProblem) -> TOMLLine {
        let start = index
        let isArray = startsWith([TOMLByte.openBracket, TOMLByte.openBracket])
        let brackets = isArray ? 2 : 1
        let nameStart = start + brackets
        let close = [UInt8](repeating: TOMLByte.closeBracket, count: brackets)
        guard let nameEnd = Self.firstOffset(of: close, in: bytes, from: nameStart, to: end) else {
            throw problem("unterminated table header \(rest)")
        }
        index = nameEnd + brackets
        var name = bytes[nameStart..<nameEnd]
        while let byte = name.first, Self.isBlank(byte) { name.removeFirst() }
        while let byte = name.last, Self.isBlank(byte) { name.removeLast() }
        guard isArray, !name.isEmpty, name.allSatisfy(Self.isBareKeyByte) else {
            let shown = String(decoding: bytes[start..<index], as: UTF8.self)
            throw problem("unknown table \(TOMLProblem.quoted(shown)): a lock file has only [[python]] tables")
        }
        return .arrayTableHeader(String(decoding: name, as: UTF8.self))
    }

    private mutating func assignment() throws(TOMLProblem) -> TOMLLine {
        let keyStart = index
        while let byte = peek, Self.isBareKeyByte(byte) { index += 1 }
        let key = String(decoding: bytes[keyStart..<index], as: UTF8.self)
        skipBlanks()
        if peek == TOMLByte.dot {
            throw problem("dotted keys are not used in a lock file: \(TOMLProblem.quoted(key + restText))")
        }
        guard peek == TOMLByte.equals else {
            throw problem("expected '=' after \(TOMLProblem.quoted(key))")
        }
        index += 1
        skipBlanks()
        return .assignment(key: key, value: try value(of: key))
    }

    private mutating func value(of key: String) throws(TOMLProblem) -> TOMLValue {
        guard let first = peek else { throw problem("\(TOMLProblem.quoted(key)) has no value") }
        switch first {
        case TOMLByte.quote:
            if startsWith([TOMLByte.quote, TOMLByte.quote, TOMLByte.quote]) { throw problem("multi-line strings are not used in a lock file") }
            return .string(try basicString())
        case TOMLByte.apostrophe:
            if startsWith([TOMLByte.apostrophe, TOMLByte.apostrophe, TOMLByte.apostrophe]) { throw problem("multi-line strings are not used in a lock file") }
            return .string(try literalString())
        case TOMLByte.openBracket:
            throw problem("arrays are not used in a lock file")
        case TOMLByte.openBrace:
            throw problem("inline tables are not used in a lock file")
        default:
            return .integer(try integer())
        }
    }

    /// After a header or a value: blanks, then nothing or a comment.
    private mutating func expectEndOfLine(after what: String) throws(TOMLProblem) {
        skipBlanks()
        guard let byte = peek else { return }
        guard byte == TOMLByte.hash else { throw problem("unexpected text after \(what): \(rest)") }
        try skipComment()
    }

    public static func firstOffset(of pattern: [UInt8], in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        var offset = start
        while offset + pattern.count <= end {
            if bytes[offset..<(offset + pattern.count)].elementsEqual(pattern) { return offset }
            offset += 1
        }
        return nil
    }
}

/// What one line of a lock file says, once `TOMLLineScanner` has read it.
public enum TOMLLine: Equatable {
    /// Blank, or a comment alone.
    case blank
    /// `[[name]]` with a bare name; the parser accepts only `python`.
    case arrayTableHeader(String)
    case assignment(key: String, value: TOMLValue)
}
