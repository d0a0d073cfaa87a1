/// What a TOML document defines, key by key, without the values: enough to refuse what TOML 1.0 refuses
/// (a key set twice, a table defined twice, a table extended where it may not be) and to say where the
/// first definition was. Nodes are numbered, 0 being the document's root table; a child is found by its
/// parent's number and its name, so the tree takes memory in proportion to the keys, however deep.
public struct TOMLKeyTree {
    public enum Kind: Equatable {
        /// Created as the parent of a header's table (`a` of `[a.b]`): a header of its own may still define it.
        case implicitTable
        /// Defined by its `[header]`.
        case headerTable
        /// Defined by dotted keys (`a.b = 1` defines `a`), or an inline table while its keys are read.
        case dottedTable
        /// `{ … }`: complete as written, nothing can be added to it.
        case inlineTable
        /// `[[a]]`; `last` is its newest table, the one later `[a.b]` headers go into.
        case arrayOfTables(last: Int)
        /// Any other value, arrays included: nothing can be added to it.
        case value
    }

    public struct Node {
        var kind: Kind
        /// Where it was defined, for "already … on line N".
        var line: Int
        let parent: Int?
        /// nil for the tables of an array of tables and the inline tables in an array, which no key names.
        let name: String?
    }

    private struct Child: Hashable {
        let parent: Int
        let name: String
    }

    public static let root = 0
    private(set) var nodes = [Node(kind: .headerTable, line: 0, parent: nil, name: nil)]
    private var children: [Child: Int] = [:]

    /// `[keys]`: the table's node.
    public mutating func defineTable(_ keys: [String], line: Int) throws(TOMLProblem) -> Int {
        let header = Self.header(keys, brackets: 1)
        let parent = try headerParent(keys, header: header, line: line)
        guard let existing = child(parent, keys[keys.count - 1]) else {
            return add(.headerTable, named: keys[keys.count - 1], in: parent, line: line)
        }
        // `[a.b]` then `[a]` is fine: `a` was only implied.
        guard nodes[existing].kind == .implicitTable else {
            throw TOMLProblem(line: line, "duplicate table \(header): already \(described(existing))")
        }
        nodes[existing].kind = .headerTable
        nodes[existing].line = line
        return existing
    }

    /// `[[keys]]`: the node of the array's new table.
    public mutating func appendTable(_ keys: [String], line: Int) throws(TOMLProblem) -> Int {
        let header = Self.header(keys, brackets: 2)
        let parent = try headerParent(keys, header: header, line: line)
        let array: Int
        if let existing = child(parent, keys[keys.count - 1]) {
            guard case .arrayOfTables = nodes[existing].kind else {
                throw TOMLProblem(line: line, "cannot add \(header): \(Self.dotted(keys)) is already \(described(existing))")
            }
            array = existing
        } else {
            array = add(.value, named: keys[keys.count - 1], in: parent, line: line)
        }
        let table = addUnnamed(.headerTable, in: array, line: line)
        nodes[array].kind = .arrayOfTables(last: table)
        return table
    }

    /// `keys = …` in `table` (`context` names it for messages): the node for the value, of kind `.value`
    /// until `open` makes it an inline table's.
    public mutating func defineKey(_ keys: [String], in table: Int, context: String, line: Int) throws(TOMLProblem) -> Int {
        var node = table
        for (offset, name) in keys.dropLast().enumerated() {
            guard let existing = child(node, name) else {
                node = add(.dottedTable, named: name, in: node, line: line)
                continue
            }
            switch nodes[existing].kind {
            case .dottedTable:
                node = existing
            case .implicitTable:
                // `[a.b.c]` then, under `[a]`, `b.d = 1`: `b` was only implied, the dotted key defines it.
                nodes[existing].kind = .dottedTable
                nodes[existing].line = line
                node = existing
            case .headerTable, .inlineTable, .arrayOfTables, .value:
                let prefix = Self.dotted(Array(keys.prefix(offset + 1)))
                throw TOMLProblem(line: line, "cannot set \(Self.dotted(keys)) in \(context): \(prefix) is already \(described(existing))")
            }
        }
        let name = keys[keys.count - 1]
        if let existing = child(node, name) {
            throw TOMLProblem(line: line, "duplicate key \(Self.dotted(keys)) in \(context): already \(described(existing))")
        }
        return add(.value, named: name, in: node, line: line)
    }

