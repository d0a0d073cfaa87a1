import Foundation
import XCTest

/// `pyman update-shell` with the real binary under the sandbox's HOME, checked by the real shells: each
/// startup path (bash interactive and login, zsh, fish) ends with the bin dir on PATH exactly once; and
/// `pyman install`'s note when the bin dir is not on PATH.
final class UpdateShellTests: XCTestCase {
    /// The environment update-shell runs with: a minimal PATH, on which zsh and fish are found.
    let minimalPath = "/usr/bin:/bin"

    func updateShell(_ sandbox: Sandbox, env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        try sandbox.pyman(["update-shell"], env: ["PATH": minimalPath].merging(env) { $1 }, file: file, line: line)
    }

    /// PATH's entries as `shell arguments…` started with the sandbox's HOME and a minimal PATH sees them.
    func path(_ sandbox: Sandbox, _ shell: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let result = try EndToEndTests.run(shell, arguments, cwd: sandbox.work, environment: ["HOME": sandbox.root.path, "PATH": minimalPath, "TERM": "dumb"])
        XCTAssertEqual(result.status, 0, result.summary, file: file, line: line)
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return last.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    }

    static let posix = "printf '%s\\n' \"$PATH\""
    /// Each way the shells start: interactive (bash reads .bashrc), login (bash reads its login file
    /// after /etc/profile resets PATH), both, and zsh's and fish's equivalents.
    static let starts: [(String, [String])] = [
        ("/bin/bash", ["-ic", posix]), ("/bin/bash", ["-lc", posix]), ("/bin/bash", ["-ilc", posix]),
        ("/usr/bin/zsh", ["-ic", posix]), ("/usr/bin/zsh", ["-lc", posix]), ("/usr/bin/zsh", ["-c", posix]),
        ("/usr/bin/fish", ["-c", "string join : $PATH"]), ("/usr/bin/fish", ["-lc", "string join : $PATH"]),
    ]

    func assertOnPathOnce(_ folder: String, _ sandbox: Sandbox, file: StaticString = #filePath, line: UInt = #line) throws {
        for (shell, arguments) in Self.starts {
            let entries = try path(sandbox, shell, arguments, file: file, line: line)
            XCTAssertEqual(entries.filter { $0 == folder }.count, 1, "\(shell) \(arguments[0]): \(entries)", file: file, line: line)
            XCTAssertEqual(entries.first, folder, "in front, so --default's python3 wins", file: file, line: line)
        }
    }

    func contents(_ files: [String]) -> [Data?] {
        files.map { FileManager.default.contents(atPath: $0) }
    }

    func testEveryShellGetsTheBinDirOnceAndASecondRunChangesNothing() throws {
        let sandbox = try Sandbox()
        let home = sandbox.root.path, bin = sandbox.binDir.path
        let files = ["\(home)/.bashrc", "\(home)/.profile", "\(home)/.zshenv", "\(home)/.config/fish/conf.d/pyman.fish"]
        let first = try updateShell(sandbox)
        XCTAssertEqual(first.status, 0, first.summary)
        XCTAssertEqual(first.stdout, "")
        XCTAssertEqual(first.stderr, files.map { "Added \(bin) to PATH in \($0) (a new file)\n" }.joined()
            + "Restart your shell to use it, or run `source \(home)/.bashrc` (bash), `source \(home)/.zshenv` (zsh), `source \(home)/.config/fish/conf.d/pyman.fish` (fish)\n")
        try assertOnPathOnce(bin, sandbox)

        let before = contents(files)
        let second = try updateShell(sandbox)
        XCTAssertEqual(second.status, 0, second.summary)
        XCTAssertEqual(second.stderr, files.map { "PATH already set up in \($0)\n" }.joined())
        XCTAssertEqual(contents(files), before, "byte for byte")
        XCTAssertEqual(try sandbox.pyman(["update-shell", "-q"], env: ["PATH": minimalPath]).stderr, "", "-q prints nothing")
    }

