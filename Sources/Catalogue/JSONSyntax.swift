/// Finds where a JSON text breaks, for an error message with line and column: FoundationEssentials'
/// JSONDecoder only says "The given data was not valid JSON". Checks the grammar only (RFC 8259),
/// iteratively with an explicit stack, so hostile nesting cannot overflow the call stack.
enum JSONSyntax {
    /// The first syntax error in `bytes` ("unexpected ',' at line 3, column 11"), or nil when it is JSON.
    static func firstError(in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        guard let (what, offset) = scanner.check() else { return nil }
        let prefix = bytes[..<offset]
        let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let column = offset - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return "\(what) at line \(line), column \(column)"
    }

    private struct Scanner {
        let bytes: [UInt8]
        var at = 0

        /// What is open around the current position: an object expecting a key, or an array.
        enum Open { case object, array }

        mutating func check() -> (String, Int)? {
            var stack: [Open] = []
            nextValue: while true {
                skipSpace()
                switch start() {
                case .failed(let failure): return failure
                case .opened(let open):
                    stack.append(open)
                    if open == .object, let failure = key() { return failure }
                    continue nextValue
                case .complete:
                    break
                }
                // A value is complete: close containers or move to their next member.
                while true {
                    skipSpace()
                    guard let open = stack.last else {
                        return at == bytes.count ? nil : (unexpected(), at)
                    }
                    let close = open == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if peek == close { at += 1; stack.removeLast(); continue }
                    guard peek == UInt8(ascii: ",") else {
                        return (unexpected(expecting: "',' or '\(Character(Unicode.Scalar(close)))'"), at)
                    }
                    at += 1
                    if open == .object, let failure = key() { return failure }
                    continue nextValue
                }
            }
        }

        enum Start { case failed((String, Int)), opened(Open), complete }

        /// The start of a value: a whole scalar or empty container, or an opened container.
        mutating func start() -> Start {
            guard let byte = peek else { return .failed(("unexpected end of data", at)) }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                at += 1
                skipSpace()
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if peek == close { at += 1; return .complete }
                return .opened(byte == UInt8(ascii: "{") ? .object : .array)
            case UInt8(ascii: "\""): return string().map(Start.failed) ?? .complete
            case UInt8(ascii: "t"): return word("true").map(Start.failed) ?? .complete
            case UInt8(ascii: "f"): return word("false").map(Start.failed) ?? .complete
            case UInt8(ascii: "n"): return word("null").map(Start.failed) ?? .complete
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number().map(Start.failed) ?? .complete
            default:
                return .failed((unexpected(expecting: "a value"), at))
            }
        }

        /// `"key" :` inside an object.
        mutating func key() -> (String, Int)? {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { return (unexpected(expecting: "a quoted key"), at) }
            if let failure = string() { return failure }
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return (unexpected(expecting: "':'"), at) }
            at += 1
            return nil
        }

        mutating func string() -> (String, Int)? {
            let start = at
            at += 1
            while let byte = peek {
                at += 1
                switch byte {
                case UInt8(ascii: "\""): return nil
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { break }
                    if escaped == UInt8(ascii: "u") {
                        let hex = bytes[min(at + 1, bytes.count)..<min(at + 5, bytes.count)]
                        guard hex.count == 4, hex.allSatisfy(isHexDigit) else { return ("invalid \\u escape", at - 1) }
                        at += 5
                    } else {
                        guard "\"\\/bfnrt".utf8.contains(escaped) else { return ("invalid escape", at - 1) }
                        at += 1
                    }
                case 0..<0x20: return ("control character in a string", at - 1)
                default: continue
                }
            }
            return ("unterminated string", start)
        }

        mutating func number() -> (String, Int)? {
            let start = at
            if peek == UInt8(ascii: "-") { at += 1 }
            if peek == UInt8(ascii: "0") { at += 1 } else if !digits() { return ("invalid number", start) }
            if peek == UInt8(ascii: ".") {
                at += 1
                guard digits() else { return ("invalid number", start) }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                at += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
                guard digits() else { return ("invalid number", start) }
            }
            return nil
        }

        mutating func digits() -> Bool {
            let start = at
            while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { at += 1 }
            return at > start
        }

        mutating func word(_ word: String) -> (String, Int)? {
            let expected = Array(word.utf8)
            guard bytes.count - at >= expected.count, Array(bytes[at..<at + expected.count]) == expected else {
                return (unexpected(expecting: "a value"), at)
            }
            at += expected.count
            return nil
        }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { at += 1 }
        }

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        func unexpected(expecting: String? = nil) -> String {
            guard let byte = peek else { return "unexpected end of data" + (expecting.map { ", expected \($0)" } ?? "") }
            let shown = (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : hexByte(byte)
            return "unexpected \(shown)" + (expecting.map { ", expected \($0)" } ?? "")
        }

        func isHexDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }
}

private func hexByte(_ byte: UInt8) -> String {
    "byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
}
