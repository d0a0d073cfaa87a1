import Configuration
import Core
import FoundationEssentials
import Interpreters
import Venv
import VenvRegistry

/// `pyman venv`: chooses the Python, creates or updates the venv (refusing to put a venv of another
/// minor version under it without `--recreate` or `--clear`), or recreates it on the new Python with its
/// packages, and records it in the venv registry.
public struct VenvMaker: Sendable {
    public let settings: Settings
    public let progress: ProgressBoard

    public init(settings: Settings, progress: ProgressBoard) {
        self.settings = settings
        self.progress = progress
    }

    public struct Outcome: Sendable {
        public enum Action: String, Sendable { case created = "Created", updated = "Updated", recreated = "Recreated" }
        public var action: Action
        public var path: String
        public var base: BaseInterpreter
        public var pip: PipSeeder.Seeded?
        /// What else to say: packages carried over or not, a venv the registry could not record.
        public var report = Report()
    }

    /// `pipOptions` go to pip when `recreate` reinstalls the old venv's packages (`--no-index`, `--find-links DIR`).
    public func make(_ path: String, python: String?, options: VenvOptions, recreate: Bool, pipOptions: [String]) throws -> Outcome {
        let base = try VenvInterpreters(settings: settings, progress: progress).resolve(python)
        let target = Path.absolute(path, in: settings.currentDirectory)
        let builder = VenvBuilder(pymanVersion: Settings.version, cacheDir: settings.cacheDir)
        let existing = options.clear ? nil : PyvenvConfig.values(in: target)
        var outcome: Outcome
        if let existing, recreate {
            let output = settings.output
            let result = try VenvRecreation(builder: builder, pipOptions: pipOptions, note: { output.note($0) })
                .recreate(target, config: existing, on: base, options: options)
            outcome = Outcome(action: .recreated, path: target, base: base, pip: result.pip)
            for distribution in result.carried {
                outcome.report.lines.append(.note("  \(distribution.name) \(distribution.version)" + (distribution.source.map { " (\($0))" } ?? "")))
            }
            for distribution in result.notCarried {
                outcome.report.lines.append(.warning("not carried over: \(distribution.name) \(distribution.version), \(distribution.problem ?? "")"))
            }
        } else {
            if let existing, let problem = VenvSeries.mismatch(existing, venv: target, base: base) {
                throw PymanError("\(target) is a venv of \(problem), not of \(base.implementation) \(base.minorVersion): its packages were built for that Python",
                                 hint: "pass --recreate to move it to \(base.implementation) \(base.minorVersion) with its packages, or --clear to start it afresh")
            }
            let pip = try builder.create(at: target, from: base, options: options)
            outcome = Outcome(action: existing == nil ? .created : .updated, path: target, base: base, pip: pip)
        }
        if let warning = VenvRegistry(settings: settings).recordVenv(target, settings: settings) {
            outcome.report.lines.append(.warning(warning))
        }
        return outcome
    }
}

/// Whether an existing venv is of the Python a new one would be made from.
enum VenvSeries {
    /// What the venv's Python is (`CPython 3.11`) when it is not `base`'s series (implementation, minor
    /// version, free-threaded or not: its lib/pythonX.Y[t] folder); nil when it is, or cannot be told.
    static func mismatch(_ config: [String: String], venv: String, base: BaseInterpreter) -> String? {
        let implementation = config["implementation"] ?? "CPython"
        let minor = PyvenvConfig.version(of: config).map { $0.split(separator: ".").prefix(2).joined(separator: ".") }
        let stdlibs = FileSystem.listDirectory(venv + "/lib").filter { $0.hasPrefix("python") || $0.hasPrefix("pypy") }
        let sameImplementation = implementation.lowercased() == base.implementation.lowercased()
        let sameMinor = minor.map { $0 == base.minorVersion } ?? true
        let sameLayout = stdlibs.isEmpty || stdlibs.contains(base.stdlibName)
        if sameImplementation && sameMinor && sameLayout { return nil }
        let folder = stdlibs.first.map { " (lib/\($0))" } ?? ""
        return "\(implementation) \(minor ?? "of unknown version")\(folder)"
    }
}
