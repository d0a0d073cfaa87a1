import Core
import Extract
import Crypto
import FoundationEssentials
import SystemPackage

/// Unpacked wheels under `<cache>/wheels-v1/<wheel file name without .whl>-<its sha256, 16 digits>/`.
///
/// A wheel is unpacked into a private temporary folder next to its final place and renamed into place
/// only after it checked out against its RECORD, so a reader never sees a half-unpacked tree. When two
/// seeders race, the rename of the second fails (the target is a non-empty folder) and it uses the winner's.
/// The files of a tree are hard-linked into venvs, so a tree is trusted only as it came out of the wheel
/// bundled in the interpreter being seeded: its name carries that wheel's SHA-256, and it is used while
/// the manifest pyman wrote when unpacking it (`WheelManifest`) still matches every file, and the tree,
/// its files and its manifest belong to this user and nobody else can write them. Anything else (an
/// edited file with its RECORD row "fixed", a tree someone else made) is moved aside and unpacked again
/// from the wheel: RECORD inside the tree is never the authority, the bundled wheel is.
struct WheelCache {
    var root: String   // <cache>/wheels-v1

    /// The unpacked, verified tree of `wheel`, the distribution `distribution` (for pip: "pip").
    func tree(for wheel: String, distribution: String) throws -> WheelTree {
        let name = Path.lastComponent(wheel)
        guard name.hasSuffix(".whl"), !name.hasPrefix("."), name.count > 4 else {
            throw WheelFailure.damaged("'\(name)' is not a wheel file name")
        }
        // ~1 ms for pip's 1.8 MB wheel: what ties the cached tree to this very wheel.
        let wheelDigest = try digest(wheel, SHA256.self).prefix(8).hexString()
        let final = Path.join(root, String(name.dropLast(4)) + "-" + wheelDigest)
        if FileSystem.status(final) != nil {
            if let tree = WheelManifest.load(final), tree.belongs(to: distribution) { return tree }
            discard(final)   // changed, foreign or damaged: unpacked again from the wheel below
        }
        try FileSystem.makeDirectories(root, permissions: Self.folderPermissions)
        removeAbandoned()
        let temporary = Path.join(root, ".tmp-\(Path.lastComponent(final))-\(UUID().uuidString)")
        try FileSystem.makeDirectory(temporary, permissions: Self.folderPermissions)
        try FileSystem.setPermissions(temporary, Self.folderPermissions)   // whatever the umask
        let tree: WheelTree
        do {
            try ZipExtractor.unpack(wheel, into: temporary)
            tree = try WheelTree.load(temporary, distribution: distribution)
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
        do {
            try FileSystem.rename(temporary, to: final)
            var moved = tree
            moved.root = final
            WheelManifest.save(moved)   // a rename keeps inodes and times
            return moved
        } catch let failure as PymanError {
            try? FileSystem.removeTree(temporary)
            let code = failure.code ?? .ioError
            guard code == .fileExists || code == .directoryNotEmpty else {
                throw PymanError.system("move the unpacked wheel to", final, code)
            }
        }
        // Another seeder renamed its copy first; it is used if it is ours and whole, as any cached tree.
        guard let winner = WheelManifest.load(final), winner.belongs(to: distribution) else {
            throw PymanError("the cached wheel \(final) changed while pyman unpacked it", hint: "run the command again")
        }
        return winner
    }

    static let folderPermissions = FilePermissions(rawValue: 0o755)

    /// Deletes temporary folders a killed seeder left behind. Only old ones: a young one may belong to a
    /// seeder that is unpacking right now.
    func removeAbandoned(olderThan age: TimeInterval = 24 * 3600) {
        let now = Date().timeIntervalSince1970
        for name in FileSystem.listDirectory(root) where name.hasPrefix(".tmp-") || name.hasPrefix(".trash-") {
            let path = Path.join(root, name)
            guard let modified = FileSystem.status(path)?.modificationTime.seconds, now - TimeInterval(modified) > age else { continue }
            try? FileSystem.removeTree(path)
        }
    }

    /// Moves a damaged tree out of the way atomically, then deletes it.
    func discard(_ folder: String) {
        WheelManifest.remove(for: folder)
        let trash = Path.join(root, ".trash-\(UUID().uuidString)")
        if (try? FileSystem.rename(folder, to: trash)) != nil {
            try? FileSystem.removeTree(trash)
        }
    }
}
