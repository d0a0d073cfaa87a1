import FoundationEssentials

/// A failure while reading or patching an install's sysconfig data.
///
/// The message is always one line so it can go straight into a log or a CLI error.
/// Parse errors also carry the 1-based `line` and `column` (counted in Unicode scalars)
/// where the problem was found; file-level errors leave them `nil`.
public struct SysconfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public let line: Int?
    public let column: Int?

    public init(_ message: String, line: Int? = nil, column: Int? = nil) {
        // Keep the one-line promise even when a message embeds file names or input text.
        self.message = message
            .replacing("\r", with: "\\r")
            .replacing("\n", with: "\\n")
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line, let column else { return message }
        return "\(line):\(column): \(message)"
    }
}
