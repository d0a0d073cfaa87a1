/// The right side of `=`: strings, arrays, inline tables, and the bare values `TOMLReader+Scalars` reads.
extension TOMLReader {
    /// At the value's first byte. `node` is the key's node in the tree, which an inline table fills.
    public mutating func value(for node: Int) throws(TOMLProblem) -> TOMLValueShape {
        guard let first = peek else { throw problem("expected a value after '=', not the line end") }
        switch first {
        case TOMLByte.quote:
            let isMultiline = startsWith([TOMLByte.quote, TOMLByte.quote, TOMLByte.quote])
            return .string(isMultiline ? try multilineString(literal: false) : try basicString())
        case TOMLByte.apostrophe:
            let isMultiline = startsWith([TOMLByte.apostrophe, TOMLByte.apostrophe, TOMLByte.apostrophe])
            return .string(isMultiline ? try multilineString(literal: true) : try literalString())
        case TOMLByte.openBracket:
            try array(of: node)
            return .array
        case TOMLByte.openBrace:
            try inlineTable(node)
            return .inlineTable
        default:
            return try scalar()
        }
    }

    /// `[ 1, "two", [3], { four = 4 }, ]` over any number of lines, with comments between the values.
    /// `node` is the array's key: inline tables in it hang under it unnamed.
    private mutating func array(of node: Int) throws(TOMLProblem) {
        let openLine = line
        try enterNesting()
        index += 1
        while true {
            try skipBlanksCommentsAndLineEnds(inArrayOpenedOn: openLine)
            if peek == TOMLByte.closeBracket { break }
            let element = peek == TOMLByte.openBrace ? tree.unnamedTable(in: node, line: line) : node
            _ = try value(for: element)
            try skipBlanksCommentsAndLineEnds(inArrayOpenedOn: openLine)
            if peek == TOMLByte.comma {
                index += 1
                continue
            }
            guard peek == TOMLByte.closeBracket else {
                throw problem("expected ',' or ']' in the array opened on line \(openLine), not \(rest)")
            }
            break
        }
        index += 1
        depth -= 1
    }

    /// Between an array's values: blanks, comments and line ends, up to the next value, `,` or `]`.
    private mutating func skipBlanksCommentsAndLineEnds(inArrayOpenedOn openLine: Int) throws(TOMLProblem) {
        while true {
            skipBlanks()
            if peek == TOMLByte.hash { try skipComment() }
            guard peek == nil else { return }
            guard nextLine() else {
                throw TOMLProblem(line: openLine, "unterminated array: no ']' before the end of the file")
            }
        }
    }

    /// `{ a = 1, b.c = "d" }`. TOML 1.0 keeps it on one line (a value in it may span lines, as an array
    /// can) and allows no trailing comma. Its keys go into `node`, which is complete once `}` is read.
    private mutating func inlineTable(_ node: Int) throws(TOMLProblem) {
        try enterNesting()
        tree.open(node)
        index += 1
        skipBlanks()
        if peek == TOMLByte.closeBrace {
            index += 1
        } else {
            while true {
                guard peek != nil else { throw unterminatedInlineTable() }
                try keyValue(in: node, context: "an inline table")
                skipBlanks()
                if peek == TOMLByte.comma {
                    index += 1
                    skipBlanks()
                    if peek == TOMLByte.closeBrace { throw problem("trailing comma in an inline table (TOML 1.0 allows none)") }
                    continue
                }
                guard peek != nil else { throw unterminatedInlineTable() }
                guard peek == TOMLByte.closeBrace else { throw problem("expected ',' or '}' in the inline table, not \(rest)") }
                index += 1
                break
            }
        }
        tree.close(node)
        depth -= 1
    }

    private func unterminatedInlineTable() -> TOMLProblem {
        problem("unterminated inline table: its '}' must be on the same line (TOML 1.0)")
    }

    /// Counts an array or inline table in; its reader counts it out when it closes.
    private mutating func enterNesting() throws(TOMLProblem) {
        depth += 1
        guard depth <= Self.depthLimit else {
            throw problem("arrays and inline tables nested more than \(Self.depthLimit) deep")
        }
    }
}
