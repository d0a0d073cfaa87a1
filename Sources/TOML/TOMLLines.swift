/// A TOML text cut into lines, for the readers that go line by line (`LockFileParser`, `TOMLReader`).
public enum TOMLLines {
    /// Each line's number (from 1) and bytes without its LF or CRLF. A CR elsewhere stays, for the scanner
    /// to refuse as TOML does.
    public static func split(_ bytes: [UInt8]) -> [(number: Int, range: Range<Int>)] {
        var lines: [(number: Int, range: Range<Int>)] = []
        // An editor may have put a byte order mark first; it is not content.
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            let lineFeed = bytes[start...].firstIndex(of: 0x0A)
            var end = lineFeed ?? bytes.count
            if lineFeed != nil, end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append((lines.count + 1, start..<end))
            start = (lineFeed ?? bytes.count) + 1
        }
        return lines
    }
}
