import Core

/// Why a line of a lock file is refused. The scanner and the table checks know the line but not the
/// path, so they throw this and `LockFileParser` turns it into the one PymanError the user sees.
struct LockFileProblem: Error {
    var line: Int
    var what: String
    /// nil for the usual advice, `rewriteHint`.
    var hint: String?

    init(line: Int, _ what: String, hint: String? = nil) {
        self.line = line
        self.what = what
        self.hint = hint
    }

    static let rewriteHint = "run `pyman lock` to write it again"

    func error(path: String) -> PymanError {
        PymanError("\(path) line \(line): \(what)", hint: hint ?? Self.rewriteHint)
    }

    /// Input quoted for a message: in single quotes, control characters escaped (so a hostile file cannot
    /// forge output lines or drive the terminal), cut at 60 scalars (a message is one line).
    static func quoted(_ text: some StringProtocol) -> String {
        let limit = 60
        let scalars = text.unicodeScalars
        let head = String(String.UnicodeScalarView(scalars.prefix(limit)))
        let cut = scalars.dropFirst(limit).isEmpty ? "" : "…"
        return "'" + head.escapingControlCharacters() + cut + "'"
    }
}
