import ArgumentParser
import Catalogue
import Configuration
import Core
import FoundationEssentials
import Install

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Option(help: ArgumentHelp("Replace the python-build-standalone download prefix: one URL or several, separated by spaces or commas, tried in order, then the catalogue's own URL once (PYMAN_PYTHON_MIRROR).", valueName: "url"))
    var mirror: String?

    @Option(name: .customLong("downloads-json"), help: ArgumentHelp("Catalogue in uv's download-metadata.json format (PYMAN_DOWNLOADS_JSON).", valueName: "path-or-url"))
    var downloadsJSON: String?

    @Flag(help: "Touch no network: file: URLs and what is installed or cached only (PYMAN_OFFLINE=1).")
    var offline = false

    @Flag(name: .customLong("no-cache"), help: "Neither read nor store archives in the download cache (PYMAN_NO_CACHE=1).")
    var noCache = false

    @Flag(name: .customLong("managed-python"), help: "Use only Pythons pyman installed (PYMAN_PYTHON_PREFERENCE=only-managed).")
    var managedPython = false

    @Flag(name: .customLong("no-managed-python"), help: "Use only the machine's other Pythons (PYMAN_PYTHON_PREFERENCE=only-system).")
    var noManagedPython = false

    /// Conflicting flags are usage errors (exit 2), as every command's are; argument-parser calls this
    /// for each command's `@OptionGroup`.
    func validate() throws {
        if managedPython && noManagedPython {
            throw ValidationError("--managed-python and --no-managed-python exclude each other; pass one")
        }
    }

    /// Progress bars only for a person watching: stderr is a terminal, and neither -q nor --no-progress.
    func progressBoard(noProgress: Bool) -> ProgressBoard {
        ProgressBoard(enabled: !noProgress && !quiet && ProcessEnvironment.standardErrorIsTerminal)
    }

    func settings() throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let cwd = FileSystem.currentDirectory() ?? ""
        var settings = Settings(environment: environment, currentDirectory: cwd, output: Output(quiet: quiet))
        if let mirror { settings.mirror = mirror }
        if let downloadsJSON { settings.downloadsJSON = downloadsJSON }
        if offline { settings.offline = true }
        if noCache { settings.useDownloadCache = false }
        if managedPython { settings.pythonPreference = .onlyManaged }
        if noManagedPython { settings.pythonPreference = .onlySystem }
        try settings.validate()
        return settings
    }
}
