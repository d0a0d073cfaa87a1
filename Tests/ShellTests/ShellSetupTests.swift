import Foundation
import TestSupport
import XCTest
@testable import Core
import SystemPackage
@testable import Shell

/// `pyman update-shell` against temporary HOMEs: which files, what is written, what is refused. The
/// shells found on PATH are stubs in a folder of the test's, so the host's shells do not decide.
final class ShellSetupTests: XCTestCase {
    var home = ""
    var shells = ""   // a PATH folder holding executable stubs named zsh and fish
    var bin: String { home + "/.local/bin" }

    override func setUpWithError() throws {
        let folder = try scratchFolder("shell")
        home = folder.appendingPathComponent("home").path
        shells = folder.appendingPathComponent("shells").path
        for path in [home, shells] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        for name in ["zsh", "fish"] { try AtomicFile.write("#!/bin/sh\n", to: shells + "/" + name, mode: 0o755) }
    }

    func setup(bin: String? = nil, zshDotDir: String? = nil, configDir: String? = nil, path: String? = nil) -> ShellSetup {
        ShellSetup(home: home, binDir: bin ?? self.bin, zshDotDir: zshDotDir, configDir: configDir ?? home + "/.config",
                   searchPath: SearchPath(path ?? "/usr/bin:" + shells))
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func posixBlock(_ folder: String) -> String { ShellSnippet.lines(for: folder, syntax: .posix).joined(separator: "\n") + "\n" }

    func notes(_ report: Report) -> [String] {
        report.lines.compactMap { if case .note(let text) = $0 { return text } else { return nil } }
    }

    func failures(_ report: Report) -> [String] {
        report.lines.compactMap { if case .failure(let text) = $0 { return text } else { return nil } }
    }

    func testAFreshHomeGetsEachShellsFileAndASecondRunChangesNothing() throws {
        let first = try setup().run()
        XCTAssertEqual(notes(first), [
            "Added \(bin) to PATH in \(home)/.bashrc (a new file)",
            "Added \(bin) to PATH in \(home)/.profile (a new file)",
            "Added \(bin) to PATH in \(home)/.zshenv (a new file)",
            "Added \(bin) to PATH in \(home)/.config/fish/conf.d/pyman.fish (a new file)",
            "Restart your shell to use it, or run `source \(home)/.bashrc` (bash), `source \(home)/.zshenv` (zsh), `source \(home)/.config/fish/conf.d/pyman.fish` (fish)",
        ])
        XCTAssertEqual(try read(home + "/.bashrc"), """
            # added by pyman update-shell
            case ":${PATH-}:" in
                *:'\(bin)':*) ;;
                *) export PATH='\(bin)'"${PATH:+:${PATH}}" ;;
            esac

            """)
        XCTAssertEqual(try read(home + "/.profile"), try read(home + "/.bashrc"))
        XCTAssertEqual(try read(home + "/.zshenv"), try read(home + "/.bashrc"))
        XCTAssertEqual(try read(home + "/.config/fish/conf.d/pyman.fish"), """
            # added by pyman update-shell
            if not contains -- '\(bin)' $PATH
                set -gx PATH '\(bin)' $PATH
            end

            """)
        let mask = FileSystem.umask.rawValue
        XCTAssertEqual(try AtomicFile.permissions(of: home + "/.bashrc"), (0o644 & ~mask) | 0o600)
        for folder in [".config", ".config/fish", ".config/fish/conf.d"] {
            XCTAssertEqual(try AtomicFile.permissions(of: home + "/" + folder), 0o755 & ~mask, folder)
        }

        let files = [".bashrc", ".profile", ".zshenv", ".config/fish/conf.d/pyman.fish"].map { home + "/" + $0 }
        let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let second = try setup().run()
        XCTAssertEqual(notes(second), files.map { "PATH already set up in \($0)" }, "and no restart note")
        XCTAssertEqual(try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }, before)
    }

