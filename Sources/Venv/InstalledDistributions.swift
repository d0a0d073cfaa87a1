import Core
import FoundationEssentials

/// The distributions installed in a venv's site-packages, read from their `.dist-info` (and legacy
/// `.egg-info`) folders without running the venv's Python, which may no longer start: what
/// `pyman venv --recreate` asks the new venv's pip to install again.
public struct InstalledDistribution: Sendable, Equatable {
    public var name: String
    public var version: String
    /// How pip gets it again: `name==version`, or the source recorded in `direct_url.json` (PEP 610).
    public var requirement: [String]
    /// Said to the user: `editable from /src/app`, `from /wheels/x.whl`; nil for an index install.
    public var source: String?
    /// Why it cannot be carried over (its recorded folder or file is gone); nil when it can.
    public var problem: String?

    /// pip itself comes from the new Python's wheel (`--seed`'s), not from the old venv.
    var isPip: Bool { name.lowercased() == "pip" }

    /// The distributions in `sitePackages`, sorted by name. Metadata files are read bounded: a venv is
    /// anybody's folder.
    public static func scan(_ sitePackages: String) -> [InstalledDistribution] {
        var found: [String: InstalledDistribution] = [:]
        for folder in FileSystem.listDirectory(sitePackages) {
            let isDistInfo = folder.hasSuffix(".dist-info"), isEggInfo = folder.hasSuffix(".egg-info")
            guard isDistInfo || isEggInfo else { continue }
            let path = sitePackages + "/" + folder
            let metadata = path + (isDistInfo ? "/METADATA" : "/PKG-INFO")
            guard let headers = read(metadata, limit: 4 << 20).map(Self.headers), let name = headers["name"], let version = headers["version"],
                  !name.containsControlCharacters, !version.containsControlCharacters else { continue }
            var distribution = InstalledDistribution(name: name, version: version, requirement: ["\(name)==\(version)"])
            if let text = read(path + "/direct_url.json", limit: 64 << 10),
               let direct = try? JSONDecoder().decode(DirectURL.self, from: Data(text.utf8)) {
                distribution.use(direct)
            }
            found[name.lowercased()] = distribution
        }
        return found.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// PEP 610's `direct_url.json`: where a distribution installed from a URL, a folder or a file came from.
    struct DirectURL: Decodable {
        struct DirectoryInfo: Decodable { var editable: Bool? }
        struct VCSInfo: Decodable {
            var vcs: String
            var commitID: String?
            enum CodingKeys: String, CodingKey { case vcs, commitID = "commit_id" }
        }
        var url: String
        var dirInfo: DirectoryInfo?
        var vcsInfo: VCSInfo?
        enum CodingKeys: String, CodingKey { case url, dirInfo = "dir_info", vcsInfo = "vcs_info" }
    }

    mutating func use(_ direct: DirectURL) {
        guard !direct.url.containsControlCharacters else { return }
        if let vcs = direct.vcsInfo {
            let revision = vcs.commitID.map { "@" + $0 } ?? ""
            (requirement, source) = (["\(name) @ \(vcs.vcs)+\(direct.url)\(revision)"], "from \(vcs.vcs)+\(direct.url)\(revision)")
            return
        }
        guard direct.url.hasPrefix("file://") else {
            (requirement, source) = (["\(name) @ \(direct.url)"], "from \(direct.url)")
            return
        }
        guard let path = URL(string: direct.url)?.path, path.hasPrefix("/") else {
            (requirement, problem) = ([], "installed from \(direct.url), which is not a local path")
            return
        }
        let editable = direct.dirInfo?.editable == true
        source = (editable ? "editable from " : "from ") + path
        let how = editable ? "editable, from" : "installed from"
        requirement = []
        if !FileSystem.exists(path) {
            problem = "\(how) \(path), which is gone"
        } else if !Self.isTrusted(path) {
            // pip would build it, running its code: never from a folder or file another user could change.
            problem = "\(how) \(path), which another user could change"
        } else {
            requirement = editable ? ["-e", path] : [path]
        }
    }

    static func isTrusted(_ path: String) -> Bool {
        let check = { try FileSystem.isDirectory(path) ? FolderTrust.check(path, role: "source") : FolderTrust.checkFile(path, role: "source") }
        return (try? check()) != nil
    }

    static func read(_ path: String, limit: Int) -> String? {
        guard FileSystem.isRegularFile(path), let bytes = try? FileSystem.readFile(path, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The email-style headers before the first blank line, keys lower-cased, first value kept.
    static func headers(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        // "\r\n" is one Character to Swift, so CRLF files (pip's own METADATA) are split on scalars.
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = Substring(raw.last == "\r" ? raw.dropLast() : raw)
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":"), line.first != " ", line.first != "\t" else { continue }
            let key = line[..<colon].lowercased()
            if values[key] == nil { values[key] = line[line.index(after: colon)...].trimmingBlanks() }
        }
        return values
    }
}
