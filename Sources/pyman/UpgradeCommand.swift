import ArgumentParser
import Configuration
import Core
import Install

struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        _superCommandName: "pyman",
        abstract: "Install the newest patch release of installed Python series.",
        discussion: "The series' minor link (cpython-3.13-…) moves to the new release, so bin links and venvs made through it keep working. Older patch releases stay installed; remove them with `pyman uninstall 3.13.5`."
    )

    @Argument(help: "Series to upgrade (e.g. 3.13); all installed series when omitted.")
    var requests: [String] = []

    @Flag(name: .customLong("no-progress"), help: "Do not draw progress bars.")
    var noProgress = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let plan = try Upgrade.plan(requests, settings: settings)
        plan.notes.forEach(settings.output.note)
        let batch = InstallBatch(settings: settings, progress: global.progressBoard(noProgress: noProgress))
        let report = batch.run(plan.sources, reinstall: false, links: .minorLinkOnly)
        settings.output.show(report)
        if report.failed { throw ExitCode.failure }
    }
}
