import ArgumentParser
import Catalogue
import Configuration
import Core
import FoundationEssentials
import Install
import Project

struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        _superCommandName: "pyman",
        abstract: "Pin the exact archives (url, sha256, size) requests resolve to, in pyman.lock in this folder.",
        discussion: "Without requests, .python-versions or .python-version (searched upward) says what to lock. `pyman install --locked` then installs exactly these archives, and `pyman venv` here uses them. The lock covers this machine and each --platform given."
    )

    @Argument(help: "Versions or requests (3.13, 3.12t, '>=3.11,<3.13').")
    var requests: [String] = []

    @Option(name: .customLong("platform"), help: ArgumentHelp("Also lock for this platform: os-arch-libc, e.g. linux-aarch64-gnu, linux-x86_64-gnu, darwin-aarch64-none (repeatable).", valueName: "platform"))
    var platforms: [String] = []

    @Option(help: ArgumentHelp("Also download the locked archives into this folder, with downloads.json beside them: an offline mirror (PYMAN_DOWNLOADS_JSON=<dir>/downloads.json).", valueName: "dir"))
    var fetch: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let lock = try Locker(settings: settings).lock(requests, platforms: platforms)
        let project = ProjectLock(settings: settings)
        try project.write(lock)
        for python in lock.pythons {
            settings.output.note("Locked \(python.key) for \(python.request)")
        }
        settings.output.note("Wrote \(project.path)")
        if let fetch {
            let folder = Path.absolute(fetch, in: settings.currentDirectory)
            let outcome = try LockFetch(settings: settings).fetch(lock, into: folder)
            settings.output.note("Fetched \(outcome.fetched.count) archive\(outcome.fetched.count == 1 ? "" : "s") into \(folder) (\(outcome.present.count) already there); its catalogue: \(Path.join(folder, LockFetch.catalogueName))")
        }
    }
}
