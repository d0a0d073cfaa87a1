extension SysconfigData {
    /// Parses a `_sysconfigdata_*.py` module.
    ///
    /// Accepts exactly the Python subset CPython and python-build-standalone write:
    /// comments, `build_time_vars = {` string keys `:` string or int values `}`, where a string
    /// may be several implicitly concatenated literals (either quote style, optionally inside
    /// parentheses, spanning lines) with the usual backslash escapes. Anything else is
    /// rejected with a `SysconfigError` naming the line and column, because guessing at code
    /// we do not understand could silently drop variables.
    ///
    /// Duplicate keys follow Python's dict semantics: first position, last value.
    public static func parse(_ text: String) throws -> SysconfigData {
        var parser = SysconfigParser(text)
        return try parser.parseModule()
    }
}

/// A small hand-written recursive-descent parser over Unicode scalars.
///
/// Scalars (not Characters) are used so "\r\n" is two units like Python sees it, and every
/// access goes through `peek`, which returns nil past the end: arbitrary input can make the
/// parser throw but never trap.
private struct SysconfigParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    /// Parentheses may nest; the limit keeps fuzzed input from exhausting the stack.
    private static let maxDepth = 32

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func parseModule() throws -> SysconfigData {
        // A UTF-8 byte order mark is legal at the start of a Python source file.
        if peek() == "\u{FEFF}" { position += 1 }
        skipTrivia()
        let nameStart = position
        let name = readIdentifier()
        guard name == "build_time_vars" else {
            let found = name.isEmpty ? describeNext() : "'\(name)'"
            throw error("expected 'build_time_vars', found \(found)", at: nameStart)
        }
        skipTrivia()
        try expect("=", context: "after 'build_time_vars'")
        skipTrivia()
        let data = try parseDict()
        skipTrivia()
        if position < scalars.count {
            throw error("unexpected \(describeNext()) after the closing '}'")
        }
        return data
    }

    // MARK: - Grammar

    private mutating func parseDict() throws -> SysconfigData {
        try expect("{", context: "to open the dictionary")
        var data = SysconfigData()
        var indexOfKey: [String: Int] = [:]
        while true {
            skipTrivia()
            if peek() == "}" { position += 1; return data }
            if peek() == nil { throw error("unexpected end of input: missing '}'") }

            let keyStart = position
            guard case .string(let key) = try parseValue(depth: 0) else {
                throw error("dictionary key must be a string", at: keyStart)
            }
            skipTrivia()
            try expect(":", context: "after the key")
            skipTrivia()
            let value = try parseValue(depth: 0)
            if let index = indexOfKey[key] {
                data.entries[index].value = value
            } else {
                indexOfKey[key] = data.entries.count
                data.entries.append((key: key, value: value))
            }

            skipTrivia()
            switch peek() {
            case ",": position += 1
            case "}": position += 1; return data
            case nil: throw error("unexpected end of input: missing '}'")
            default: throw error("expected ',' or '}' after a value, found \(describeNext())")
            }
        }
    }

    /// A parenthesized value, a run of string literals, or an integer.
    private mutating func parseValue(depth: Int) throws -> SysconfigValue {
        switch peek() {
        case "(":
            guard depth < Self.maxDepth else { throw error("parentheses nested too deeply") }
            position += 1
            skipTrivia()
            let value = try parseValue(depth: depth + 1)
            skipTrivia()
            try expect(")", context: "to close the parenthesis")
            return value
        case "'", "\"":
            return .string(try parseConcatenatedStrings())
        case "-", "+":
            return .int(try parseInteger())
        case let scalar? where isDigit(scalar):
            return .int(try parseInteger())
        default:
            throw error("expected a string or an integer, found \(describeNext())")
        }
    }

    /// Adjacent literals are one string in Python: `'a' "b"` == `'ab'`.
    private mutating func parseConcatenatedStrings() throws -> String {
        var result = try parseStringLiteral()
        while true {
            let save = position
            skipTrivia()
            guard let next = peek(), next == "'" || next == "\"" else {
                position = save
                return result
            }
            result += try parseStringLiteral()
        }
    }

    private mutating func parseStringLiteral() throws -> String {
        let start = position
        guard let quote = peek() else { throw error("expected a string") }
        if peek(1) == quote && peek(2) == quote {
            throw error("triple-quoted strings are not supported", at: start)
        }
        position += 1

        var result = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else {
                throw error("unterminated string literal", at: start)
            }
            position += 1
            switch scalar {
            case quote:
                return String(result)
            case "\n", "\r":
                throw error("unterminated string literal", at: start)
            case "\0":
                throw error("null character in string literal", at: position - 1)
            case "\\":
                try parseEscape(into: &result, literalStart: start)
            default:
                result.append(scalar)
            }
        }
    }

    /// Decodes one escape; `position` is just past the backslash.
    private mutating func parseEscape(into result: inout String.UnicodeScalarView, literalStart: Int) throws {
        let escapeStart = position - 1
        guard let scalar = peek() else {
            throw error("unterminated string literal", at: literalStart)
        }
        position += 1
        switch scalar {
        case "\n":
            break // backslash-newline continues the literal on the next line
        case "\r":
            if peek() == "\n" { position += 1 }
        case "\\", "'", "\"":
            result.append(scalar)
        case "a": result.append("\u{07}")
        case "b": result.append("\u{08}")
        case "f": result.append("\u{0C}")
        case "n": result.append("\n")
        case "r": result.append("\r")
        case "t": result.append("\t")
        case "v": result.append("\u{0B}")
        case "0"..."7":
            // Up to three octal digits; the largest, \777, is still a valid scalar.
            var value = scalar.value - 0x30
            for _ in 0..<2 {
                guard let next = peek(), ("0"..."7").contains(next) else { break }
                value = value * 8 + (next.value - 0x30)
                position += 1
            }
            try append(value, to: &result, escapeStart: escapeStart)
        case "x":
            try append(try readHex(count: 2, escapeStart: escapeStart), to: &result, escapeStart: escapeStart)
        case "u":
            try append(try readHex(count: 4, escapeStart: escapeStart), to: &result, escapeStart: escapeStart)
        case "U":
            try append(try readHex(count: 8, escapeStart: escapeStart), to: &result, escapeStart: escapeStart)
        case "N":
            throw error("\\N{...} escapes are not supported", at: escapeStart)
        default:
            // Python keeps unknown escapes verbatim (with a warning), so must we.
            result.append("\\")
            result.append(scalar)
        }
    }

    private mutating func readHex(count: Int, escapeStart: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let next = peek(), let digit = hexValue(next) else {
                throw error("truncated escape: expected \(count) hex digits", at: escapeStart)
            }
            value = value &* 16 &+ digit
            position += 1
        }
        return value
    }

    private func append(_ value: UInt32, to result: inout String.UnicodeScalarView, escapeStart: Int) throws {
        // Surrogates and values past U+10FFFF cannot live in a Swift String.
        guard let scalar = Unicode.Scalar(value) else {
            throw error("escape is not a valid Unicode scalar", at: escapeStart)
        }
        result.append(scalar)
    }

    private mutating func parseInteger() throws -> Int {
        let start = position
        var negative = false
        if let sign = peek(), sign == "-" || sign == "+" {
            negative = sign == "-"
            position += 1
            skipTrivia()
        }
        let digitsStart = position
        var magnitude = 0
        while let scalar = peek(), isDigit(scalar) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(scalar.value - 0x30))
            guard !overflow1, !overflow2 else { throw error("integer out of range", at: start) }
            magnitude = sum
            position += 1
        }
        let digitCount = position - digitsStart
        guard digitCount > 0 else { throw error("expected digits after the sign", at: start) }
        if digitCount > 1 && scalars[digitsStart] == "0" {
            throw error("leading zeros in an integer are not valid Python", at: digitsStart)
        }
        // Reject floats, hex, complex and the like instead of misreading them as ints.
        if let next = peek(), isIdentifierScalar(next) || next == "." {
            throw error("unsupported number literal", at: start)
        }
        return negative ? -magnitude : magnitude
    }

    // MARK: - Lexical helpers

    /// Skips whitespace and comments. Python allows newlines anywhere inside brackets, and
    /// being lenient about them outside (around `=`) rejects nothing CPython writes.
    private mutating func skipTrivia() {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0C}":
                position += 1
            case "#":
                while let next = peek(), next != "\n", next != "\r" { position += 1 }
            default:
                return
            }
        }
    }

    private mutating func readIdentifier() -> String {
        var name = String.UnicodeScalarView()
        if let first = peek(), isIdentifierScalar(first), !isDigit(first) {
            while let scalar = peek(), isIdentifierScalar(scalar) {
                name.append(scalar)
                position += 1
            }
        }
        return String(name)
    }

    private mutating func expect(_ expected: Unicode.Scalar, context: String) throws {
        guard peek() == expected else {
            throw error("expected '\(expected)' \(context), found \(describeNext())")
        }
        position += 1
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index >= 0 && index < scalars.count ? scalars[index] : nil
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || isDigit(scalar) || scalar == "_"
    }

    private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": return scalar.value - 0x30
        case "a"..."f": return scalar.value - 0x61 + 10
        case "A"..."F": return scalar.value - 0x41 + 10
        default: return nil
        }
    }

    /// "end of input" or the next character as a Python literal, so control characters
    /// cannot break the one-line error message.
    private func describeNext() -> String {
        guard let scalar = peek() else { return "end of input" }
        return SysconfigData.pythonLiteral(String(scalar))
    }

    // MARK: - Errors

    private func error(_ message: String, at index: Int? = nil) -> SysconfigError {
        let (line, column) = lineAndColumn(of: index ?? position)
        return SysconfigError(message, line: line, column: column)
    }

    /// 1-based line and column of `index`; "\r\n", "\n" and a lone "\r" each end a line,
    /// as in Python's tokenizer (the "\r" of "\r\n" counts as a column, but the "\n" right
    /// after resets it). Only computed when an error is thrown.
    private func lineAndColumn(of index: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(index, scalars.count)
        while i < end {
            let scalar = scalars[i]
            if scalar == "\n" || (scalar == "\r" && (i + 1 >= scalars.count || scalars[i + 1] != "\n")) {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }
}
