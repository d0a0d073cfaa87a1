import ArgumentParser
import Configuration
import Core
import Install

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        _superCommandName: "pyman",
        abstract: "Download and install Pythons (several are installed in parallel).",
        discussion: "A request is 3, 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, '>=3.12,<3.14', or a path to a python-build-standalone archive. Without one, .python-version (searched upward) or the newest stable release is installed."
    )

    @Argument(help: "Versions or archive paths.")
    var requests: [String] = []

    @Flag(help: "Install again even if already installed.")
    var reinstall = false

    @Flag(name: .customLong("default"), help: "Also link python3 and python into the bin dir.")
    var makeDefault = false

    @Flag(name: .customLong("no-bin"), help: "Do not link executables into the bin dir.")
    var noBin = false

    @Flag(name: .customLong("no-progress"), help: "Do not draw progress bars.")
    var noProgress = false

    @Flag(name: .customLong("no-verify"), help: "Install catalogue entries that have no sha256.")
    var noVerify = false

    @Flag(help: "Install exactly what pyman.lock in this folder pins for this machine (for the requests given, else those pinned, else all).")
    var locked = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if makeDefault && noBin { throw ValidationError("--default and --no-bin exclude each other: --default links into the bin dir; pass one") }
    }

    func run() throws {
        var settings = try global.settings()
        settings.requireChecksum = !noVerify
        let sources = try locked ? LockedSelection(settings: settings).sources(for: requests) : InstallPlan(settings: settings).sources(for: requests)
        let batch = InstallBatch(settings: settings, progress: global.progressBoard(noProgress: noProgress))
        let report = batch.run(sources, reinstall: reinstall, links: .init(executables: !noBin, makeDefault: makeDefault))
        settings.output.show(report)
        if report.failed { throw ExitCode.failure }
    }
}
