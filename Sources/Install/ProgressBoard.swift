import Core
import FoundationEssentials
import Synchronization

/// Download progress for one or several parallel installs, drawn on one terminal line.
/// Only used when stderr is a terminal and progress was not turned off.
public final class ProgressBoard: Sendable {
    private struct State {
        var rows: [(name: String, done: Int64, total: Int64)] = []
        var lastDraw = Date.distantPast
    }

    private let state = Mutex(State())
    private let enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public func update(_ name: String, done: Int64, total: Int64) {
        guard enabled else { return }
        state.withLock { state in
            if let i = state.rows.firstIndex(where: { $0.name == name }) {
                state.rows[i] = (name, done, total)
            } else {
                state.rows.append((name, done, total))
            }
            guard Date().timeIntervalSince(state.lastDraw) > 0.1 else { return }
            state.lastDraw = Date()
            Self.draw(state.rows)
        }
    }

    public func finish(_ name: String) {
        guard enabled else { return }
        state.withLock { state in
            state.rows.removeAll { $0.name == name }
            Self.draw(state.rows)
        }
    }

    /// Says something between two frames of the bar (a resumed download): the bar's line is cleared,
    /// `say` prints its lines, and the bar is drawn again below them.
    public func interject(_ say: () -> Void) {
        guard enabled else { return say() }
        state.withLock { state in
            StandardError.write("\r\u{1B}[K")
            say()
            Self.draw(state.rows)
        }
    }

    private static func draw(_ rows: [(name: String, done: Int64, total: Int64)]) {
        let parts = rows.map { row -> String in
            let mib = mebibytes
            guard row.total > 0 else { return "\(row.name) \(mib(row.done)) MiB" }
            let filled = Int(20 * row.done / max(row.total, 1))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
            return "\(row.name) [\(bar)] \(mib(row.done))/\(mib(row.total)) MiB"
        }
        StandardError.write("\r\u{1B}[K" + parts.joined(separator: "  "))
    }
}
