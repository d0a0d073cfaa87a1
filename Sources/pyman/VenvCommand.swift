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
        discussion: """
            --python takes a version request (installed first if needed) or the path of any interpreter. Without it, .python-version (searched upward) or the newest installed Python is used. \
            Over a venv of another minor version, pass --recreate to move it with its packages (pip's options after `--`, e.g. `-- --no-index --find-links DIR`), or --clear.
            """
    )

    @Argument(help: "Where to create the venv.")
    var path: String = ".venv"

    @Option(name: [.customShort("p"), .long], help: "Version request or interpreter path.")
    var python: String?

    @Flag(help: "Install pip into the venv, from the interpreter's bundled wheel (else the distribution's).")
    var seed = false

    @Option(help: "Prompt shown while the venv is active (default: the folder name).")
    var prompt: String?

    @Flag(name: .customLong("system-site-packages"), help: "Give the venv access to the base Python's site-packages.")
    var systemSitePackages = false

    @Flag(help: "Replace the contents of an existing venv.")
    var clear = false

    @Flag(help: "Move an existing venv to this Python: a new venv with the same packages (through its pip), swapped into place.")
    var recreate = false

    @Flag(help: "Copy the interpreter (and its libpython) into the venv.")
    var copies = false

    @Flag(help: "Link to the interpreter (the default).")
    var symlinks = false

    @Flag(name: .customLong("no-progress"), help: "Do not draw progress bars.")
    var noProgress = false

    @Argument(parsing: .postTerminator, help: "pip's options for --recreate's reinstall, after `--`.")
    var pipOptions: [String] = []

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if copies && symlinks { throw ValidationError("--copies and --symlinks exclude each other; pass one") }
        if recreate && clear { throw ValidationError("--recreate and --clear exclude each other: --recreate keeps the packages, --clear drops them") }
        if !pipOptions.isEmpty && !recreate { throw ValidationError("options after `--` go to pip, which only --recreate runs") }
    }

    func run() throws {
        let settings = try global.settings()
        let options = VenvOptions(prompt: prompt, systemSitePackages: systemSitePackages, clear: clear, copies: copies, seedPip: seed)
        let made = try VenvMaker(settings: settings, progress: global.progressBoard(noProgress: noProgress))
            .make(path, python: python, options: options, recreate: recreate, pipOptions: pipOptions)
        let base = made.base
        settings.output.note("\(made.action.rawValue) \(made.path) with \(base.implementation) \(base.version) (\(base.executable))"
                             + (made.pip.map { ", pip \($0.version)" } ?? ""))
        if let pip = made.pip, pip.fromDistribution { settings.output.note("pip came from \(pip.wheel): this Python has no bundled pip wheel") }
        settings.output.show(made.report)
        settings.output.note("Activate with: source \(Path.join(made.path, "bin/activate"))")
    }
}
