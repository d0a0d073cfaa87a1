import Core
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Download progress for one or several parallel installs, drawn on one terminal line.
/// Only used when stderr is a terminal and progress was not turned off.
public final class ProgressBoard: @unchecked Sendable {
    private let lock = Lock()
    private var rows: [(name: String, done: Int64, total: Int64)] = []
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public func update(_ name: String, done: Int64, total: Int64) {
        guard enabled else { return }
        lock.withLock { record(name, done: done, total: total) }
    }

    private func record(_ name: String, done: Int64, total: Int64) {
        if let i = rows.firstIndex(where: { $0.name == name }) {
            rows[i] = (name, done, total)
        } else {
            rows.append((name, done, total))
        }
        guard Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        draw()
    }

    public func finish(_ name: String) {
        guard enabled else { return }
        lock.withLock {
            rows.removeAll { $0.name == name }
            draw()
        }
    }

    private func draw() {
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