    /// Debian's skeleton: ~/.profile sources ~/.bashrc, which returns at once unless interactive (so
    /// `bash -lc` never reaches a block at its end: the login file needs its own). Login, interactive,
    /// both: once. (The skeleton's own unguarded `PATH="$HOME/.local/bin:$PATH"` adds a second entry in
    /// an interactive login shell once that folder exists, with or without pyman; the folder is left
    /// absent here, as it is before the first install.)
    func testDebiansSkeletonFilesStillGetItOnce() throws {
        let sandbox = try Sandbox()
        let home = sandbox.root.path, bin = home + "/.local/bin"
        try """
            if [ -n "$BASH_VERSION" ]; then
                if [ -f "$HOME/.bashrc" ]; then
                    . "$HOME/.bashrc"
                fi
            fi
            if [ -d "$HOME/.local/bin" ] ; then
                PATH="$HOME/.local/bin:$PATH"
            fi
            """.write(toFile: home + "/.profile", atomically: false, encoding: .utf8)
        try "case $- in\n    *i*) ;;\n      *) return;;\nesac\nHISTSIZE=1000\n".write(toFile: home + "/.bashrc", atomically: false, encoding: .utf8)
        let result = try updateShell(sandbox, env: ["PYMAN_BIN_DIR": ""])   // unset: ~/.local/bin
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.hasPrefix("Added \(bin) to PATH in \(home)/.bashrc\nAdded \(bin) to PATH in \(home)/.profile\n"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/.bash_profile"))
        try assertOnPathOnce(bin, sandbox)
    }

    func testABinDirWithSpacesQuotesAndDollarsWorksAndAControlCharacterIsRefused() throws {
        let sandbox = try Sandbox()
        let bin = sandbox.root.path + "/my bin/it's $HOME \"q\" \\x `y`"
        let result = try updateShell(sandbox, env: ["PYMAN_BIN_DIR": bin])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.hasPrefix("Added \(bin) to PATH in \(sandbox.root.path)/.bashrc (a new file)\n"), result.stderr)
        try assertOnPathOnce(bin, sandbox)

        let fresh = try Sandbox()
        let refused = try updateShell(fresh, env: ["PYMAN_BIN_DIR": fresh.root.path + "/a\nb"])
        XCTAssertEqual(refused.status, 1, refused.summary)
        XCTAssertEqual(refused.stderr, "error: the bin dir \(fresh.root.path)/a\\nb contains a control character, which pyman does not write into a shell's startup file; set PYMAN_BIN_DIR to a path without one\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh.root.path + "/.bashrc"))
    }

    /// A dotfiles manager's links: one to a regular file of this user is written through (the link
    /// stays); one that leads nowhere is refused in one line, nothing created, the other files set up.
    func testSymlinkedStartupFiles() throws {
        let sandbox = try Sandbox()
        let home = sandbox.root.path, bin = sandbox.binDir.path, dotfiles = home + "/dotfiles"
        try FileManager.default.createDirectory(atPath: dotfiles, withIntermediateDirectories: true)
        try "# from the dotfiles repository\n".write(toFile: dotfiles + "/bashrc", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: home + "/.bashrc", withDestinationPath: "dotfiles/bashrc")
        try FileManager.default.createSymbolicLink(atPath: home + "/.zshenv", withDestinationPath: dotfiles + "/zshenv")

        let result = try updateShell(sandbox)
        XCTAssertEqual(result.status, 1, result.summary)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Added \(bin) to PATH in \(home)/.bashrc (through the link, in \(dotfiles)/bashrc)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("error: ") }, [
            "error: \(home)/.zshenv is a link to \(dotfiles)/zshenv, which does not exist, and pyman creates no file through a link; create the file it names, or remove the link, and run pyman update-shell again",
        ])
        XCTAssertTrue(lines.contains("Added \(bin) to PATH in \(home)/.config/fish/conf.d/pyman.fish (a new file)"), result.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: home + "/.bashrc"), "dotfiles/bashrc")
        XCTAssertTrue(try String(contentsOfFile: dotfiles + "/bashrc", encoding: .utf8).hasPrefix("# from the dotfiles repository\n\n# added by pyman update-shell\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dotfiles + "/zshenv"), "nothing created through the link")
        let entries = try path(sandbox, "/bin/bash", ["-ic", Self.posix])
        XCTAssertEqual(entries.filter { $0 == bin }.count, 1, "\(entries)")

        // Once the file the link names exists, a second run sets it up and leaves the rest alone.
        FileManager.default.createFile(atPath: dotfiles + "/zshenv", contents: nil)
        let again = try updateShell(sandbox)
        XCTAssertEqual(again.status, 0, again.summary)
        XCTAssertTrue(again.stderr.contains("Added \(bin) to PATH in \(home)/.zshenv (through the link, in \(dotfiles)/zshenv)\n"), again.stderr)
        XCTAssertTrue(again.stderr.contains("PATH already set up in \(home)/.bashrc\n"), again.stderr)
        try assertOnPathOnce(bin, sandbox)
    }

    func testInstallNotesABinDirThatIsNotOnPath() throws {
        let sandbox = try Sandbox()
        let bin = sandbox.binDir.path
        let note = "note: \(bin) is not on PATH; run `pyman update-shell` to add it\n"
        let lacking = try sandbox.pyman(["install", "3.13"], env: [:])   // the sandbox's PATH has no bin dir
        XCTAssertEqual(lacking.status, 0, lacking.summary)
        XCTAssertTrue(lacking.stderr.hasSuffix("  linked \(bin)/python3.13\n" + note), lacking.stderr)
        XCTAssertEqual(lacking.stderr.components(separatedBy: "is not on PATH").count, 2, "one line")

        let quiet = try sandbox.pyman(["install", "3.13", "-q"], env: [:])
        XCTAssertEqual(quiet.stderr, "", "-q silences the note")

        let onPath = try sandbox.pyman(["install", "3.13"], env: ["PATH": bin + "/:/usr/bin:/bin"])
        XCTAssertEqual(onPath.status, 0, onPath.summary)
        XCTAssertTrue(onPath.stderr.contains("linked \(bin)/python3.13"), onPath.stderr)
        XCTAssertFalse(onPath.stderr.contains("not on PATH"), onPath.stderr)

        let unlinked = try sandbox.pyman(["install", "3.13", "--no-bin"], env: [:])
        XCTAssertFalse(unlinked.stderr.contains("not on PATH"), "nothing linked, nothing to find: \(unlinked.stderr)")
    }
}
