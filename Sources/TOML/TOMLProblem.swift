import Core

/// Why a line of a TOML file (`pyman.lock`, `pyproject.toml`) is refused. The scanners and checks know
/// the line but not the path, so they throw this and the file's parser turns it into the one PymanError
/// the user sees, with that file's usual advice unless the problem has its own.
public struct TOMLProblem: Error {
    public var line: Int
    public var what: String
    /// nil for the file's usual advice (`defaultHint` of `error(path:defaultHint:)`).
    public var hint: String?

    public init(line: Int, _ what: String, hint: String? = nil) {
        self.line = line
        self.what = what
        self.hint = hint
    }

    public func error(path: String, defaultHint: String) -> PymanError {
        PymanError("\(path) line \(line): \(what)", hint: hint ?? defaultHint)
    }

    /// Input quoted for a message: in single quotes, control characters escaped (so a hostile file cannot
    /// forge output lines or drive the terminal), cut at 60 scalars (a message is one line).
    public static func quoted(_ text: some StringProtocol) -> String {
        "'" + shown(text) + "'"
    }

    /// Input for a message without the quotes (for a table's header, which its brackets set apart).
    public static func shown(_ text: some StringProtocol) -> String {
        text.cutForMessage()
    }
}
