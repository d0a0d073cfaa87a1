/// Reads any TOML 1.0 document for its syntax, over its UTF-8 bytes, and picks out the one value a caller
/// asks for by key path (pyproject.toml's `project.requires-python`). Every line is checked, so text that
/// is not TOML is refused with its line even when the wanted value came before it; `TOMLKeyTree` refuses
/// keys and tables defined twice. Values other than strings are checked but not kept.
///
/// It goes line by line like the lock file's scanner (it is a `TOMLCursor`, sharing its strings): arrays
/// and multi-line strings move on to the next lines themselves. Only arrays and inline tables recurse,
/// and no deeper than `depthLimit`.
public struct TOMLReader: TOMLCursor {
    public let bytes: [UInt8]
    public var index = 0
    public var end = 0
    public var line = 0
    /// What arrays and inline tables may nest to: real files need a handful; any input must not recurse far.
    public static let depthLimit = 64
    public var depth = 0

    private let lines: [Range<Int>]
    private var nextLineOffset = 0
    public var tree = TOMLKeyTree()
    /// The table `key = value` lines go into, and its header as written, for messages.
    private var table = TOMLKeyTree.root
    private var tableName = "the top-level table"
    public let wanted: [String]
    /// The value at `wanted` and the line of its key, once read.
    public var found: (value: TOMLValueShape, line: Int)?

    /// The value at `path` (a key per table) in the TOML `bytes`, with the line of its key; nil when no
    /// key is there. Throws for anything that is not TOML 1.0, naming the line.
    public static func value(at path: [String], in bytes: [UInt8]) throws(TOMLProblem) -> (value: TOMLValueShape, line: Int)? {
        var reader = TOMLReader(bytes, wanted: path)
        while reader.nextLine() {
            try reader.expression()
        }
        // A table there, made by `[project.requires-python]` or `requires-python.x = 1`, is a value too.
        if reader.found == nil, let node = reader.tree.node(at: path) {
            let isArray = if case .arrayOfTables = reader.tree.nodes[node].kind { true } else { false }
            return (isArray ? .array : .table, reader.tree.nodes[node].line)
        }
        return reader.found
    }

    private init(_ bytes: [UInt8], wanted: [String]) {
        self.bytes = bytes
        self.wanted = wanted
        self.lines = TOMLLines.split(bytes).map(\.range)
    }

    /// Moves to the start of the next line; false at the end of the text.
    public mutating func nextLine() -> Bool {
        guard nextLineOffset < lines.count else { return false }
        let range = lines[nextLineOffset]
        nextLineOffset += 1
        line = nextLineOffset
        index = range.lowerBound
        end = range.upperBound
        return true
    }

    /// One line's worth: blank, a comment, a header or `key = value`, each maybe followed by a comment.
    private mutating func expression() throws(TOMLProblem) {
        skipBlanks()
        guard let first = peek else { return }
        if first == TOMLByte.hash { return try skipComment() }
        let isHeader = first == TOMLByte.openBracket
        if isHeader {
            try header()
        } else {
            try keyValue(in: table, context: tableName)
        }
        skipBlanks()
        if peek == TOMLByte.hash { try skipComment() }
        guard peek == nil else { throw problem("unexpected text after \(isHeader ? "the header" : "the value"): \(rest)") }
    }

    /// `[a.b]` or `[[a.b]]`: the table the next keys go into.
    private mutating func header() throws(TOMLProblem) {
        let isArray = startsWith([TOMLByte.openBracket, TOMLByte.openBracket])
        index += isArray ? 2 : 1
        skipBlanks()
        let keys = try dottedKey()
        let close = [UInt8](repeating: TOMLByte.closeBracket, count: isArray ? 2 : 1)
        guard startsWith(close) else {
            throw problem("expected '\(isArray ? "]]" : "]")' to close the table header, not \(peek == nil ? "the line end" : rest)")
        }
        index += close.count
        table = isArray ? try tree.appendTable(keys, line: line) : try tree.defineTable(keys, line: line)
        tableName = TOMLKeyTree.header(keys, brackets: isArray ? 2 : 1)
    }

    /// `key = value` in `table` (the document's current table, or an inline table).
    public mutating func keyValue(in table: Int, context: String) throws(TOMLProblem) {
        let keyLine = line
        let keys = try dottedKey()
        guard peek == TOMLByte.equals else {
            throw problem("expected '=' after the key \(TOMLKeyTree.dotted(keys)), not \(peek == nil ? "the line end" : rest)")
        }
        index += 1
        skipBlanks()
        let node = try tree.defineKey(keys, in: table, context: context, line: keyLine)
        let value = try self.value(for: node)
        if tree.isKey(node, path: wanted) { found = (value, keyLine) }
    }

    /// `a`, `"a b"`, `'c'`, `a . "b" . c`, and the blanks after it.
    private mutating func dottedKey() throws(TOMLProblem) -> [String] {
        var keys = [try simpleKey()]
        skipBlanks()
        while peek == TOMLByte.dot {
            index += 1
            skipBlanks()
            keys.append(try simpleKey())
            skipBlanks()
        }
        return keys
    }

    private mutating func simpleKey() throws(TOMLProblem) -> String {
        guard let first = peek else { throw problem("expected a key, not the line end") }
        switch first {
        case TOMLByte.quote, TOMLByte.apostrophe:
            if startsWith([first, first, first]) { throw problem("a key cannot be a multi-line string: \(rest)") }
            return first == TOMLByte.quote ? try basicString() : try literalString()
        case _ where Self.isBareKeyByte(first):
            let start = index
            while let byte = peek, Self.isBareKeyByte(byte) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        default:
            throw problem("expected a key (letters, digits, '_' and '-', or a quoted string), not \(rest)")
        }
    }
}
