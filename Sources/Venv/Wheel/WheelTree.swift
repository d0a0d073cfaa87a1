import Core
import Crypto
import Extract
import FoundationEssentials
import SystemPackage

/// An unpacked wheel on disk (in the cache), scanned and checked against its own RECORD.
struct WheelTree {
    var root: String
    var directories: [String]   // relative, parents before children
    var files: [WheelFile]      // sorted by path
    var distInfo: String        // "pip-25.1.1.dist-info"
    var dataDir: String?        // "pip-25.1.1.data" when present
    var version: String         // from METADATA

    /// Scans `root`, checks it is the wheel of `distribution` and that every file matches RECORD.
    static func load(_ root: String, distribution: String) throws -> WheelTree {
        var directories: [String] = []
        var files: [WheelFile] = []
        try walk(root, relative: "", directories: &directories, files: &files)
        directories.sort()
        files.sort { $0.path < $1.path }

        let topLevel = Set(directories.filter { !$0.contains("/") })
        let distInfos = topLevel.filter { $0.hasSuffix(".dist-info") }
        guard distInfos.count == 1, let distInfo = distInfos.first else {
            throw WheelFailure.damaged(distInfos.isEmpty ? "no .dist-info folder" : "more than one .dist-info folder")
        }
        let stem = String(distInfo.dropLast(".dist-info".count))
        guard let dash = stem.firstIndex(of: "-"), normalize(String(stem[..<dash])) == normalize(distribution) else {
            throw WheelFailure.damaged("\(distInfo) does not belong to \(distribution)")
        }
        let dataDirs = topLevel.filter { $0.hasSuffix(".data") }
        guard dataDirs.count <= 1, dataDirs.allSatisfy({ $0 == stem + ".data" }) else {
            throw WheelFailure.damaged("unexpected .data folders \(dataDirs.sorted())")
        }
        let dataDir = dataDirs.first
        if let dataDir {
            for directory in directories where directory.hasPrefix(dataDir + "/") {
                let scheme = directory.dropFirst(dataDir.count + 1).split(separator: "/")[0]
                guard scheme == "purelib" || scheme == "platlib" else {
                    throw WheelFailure.unsupported("it installs '\(scheme)' files, which pyman does not seed")
                }
            }
            if let stray = files.first(where: { $0.path.hasPrefix(dataDir + "/") && $0.path.split(separator: "/").count < 3 }) {
                throw WheelFailure.damaged("stray file \(stray.path)")
            }
        }

        let wheelInfo = try text(root, distInfo + "/WHEEL")
        guard let wheelVersion = header("Wheel-Version", in: wheelInfo) else {
            throw WheelFailure.damaged("\(distInfo)/WHEEL has no Wheel-Version")
        }
        guard wheelVersion.split(separator: ".").first == "1" else {
            throw WheelFailure.unsupported("it uses Wheel-Version \(wheelVersion)")
        }
        guard let version = header("Version", in: try text(root, distInfo + "/METADATA")), !version.isEmpty else {
            throw WheelFailure.damaged("\(distInfo)/METADATA has no Version")
        }

        let tree = WheelTree(root: root, directories: directories, files: files, distInfo: distInfo, dataDir: dataDir, version: version)
        try tree.verify()
        return tree
    }

    /// Whether this is a tree of `distribution` ("pip-25.1.1.dist-info" belongs to "pip").
    func belongs(to distribution: String) -> Bool {
        guard let dash = distInfo.firstIndex(of: "-") else { return false }
        return Self.normalize(String(distInfo[..<dash])) == Self.normalize(distribution)
    }

    /// Every file but RECORD (and its signatures) must be listed in RECORD with a matching digest and size,
    /// and everything RECORD lists must be present.
    func verify() throws {
        let rows = try WheelRecord.parse(try text(root, distInfo + "/RECORD"))
        var listed: [String: WheelRecord.Row] = [:]
        for row in rows { listed[row.path] = row }
        for file in files where !isRecord(file.path) {
            guard let row = listed.removeValue(forKey: file.path) else {
                throw WheelFailure.damaged("\(file.path) is not listed in RECORD")
            }
            guard let equals = row.hash.firstIndex(of: "=") else {
                throw WheelFailure.damaged("RECORD has no hash for \(file.path)")
            }
            let algorithm = String(row.hash[..<equals])
            let expected = String(row.hash[row.hash.index(after: equals)...])
            let actual: String
            switch algorithm {
            case "sha256": actual = WheelRecord.urlsafeBase64(file.sha256)
            case "sha384": actual = WheelRecord.urlsafeBase64(try digest(root + "/" + file.path, SHA384.self))
            case "sha512": actual = WheelRecord.urlsafeBase64(try digest(root + "/" + file.path, SHA512.self))
            default: throw WheelFailure.damaged("RECORD uses unsupported hash '\(algorithm)' for \(file.path)")
            }
            guard actual == expected else { throw WheelFailure.damaged("\(file.path) does not match its RECORD hash") }
            guard row.size.isEmpty || row.size == String(file.size) else {
                throw WheelFailure.damaged("\(file.path) does not match its RECORD size")
            }
        }
        if let missing = listed.keys.filter({ !isRecord($0) }).sorted().first {
            throw WheelFailure.damaged("\(missing) is listed in RECORD but missing")
        }
    }

    func isRecord(_ path: String) -> Bool {
        path == distInfo + "/RECORD" || path == distInfo + "/RECORD.jws" || path == distInfo + "/RECORD.p7s"
    }

    /// Where a tree path goes, relative to site-packages (`.data/purelib` and `.data/platlib` merge into it).
    func destination(_ path: String) -> String? {
        guard let dataDir, path == dataDir || path.hasPrefix(dataDir + "/") else { return path }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 2 else { return nil }   // the .data folder and its scheme folders themselves
        return parts.dropFirst(2).joined(separator: "/")
    }

    /// PEP 503 normalisation: lower case, runs of `-_.` as one `-`.
    static func normalize(_ name: String) -> String {
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }

    /// The value of an RFC 822 style header in the first block of `text`.
    static func header(_ name: String, in text: String) -> String? {
        // Real wheels use CRLF too; in Swift "\r\n" is one Character, so split on any newline.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].trimmingBlanks().lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingBlanks()
            }
        }
        return nil
    }

    static func walk(_ base: String, relative: String, directories: inout [String], files: inout [WheelFile]) throws {
        let folder = relative.isEmpty ? base : base + "/" + relative
        let names: [String]
        names = try FileSystem.contentsOfDirectory(folder)
        for name in names.sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            let info: Stat
            do { info = try Stat(FilePath(base + "/" + path), followTargetSymlink: false) } catch let code as Errno {
                throw PymanError.system("inspect", base + "/" + path, code)
            }
            switch info.type {
            case .directory:
                directories.append(path)
                try walk(base, relative: path, directories: &directories, files: &files)
            case .regular:
                let (sha256, size) = try hashAndSize(base + "/" + path)
                files.append(WheelFile(path: path, size: size, sha256: sha256, identity: FileIdentity(info)))
            default:
                throw WheelFailure.damaged("\(path) is neither a file nor a folder")
            }
        }
    }
}

private func text(_ root: String, _ path: String) throws -> String {
    // A wheel's metadata: pip's RECORD is 70 KB; the bound is WheelManifest's.
    guard let data = try? FileSystem.readFile(root + "/" + path, limit: 16 * 1_048_576) else {
        throw WheelFailure.damaged("\(path) is missing")
    }
    guard let text = String(validating: data, as: UTF8.self) else { throw WheelFailure.damaged("\(path) is not UTF-8") }
    return text
}