    func testAnExistingFileIsAppendedToInPlaceKeepingItsModeAndEndingItsLastLine() throws {
        let bashrc = home + "/.bashrc"
        try AtomicFile.write("alias ll='ls -l'", to: bashrc, mode: 0o600)
        let inode = try XCTUnwrap(FileSystem.status(bashrc)).inode
        let report = try setup(path: "").run()
        XCTAssertEqual(notes(report).first, "Added \(bin) to PATH in \(bashrc)")
        XCTAssertEqual(try read(bashrc), "alias ll='ls -l'\n\n" + posixBlock(bin))
        XCTAssertEqual(try AtomicFile.permissions(of: bashrc), 0o600)
        XCTAssertEqual(FileSystem.status(bashrc)?.inode, inode, "appended, not replaced by a rename")

        try AtomicFile.write("# mine\n", to: bashrc)
        _ = try setup(path: "").run()
        XCTAssertEqual(try read(bashrc), "# mine\n\n" + posixBlock(bin), "no extra blank line after a complete last line")
    }

    func testTheLoginFileIsTheFirstBashReadsElseANewProfile() throws {
        XCTAssertEqual(setup().bashLoginFile, home + "/.profile", "none exists: ~/.profile, not ~/.bash_profile")
        try AtomicFile.write("", to: home + "/.profile")
        try AtomicFile.write("", to: home + "/.bash_login")
        XCTAssertEqual(setup().bashLoginFile, home + "/.bash_login")
        try FileSystem.createSymlink(at: home + "/.bash_profile", pointingTo: home + "/absent")
        XCTAssertEqual(setup().bashLoginFile, home + "/.bash_login", "bash skips a link that leads nowhere")
        try FileSystem.removeFile(home + "/.bash_profile")
        try AtomicFile.write("", to: home + "/.bash_profile")
        XCTAssertEqual(setup().bashLoginFile, home + "/.bash_profile")
        _ = try setup().run()
        XCTAssertEqual(try read(home + "/.bash_profile"), posixBlock(bin))
        XCTAssertEqual(try read(home + "/.bash_login"), "", "bash does not read it: left alone")
        XCTAssertEqual(try read(home + "/.profile"), "")
    }

    func testALoginFileThatSourcesBashrcGetsTheBlockToo() throws {
        // Debian's skeleton: .profile sources .bashrc, which returns at once when not interactive.
        try AtomicFile.write("if [ -n \"$BASH_VERSION\" ]; then . \"$HOME/.bashrc\"; fi\n", to: home + "/.profile")
        try AtomicFile.write("case $- in *i*) ;; *) return;; esac\n", to: home + "/.bashrc")
        _ = try setup().run()
        XCTAssertTrue(try read(home + "/.profile").hasSuffix(posixBlock(bin)))
        XCTAssertTrue(try read(home + "/.bashrc").hasSuffix(posixBlock(bin)))
    }

    func testZshenvIsChosenAsRustupChoosesIt() throws {
        let dotDir = home + "/zdot"
        XCTAssertEqual(setup().zshenvFile, home + "/.zshenv")
        XCTAssertEqual(setup(zshDotDir: dotDir).zshenvFile, dotDir + "/.zshenv", "ZDOTDIR set, neither exists: ZDOTDIR's")
        try AtomicFile.write("export ZDOTDIR=\(dotDir)\n", to: home + "/.zshenv")
        XCTAssertEqual(setup(zshDotDir: dotDir).zshenvFile, home + "/.zshenv", "the ~/.zshenv that sets ZDOTDIR is the one zsh reads")
        try FileSystem.makeDirectory(dotDir, permissions: .ownerReadWriteExecute)
        try AtomicFile.write("", to: dotDir + "/.zshenv")
        XCTAssertEqual(setup(zshDotDir: dotDir).zshenvFile, dotDir + "/.zshenv")

        // A ZDOTDIR that does not exist yet is made, as fish's conf.d is.
        try FileManager.default.removeItem(atPath: home + "/.zshenv")
        let fresh = home + "/.config/zsh"
        let report = try setup(zshDotDir: fresh).run()
        XCTAssertTrue(notes(report).contains("Added \(bin) to PATH in \(fresh)/.zshenv (a new file)"), "\(report)")
        XCTAssertFalse(FileSystem.exists(home + "/.zshenv"))
    }

