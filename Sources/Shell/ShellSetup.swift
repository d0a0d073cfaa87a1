import Core
import FoundationEssentials
import SystemPackage

/// `pyman update-shell`: puts the bin dir on PATH in the startup files of bash, zsh and fish, each
/// block guarded so that the folder is added once however often the file is read (`ShellSnippet`),
/// each file written safely (`ShellStartupFile`). Which files:
///
/// - bash: `~/.bashrc` (interactive shells that are not login shells) and the one login file bash
///   reads: the first of `~/.bash_profile`, `~/.bash_login`, `~/.profile` that exists (bash's order,
///   as uv and rustup take it), else a new `~/.profile`. uv would create `~/.bash_profile`; but bash
///   then no longer reads a `~/.profile` that the system's skeleton or rustup (`. "$HOME/.cargo/env"`)
///   puts there later, while sh, dash and display managers read `~/.profile` too. A login file that
///   already sources `.bashrc` gets the block as well: Debian's and Ubuntu's `.bashrc` stop at once in a
///   non-interactive shell (`bash -lc`, an IDE's or Docker's `SHELL ["bash", "-lc"]`), before a block at
///   their end, and a guess at what a file sources would be a guess; the guard makes the second one a no-op.
/// - zsh: `.zshenv`, read by every zsh, picked as rustup does: `$ZDOTDIR/.zshenv` if it exists, else
///   `~/.zshenv` if it exists (a `~/.zshenv` that sets ZDOTDIR is read before the folder it names), else a
///   new one in ZDOTDIR when that is set, else in HOME.
/// - fish: `$XDG_CONFIG_HOME/fish/conf.d/pyman.fish` (else `~/.config/…`), a file of pyman's own,
///   which fish reads at every start.
///
/// bash is always set up (`~/.profile` is also every POSIX login shell's); zsh and fish only when they
/// are on PATH or already have their startup file or configuration folder, so a machine without fish
/// gets no `~/.config/fish`.
public struct ShellSetup: Sendable {
    public var home: String
    public var binDir: String
    public var zshDotDir: String?
    public var configDir: String
    public var searchPath: SearchPath

    public init(home: String, binDir: String, zshDotDir: String?, configDir: String, searchPath: SearchPath) {
        self.home = home
        self.binDir = binDir
        self.zshDotDir = zshDotDir
        self.configDir = configDir
        self.searchPath = searchPath
    }

    /// The files set up, in the order they are reported, and the shells left out (not installed).
    public func startupFiles() -> (files: [ShellStartupFile], skipped: [ShellStartupFile.Shell]) {
        var files = [ShellStartupFile(shell: .bash, path: join(home, ".bashrc"), syntax: .posix),
                     ShellStartupFile(shell: .bash, path: bashLoginFile, syntax: .posix)]
        var skipped: [ShellStartupFile.Shell] = []
        let zshenv = zshenvFile
        if searchPath.executable("zsh") != nil || FileSystem.exists(zshenv) {
            files.append(ShellStartupFile(shell: .zsh, path: zshenv, syntax: .posix, createsFolders: zshenv != join(home, ".zshenv")))
        } else {
            skipped.append(.zsh)
        }
        let fishConfig = join(configDir, "fish")
        if searchPath.executable("fish") != nil || FileSystem.exists(fishConfig) {
            files.append(ShellStartupFile(shell: .fish, path: join(fishConfig, "conf.d/pyman.fish"), syntax: .fish, createsFolders: true))
        } else {
            skipped.append(.fish)
        }
        return (files, skipped)
    }

    /// The first login file bash would read, else `~/.profile`. "Exists" as bash sees it: a link that
    /// leads nowhere does not (bash skips a file it cannot open for lack of it).
    var bashLoginFile: String {
        let candidates = [".bash_profile", ".bash_login", ".profile"].map { join(home, $0) }
        return candidates.first { FileSystem.status($0, followingLinks: true) != nil } ?? candidates[2]
    }

    var zshenvFile: String {
        let inHome = join(home, ".zshenv")
        guard let zshDotDir, !zshDotDir.isEmpty else { return inHome }
        let inDotDir = join(zshDotDir, ".zshenv")
        if FileSystem.status(inDotDir, followingLinks: true) != nil { return inDotDir }
        if FileSystem.status(inHome, followingLinks: true) != nil { return inHome }
        return inDotDir
    }

    /// Sets up every file, each on its own: a refused file is one failure line and the others are still
    /// set up (a second run changes only what the first could not). Throws, changing nothing, when the
    /// bin dir cannot be written into a startup file or fails `FolderTrust`, or HOME is no folder, is
    /// another user's, or fails `FolderTrust`.
    public func run() throws -> Report {
        if let problem = ShellSnippet.problem(with: binDir) { throw problem }
        guard let homeInfo = FileSystem.status(home, followingLinks: true), homeInfo.type == .directory else {
            throw PymanError("the home folder \(home.escapingControlCharacters()) does not exist", hint: "set HOME to your home folder")
        }
        // A HOME of another user's (sudo keeping HOME), or one others could change, holds files and
        // links they choose; and a bin dir they could write would put their programs on this user's PATH.
        try ShellStartupFile.checkOwner(homeInfo, of: "the home folder \(home.escapingControlCharacters())", doing: "sets up only the startup files of the user it runs as")
        try FolderTrust.check(home, role: "home folder")
        try FolderTrust.check(binDir, role: "bin dir")
        let (files, skipped) = startupFiles()
        var report = Report()
        var toSource: [(ShellStartupFile.Shell, String)] = []
        var changed: Set<String> = []
        for file in files {
            let shown = file.path.escapingControlCharacters()
            do {
                let outcome = try file.setUp(binDir)
                switch outcome {
                case .created: report.lines.append(.note("Added \(binDir) to PATH in \(shown) (a new file)"))
                case .appended: report.lines.append(.note("Added \(binDir) to PATH in \(shown)"))
                case .appendedThroughLink(let target):
                    report.lines.append(.note("Added \(binDir) to PATH in \(shown) (through the link, in \(target.escapingControlCharacters()))"))
                case .alreadySetUp: report.lines.append(.note("PATH already set up in \(shown)"))
                }
                if outcome.changed { changed.insert(file.shell.rawValue) }
                if !toSource.contains(where: { $0.0 == file.shell }) { toSource.append((file.shell, file.path)) }
            } catch {
                report.lines.append(.failure("\(error)"))
            }
        }
        let sources = toSource.filter { changed.contains($0.0.rawValue) }.map { shell, path in
            "`source \(shell == .fish ? Self.fishWord(path) : Self.shWord(path))` (\(shell.rawValue))"
        }
        if !sources.isEmpty {
            report.lines.append(.note("Restart your shell to use it, or run " + sources.joined(separator: ", ")))
        }
        for shell in skipped {
            report.lines.append(.note("Skipped \(shell.rawValue): not on PATH (run pyman update-shell again once it is installed)"))
        }
        return report
    }

    func join(_ folder: String, _ name: String) -> String {
        FilePath(folder).appending(name).string
    }

    /// A path to paste into a command line: as it is when nothing in it is special, else quoted.
    static func shWord(_ path: String) -> String {
        path.allSatisfy(isPlain) ? path.escapingControlCharacters() : ShellQuoting.sh(path).escapingControlCharacters()
    }

    static func fishWord(_ path: String) -> String {
        path.allSatisfy(isPlain) ? path.escapingControlCharacters() : ShellQuoting.fish(path).escapingControlCharacters()
    }

    static func isPlain(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "/._-+,:@%=".contains(character))
    }
}
