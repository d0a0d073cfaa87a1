/// The top-level object of a `_sysconfig_vars_*.json` file (Python 3.14+), in file order.
///
/// Foundation's JSONSerialization would lose key order and may reformat numbers, so this
/// small reader decodes only what gets patched (top-level string values) and keeps every
/// other value as its original JSON text.
struct SysconfigJSONObject {
    enum Value: Equatable {
        case string(String)
        /// Any non-string JSON value, verbatim.
        case raw(String)
    }

    var members: [(key: String, value: Value)] = []

    /// Python's `json.dump(..., indent=2)` layout with ASCII-only escapes (its default), so
    /// the output looks like what CPython writes and re-rendering is stable.
    func render() -> String {
        guard !members.isEmpty else { return "{}\n" }
        let lines = members.map { member -> String in
            let value: String
            switch member.value {
            case .string(let string): value = Self.jsonLiteral(string)
            case .raw(let raw): value = raw
            }
            return "  \(Self.jsonLiteral(member.key)): \(value)"
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    static func jsonLiteral(_ string: String) -> String {
        var out = "\""
        for unit in string.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                // UTF-16 units give surrogate pairs for astral characters, as JSON wants.
                let digits = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            }
        }
        return out + "\""
    }

    static func parse(_ text: String) throws -> SysconfigJSONObject {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        return try parser.parseDocument()
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0
        static let maxDepth = 64

        mutating func parseDocument() throws -> SysconfigJSONObject {
            skipWhitespace()
            guard peek() == "{" else { throw error("expected '{' to open the JSON object") }
            position += 1
            var object = SysconfigJSONObject()
            var indexOfKey: [String: Int] = [:]
            skipWhitespace()
            if peek() == "}" {
                position += 1
            } else {
                while true {
                    skipWhitespace()
                    guard peek() == "\"" else { throw error("expected a string key") }
                    let key = try parseString()
                    skipWhitespace()
                    guard peek() == ":" else { throw error("expected ':' after the key") }
                    position += 1
                    skipWhitespace()
                    let value: Value
                    if peek() == "\"" {
                        value = .string(try parseString())
                    } else {
                        let start = position
                        try skipValue(depth: 0)
                        value = .raw(String(String.UnicodeScalarView(scalars[start..<position])))
                    }
                    // Same rule as Python's json module: the last duplicate wins.
                    if let index = indexOfKey[key] {
                        object.members[index].value = value
                    } else {
                        indexOfKey[key] = object.members.count
                        object.members.append((key: key, value: value))
                    }
                    skipWhitespace()
                    if peek() == "," { position += 1; continue }
                    if peek() == "}" { position += 1; break }
                    throw error("expected ',' or '}'")
                }
            }
            skipWhitespace()
            guard position == scalars.count else { throw error("unexpected text after the JSON object") }
            return object
        }

        /// Validates one non-string JSON value and moves past it.
        mutating func skipValue(depth: Int) throws {
            guard depth < Self.maxDepth else { throw error("JSON nested too deeply") }
            switch peek() {
            case "\"":
                _ = try parseString()
            case "{", "[":
                let close: Unicode.Scalar = peek() == "{" ? "}" : "]"
                let isObject = close == "}"
                position += 1
                skipWhitespace()
                if peek() == close { position += 1; return }
                while true {
                    skipWhitespace()
                    if isObject {
                        guard peek() == "\"" else { throw error("expected a string key") }
                        _ = try parseString()
                        skipWhitespace()
                        guard peek() == ":" else { throw error("expected ':' after the key") }
                        position += 1
                        skipWhitespace()
                    }
                    try skipValue(depth: depth + 1)
                    skipWhitespace()
                    if peek() == "," { position += 1; continue }
                    if peek() == close { position += 1; return }
                    throw error("expected ',' or '\(close)'")
                }
            case "t": try skipWord("true")
            case "f": try skipWord("false")
            case "n": try skipWord("null")
            default: try skipNumber()
            }
        }

        mutating func skipWord(_ word: String) throws {
            let start = position
            for expected in word.unicodeScalars {
                guard peek() == expected else { throw error("invalid JSON literal", at: start) }
                position += 1
            }
        }

        /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        mutating func skipNumber() throws {
            let start = position
            if peek() == "-" { position += 1 }
            if peek() == "0" {
                position += 1
            } else if try skipDigits() == 0 {
                throw error("expected a JSON value", at: start)
            }
            if peek() == "." {
                position += 1
                if try skipDigits() == 0 { throw error("expected digits after '.'") }
            }
            if peek() == "e" || peek() == "E" {
                position += 1
                if peek() == "+" || peek() == "-" { position += 1 }
                if try skipDigits() == 0 { throw error("expected digits in the exponent") }
            }
        }

        mutating func skipDigits() throws -> Int {
            var count = 0
            while let scalar = peek(), ("0"..."9").contains(scalar) {
                position += 1
                count += 1
            }
            return count
        }

        mutating func parseString() throws -> String {
            let start = position
            position += 1 // opening quote
            var units: [UInt16] = []
            while true {
                guard let scalar = peek() else { throw error("unterminated string", at: start) }
                position += 1
                switch scalar {
                case "\"":
                    // Lone surrogates are legal JSON but not a Swift String.
                    var decoded = String.UnicodeScalarView()
                    var iterator = units.makeIterator()
                    var decoder = UTF16()
                    while true {
                        switch decoder.decode(&iterator) {
                        case .scalarValue(let value): decoded.append(value)
                        case .emptyInput: return String(decoded)
                        case .error: throw error("string contains an unpaired surrogate", at: start)
                        }
                    }
                case "\\":
                    units.append(try parseEscape())
                default:
                    guard scalar.value >= 0x20 else {
                        throw error("control character in string", at: position - 1)
                    }
                    units.append(contentsOf: String(scalar).utf16)
                }
            }
        }

        mutating func parseEscape() throws -> UInt16 {
            let start = position - 1
            guard let scalar = peek() else { throw error("unterminated escape", at: start) }
            position += 1
            switch scalar {
            case "\"": return 0x22
            case "\\": return 0x5C
            case "/": return 0x2F
            case "b": return 0x08
            case "f": return 0x0C
            case "n": return 0x0A
            case "r": return 0x0D
            case "t": return 0x09
            case "u":
                var value: UInt16 = 0
                for _ in 0..<4 {
                    guard let digit = peek(), let nibble = Self.hexValue(digit) else {
                        throw error("expected 4 hex digits after \\u", at: start)
                    }
                    value = value &* 16 &+ nibble
                    position += 1
                }
                return value
            default:
                throw error("invalid escape", at: start)
            }
        }

        static func hexValue(_ scalar: Unicode.Scalar) -> UInt16? {
            switch scalar {
            case "0"..."9": return UInt16(scalar.value - 0x30)
            case "a"..."f": return UInt16(scalar.value - 0x61 + 10)
            case "A"..."F": return UInt16(scalar.value - 0x41 + 10)
            default: return nil
            }
        }

        mutating func skipWhitespace() {
            while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                position += 1
            }
        }

        func peek() -> Unicode.Scalar? {
            position < scalars.count ? scalars[position] : nil
        }

        /// JSON errors use the same line:column convention as the module parser.
        func error(_ message: String, at index: Int? = nil) -> SysconfigError {
            var line = 1
            var column = 1
            for scalar in scalars.prefix(index ?? position) {
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            return SysconfigError("JSON: " + message, line: line, column: column)
        }
    }
}