    /// The node of an inline table in an array (`parent` is the array's key), which no key names.
    public mutating func unnamedTable(in parent: Int, line: Int) -> Int {
        addUnnamed(.value, in: parent, line: line)
    }

    /// An inline table's node while its keys are read (they define it as dotted keys would)…
    public mutating func open(_ node: Int) { nodes[node].kind = .dottedTable }

    /// …and once its `}` is read: complete.
    public mutating func close(_ node: Int) { nodes[node].kind = .inlineTable }

    /// Whether `node` is the key `path` from the root (`["project", "requires-python"]`), whichever way it
    /// was written: under a header, as a dotted key, in an inline table.
    public func isKey(_ node: Int, path: [String]) -> Bool {
        var current = node
        for name in path.reversed() {
            guard nodes[current].name == name, let parent = nodes[current].parent else { return false }
            current = parent
        }
        return current == Self.root
    }

    /// The node at `path` from the root through named keys, if the document defines one (a table made by
    /// a header or dotted keys has no `key = value` line of its own).
    func node(at path: [String]) -> Int? {
        var node = Self.root
        for name in path {
            guard let next = child(node, name) else { return nil }
            node = next
        }
        return node
    }

    // MARK: -

    /// The parent of a header's table: each key but the last, created as implied tables where missing.
    /// An array of tables stands for its newest table.
    private mutating func headerParent(_ keys: [String], header: String, line: Int) throws(TOMLProblem) -> Int {
        var node = Self.root
        for (offset, name) in keys.dropLast().enumerated() {
            guard let existing = child(node, name) else {
                node = add(.implicitTable, named: name, in: node, line: line)
                continue
            }
            switch nodes[existing].kind {
            case .implicitTable, .headerTable, .dottedTable:
                node = existing
            case .arrayOfTables(let last):
                node = last
            case .inlineTable, .value:
                let prefix = Self.dotted(Array(keys.prefix(offset + 1)))
                throw TOMLProblem(line: line, "cannot define \(header): \(prefix) is already \(described(existing))")
            }
        }
        return node
    }

    private func child(_ parent: Int, _ name: String) -> Int? { children[Child(parent: parent, name: name)] }

    private mutating func add(_ kind: Kind, named name: String, in parent: Int, line: Int) -> Int {
        nodes.append(Node(kind: kind, line: line, parent: parent, name: name))
        children[Child(parent: parent, name: name)] = nodes.count - 1
        return nodes.count - 1
    }

    private mutating func addUnnamed(_ kind: Kind, in parent: Int, line: Int) -> Int {
        nodes.append(Node(kind: kind, line: line, parent: parent, name: nil))
        return nodes.count - 1
    }

    /// What a node already is, for "… is already a value set on line 3".
    private func described(_ node: Int) -> String {
        let line = nodes[node].line
        switch nodes[node].kind {
        case .implicitTable: return "a table (implied by a header on line \(line))"
        case .headerTable: return "a table defined by its header on line \(line)"
        case .dottedTable: return "a table defined by dotted keys on line \(line)"
        case .inlineTable: return "an inline table on line \(line), which is complete as written"
        case .arrayOfTables: return "an array of tables ([[…]] on line \(line))"
        case .value: return "a value set on line \(line)"
        }
    }

    /// `a.b."c d"`, quoted for a message.
    public static func dotted(_ keys: [String]) -> String { TOMLProblem.quoted(written(keys)) }

    /// `[a.b]` or `[[a.b]]`, for a message.
    public static func header(_ keys: [String], brackets: Int) -> String {
        let open = String(repeating: "[", count: brackets), close = String(repeating: "]", count: brackets)
        return open + TOMLProblem.shown(written(keys)) + close
    }

    /// Keys as TOML writes them: bare where they can be, else quoted.
    private static func written(_ keys: [String]) -> String {
        keys.map { key in
            !key.isEmpty && key.utf8.allSatisfy(TOMLLineScanner.isBareKeyByte) ? key : TOMLString.quoted(key)
        }.joined(separator: ".")
    }
}
