/// TOML's decimal integers, and a clear refusal of the other values a number-like token can be.
extension TOMLLineScanner {
    /// The token up to a blank, a comment or the line end, as a 64-bit integer: an optional sign, digits
    /// with single underscores between them, no leading zero.
    public mutating func integer() throws(TOMLProblem) -> Int64 {
        let start = index
        while let byte = peek, !Self.isBlank(byte), byte != TOMLByte.hash { index += 1 }
        let token = bytes[start..<index]
        let shown = TOMLProblem.quoted(String(decoding: token, as: UTF8.self))
        if let kind = Self.otherKind(of: token) { throw problem("\(kind) are not used in a lock file: \(shown)") }

        var digits = token
        let isNegative = digits.first == TOMLByte.minus
        if isNegative || digits.first == TOMLByte.plus { digits.removeFirst() }
        guard let first = digits.first, Self.isDigit(first) else {
            throw problem("expected a string in quotes or an integer, not \(shown)")
        }
        if first == TOMLByte.zero && digits.count > 1 { throw problem("leading zeros are not allowed in an integer: \(shown)") }
        var value: Int64 = 0
        var afterDigit = false
        for byte in digits {
            if byte == TOMLByte.underscore && afterDigit {
                afterDigit = false
                continue
            }
            guard Self.isDigit(byte) else { throw problem("\(shown) is not a decimal integer") }
            // Accumulated with the sign so that Int64.min reads too; overflow is refused, never trapped.
            let digit = Int64(byte - TOMLByte.zero)
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowedAgain) = isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowed, !overflowedAgain else { throw problem("integer \(shown) does not fit in 64 bits") }
            value = next
            afterDigit = true
        }
        guard afterDigit else { throw problem("\(shown) is not a decimal integer") }
        return value
    }

    /// What a token is when it is TOML but not a decimal integer, for the message; nil otherwise.
    public static func otherKind(of token: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: token, as: UTF8.self)
        if text == "true" || text == "false" { return "booleans" }
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? String(text.dropFirst()) : text
        if ["0x", "0o", "0b"].contains(where: unsigned.hasPrefix) { return "hexadecimal, octal and binary integers" }
        // 1979-05-27, 07:32:00
        let bytes = Array(unsigned.utf8)
        if bytes.contains(TOMLByte.colon) || (bytes.count > 4 && bytes.prefix(4).allSatisfy(isDigit) && bytes[4] == TOMLByte.minus) {
            return "dates and times"
        }
        if unsigned == "inf" || unsigned == "nan" { return "floats" }
        if let first = bytes.first, isDigit(first),
           bytes.contains(where: { $0 == TOMLByte.dot || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return "floats"
        }
        return nil
    }
}
