/// The values written without quotes or brackets: booleans, integers (decimal, hexadecimal, octal,
/// binary) and floats here; dates and times in `TOMLReader+DateTimes`.
extension TOMLReader {
    /// Read as one token, up to a blank, `,`, `]`, `}`, `#` or the line end (what follows is the caller's
    /// to check), then checked whole.
    public mutating func scalar() throws(TOMLProblem) -> TOMLValueShape {
        let start = index
        while let byte = peek, Self.isScalarByte(byte) { index += 1 }
        let token = bytes[start..<index]
        guard let first = token.first else { throw problem("expected a value, not \(rest)") }
        if token.elementsEqual("true".utf8) || token.elementsEqual("false".utf8) { return .boolean }
        if let dateOrTime = try dateOrTime(token) { return dateOrTime }
        if Self.isDigit(first) || first == TOMLByte.plus || first == TOMLByte.minus
            || token.elementsEqual("inf".utf8) || token.elementsEqual("nan".utf8) {
            return try number(token)
        }
        throw problem("\(Self.quoted(token)) is not a TOML value (a string needs quotes)")
    }

    private func number(_ token: ArraySlice<UInt8>) throws(TOMLProblem) -> TOMLValueShape {
        // Quoted only for a message: most values are fine.
        var shown: String { Self.quoted(token) }
        var digits = token
        let sign = digits.first == TOMLByte.plus || digits.first == TOMLByte.minus ? digits.removeFirst() : nil
        if digits.elementsEqual("inf".utf8) || digits.elementsEqual("nan".utf8) { return .float }
        if digits.count > 1, digits.first == TOMLByte.zero, let radix = Self.radix(digits[digits.startIndex + 1]) {
            guard sign == nil else { throw problem("\(shown): hexadecimal, octal and binary integers take no sign") }
            try prefixedInteger(digits.dropFirst(2), radix: radix, token: token)
            return .integer
        }
        // An integer part without leading zeros, then maybe a fraction, then maybe an exponent.
        guard let integerEnd = Self.digitRun(digits, from: digits.startIndex, radix: 10) else {
            throw problem("\(shown) is not a number")
        }
        if digits.first == TOMLByte.zero && integerEnd - digits.startIndex > 1 {
            throw problem("leading zeros are not allowed in a number: \(shown)")
        }
        var position = integerEnd
        var isFloat = false
        if position < digits.endIndex && digits[position] == TOMLByte.dot {
            guard let fractionEnd = Self.digitRun(digits, from: position + 1, radix: 10) else {
                throw problem("\(shown) is not a number: a float needs digits after its '.'")
            }
            position = fractionEnd
            isFloat = true
        }
        if position < digits.endIndex && (digits[position] == UInt8(ascii: "e") || digits[position] == UInt8(ascii: "E")) {
            var exponentStart = position + 1
            if exponentStart < digits.endIndex && (digits[exponentStart] == TOMLByte.plus || digits[exponentStart] == TOMLByte.minus) {
                exponentStart += 1
            }
            guard let exponentEnd = Self.digitRun(digits, from: exponentStart, radix: 10) else {
                throw problem("\(shown) is not a number: a float needs digits in its exponent")
            }
            position = exponentEnd
            isFloat = true
        }
        guard position == digits.endIndex else { throw problem("\(shown) is not a number") }
        if isFloat { return .float }
        guard Self.value(of: digits, radix: 10, negative: sign == TOMLByte.minus) != nil else {
            throw problem("integer \(shown) does not fit in 64 bits")
        }
        return .integer
    }

    /// The digits after `0x`, `0o` or `0b`: leading zeros allowed, single underscores between digits.
    private func prefixedInteger(_ digits: ArraySlice<UInt8>, radix: UInt8, token: ArraySlice<UInt8>) throws(TOMLProblem) {
        var shown: String { Self.quoted(token) }
        guard Self.digitRun(digits, from: digits.startIndex, radix: radix) == digits.endIndex else {
            throw problem("\(shown) is not a number")
        }
        guard Self.value(of: digits, radix: radix, negative: false) != nil else {
            throw problem("integer \(shown) does not fit in 64 bits")
        }
    }

    /// Where a run of digits with single underscores between them, starting at `start`, ends; nil when
    /// there is no digit at `start`. A doubled or trailing underscore ends the run before it.
    public static func digitRun(_ bytes: ArraySlice<UInt8>, from start: Int, radix: UInt8) -> Int? {
        guard start < bytes.endIndex, digitValue(bytes[start], radix: radix) != nil else { return nil }
        var position = start + 1
        while position < bytes.endIndex {
            if digitValue(bytes[position], radix: radix) != nil {
                position += 1
            } else if bytes[position] == TOMLByte.underscore, position + 1 < bytes.endIndex,
                      digitValue(bytes[position + 1], radix: radix) != nil {
                position += 2
            } else {
                break
            }
        }
        return position
    }

    /// The integer the digits (underscores skipped) spell, nil when it does not fit in 64 bits. Summed
    /// with the sign so that Int64.min reads too; overflow is found, never trapped on.
    private static func value(of digits: ArraySlice<UInt8>, radix: UInt8, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for byte in digits where byte != TOMLByte.underscore {
            guard let digit = digitValue(byte, radix: radix) else { return nil }
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: Int64(radix))
            let (next, overflowedAgain) = negative ? shifted.subtractingReportingOverflow(Int64(digit))
                                                   : shifted.addingReportingOverflow(Int64(digit))
            guard !overflowed, !overflowedAgain else { return nil }
            value = next
        }
        return value
    }

    private static func radix(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    private static func digitValue(_ byte: UInt8, radix: UInt8) -> UInt32? {
        guard let value = hexValue(byte), value < UInt32(radix) else { return nil }
        return value
    }

    /// The bytes a bare value can hold: letters and digits, `+ - _ . :`.
    public static func isScalarByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == TOMLByte.plus || byte == TOMLByte.dot || byte == TOMLByte.colon
    }

    public static func quoted(_ token: ArraySlice<UInt8>) -> String { TOMLProblem.quoted(String(decoding: token, as: UTF8.self)) }
}
