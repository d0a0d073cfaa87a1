import Catalogue
import Configuration
import Core
import Dispatch
import FoundationEssentials
import ManagedPythons
import Shell
import Synchronization

/// Runs several installs side by side (one thread each: downloads overlap), then brings each one's
/// links in line, in the order asked. What `pyman install` and `pyman upgrade` both do after planning.
public struct InstallBatch: Sendable {
    /// Which links an install gets beyond its series' minor link.
    public struct LinkChoice: Sendable {
        /// `python3.X` in the bin dir.
        public var executables: Bool
        /// Also `python3` and `python`.
        public var makeDefault: Bool

        public init(executables: Bool, makeDefault: Bool) {
            self.executables = executables
            self.makeDefault = makeDefault
        }

        /// What `pyman upgrade` does: the minor link moves, bin links (which go through it) stay.
        public static let minorLinkOnly = LinkChoice(executables: false, makeDefault: false)
    }

    public let settings: Settings
    public let progress: ProgressBoard

    public init(settings: Settings, progress: ProgressBoard) {
        self.settings = settings
        self.progress = progress
    }

    /// Installs every source; a failure of one is reported and does not stop the others.
    public func run(_ sources: [InstallSource], reinstall: Bool, links choice: LinkChoice) -> Report {
        let installer = Installer(settings: settings, progress: progress)
        let outcomes = Self.inParallel(sources) { try installer.install($0, reinstall: reinstall) }
        let links = Links(settings: settings)
        var report = Report()
        var linkedAny = false
        for (source, outcome) in zip(sources, outcomes) {
            do {
                let result = try outcome.get()
                let key = result.record.pythonKey ?? source.key
                let linked = try links.refresh(for: key, executables: choice.executables, makeDefault: choice.makeDefault)
                switch result {
                case .installed(let record):
                    report.lines.append(.note("Installed \(record.key) in \(record.path)"))
                case .alreadyInstalled(let record):
                    report.lines.append(.note("\(record.key) is already installed in \(record.path) (use --reinstall to replace it)"))
                }
                report.lines += linked.map { .note("  linked \($0)") }
                linkedAny = linkedAny || !linked.isEmpty
            } catch {
                report.lines.append(.failure("\(source.key): \(error)"))
            }
        }
        if linkedAny, let note = Self.pathNote(binDir: settings.binDir, searchPath: SearchPath(settings.searchPath)) {
            report.lines.append(.note(note))
        }
        return report
    }

    /// The one line saying that the links just made are not found by name, when the bin dir is not
    /// on PATH (`Settings.searchPath`); nil when it is.
    static func pathNote(binDir: String, searchPath: SearchPath) -> String? {
        guard !searchPath.contains(binDir) else { return nil }
        return "note: \(binDir.escapingControlCharacters()) is not on PATH; run `pyman update-shell` to add it"
    }

    /// Runs `body` for each source on a thread of its own and returns the outcomes in order.
    static func inParallel(_ sources: [InstallSource], _ body: @escaping @Sendable (InstallSource) throws -> InstallOutcome) -> [Result<InstallOutcome, Error>] {
        let slots = Mutex<[Result<InstallOutcome, Error>?]>(Array(repeating: nil, count: sources.count))
        let group = DispatchGroup()
        for (i, source) in sources.enumerated() {
            group.enter()
            BackgroundThread.start {
                let result = Result { try body(source) }
                slots.withLock { $0[i] = result }
                group.leave()
            }
        }
        group.wait()
        return slots.withLock { $0.map { $0! } }
    }
}