    func testFishFollowsXDGConfigHome() throws {
        let config = home + "/xdg"
        _ = try setup(configDir: config).run()
        XCTAssertTrue(FileSystem.isRegularFile(config + "/fish/conf.d/pyman.fish"))
        XCTAssertFalse(FileSystem.exists(home + "/.config"))
    }

    func testZshAndFishAreSetUpOnlyWhenInstalledOrConfigured() throws {
        let (files, skipped) = setup(path: "/nonexistent").startupFiles()
        XCTAssertEqual(files.map(\.path), [home + "/.bashrc", home + "/.profile"])
        XCTAssertEqual(skipped, [.zsh, .fish])
        let report = try setup(path: "/nonexistent").run()
        XCTAssertEqual(notes(report).suffix(2), [
            "Skipped zsh: not on PATH (run pyman update-shell again once it is installed)",
            "Skipped fish: not on PATH (run pyman update-shell again once it is installed)",
        ])
        XCTAssertFalse(FileSystem.exists(home + "/.config"))

        try FileManager.default.createDirectory(atPath: home + "/.config/fish", withIntermediateDirectories: true)
        try AtomicFile.write("", to: home + "/.zshenv")
        XCTAssertEqual(setup(path: "/nonexistent").startupFiles().skipped, [], "configured shells are set up even when not on PATH")
    }

    func testABlockForAnotherFolderOrAnEditedCopyDoesNotCount() throws {
        let block = posixBlock(bin)
        XCTAssertTrue(ShellSnippet.isPresent(for: bin, syntax: .posix, in: Array(("x\n" + block).utf8)))
        let crlf = block.replacingOccurrences(of: "\n", with: " \r\n")
        XCTAssertTrue(ShellSnippet.isPresent(for: bin, syntax: .posix, in: Array(crlf.utf8)), "CRLF and trailing blanks are an editor's")
        XCTAssertFalse(ShellSnippet.isPresent(for: bin + "2", syntax: .posix, in: Array(block.utf8)))
        XCTAssertFalse(ShellSnippet.isPresent(for: bin, syntax: .fish, in: Array(block.utf8)))
        XCTAssertFalse(ShellSnippet.isPresent(for: bin, syntax: .posix, in: Array(ShellSnippet.marker.utf8)), "the marker alone is not the block")

        // After PYMAN_BIN_DIR changed, the new folder gets a block of its own beside the old one.
        try AtomicFile.write(block, to: home + "/.bashrc")
        _ = try setup(bin: "/opt/bin", path: "").run()
        XCTAssertEqual(try read(home + "/.bashrc"), block + "\n" + posixBlock("/opt/bin"))
    }

    func testALinkToOwnRegularFileIsWrittenThroughAndADanglingOneIsRefused() throws {
        let dotfiles = home + "/dotfiles"
        try FileSystem.makeDirectory(dotfiles, permissions: .ownerReadWriteExecute)
        try AtomicFile.write("# managed\n", to: dotfiles + "/bashrc")
        try FileSystem.createSymlink(at: home + "/.bashrc", pointingTo: "dotfiles/bashrc")
        let report = try setup(path: "").run()
        XCTAssertEqual(notes(report).first, "Added \(bin) to PATH in \(home)/.bashrc (through the link, in \(dotfiles)/bashrc)")
        XCTAssertEqual(FileSystem.symlinkTarget(home + "/.bashrc"), "dotfiles/bashrc", "the link stays a link")
        XCTAssertEqual(try read(dotfiles + "/bashrc"), "# managed\n\n" + posixBlock(bin))
        XCTAssertEqual(notes(try setup(path: "").run()).first, "PATH already set up in \(home)/.bashrc")

        try FileSystem.removeFile(home + "/.profile")   // the first run made it
        try FileSystem.createSymlink(at: home + "/.profile", pointingTo: dotfiles + "/profile")
        let refused = try setup(path: "").run()
        XCTAssertTrue(refused.failed)
        XCTAssertEqual(failures(refused), [
            "\(home)/.profile is a link to \(dotfiles)/profile, which does not exist, and pyman creates no file through a link; create the file it names, or remove the link, and run pyman update-shell again",
        ])
        XCTAssertFalse(FileSystem.exists(dotfiles + "/profile"), "nothing created through the link")
        XCTAssertEqual(notes(refused).first, "PATH already set up in \(home)/.bashrc", "the other files are still dealt with")

        try FileSystem.removeFile(home + "/.profile")
        try FileSystem.createSymlink(at: home + "/.profile", pointingTo: dotfiles)
        XCTAssertEqual(failures(try setup(path: "").run()), ["\(home)/.profile (a link to \(dotfiles)) is not a regular file"])
    }

