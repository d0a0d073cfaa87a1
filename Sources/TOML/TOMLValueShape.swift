/// What a TOML value is, as `TOMLReader` reports it: a string with its text, anything else by its type
/// alone (pyman reads no other value, so none is kept).
public enum TOMLValueShape: Equatable {
    case string(String)
    case integer, float, boolean
    case offsetDateTime, localDateTime, localDate, localTime
    case array, inlineTable
    /// A table made by a header or by dotted keys.
    case table

    /// For "requires-python must be a string, not an integer".
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .offsetDateTime: "an offset date-time"
        case .localDateTime: "a local date-time"
        case .localDate: "a local date"
        case .localTime: "a local time"
        case .array: "an array"
        case .inlineTable: "an inline table"
        case .table: "a table"
        }
    }
}
