import ArgumentParser
import Configuration
import Core
import FoundationEssentials
import Install
import Interpreters
import Venv

struct VenvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venv",
        _superCommandName: "pyman",
        abstract: "Create a virtual environment (for a pyman Python, without starting Python).",
        discussion: "--python takes a version request (installed first if needed) or the path of any interpreter. Without it, .python-version (searched upward) or the newest installed Python is used."
    )

    @Argument(help: "Where to create the venv.")
    var path: String = ".venv"

    @Option(name: [.customShort("p"), .long], help: "Version request or interpreter path.")
    var python: String?

    @Flag(help: "Install pip into the venv, from the interpreter's bundled wheel.")
    var seed = false

    @Option(help: "Prompt shown while the venv is active (default: the folder name).")
    var prompt: String?

    @Flag(name: .customLong("system-site-packages"), help: "Give the venv access to the base Python's site-packages.")
    var systemSitePackages = false

    @Flag(help: "Replace the contents of an existing venv.")
    var clear = false

    @Flag(help: "Copy the interpreter (and its libpython) into the venv.")
    var copies = false

    @Flag(help: "Link to the interpreter (the default).")
    var symlinks = false

    @Flag(name: .customLong("no-progress"), help: "Do not draw progress bars.")
    var noProgress = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if copies && symlinks { throw ValidationError("--copies and --symlinks exclude each other; pass one") }
    }

    func run() throws {
        let settings = try global.settings()
        let board = global.progressBoard(noProgress: noProgress)
        let base = try VenvInterpreters(settings: settings, progress: board).resolve(python)
        let options = VenvOptions(prompt: prompt, systemSitePackages: systemSitePackages, clear: clear, copies: copies, seedPip: seed)
        let target = Path.absolute(path, in: settings.currentDirectory)
        let pip = try VenvBuilder(pymanVersion: Settings.version, cacheDir: settings.cacheDir).create(at: target, from: base, options: options)
        settings.output.note("Created \(target) with \(base.implementation) \(base.version) (\(base.executable))" + (pip.map { ", pip \($0)" } ?? ""))
        settings.output.note("Activate with: source \(Path.join(target, "bin/activate"))")
    }
}
