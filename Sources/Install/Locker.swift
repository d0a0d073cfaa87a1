import CatalogueStore
import Catalogue
import Configuration
import Core
import Download
import FoundationEssentials
import Project
import SystemPackage

/// `pyman lock`: what each request resolves to in the catalogue in use, for this machine and for each
/// platform asked, pinned by URL, sha256 and size in `pyman.lock`. URLs are the catalogue's own (without
/// credentials: a lock is committed and shared), not the mirror's: a lock outlives the mirror it was made behind, and the sha256 pins the bytes wherever they
/// come from.
public struct Locker: Sendable {
    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Resolves `requests` (default: the folder's `.python-versions` / `.python-version`) for this
    /// machine and each of `platforms` (`linux-aarch64-gnu`, `darwin-aarch64-none`…).
    public func lock(_ requests: [String], platforms: [String]) throws -> LockFile {
        // The project's requests as read (requires-python keeps PEP 440's meaning), typed ones parsed here.
        let asked = requests.isEmpty ? try ProjectRequests.find(settings: settings).requests : try requests.map { try PythonRequest(parsing: $0) }
        guard !asked.isEmpty else {
            throw PymanError("nothing to lock: no request given, and no .python-version(s), pyproject.toml requires-python or global pin says one",
                             hint: "name one (`pyman lock 3.13`) or pin one (`pyman pin 3.13`)")
        }
        let targets = try [settings.platform] + platforms.map(Self.platform)
        let catalogue = try settings.chooseCatalogue(refreshing: true).catalogue
        var pythons: [LockedPython] = []
        for request in asked {
            let text = request.text
            for platform in targets {
                guard let entry = Resolution.download(request, in: catalogue, platform: platform) else {
                    throw Resolution.noneMatches(request, from: nil, known: catalogue.entries(for: platform).map(\.key.version), platform: platform)
                }
                guard !pythons.contains(where: { $0.request == text && $0.key == entry.key }) else { continue }
                guard let sha256 = entry.sha256 else {
                    throw PymanError("the catalogue gives no sha256 for \(entry.key)", hint: "a lock pins archives by sha256: use a catalogue that gives them")
                }
                pythons.append(LockedPython(request: text, key: entry.key, build: entry.build, url: URLCredentials.stripping(entry.url),
                                            sha256: sha256, size: try size(of: entry, sha256: sha256)))
            }
        }
        return LockFile(pythons: pythons)
    }

    /// From the download cache when it holds the archive, else from a HEAD request (to the mirror, when one is set).
    func size(of entry: CatalogueEntry, sha256: String) throws -> Int64 {
        if settings.useDownloadCache, let cached = settings.archiveCache.entry(sha256: sha256),
           let size = FileSystem.status(cached)?.size {
            return Int64(size)
        }
        // The mirrors in order, as an install tries them (without its retries).
        do {
            return try settings.mirrorList(for: entry).first(options: settings.download, retrying: false) { url, options in
                try Downloader.size(of: url, options: options)
            }
        } catch let failure as MirrorListFailure {
            throw PymanError("cannot learn the size of \(entry.key)'s archive: \(failure.summary)",
                             hint: settings.offline ? "lock online, or install it once first so the cache holds it" : "check the network and the mirror")
        }
    }

    /// `os-arch-libc`, as keys name platforms: `linux-x86_64-gnu`, `linux-x86_64_v3-gnu`, `darwin-aarch64-none`.
    static func platform(_ text: String) throws -> Platform {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, ["linux", "darwin", "windows"].contains(parts[0]), ["gnu", "musl", "none"].contains(parts[2]),
              let platform = Platform(os: parts[0], archTag: parts[1], libc: parts[2]),
              !platform.arch.contains("_v"), platform.arch.utf8.allSatisfy({ $0 == 0x5F || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw PymanError("'\(text.escapingControlCharacters())' is not a platform", hint: "write os-arch-libc, e.g. linux-aarch64-gnu or darwin-aarch64-none")
        }
        return platform
    }
}
