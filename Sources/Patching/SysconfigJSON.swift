import Core

/// The top-level object of a `_sysconfig_vars_*.json` file (Python 3.14+), in file order.
///
/// Foundation's JSONSerialization would lose key order and may reformat numbers, so this
/// small reader (over Core's `JSONScanner`) decodes only what gets patched (top-level keys and
/// string values) and keeps every other value as its original JSON text.
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

    /// Parses the top-level object of `text`; a syntax error is a `SysconfigError` with its line and
    /// column ("3:7: JSON: unexpected '1', expected ':' after the key").
    static func parse(_ text: String) throws -> SysconfigJSONObject {
        var scanner = JSONScanner(Array(text.utf8))
        do throws(JSONScanner.Failure) {
            return try parse(&scanner)
        } catch {
            throw SysconfigError("JSON: " + error.message, line: error.line, column: error.column)
        }
    }

    private static func parse(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> SysconfigJSONObject {
        var object = SysconfigJSONObject()
        try scanner.expect(UInt8(ascii: "{"), expecting: "'{' to open the JSON object")
        if !scanner.skip(UInt8(ascii: "}")) {
            var indexOfKey: [String: Int] = [:]
            repeat {
                let key = try scanner.decode(try scanner.memberKey())
                scanner.skipWhitespace()
                let value: Value
                if scanner.peek == UInt8(ascii: "\"") {
                    value = .string(try scanner.decode(try scanner.scanString()))
                } else {
                    let start = scanner.offset
                    try scanner.skipValue()
                    value = .raw(String(decoding: scanner.bytes[start..<scanner.offset], as: UTF8.self))
                }
                // Same rule as Python's json module: the last duplicate wins.
                if let index = indexOfKey[key] {
                    object.members[index].value = value
                } else {
                    indexOfKey[key] = object.members.count
                    object.members.append((key: key, value: value))
                }
            } while try scanner.nextMember(close: UInt8(ascii: "}"))
        }
        try scanner.expectEnd()
        return object
    }
}
