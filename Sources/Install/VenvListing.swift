import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import Venv
import VenvRegistry

/// `pyman venvs`: the registered venvs that still exist, each with its Python and whether it starts.
public enum VenvListing {
    public struct Row: Sendable, Equatable {
        public var path: String
        /// `CPython 3.13.5`.
        public var python: String
        /// The pyman install it runs on (its key), else the base interpreter's path.
        public var base: String
        /// nil when it starts; else why not.
        public var problem: String?
    }

    public static func rows(settings: Settings) -> [Row] {
        let index = InstallIndex(directory: settings.installDir, warn: settings.output.warn)
        return VenvRegistry(settings: settings).entries().filter { FileSystem.isDirectory($0.path) }.map { entry in
            let values = PyvenvConfig.values(in: entry.path) ?? [:]
            let home = values["home"] ?? entry.home
            let python = "\(values["implementation"] ?? "CPython") \(PyvenvConfig.version(of: values) ?? entry.version)"
            let base = index.record(containing: home)?.key ?? values["executable"] ?? entry.python
            var problem: String?
            do {
                problem = try VenvDoctor.examine(entry.path).problem
            } catch {
                problem = "\(error)"
            }
            if problem == nil, FileSystem.status(entry.path + "/bin/python", followingLinks: true) == nil {
                problem = "bin/python leads nowhere"
            }
            return Row(path: entry.path.escapingControlCharacters(), python: python.escapingControlCharacters(),
                       base: base.escapingControlCharacters(), problem: problem?.escapingControlCharacters())
        }
    }
}
