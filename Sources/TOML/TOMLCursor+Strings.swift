/// TOML's one-line strings: basic (`"…"`, with escapes) and literal (`'…'`, as typed), and the escapes
/// multi-line basic strings share.
extension TOMLCursor {
    /// At the opening `"`. The input is valid UTF-8 (it came from a String) and bytes are copied whole
    /// between ASCII delimiters, so the result is valid UTF-8 too.
    public mutating func basicString() throws(TOMLProblem) -> String {
        let start = index
        index += 1
        var text: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case TOMLByte.quote:
                return String(decoding: text, as: UTF8.self)
            case TOMLByte.backslash:
                try escape(into: &text)
            case _ where Self.isControl(byte):
                throw problem("control character \(Self.shown(byte)) in a string (TOML needs it written as an escape)")
            default:
                text.append(byte)
            }
        }
        throw unterminated(from: start)
    }

    /// At the opening `'`: everything up to the next `'`, no escapes.
    public mutating func literalString() throws(TOMLProblem) -> String {
        let start = index
        index += 1
        let contentStart = index
        while let byte = peek {
            if byte == TOMLByte.apostrophe {
                index += 1
                return String(decoding: bytes[contentStart..<(index - 1)], as: UTF8.self)
            }
            if Self.isControl(byte) { throw problem("control character \(Self.shown(byte)) in a string") }
            index += 1
        }
        throw unterminated(from: start)
    }

    /// Just after a backslash: TOML 1.0's escapes, nothing else.
    public mutating func escape(into text: inout [UInt8]) throws(TOMLProblem) {
        let start = index - 1
        guard let letter = peek else { throw unterminated(from: start) }
        index += 1
        switch letter {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(0x0D)
        case TOMLByte.quote, TOMLByte.backslash: text.append(letter)
        case UInt8(ascii: "u"): text += try unicodeEscape(digits: 4, from: start).utf8
        case UInt8(ascii: "U"): text += try unicodeEscape(digits: 8, from: start).utf8
        default:
            let shown = String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.prefix(2)
            throw problem("invalid escape \(TOMLProblem.quoted(String(String.UnicodeScalarView(shown)))) in a string")
        }
    }

    /// `\uXXXX` or `\UXXXXXXXX`: exactly that many hex digits naming a Unicode scalar (no surrogate,
    /// nothing above 10FFFF). Eight digits fit a UInt32, so the value cannot overflow.
    private mutating func unicodeEscape(digits: Int, from start: Int) throws(TOMLProblem) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = peek, let digit = Self.hexValue(byte) else {
                let shown = String(decoding: bytes[start..<index], as: UTF8.self)
                throw problem("invalid escape \(TOMLProblem.quoted(shown)) in a string: it needs \(digits) hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            let shown = String(decoding: bytes[start..<index], as: UTF8.self)
            throw problem("invalid escape \(TOMLProblem.quoted(shown)) in a string: not a Unicode scalar value")
        }
        return scalar
    }

    private func unterminated(from start: Int) -> TOMLProblem {
        problem("unterminated string \(TOMLProblem.quoted(String(decoding: bytes[start..<end], as: UTF8.self)))")
    }

    public static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}
