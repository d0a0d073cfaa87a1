/// One value of `build_time_vars`: CPython only ever writes strings and ints there.
public enum SysconfigValue: Equatable, Sendable {
    case string(String)
    case int(Int)
}

/// The contents of a `_sysconfigdata_*.py` module: the `build_time_vars` dict, in file order.
///
/// Order is kept (rather than using a Dictionary) so a patched file diffs cleanly against the
/// original and rendering is deterministic.
public struct SysconfigData: Equatable, Sendable {
    public var entries: [(key: String, value: SysconfigValue)]

    public init(entries: [(key: String, value: SysconfigValue)] = []) {
        self.entries = entries
    }

    /// The value for `key`. Setting a new key appends it; setting `nil` removes it.
    public subscript(key: String) -> SysconfigValue? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            let index = entries.firstIndex(where: { $0.key == key })
            switch (index, newValue) {
            case let (index?, value?): entries[index].value = value
            case let (index?, nil): entries.remove(at: index)
            case let (nil, value?): entries.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    // Tuples are not Equatable, so the synthesized conformance is not available.
    public static func == (lhs: SysconfigData, rhs: SysconfigData) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Writes the data back as a Python module that `sysconfig` can import.
    ///
    /// The layout is fixed (one entry per line, single-quoted, ASCII only), so rendering
    /// parsed output again yields the same bytes; that is what makes patching idempotent.
    public func render() -> String {
        var out = "# system configuration generated and used by the sysconfig module\n"
        out += "build_time_vars = {\n"
        for (key, value) in entries {
            out += "    \(Self.pythonLiteral(key)): \(Self.pythonLiteral(value)),\n"
        }
        out += "}\n"
        return out
    }

    static func pythonLiteral(_ value: SysconfigValue) -> String {
        switch value {
        case .string(let string): return pythonLiteral(string)
        case .int(let int): return String(int)
        }
    }

    /// A single-quoted Python string literal that reads back as exactly `string`.
    ///
    /// Everything outside printable ASCII is escaped, so the file never depends on the
    /// source encoding Python assumes and never contains a raw control character.
    static func pythonLiteral(_ string: String) -> String {
        var out = "'"
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case " "..."~": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value <= 0xFF {
                    out += "\\x" + hex(value, width: 2)
                } else if value <= 0xFFFF {
                    out += "\\u" + hex(value, width: 4)
                } else {
                    out += "\\U" + hex(value, width: 8)
                }
            }
        }
        return out + "'"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