    func testFilesAndFoldersOfAnotherUserAreRefused() throws {
        try XCTSkipIf(geteuid() != 0, "needs root to give a file away")
        let other: UInt32 = 65534
        try AtomicFile.write("# ann's\n", to: home + "/.bashrc")
        XCTAssertEqual(chown(home + "/.bashrc", other, other), 0)
        try AtomicFile.write("# ann's too\n", to: home + "/theirs")
        XCTAssertEqual(chown(home + "/theirs", other, other), 0)
        try FileSystem.createSymlink(at: home + "/.profile", pointingTo: home + "/theirs")
        let config = home + "/shared"
        try FileSystem.makeDirectory(config, permissions: FilePermissions(rawValue: 0o777))
        XCTAssertEqual(chown(config, other, other), 0)

        let report = try setup(configDir: config + "/cfg").run()
        XCTAssertEqual(failures(report), [
            "\(home)/.bashrc belongs to uid 65534, not to this user (uid 0), and pyman appends only to the startup files of the user it runs as; run pyman update-shell as uid 65534",
            "\(home)/.profile (a link to \(home)/theirs) belongs to uid 65534, not to this user (uid 0), and pyman appends only to the startup files of the user it runs as; run pyman update-shell as uid 65534",
            "the folder \(config) belongs to uid 65534, not to this user (uid 0), and pyman creates startup files only in folders of the user it runs as; run pyman update-shell as uid 65534",
        ])
        XCTAssertEqual(try read(home + "/.bashrc"), "# ann's\n")
        XCTAssertEqual(try read(home + "/theirs"), "# ann's too\n")
        XCTAssertFalse(FileSystem.exists(config + "/cfg"), "no folder made in another user's folder")
        XCTAssertEqual(notes(report).first, "Added \(bin) to PATH in \(home)/.zshenv (a new file)")

        try AtomicFile.write(posixBlock(bin), to: home + "/.zshenv")
        XCTAssertEqual(chown(home + "/.zshenv", other, other), 0)
        XCTAssertTrue(notes(try setup(configDir: config + "/cfg").run()).contains("PATH already set up in \(home)/.zshenv"),
                      "a file already set up is only read, whoever owns it")
    }

    func testAHomeLinkOrBinDirOfAnotherUserIsRefusedBeforeAnyWrite() throws {
        try XCTSkipIf(geteuid() != 0, "needs root to give a file away")
        let other: UInt32 = 65534
        let roots = home + "/roots-own"
        try AtomicFile.write("# root's\n", to: roots)
        try FileSystem.createSymlink(at: home + "/.bashrc", pointingTo: roots)
        XCTAssertEqual(lchown(home + "/.bashrc", other, other), 0)
        let report = try setup(path: "").run()
        XCTAssertEqual(failures(report).first,
                       "the link \(home)/.bashrc belongs to uid 65534, not to this user (uid 0), and pyman follows only the links of the user it runs as; run pyman update-shell as uid 65534")
        XCTAssertEqual(try read(roots), "# root's\n", "nothing appended through another user's link")
        XCTAssertEqual(notes(report).first, "Added \(bin) to PATH in \(home)/.profile (a new file)", "the other files are still dealt with")

        let theirs = home + "/theirs"
        try FileSystem.makeDirectories(theirs + "/bin", permissions: FilePermissions(rawValue: 0o755))
        XCTAssertEqual(chown(theirs, other, other), 0)
        XCTAssertThrowsError(try setup(bin: theirs + "/bin").run()) { error in
            XCTAssertEqual("\(error)", "\(theirs), a folder above the bin dir \(theirs)/bin, belongs to user 65534, not to you or root, so they could change what pyman runs; choose a bin dir outside it")
        }
        let before = try read(home + "/.profile")
        XCTAssertEqual(chown(home, other, other), 0)
        XCTAssertThrowsError(try setup(path: "").run()) { error in
            XCTAssertEqual("\(error)", "the home folder \(home) belongs to uid 65534, not to this user (uid 0), and pyman sets up only the startup files of the user it runs as; run pyman update-shell as uid 65534")
        }
        XCTAssertEqual(try read(home + "/.profile"), before, "nothing written in another user's HOME")
    }

