/// Where a command's notes, warnings and errors go: stderr, notes only unless quiet.
public struct Output: Sendable {
    public var quiet: Bool
    public init(quiet: Bool) { self.quiet = quiet }

    public func note(_ message: String) {
        if !quiet { StandardError.writeLine(message) }
    }

    public func warn(_ message: String) {
        StandardError.writeLine("warning: " + message)
    }

    public func error(_ message: String) {
        StandardError.writeLine("error: " + message)
    }
}

/// What a command has to say besides its output, in order: notes for the user, warnings, and one line
/// per failure. Commands that work through several items (installs, upgrades, venvs to check) collect
/// one, and the CLI prints it.
public struct Report: Sendable, Equatable {
    public enum Line: Sendable, Equatable {
        case note(String)
        /// Printed as `warning: <text>`.
        case warning(String)
        /// Printed as `error: <text>`.
        case failure(String)
    }

    public var lines: [Line] = []

    public init() {}

    public var failed: Bool {
        lines.contains { if case .failure = $0 { return true } else { return false } }
    }
}

extension Output {
    /// Prints a report: notes unless quiet, warnings and failures always.
    public func show(_ report: Report) {
        for line in report.lines {
            switch line {
            case .note(let text): note(text)
            case .warning(let text): warn(text)
            case .failure(let text): error(text)
            }
        }
    }
}
