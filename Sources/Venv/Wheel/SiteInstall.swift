import Core
import Extract
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Places a verified wheel tree into site-packages and writes INSTALLER, the console scripts and RECORD.
/// Remembers what it created so a failure can remove it again.
struct SiteInstall {
    let tree: WheelTree
    let sitePackages: URL
    let binDir: URL
    private(set) var createdFiles: [String] = []
    private(set) var createdDirectories: [String] = []
    private(set) var linked = 0
    private(set) var copied = 0

    init(tree: WheelTree, sitePackages: URL, binDir: URL) {
        self.tree = tree
        self.sitePackages = sitePackages
        self.binDir = binDir
    }

    mutating func run(scripts: [String], script: String) throws {
        try makeDirectory(sitePackages.path)
        try makeDirectory(binDir.path)
        try refuseOtherPip()

        let distInfo = tree.distInfo
        var rows: [WheelRecord.Row] = []
        for directory in tree.directories {
            guard let destination = tree.destination(directory) else { continue }
            try makeDirectory(sitePackages.path + "/" + destination)
        }
        let written: Set<String> = [distInfo + "/RECORD", distInfo + "/INSTALLER"]
        for file in tree.files where !tree.isRecord(file.path) && !written.contains(file.path) {
            guard let destination = tree.destination(file.path) else { continue }
            try place(tree.root.path + "/" + file.path, sitePackages.path + "/" + destination)
            rows.append(.init(path: destination, hash: WheelRecord.hashField(sha256: file.sha256), size: String(file.size)))
        }

        rows.append(try write("pyman\n", to: sitePackages.path + "/" + distInfo + "/INSTALLER", mode: 0o644, recordAs: distInfo + "/INSTALLER"))
        for name in scripts {
            let path = binDir.appendingPathComponent(name)
            rows.append(try write(script, to: path.path, mode: 0o755, recordAs: Self.relativePath(from: sitePackages, to: path)))
        }
        rows.sort { $0.path < $1.path }
        let record = distInfo + "/RECORD"
        rows.append(.init(path: record, hash: "", size: ""))
        _ = try write(WheelRecord.render(rows), to: sitePackages.path + "/" + record, mode: 0o644, recordAs: record)
    }

    /// A venv holding another pip version would end up with two dist-infos; seeding is for fresh venvs.
    func refuseOtherPip() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sitePackages.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".dist-info") && name != tree.distInfo {
            let stem = name.dropLast(".dist-info".count)
            if let dash = stem.firstIndex(of: "-"), WheelTree.normalize(String(stem[..<dash])) == "pip" {
                throw SeedError("\(sitePackages.path) already holds \(name); remove it or upgrade it with the venv's python -m pip install --upgrade pip instead of seeding")
            }
        }
    }

    mutating func makeDirectory(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR || (info.st_mode & S_IFMT == S_IFLNK && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR) else {
                throw WheelFailure.io("\(path) exists and is not a folder")
            }
            return
        }
        let parent = Path.parent(path)
        if !parent.isEmpty && parent != path && lstat(parent, &info) != 0 { try makeDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw WheelFailure.io("cannot create \(path): \(errnoText())")
        }
        createdDirectories.append(path)
    }

    /// Hard-links `source` (in the cache) to `destination`, replacing an older file there; copies when
    /// the link is refused (EXDEV across file systems, EPERM with protected_hardlinks, EMLINK, ...).
    mutating func place(_ source: String, _ destination: String) throws {
        var existed = false
        if link(source, destination) == 0 {
            linked += 1
            createdFiles.append(destination)
            return
        }
        if errno == EEXIST {
            existed = true
            guard unlink(destination) == 0 || errno == ENOENT else {
                throw WheelFailure.io("cannot replace \(destination): \(errnoText())")
            }
            if link(source, destination) == 0 {
                linked += 1
                return
            }
        }
        try copy(source, destination)
        copied += 1
        if !existed { createdFiles.append(destination) }
    }

    func copy(_ source: String, _ destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw WheelFailure.io("cannot read \(source): \(errnoText())") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw WheelFailure.io("cannot inspect \(source): \(errnoText())") }
        let mode = info.st_mode & 0o777
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard output >= 0 else { throw WheelFailure.io("cannot create \(destination): \(errnoText())") }
        var ok = false
        defer {
            close(output)
            if !ok { unlink(destination) }
        }
        fchmod(output, mode)
        try readChunks(input, path: source) { try writeAll(output, $0.baseAddress!, $0.count, path: destination) }
        ok = true
    }

    /// Writes a new file (temporary name, then rename), so nothing is ever written through a hard link
    /// into the cache and a running pip never sees a half-written script. Returns its RECORD row.
    mutating func write(_ text: String, to path: String, mode: mode_t, recordAs: String) throws -> WheelRecord.Row {
        let bytes = Array(text.utf8)
        var info = stat()
        let existed = lstat(path, &info) == 0
        do {
            try AtomicFile.write(bytes, to: path, mode: mode)
        } catch let failure as AtomicFile.Failure {
            throw WheelFailure.io(failure.description)
        }
        if !existed { createdFiles.append(path) }
        let digest = WheelRecord.hashField(sha256: sha256Bytes(bytes))
        return .init(path: recordAs, hash: digest, size: String(bytes.count))
    }

    /// Removes what this install created (files first, then now-empty folders, deepest first).
    func rollBack() {
        for path in createdFiles.reversed() { unlink(path) }
        for path in createdDirectories.sorted(by: >) { rmdir(path) }
    }

    /// `target` relative to the folder `base`, lexically (as os.path.relpath does), e.g. `../../../bin/pip`.
    static func relativePath(from base: URL, to target: URL) -> String {
        let from = base.standardizedFileURL.pathComponents.filter { $0 != "/" }
        let to = target.standardizedFileURL.pathComponents.filter { $0 != "/" }
        var common = 0
        while common < from.count && common < to.count && from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
