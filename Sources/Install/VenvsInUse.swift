import Catalogue
import Configuration
import Core
import FoundationEssentials
import ManagedPythons
import SystemPackage
import Venv
import VenvRegistry

/// Which registered venvs an uninstall would break: those whose `home` leads into an install being
/// removed, directly, or through the minor link of a series losing its last install. A venv through the
/// minor link of a series that keeps an install survives (the link moves), and so does one whose Python
/// already cannot start, or that lives elsewhere.
public enum VenvsInUse {
    public struct Broken: Sendable, Equatable {
        public var venv: String
        /// The install, or the minor link, its home goes through.
        public var through: String
    }

    public static func broken(by doomed: [InstallRecord], installed: [InstallRecord], settings: Settings) -> [Broken] {
        guard !doomed.isEmpty else { return [] }
        let installDir = FileSystem.resolvedPath(settings.installDir) ?? settings.installDir
        let doomedKeys = Set(doomed.map(\.key))
        let series = Set(installed.compactMap { $0.pythonKey?.minorLinkName })
        let surviving = Set(installed.filter { !doomedKeys.contains($0.key) }.compactMap { $0.pythonKey?.minorLinkName })
        let doomedFolders = doomed.compactMap { record in FileSystem.resolvedPath(record.path).map { ($0, record.key) } }
        var broken: [Broken] = []
        for entry in VenvRegistry(settings: settings).entries() where FileSystem.isDirectory(entry.path) {
            guard let home = PyvenvConfig.values(in: entry.path)?["home"], let real = FileSystem.resolvedPath(home) else { continue }
            let minorLink = links(resolving: home).first { Path.parent($0) == installDir && series.contains(Path.lastComponent($0)) }
            if let minorLink {
                let name = Path.lastComponent(minorLink)
                if !surviving.contains(name) { broken.append(Broken(venv: entry.path, through: name)) }
            } else if let (_, key) = doomedFolders.first(where: { real == $0.0 || real.hasPrefix($0.0 + "/") }) {
                broken.append(Broken(venv: entry.path, through: key))
            }
        }
        return broken
    }

    /// The symlinks that resolving `path` passes through, in order, each named by its real folder and
    /// its name (as the kernel walks it, at most 40).
    static func links(resolving path: String) -> [String] {
        var pending = Array(FilePath(path).components.reversed())
        var resolved = FilePath("/")
        var links: [String] = []
        while let component = pending.popLast(), links.count <= 40 {
            let name = component.string
            if name == "." { continue }
            if name == ".." { resolved.removeLastComponent(); continue }
            let candidate = resolved.appending(name)
            if let target = FileSystem.symlinkTarget(candidate.string) {
                links.append(candidate.string)
                let targetPath = FilePath(target)
                if targetPath.isAbsolute { resolved = FilePath("/") }
                pending.append(contentsOf: targetPath.components.reversed())
                continue
            }
            resolved = candidate
        }
        return links
    }
}
