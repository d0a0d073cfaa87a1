import Core
import FoundationEssentials
import SystemPackage

/// What a cached wheel tree was when it last checked out against its RECORD: every file's digest and
/// identity (inode, size, mtime), kept in `<tree>.verified` beside the tree. While every file still has
/// the identity it had then, the tree is the verified one and its files need not be read and hashed
/// again: that was half of a warm `pyman venv --seed`. An edited, replaced, truncated or deleted file
/// changes its identity and sends the tree through full verification again (and, when that fails, a
/// fresh unpack). The manifest only ever saves work: a missing, damaged or foreign one means "verify".
enum WheelManifest {
    static let header = "pyman-wheel-manifest 1"

    static func path(of root: String) -> String { root + ".verified" }

    /// Records `tree` (just verified) for the next seeding. Best effort: without it, the next
    /// seeding verifies the tree again.
    static func save(_ tree: WheelTree) {
        let paths = tree.directories + tree.files.map(\.path) + [tree.distInfo, tree.dataDir ?? "", tree.version]
        guard !paths.contains(where: { $0.contains("\t") || $0.contains("\n") || $0.contains("\r") }) else { return }
        var lines = [header, [tree.distInfo, tree.dataDir ?? "", tree.version].joined(separator: "\t")]
        lines += tree.directories.map { "d\t" + $0 }
        lines += tree.files.map { file in
            let id = file.identity
            return ["f", file.path, String(file.size), String(id.inode), String(id.size), String(id.seconds),
                    String(id.nanoseconds), file.sha256.hexString()].joined(separator: "\t")
        }
        try? AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path(of: tree.root))
    }

    /// The tree as recorded, when the manifest is there, pyman's own, and every file in it is unchanged
    /// and only this user's to change; else nil.
    static func load(_ root: String) -> WheelTree? {
        guard isPrivate(path(of: root), .regular), isPrivate(root, .directory),
              let data = try? FileSystem.readFile(path(of: root), limit: 16 * 1_048_576) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines[0] == header, lines.last == "" else { return nil }
        let summary = lines[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard summary.count == 3, !summary[0].isEmpty, !summary[2].isEmpty else { return nil }
        var directories: [String] = []
        var files: [WheelFile] = []
        for line in lines[2..<(lines.count - 1)] {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "d" where fields.count == 2:
                guard isPrivate(root + "/" + fields[1], .directory) else { return nil }
                directories.append(fields[1])
            case "f" where fields.count == 8:
                guard let file = file(fields), unchanged(root + "/" + file.path, file.identity) else { return nil }
                files.append(file)
            default:
                return nil
            }
        }
        return WheelTree(root: root, directories: directories, files: files, distInfo: summary[0],
                         dataDir: summary[1].isEmpty ? nil : summary[1], version: summary[2])
    }

    static func remove(for root: String) {
        try? FileSystem.removeFileIfPresent(path(of: root))
    }

    static func file(_ fields: [String]) -> WheelFile? {
        guard let size = Int(fields[2]), let inode = UInt64(fields[3]), let identitySize = Int64(fields[4]),
              let seconds = Int(fields[5]), let nanoseconds = Int(fields[6]), fields[7].count == 64,
              let sha256 = bytes(hex: fields[7]) else { return nil }
        return WheelFile(path: fields[1], size: size, sha256: sha256,
                         identity: FileIdentity(inode: inode, size: identitySize, seconds: seconds, nanoseconds: nanoseconds))
    }

    static func unchanged(_ path: String, _ identity: FileIdentity) -> Bool {
        guard let info = FileSystem.status(path), info.type == .regular, isPrivate(info) else { return false }
        return FileIdentity(info) == identity
    }

    /// Belongs to this user (not a link) and nobody else may write it: what is hard-linked into a venv,
    /// or says what may be, must be changeable by its owner alone.
    static func isPrivate(_ path: String, _ type: FileType) -> Bool {
        guard let info = FileSystem.status(path), info.type == type else { return false }
        return isPrivate(info)
    }

    static func isPrivate(_ info: Stat) -> Bool {
        info.userID.rawValue == ProcessEnvironment.effectiveUserID
            && !info.permissions.contains(.groupWrite) && !info.permissions.contains(.otherWrite)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
