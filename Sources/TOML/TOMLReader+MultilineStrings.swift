/// TOML's multi-line strings: basic (`"""…"""`, with escapes and line-ending backslashes) and literal
/// (`'''…'''`, as typed). Whatever they hold, `[project]` included, is text, never a header.
extension TOMLReader {
    /// At the opening delimiter: the text up to the closing one, over as many lines as it takes. Line ends
    /// inside read as LF, whether the file has LF or CRLF.
    public mutating func multilineString(literal: Bool) throws(TOMLProblem) -> String {
        let delimiter = literal ? TOMLByte.apostrophe : TOMLByte.quote
        let openLine = line
        index += 3
        var text: [UInt8] = []
        // A line end right after the opening delimiter is not part of the text.
        if peek == nil { try continueOnNextLine(from: openLine, literal: literal) }
        while true {
            guard let byte = peek else {
                text.append(TOMLByte.lineFeed)
                try continueOnNextLine(from: openLine, literal: literal)
                continue
            }
            switch byte {
            case delimiter:
                var count = 0
                while peek == delimiter {
                    count += 1
                    index += 1
                }
                guard count >= 3 else {
                    text += [UInt8](repeating: delimiter, count: count)
                    continue
                }
                // Up to two quotes may end the text, just before the closing three.
                guard count <= 5 else { throw problem("\(count) quotes in a row in a multi-line string: at most 5 (two, then the closing three)") }
                text += [UInt8](repeating: delimiter, count: count - 3)
                return String(decoding: text, as: UTF8.self)
            case TOMLByte.backslash where !literal:
                if bytes[(index + 1)..<end].allSatisfy(Self.isBlank) {
                    try skipWhitespaceAfterLineEndingBackslash(from: openLine)
                } else {
                    index += 1
                    try escape(into: &text)
                }
            case _ where Self.isControl(byte):
                throw problem("control character \(Self.shown(byte)) in a string (TOML needs it written as an escape)")
            default:
                text.append(byte)
                index += 1
            }
        }
    }

    /// A `\` that ends a line (blanks may follow it) takes away the line end and every blank and line end
    /// after it, up to the next other character.
    private mutating func skipWhitespaceAfterLineEndingBackslash(from openLine: Int) throws(TOMLProblem) {
        index = end
        while peek == nil {
            try continueOnNextLine(from: openLine, literal: false)
            skipBlanks()
        }
    }

    private mutating func continueOnNextLine(from openLine: Int, literal: Bool) throws(TOMLProblem) {
        guard nextLine() else {
            let delimiter = literal ? "'''" : "\"\"\""
            throw TOMLProblem(line: openLine, "unterminated multi-line string: no closing \(delimiter) before the end of the file")
        }
    }
}
