import Core
import Extract
import FoundationEssentials
import SystemPackage

/// Places a verified wheel tree into site-packages and writes INSTALLER, the console scripts and RECORD.
/// Remembers what it created so a failure can remove it again.
struct SiteInstall {
    let tree: WheelTree
    let sitePackages: String
    let binDir: String
    private(set) var createdFiles: [String] = []
    private(set) var createdDirectories: [String] = []
    private(set) var linked = 0
    private(set) var copied = 0

    init(tree: WheelTree, sitePackages: String, binDir: String) {
        self.tree = tree
        self.sitePackages = sitePackages
        self.binDir = binDir
    }

    /// Call `refuseOtherPip()` first: its failure is the user's to resolve, not a file system's.
    mutating func run(scripts: [String], script: String) throws {
        try makeDirectory(sitePackages)
        try makeDirectory(binDir)

        let distInfo = tree.distInfo
        var rows: [WheelRecord.Row] = []
        for directory in tree.directories {
            guard let destination = tree.destination(directory) else { continue }
            try makeDirectory(sitePackages + "/" + destination)
        }
        let written: Set<String> = [distInfo + "/RECORD", distInfo + "/INSTALLER"]
        for file in tree.files where !tree.isRecord(file.path) && !written.contains(file.path) {
            guard let destination = tree.destination(file.path) else { continue }
            try place(tree.root + "/" + file.path, sitePackages + "/" + destination)
            rows.append(.init(path: destination, hash: WheelRecord.hashField(sha256: file.sha256), size: String(file.size)))
        }

        rows.append(try write("pyman\n", to: sitePackages + "/" + distInfo + "/INSTALLER", mode: Self.file, recordAs: distInfo + "/INSTALLER"))
        for name in scripts {
            let path = Path.join(binDir, name)
            rows.append(try write(script, to: path, mode: Self.executable, recordAs: Self.relativePath(from: sitePackages, to: path)))
        }
        rows.sort { $0.path < $1.path }
        let record = distInfo + "/RECORD"
        rows.append(.init(path: record, hash: "", size: ""))
        _ = try write(WheelRecord.render(rows), to: sitePackages + "/" + record, mode: Self.file, recordAs: record)
    }

    static let file = FilePermissions(rawValue: 0o644)
    static let executable = FilePermissions(rawValue: 0o755)

    /// A venv holding another pip version would end up with two dist-infos; seeding is for fresh venvs.
    func refuseOtherPip() throws {
        let names = FileSystem.listDirectory(sitePackages)
        for name in names.sorted() where name.hasSuffix(".dist-info") && name != tree.distInfo {
            let stem = name.dropLast(".dist-info".count)
            if let dash = stem.firstIndex(of: "-"), WheelTree.normalize(String(stem[..<dash])) == "pip" {
                throw PymanError.oneLine("\(sitePackages) already holds \(name)",
                                         hint: "remove it or upgrade it with the venv's python -m pip install --upgrade pip instead of seeding")
            }
        }
    }

    /// `mkdir -p` (a symlink to a folder counts as one), remembering each folder it made.
    mutating func makeDirectory(_ path: String) throws {
        if FileSystem.exists(path) {
            guard FileSystem.isDirectory(path) else { throw PymanError("\(path) exists and is not a folder") }
            return
        }
        let parent = Path.parent(path)
        if !parent.isEmpty && parent != path && !FileSystem.exists(parent) { try makeDirectory(parent) }
        do {
            try FileSystem.makeDirectory(path, permissions: Self.executable)
        } catch let failure as PymanError where failure.code == .fileExists {
            return   // made by someone else meanwhile: not ours to roll back
        }
        createdDirectories.append(path)
    }

    /// Hard-links `source` (in the cache) to `destination`, replacing an older file there; copies when
    /// the link is refused (EXDEV across file systems, EPERM with protected_hardlinks, EMLINK, ...).
    mutating func place(_ source: String, _ destination: String) throws {
        var existed = false
        do {
            try FileSystem.hardLink(source, at: destination)
            linked += 1
            createdFiles.append(destination)
            return
        } catch let failure as PymanError where failure.code == .fileExists {
            existed = true
            do {
                try FileSystem.removeFileIfPresent(destination)
            } catch let failure as PymanError {
                throw PymanError.system("replace", destination, failure.code ?? .ioError)
            }
            if (try? FileSystem.hardLink(source, at: destination)) != nil {
                linked += 1
                return
            }
        } catch {
            // Refused (another file system, protected_hardlinks, too many links): copy below.
        }
        try copy(source, destination)
        copied += 1
        if !existed { createdFiles.append(destination) }
    }

    /// A new file at `destination` with the content and permission bits of `source`.
    func copy(_ source: String, _ destination: String) throws {
        let input = try FileDescriptor.openForReading(source)
        defer { try? input.close() }
        let permissions: FilePermissions
        do {
            permissions = FilePermissions(rawValue: try input.stat().permissions.rawValue & 0o777)
        } catch let code as Errno {
            throw PymanError.system("inspect", source, code)
        }
        let output = try FileDescriptor.createNew(destination, permissions: permissions)
        var ok = false
        defer {
            try? output.close()
            if !ok { try? FileSystem.removeFileIfPresent(destination) }
        }
        try input.readChunks(path: source) { try output.writeAll($0, path: destination) }
        ok = true
    }

    /// Writes a new file (temporary name, then rename), so nothing is ever written through a hard link
    /// into the cache and a running pip never sees a half-written script. Returns its RECORD row.
    mutating func write(_ text: String, to path: String, mode: FilePermissions, recordAs: String) throws -> WheelRecord.Row {
        let bytes = Array(text.utf8)
        let existed = FileSystem.exists(path)
        try AtomicFile.write(bytes, to: path, mode: mode.rawValue)
        if !existed { createdFiles.append(path) }
        let digest = WheelRecord.hashField(sha256: sha256Bytes(bytes))
        return .init(path: recordAs, hash: digest, size: String(bytes.count))
    }

    /// Removes what this install created (files first, then now-empty folders, deepest first).
    func rollBack() {
        for path in createdFiles.reversed() { try? FileSystem.removeFileIfPresent(path) }
        for path in createdDirectories.sorted(by: >) { try? FileSystem.removeDirectory(path) }
    }

    /// `target` relative to the folder `base`, lexically (as os.path.relpath does), e.g. `../../../bin/pip`.
    static func relativePath(from base: String, to target: String) -> String {
        let from = FilePath(Path.absolute(base, in: "/")).components.map(\.string)
        let to = FilePath(Path.absolute(target, in: "/")).components.map(\.string)
        var common = 0
        while common < from.count && common < to.count && from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
