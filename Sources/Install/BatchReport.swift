/// What a batch of installs has to say, in order: notes for the user and one line per failure.
public struct BatchReport: Sendable, Equatable {
    public enum Line: Sendable, Equatable {
        case note(String)
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
    /// Prints a report: notes unless quiet, failures always.
    public func show(_ report: BatchReport) {
        for line in report.lines {
            switch line {
            case .note(let text): note(text)
            case .failure(let text): error(text)
            }
        }
    }
}
