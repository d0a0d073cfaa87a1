/// A value on the right of `=` in a lock file: the only two TOML types the format uses.
public enum TOMLValue: Equatable {
    case string(String)
    case integer(Int64)

    /// For "size must be an integer, not a string".
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        }
    }
}
