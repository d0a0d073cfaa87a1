import Core
import SystemPackage

/// One startup file `pyman update-shell` puts the PATH block into (`ShellSnippet`), and how it writes it:
///
/// - a file that exists is appended to (O_APPEND, one write, undone by truncation if it fails), never
///   replaced: it keeps its inode, owner, mode, hard links and extended attributes, and a dotfiles
///   manager's hard link still shares it;
/// - a symlink (a dotfiles manager's) is written through only when it leads to a regular file owned by
///   the user pyman runs as; a dangling one is refused, since pyman creates no file through a link;
/// - the link itself must be the user's too (its owner chooses where it leads), and so must the folder
///   it leads into;
/// - whether followed through a link or not, a file owned by someone else is refused (say, `sudo`
///   kept another user's HOME): root appending to a user's startup file, or creating one in a folder
///   that is not its own, would leave that user with lines they did not write or a file they cannot edit;
/// - a missing file is created with O_EXCL|O_NOFOLLOW (neither a file made meanwhile nor a link planted
///   there is written through), mode 0644 less the umask (0600 at least), in a folder the user owns; fish's `conf.d`
///   and a missing ZDOTDIR are created first (0755 less the umask).
///
/// Files are read bounded (`readLimit`); the block counts as present when its lines are there in order.
public struct ShellStartupFile: Sendable, Equatable {
    public enum Shell: String, Sendable, Equatable, CaseIterable {
        case bash, zsh, fish
    }

    public enum Outcome: Sendable, Equatable {
        case created
        case appended
        /// Appended to the regular file the link at `path` leads to.
        case appendedThroughLink(to: String)
        case alreadySetUp

        public var changed: Bool { self != .alreadySetUp }
    }

    /// A startup file larger than this is refused rather than read.
    public static let readLimit = 1 << 20

    public var shell: Shell
    public var path: String
    public var syntax: ShellSnippet.Syntax
    /// Whether missing folders above the file are created (fish's conf.d, ZDOTDIR); HOME's own files
    /// need only HOME, which must exist.
    public var createsFolders: Bool

    public init(shell: Shell, path: String, syntax: ShellSnippet.Syntax, createsFolders: Bool = false) {
        self.shell = shell
        self.path = path
        self.syntax = syntax
        self.createsFolders = createsFolders
    }

    /// Puts the block for `folder` into the file unless it is there already.
    public func setUp(_ folder: String) throws -> Outcome {
        let lines = ShellSnippet.lines(for: folder, syntax: syntax)
        guard let entry = FileSystem.status(path) else {
            try create(with: lines)
            return .created
        }
        guard entry.type == .symbolicLink else {
            let text = try FileSystem.readFile(path, limit: Self.readLimit)
            if ShellSnippet.isPresent(for: folder, syntax: syntax, in: text) { return .alreadySetUp }
            try append(lines, after: text, to: path, named: shown(path))
            return .appended
        }
        let holds = FileSystem.symlinkTarget(path) ?? "?"
        // The link's owner chooses where it leads: root following a link another user planted in a
        // HOME it was pointed at would append to whatever file that user named.
        try Self.checkOwner(entry, of: "the link \(shown(path))", doing: "follows only the links of the user it runs as")
        guard let resolved = FileSystem.resolvedPath(path) else {
            throw PymanError("\(shown(path)) is a link to \(shown(holds)), which does not exist, and pyman creates no file through a link",
                             hint: "create the file it names, or remove the link, and run pyman update-shell again")
        }
        let named = "\(shown(path)) (a link to \(shown(resolved)))"
        guard FileSystem.isRegularFile(resolved) else {
            throw PymanError("\(named) is not a regular file")
        }
        if let folder = FileSystem.status(Path.parent(resolved), followingLinks: true) {
            try Self.checkOwner(folder, of: "the folder \(shown(Path.parent(resolved))), which \(named) leads into,", doing: "writes only in folders of the user it runs as")
        }
        let text = try FileSystem.readFile(resolved, limit: Self.readLimit)
        if ShellSnippet.isPresent(for: folder, syntax: syntax, in: text) { return .alreadySetUp }
        try append(lines, after: text, to: resolved, named: named)
        return .appendedThroughLink(to: resolved)
    }

    /// Appends the block (after a line break when the file does not end with one, and a blank line) in
    /// one write to `target`, which must be a regular file of this user; `named` says which in errors.
    func append(_ lines: [String], after text: [UInt8], to target: String, named: String) throws {
        let file = try FileDescriptor.openForAppending(target)
        defer { try? file.close() }
        let info: Stat
        do {
            info = try file.stat()
        } catch {
            throw PymanError.system("inspect", named, error)
        }
        guard info.type == .regular else { throw PymanError("\(named) is not a regular file") }
        try Self.checkOwner(info, of: named, doing: "appends only to the startup files of the user it runs as")
        var block = text.isEmpty ? "" : text.last == 0x0A ? "\n" : "\n\n"
        block += lines.joined(separator: "\n") + "\n"
        do {
            try Array(block.utf8).withUnsafeBytes { try file.writeAll($0, path: named) }
        } catch {
            try? file.resize(to: info.size)   // no half block for the next run to append after
            throw error
        }
    }

    /// Creates the file holding only the block, in a folder of this user (made first when allowed).
    func create(with lines: [String]) throws {
        let folder = Path.parent(path)
        if createsFolders {
            let existing = Self.nearestExisting(folder)
            if let info = FileSystem.status(existing, followingLinks: true) {
                try Self.checkOwner(info, of: "the folder \(shown(existing))", doing: "creates startup files only in folders of the user it runs as")
            }
            try FileSystem.makeDirectories(folder, permissions: FilePermissions(rawValue: 0o755))
        }
        guard let info = FileSystem.status(folder, followingLinks: true), info.type == .directory else {
            throw PymanError("cannot create \(shown(path)): \(shown(folder)) is not a folder")
        }
        try Self.checkOwner(info, of: "the folder \(shown(folder))", doing: "creates startup files only in folders of the user it runs as")
        let mode = (0o644 & ~FileSystem.umask.rawValue) | 0o600
        let file = try FileDescriptor.createNew(path, permissions: FilePermissions(rawValue: mode))
        do {
            try Array((lines.joined(separator: "\n") + "\n").utf8).withUnsafeBytes { try file.writeAll($0, path: shown(path)) }
            try file.close()
        } catch {
            try? file.close()
            try? FileSystem.removeFile(path)
            throw error
        }
    }

    static func checkOwner(_ info: Stat, of what: String, doing rule: String) throws {
        let owner = info.userID.rawValue, me = ProcessEnvironment.effectiveUserID
        guard owner == me else {
            throw PymanError("\(what) belongs to uid \(owner), not to this user (uid \(me)), and pyman \(rule)",
                             hint: "run pyman update-shell as uid \(owner)")
        }
    }

    /// `folder` or the nearest folder above it that exists (after links).
    static func nearestExisting(_ folder: String) -> String {
        var current = folder
        while FileSystem.status(current, followingLinks: true) == nil {
            let parent = Path.parent(current)
            if parent.isEmpty || parent == current { break }
            current = parent
        }
        return current
    }

    /// A path as a message shows it: control characters escaped, so it stays one line.
    func shown(_ text: String) -> String { text.escapingControlCharacters() }
}
