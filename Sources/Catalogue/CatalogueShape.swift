/// What JSONDecoder refuses in a catalogue that is valid JSON, located by line and column: it would
/// only say "The given data was not valid JSON". uv's format nests three levels (entries, an entry, its
/// `arch`), and its numbers are version parts: plain integers.
enum CatalogueShape {
    /// Deeper than any catalogue goes; far below JSONDecoder's own limit.
    static let maximumDepth = 16
    /// Digits of a number: version parts are below 10,000 (`PythonVersion.numberRange`).
    static let maximumDigits = 9

    /// The first nesting deeper than `maximumDepth` or number that is not a plain integer, or nil.
    static func firstProblem(in bytes: [UInt8]) -> String? {
        var depth = 0, index = 0, line = 1, lineStart = 0
        func position(_ offset: Int) -> String {
            // Columns count characters: UTF-8 continuation bytes are not counted.
            let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
            return "line \(line), column \(column)"
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\n"):
                line += 1
                lineStart = index + 1
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maximumDepth { return "nested deeper than \(maximumDepth) levels at \(position(index))" }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index + 1 < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index + 1]) { index += 1 }
                let number = bytes[start...index]
                let digits = number.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
                if number.contains(where: { "-.eE".utf8.contains($0) }) || digits > maximumDigits {
                    return "\(String(decoding: number, as: UTF8.self)) at \(position(start)) is not a version number (a whole number from 0 to 9999)"
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
