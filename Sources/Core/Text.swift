extension StringProtocol {
    /// Without leading and trailing blanks (spaces and tabs, as Foundation's `.whitespaces`); newlines stay.
    public func trimmingBlanks() -> String {
        trimming { $0 == " " || $0 == "\t" }
    }

    /// Without leading and trailing white space, newlines included.
    public func trimmingWhitespace() -> String {
        trimming(\.isWhitespace)
    }

    func trimming(_ isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// A byte count in MiB with one decimal, e.g. "12.4" (what `String(format: "%.1f")` printed).
public func mebibytes(_ bytes: Int64) -> String {
    let tenths = (bytes * 10 + 524_288) / 1_048_576
    return "\(tenths / 10).\(tenths % 10)"
}

extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte ("0a1f…").
    public func hexString() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in self { text += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
