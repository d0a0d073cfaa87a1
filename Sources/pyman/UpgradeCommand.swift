import ArgumentParser
import Catalogue
import Core
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Index
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
        let settings = global.settings()
        let filters = try requests.map(PythonRequest.init(parsing:))
        let installer = Installer(settings: settings, progress: global.progressBoard(noProgress: noProgress))
        let records = installer.index.records()

        // The newest installed release of each series this machine runs.
        var newest: [String: PythonKey] = [:]
        for key in records.compactMap(\.pythonKey) where key.platform == settings.platform {
            guard filters.isEmpty || filters.contains(where: { $0.matches(key) }) else { continue }
            if let current = newest[key.minorLinkName], current.version >= key.version { continue }
            newest[key.minorLinkName] = key
        }
        if !filters.isEmpty, newest.isEmpty {
            throw InstallError("no installed Python matches '\(requests.joined(separator: " "))'; install it first with `pyman install`")
        }

        let catalogue = try settings.loadCatalogue()
        var sources: [InstallSource] = []
        for (_, key) in newest.sorted(by: { $0.key < $1.key }) {
            let series = PythonRequest(text: key.version.minorVersion, filter: .prefix([key.version.major, key.version.minor], prerelease: nil), variant: key.variant)
            guard let entry = Resolution.download(series, in: catalogue, platform: settings.platform), entry.key.version > key.version else {
                settings.output.note("\(key.minorLinkName) is up to date (\(key.version))")
                continue
            }
            settings.output.note("Upgrading \(key.minorLinkName): \(key.version) -> \(entry.key.version)")
            sources.append(InstallSource(entry))
        }

        let outcomes = ParallelInstalls.run(sources) { try installer.install($0, reinstall: false) }
        let links = Links(settings: settings)
        var failed = false
        for (source, outcome) in zip(sources, outcomes) {
            switch outcome {
            case .failure(let error):
                failed = true
                StandardError.write("error: \(source.key): \(error)\n")
            case .success(let result):
                _ = try links.refresh(for: source.key, executables: false, makeDefault: false)
                settings.output.note("Installed \(result.record.key) in \(result.record.path)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}
