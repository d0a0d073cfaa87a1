import TOML
/// PEP 440's version syntax, with the spellings it normalises: `v3.12`, `3.12.0-RC.1` (`3.12.0rc1`),
/// `3.12.0alpha` (`3.12.0a0`), `1.0-1` (`1.0.post1`), `1.0.dev`, `1!2.0`, `1.0+Ubuntu-1`.
extension PEP440Version {
    /// `text` as PEP 440 allows it (case does not matter), else why not.
    public init(parsing text: Substring) throws(VersionSpecifierProblem) {
        var scanner = Scanner(bytes: Array(text.lowercased().utf8))
        let shown = TOMLProblem.quoted(text)
        let invalid = VersionSpecifierProblem("\(shown) is not a PEP 440 version (such as 3.11, 3.12.1 or 3.13.0rc1)")
        if scanner.peek == UInt8(ascii: "v") { scanner.position += 1 }
        guard let first = try scanner.number(in: shown) else { throw invalid }
        var epoch = 0
        var release = [first]
        if scanner.peek == UInt8(ascii: "!") {
            scanner.position += 1
            guard let major = try scanner.number(in: shown) else { throw invalid }
            (epoch, release) = (first, [major])
        }
        while scanner.peek == TOMLByte.dot, scanner.isDigit(at: scanner.position + 1) {
            scanner.position += 1
            if let number = try scanner.number(in: shown) { release.append(number) }
        }
        self.init(epoch: epoch, release: release)

        if let rank = scanner.tag(Self.preReleaseTags) {
            pre = Pre(rank: rank, number: try scanner.tagNumber(in: shown))
        }
        if scanner.peek == TOMLByte.minus, scanner.isDigit(at: scanner.position + 1) {
            // `1.0-1`: a post-release written with only a dash.
            scanner.position += 1
            post = try scanner.number(in: shown)
        } else if scanner.tag(Self.postReleaseTags) != nil {
            post = try scanner.tagNumber(in: shown)
        }
        if scanner.tag([("dev", 0)]) != nil {
            dev = try scanner.tagNumber(in: shown)
        }
        if scanner.peek == TOMLByte.plus {
            scanner.position += 1
            guard let label = scanner.localLabel() else { throw invalid }
            local = label
        }
        guard scanner.isAtEnd else { throw invalid }
    }

    /// Longest first, so `preview` is not read as `pre` and `alpha` as `a`.
    public static let preReleaseTags = [("preview", 2), ("alpha", 0), ("beta", 1), ("pre", 2), ("rc", 2), ("a", 0), ("b", 1), ("c", 2)]
    public static let postReleaseTags = [("post", 0), ("rev", 0), ("r", 0)]

    /// A cursor over the lower-cased bytes of one version.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
        var isAtEnd: Bool { position == bytes.count }

        func isDigit(at offset: Int) -> Bool { offset < bytes.count && bytes[offset] >= 0x30 && bytes[offset] <= 0x39 }

        static func isSeparator(_ byte: UInt8?) -> Bool { byte == TOMLByte.dot || byte == TOMLByte.minus || byte == TOMLByte.underscore }

        /// Digits at the cursor, nil when there are none. Numbers that do not fit in an Int are refused:
        /// no Python has one, and they must not trap.
        mutating func number(in shown: String) throws(VersionSpecifierProblem) -> Int? {
            guard isDigit(at: position) else { return nil }
            var value = 0
            while isDigit(at: position) {
                let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowedAgain) = shifted.addingReportingOverflow(Int(bytes[position] - TOMLByte.zero))
                guard !overflowed, !overflowedAgain else { throw VersionSpecifierProblem("a number in \(shown) is too large") }
                value = next
                position += 1
            }
            return value
        }

        /// One of `tags` at the cursor, maybe after a separator (`.rc`, `-rc`, `_rc`), and its value; the
        /// cursor stays put when none is there.
        mutating func tag(_ tags: [(String, Int)]) -> Int? {
            let start = Self.isSeparator(peek) ? position + 1 : position
            for (tag, value) in tags where bytes[min(start, bytes.count)...].starts(with: tag.utf8) {
                position = start + tag.utf8.count
                return value
            }
            return nil
        }

        /// The number after a tag, maybe after a separator (`rc.1`); 0 when there is none (`1.0a` is `1.0a0`).
        mutating func tagNumber(in shown: String) throws(VersionSpecifierProblem) -> Int {
            if Self.isSeparator(peek), isDigit(at: position + 1) { position += 1 }
            return try number(in: shown) ?? 0
        }

        /// `ubuntu-1.2` after the `+`: letters and digits, parts between `.`, `-` or `_`; written with dots.
        mutating func localLabel() -> String? {
            var parts: [String] = []
            while true {
                let start = position
                while let byte = peek, (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) { position += 1 }
                guard position > start else { return nil }
                parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
                guard Self.isSeparator(peek) else { return parts.joined(separator: ".") }
                position += 1
            }
        }
    }
}
