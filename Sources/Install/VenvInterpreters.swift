import CatalogueStore
import Catalogue
import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import Interpreters
import Project
import Venv

/// Chooses the Python a venv is made from: a path (any interpreter), or a request answered by the
/// installed Pythons — installing one first when none matches, through the normal pipeline.
public struct VenvInterpreters: Sendable {
    public let settings: Settings
    public let progress: ProgressBoard

    public init(settings: Settings, progress: ProgressBoard) {
        self.settings = settings
        self.progress = progress
    }

    /// `python` is a path only when it holds a `/` (`./3.12`, `/usr/bin/python3`); anything else is a
    /// request, so a file named `3.12` in the current folder is never run for `--python 3.12`.
    public func resolve(_ python: String?) throws -> BaseInterpreter {
        if let python, python.contains("/") {
            let path = Path.absolute(python, in: settings.currentDirectory)
            return try InterpreterQuery(cacheDir: settings.cacheDir).describe(path)
        }
        if let python {
            do {
                _ = try PythonRequest(parsing: python)
            } catch let error as PymanError where FileSystem.exists(Path.join(settings.currentDirectory, python)) {
                throw error.hinting("to use the file of that name in this folder, pass --python ./\(python.escapingControlCharacters())")
            }
        }
        let installer = Installer(settings: settings, progress: progress)
        let project = ProjectLock(settings: settings)
        if let lock = try project.read() {
            return try locked(python, by: LockedSelection(settings: settings, lock: lock, path: project.path), installer: installer)
        }
        let request = try Resolution.request(python, settings: settings)
        if let found = Resolution.available(request, settings: settings) {
            if let system = found.system { return system.interpreter }
            if let record = found.record {
                try FolderTrust.check(settings.installDir, role: "install dir")
                return interpreter(for: record)
            }
        }
        guard settings.pythonPreference.allowsManaged else {
            throw PymanError("no Python on this machine matches '\(request)'", hint: "install one, or let pyman install it with PYMAN_PYTHON_PREFERENCE=managed")
        }
        let catalogue = try settings.loadCatalogue(refreshing: true)
        guard let entry = Resolution.download(request, in: catalogue, platform: settings.platform) else {
            let known = catalogue.entries(for: settings.platform).map(\.key.version) + installer.index.records().compactMap { $0.pythonKey?.version }
            throw Resolution.noneMatches(request, from: python == nil ? try ProjectRequests.find(settings: settings).file : nil,
                                         known: known, platform: settings.platform)
        }
        settings.output.note("Installing \(entry.key) for the venv")
        let record = try installer.install(InstallSource(entry), reinstall: false).record
        try Links(settings: settings).refreshMinorLink(for: entry.key, installed: installer.index.records())
        return interpreter(for: record)
    }

    /// In a folder with a `pyman.lock`: the locked build for `python` (or the pinned or first locked
    /// request), installed from the lock when it is not installed; an install of it from another archive
    /// is refused, never replaced (`Installer.refuseReplacing`).
    func locked(_ python: String?, by selection: LockedSelection, installer: Installer) throws -> BaseInterpreter {
        guard let source = try selection.sources(for: python.map { [$0] } ?? []).first else {
            throw PymanError("pyman.lock in \(settings.currentDirectory) pins nothing", hint: "run `pyman lock`")
        }
        if let record = installer.index.records().first(where: { $0.key == source.key.description }), FileSystem.exists(record.path, followingLinks: true) {
            // An install from another archive is refused here, before the note says anything is installed.
            try Installer.refuseReplacing(record, with: source)
            try FolderTrust.check(settings.installDir, role: "install dir")
            return interpreter(for: record)
        }
        settings.output.note("Installing \(source.key) for the venv, as pyman.lock pins it")
        let record = try installer.install(source, reinstall: false).record
        try Links(settings: settings).refreshMinorLink(for: source.key, installed: installer.index.records())
        return interpreter(for: record)
    }

    /// A pyman install, described from its index record alone (no Python process). The executable is
    /// reached through the minor link when that link points at this install, so venvs survive upgrades.
    public func interpreter(for record: InstallRecord) -> BaseInterpreter {
        let key = record.pythonKey
        let minorLink = key.map { Path.join(settings.installDir, $0.minorLinkName) }
        let throughLink = minorLink.flatMap { FileSystem.symlinkTarget($0) } == record.key
        let executableName = key?.executableName ?? "python3"
        let executable = throughLink ? Path.join(minorLink!, "bin/\(executableName)") : record.executable
        return BaseInterpreter(
            executable: executable, version: record.version,
            versionInfo: BaseInterpreter.versionInfo(for: record.version), implementation: key?.isPyPy == true ? "PyPy" : "CPython",
            stdlibName: key?.stdlibName ?? "python3", prefix: record.path)
    }
}
