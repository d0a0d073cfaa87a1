import ArgumentParser
import Catalogue
import Core
import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Index
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

    @OptionGroup var global: GlobalOptions

    func run() throws {
        var settings = global.settings()
        settings.requireChecksum = !noVerify
        let sources = try InstallPlanner(settings: settings).sources(for: requests)
        let board = global.progressBoard(noProgress: noProgress)
        let installer = Installer(settings: settings, progress: board)
        let outcomes = ParallelInstalls.run(sources) { try installer.install($0, reinstall: reinstall) }

        let links = Links(settings: settings)
        var failures = 0
        for (source, outcome) in zip(sources, outcomes) {
            switch outcome {
            case .failure(let error):
                failures += 1
                StandardError.write("error: \(source.key): \(error)\n")
            case .success(let result):
                let key = result.record.pythonKey ?? source.key
                let linked = try links.refresh(for: key, executables: !noBin, makeDefault: makeDefault)
                switch result {
                case .installed(let record): settings.output.note("Installed \(record.key) in \(record.path)")
                case .alreadyInstalled(let record): settings.output.note("\(record.key) is already installed in \(record.path) (use --reinstall to replace it)")
                }
                for link in linked { settings.output.note("  linked \(link)") }
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}

/// Runs installs side by side, one thread each, and returns their outcomes in order.
enum ParallelInstalls {
    static func run(_ sources: [InstallSource], _ body: @escaping @Sendable (InstallSource) throws -> InstallOutcome) -> [Result<InstallOutcome, Error>] {
        final class Slots: @unchecked Sendable {
            var results: [Result<InstallOutcome, Error>?]
            let lock = Lock()
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let slots = Slots(sources.count)
        let group = DispatchGroup()
        for (i, source) in sources.enumerated() {
            group.enter()
            BackgroundThread.start {
                let result = Result { try body(source) }
                slots.lock.withLock { slots.results[i] = result }
                group.leave()
            }
        }
        group.wait()
        return slots.results.map { $0! }
    }
}

/// Turns command-line requests into install sources.
struct InstallPlanner {
    let settings: Settings

    func sources(for requests: [String]) throws -> [InstallSource] {
        var sources: [InstallSource] = []
        var catalogue: Catalogue?
        let asked = requests.isEmpty ? [nil] : requests.map(Optional.some)
        for text in asked {
            let source: InstallSource
            if let text, let archive = try localArchive(text) {
                source = archive
            } else {
                let request = try text.map(PythonRequest.init(parsing:))
                    ?? Resolution.pinnedRequest(from: settings.currentDirectory) ?? .newest
                if catalogue == nil { catalogue = try settings.loadCatalogue() }
                guard let entry = Resolution.download(request, in: catalogue!, platform: settings.platform) else {
                    throw InstallError("no Python matching '\(request)' for \(settings.platform) in the catalogue; run `pyman list` to see what is available")
                }
                source = InstallSource(entry)
            }
            if !sources.contains(where: { $0.key == source.key }) { sources.append(source) }
        }
        return sources
    }

    /// An archive path (`./cpython-….tar.gz`): the key comes from its python-build-standalone file name.
    func localArchive(_ text: String) throws -> InstallSource? {
        let url = URL(fileURLWithPath: text, relativeTo: settings.currentDirectory).standardizedFileURL
        let isFile = FileManager.default.fileExists(atPath: url.path)
        guard isFile || ArchiveName.looksLikeArchive(text) || text.contains("/") else { return nil }
        guard isFile else {
            throw InstallError("archive \(url.path) does not exist; check the path")
        }
        guard let (key, _) = ArchiveName.parse(url.lastPathComponent) else {
            throw InstallError("cannot tell which Python \(url.lastPathComponent) holds: keep python-build-standalone's file name, e.g. cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz")
        }
        guard key.platform.os == settings.platform.os, key.platform.arch == settings.platform.arch,
              key.platform.libc == settings.platform.libc else {
            throw InstallError("\(url.lastPathComponent) is built for \(key.platform), but this machine is \(settings.platform)")
        }
        return InstallSource(key: key, url: url.absoluteString, sha256: nil)
    }
}
