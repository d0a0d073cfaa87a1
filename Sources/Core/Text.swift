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

extension StringProtocol {
    /// Whether `needle` occurs, compared byte for byte in UTF-8. With FoundationEssentials imported,
    /// `contains(_:)` resolves to its Unicode-aware `range(of:)`, which made a tenth of an install's
    /// CPU time when the sysconfig Makefile's thousands of lines were checked for "-isysroot".
    public func containsBytes(_ needle: String) -> Bool {
        Self.firstOffset(of: Array(needle.utf8), in: Array(utf8), from: 0) != nil
    }

    /// How many times `needle` occurs without overlapping, byte for byte.
    public func countOccurrences(of needle: String) -> Int {
        let haystack = Array(utf8), pattern = Array(needle.utf8)
        var count = 0, start = 0
        while let found = Self.firstOffset(of: pattern, in: haystack, from: start) {
            count += 1
            start = found + Swift.max(pattern.count, 1)
        }
        return count
    }

    static func firstOffset(of pattern: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first else { return start <= haystack.count ? start : nil }
        var index = start
        while index + pattern.count <= haystack.count {
            guard let hit = haystack[index...].firstIndex(of: first), hit + pattern.count <= haystack.count else { return nil }
            if haystack[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit }
            index = hit + 1
        }
        return nil
    }
}

extension StringProtocol {
    /// Input read from a file, as a message may show it: control characters escaped (so a hostile file
    /// cannot forge output lines or drive the terminal) and cut at `limit` scalars with "…" (a message is
    /// one line, and shows the offending token, never the rest of a file).
    public func cutForMessage(limit: Int = 60) -> String {
        let scalars = unicodeScalars
        let head = String(String.UnicodeScalarView(scalars.prefix(limit)))
        let cut = scalars.dropFirst(limit).isEmpty ? "" : "…"
        return head.escapingControlCharacters() + cut
    }

    /// Whether any C0 control character, DEL or C1 control character is in the text.
    public var containsControlCharacters: Bool { unicodeScalars.contains(where: Self.isControl) }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }

    /// With control characters (C0, DEL and C1) written as escapes: `\n`, `\r`, `\t`, else `\u{1b}`.
    /// Messages quote archive entry names, server texts and paths; escaped, none of them can forge a
    /// line of pyman's output or send the terminal an escape sequence.
    public func escapingControlCharacters() -> String {
        guard containsControlCharacters else { return String(self) }
        let isControl = Self.isControl
        var escaped = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isControl(scalar): escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
