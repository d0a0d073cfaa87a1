import Core

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

    /// The text of a TOML file's bytes. TOML 1.0 says a file must be valid UTF-8, and decoding it with
    /// replacement characters would read another document than the one on disk, so the first byte that is
    /// not UTF-8 is refused with its line (one saved as Latin-1 by an old editor, most likely).
    /// `path` is for the message only.
    public static func text(_ bytes: [UInt8], path: String) throws(PymanError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        let line = bytes[..<offset].count(where: { $0 == 0x0A }) + 1
        throw PymanError("\(path) line \(line): byte 0x\([bytes[offset]].hexString()) is not UTF-8, and a TOML file must be UTF-8 text",
                         hint: "save the file as UTF-8")
    }
}