    func testABinDirThatNoStartupFileCanHoldIsRefusedBeforeAnyWrite() throws {
        for (folder, reason) in [("/opt/a\nb", "the bin dir /opt/a\\nb contains a control character"),
                                 ("/opt/a\tb", "the bin dir /opt/a\\tb contains a control character"),
                                 ("/opt/a:b", "the bin dir /opt/a:b contains ':'")] {
            XCTAssertThrowsError(try setup(bin: folder).run()) { error in
                XCTAssertTrue("\(error)".hasPrefix(reason), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home), [])
        let gone = ShellSetup(home: home + "/absent", binDir: bin, zshDotDir: nil, configDir: home + "/absent/.config", searchPath: SearchPath(nil))
        XCTAssertThrowsError(try gone.run()) { error in
            XCTAssertEqual("\(error)", "the home folder \(home)/absent does not exist; set HOME to your home folder")
        }
        XCTAssertFalse(FileSystem.exists(home + "/absent"))
    }

    /// The block, sourced twice by each real shell there is, puts any folder on PATH exactly once.
    func testTheBlockQuotesAnyFolderForTheRealShells() throws {
        let folder = home + "/a b/it's $HOME `x` \"q\" \\n *"
        for (shell, syntax, script) in [("/bin/sh", ShellSnippet.Syntax.posix, ". \"$0\"; . \"$0\"; printf '%s' \"$PATH\""),
                                        ("/bin/bash", .posix, ". \"$0\"; . \"$0\"; printf '%s' \"$PATH\""),
                                        ("/usr/bin/zsh", .posix, ". \"$0\"; . \"$0\"; printf '%s' \"$PATH\""),
                                        ("/usr/bin/fish", .fish, "source $argv[1]; source $argv[1]; printf '%s' (string join : $PATH)")] {
            guard FileSystem.isExecutableFile(shell) else { continue }
            let file = home + "/block-\(Path.lastComponent(shell))"
            try AtomicFile.write(ShellSnippet.lines(for: folder, syntax: syntax).joined(separator: "\n") + "\n", to: file)
            let ran = try TestSupport.run(shell, shell.hasSuffix("fish") ? ["--no-config", "-c", script, file] : ["-c", script, file],
                                          environment: ["PATH": "/usr/bin:/bin", "HOME": home])
            XCTAssertEqual(ran.stdout, folder + ":/usr/bin:/bin", shell)
        }
    }

    func testTheSearchPath() throws {
        let path = SearchPath(shells + "/::relative:/usr/bin:" + home + "/link")
        XCTAssertEqual(path.folders, [shells + "/", "/usr/bin", home + "/link"], "empty and relative entries name no fixed folder")
        XCTAssertTrue(path.contains(shells), "a trailing slash is the same folder")
        XCTAssertTrue(path.contains(shells + "/"))
        XCTAssertFalse(path.contains(home))
        try FileSystem.createSymlink(at: home + "/link", pointingTo: home + "/real")
        try FileSystem.makeDirectory(home + "/real", permissions: .ownerReadWriteExecute)
        XCTAssertTrue(path.contains(home + "/real"), "the same folder through a link")
        XCTAssertEqual(path.executable("zsh"), shells + "/zsh", "the first folder that has it")
        XCTAssertNil(path.executable("no-such-shell"))
        XCTAssertFalse(SearchPath(nil).contains("/usr/bin"))
    }
}
