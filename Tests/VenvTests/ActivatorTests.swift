// Activation scripts, tried in the real shells: each test writes the scripts for a venv whose path holds
// a space, `$`, a backquote, quotes, `!` and a backslash, sources them in the shell, and reads back what
// the shell did. A shell that is not installed is skipped with the reason, never passed.
import Foundation
import XCTest
@testable import Venv

final class ActivatorTests: XCTestCase {
    /// A folder for this test's fixtures, removed after it.
    private var scratch = ""

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-activators-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private func makeFixture(prompt: String) throws -> Fixture { try Fixture(prompt: prompt, in: scratch) }

    // MARK: Writing the files

    func testWritesEveryScriptWithMode0644AndNothingElse() throws {
        let fixture = try makeFixture(prompt: "api")
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.bin).sorted()
        XCTAssertEqual(names, (Activators.fileNames + ["python"]).sorted())
        for name in Activators.fileNames {
            let attributes = try FileManager.default.attributesOfItem(atPath: fixture.bin + "/" + name)
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644, name)
        }
        XCTAssertEqual(
            try String(contentsOfFile: fixture.bin + "/Activate.ps1", encoding: .utf8),
            try String(contentsOfFile: fixture.bin + "/activate.ps1", encoding: .utf8))
    }

    func testFileNamesListTheShells() {
        XCTAssertEqual(Activators.fileNames,
                       ["activate", "activate.fish", "activate.csh", "activate.nu", "Activate.ps1", "activate.ps1"])
    }

    func testRewritingReplacesTheFilesWholeAndLeavesNoTemporaries() throws {
        let fixture = try makeFixture(prompt: "api")
        let path = fixture.bin + "/activate"
        let before = try inode(path)
        try Activators.write(into: fixture.bin, venvPath: fixture.venv, prompt: "other")
        XCTAssertNotEqual(try inode(path), before, "written beside and renamed over, not rewritten in place")
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("VIRTUAL_ENV_PROMPT='other'"))
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.bin)
        XCTAssertEqual(names.filter { $0.hasPrefix(".") }, [])
    }

    func testModeIs0644WhateverTheUmask() throws {
        let fixture = try makeFixture(prompt: "api")
        let old = umask(0o077)
        defer { umask(old) }
        try Activators.write(into: fixture.bin, venvPath: fixture.venv, prompt: "api")
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.bin + "/activate.fish")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644)
    }

    func testRejectsARelativeVenvPathAndAMissingFolder() throws {
        let fixture = try makeFixture(prompt: "api")
        XCTAssertThrowsError(try Activators.write(into: fixture.bin, venvPath: "rel/venv", prompt: "x"))
        XCTAssertThrowsError(try Activators.write(
            into: fixture.root + "/no/such/bin", venvPath: fixture.venv, prompt: "x")) { error in
            XCTAssertTrue("\(error)".contains("no/such/bin/activate"), "\(error)")
        }
    }

    func testATrailingSlashIsDropped() throws {
        let texts = try Activators.texts(venvPath: "/srv/api/", prompt: "api")
        XCTAssertTrue(texts["activate"]!.contains("VIRTUAL_ENV='/srv/api'\n"))
    }

    func testUsualPromptGivesOnePromptAssignment() throws {
        // Only a prompt with characters some shell expands needs the per-shell choice at run time.
        let plain = try Activators.texts(venvPath: "/srv/api", prompt: "api")["activate"]!
        XCTAssertTrue(plain.contains("    PS1='(api) '\"${PS1-}\"\n"), plain)
        XCTAssertFalse(plain.contains("promptsubst"))
        let odd = try Activators.texts(venvPath: "/srv/api", prompt: "a$b")["activate"]!
        XCTAssertTrue(odd.contains("promptsubst"))
    }

    // MARK: Activating and deactivating in each shell

    func testBash() throws { try exercise(.bash) }
    func testDash() throws { try exercise(.dash) }
    func testZsh() throws { try exercise(.zsh) }
    func testFish() throws { try exercise(.fish) }
    func testTcsh() throws { try exercise(.tcsh) }
    func testCsh() throws { try exercise(.csh) }
    func testNushell() throws { try exercise(.nu) }
    func testPowerShell() throws { try exercise(.pwsh) }

    /// Activates, deactivates, activates twice, activates another venv, deactivates nondestructively and
    /// for good, reporting the variables and which `python` runs at each step.
    private func exercise(_ shell: Shell) throws {
        let program = try shell.locate()
        let fixture = try makeFixture(prompt: "api")
        let r = shell.report, check = shell.deactivateCheck
        let venv = shell.activate(fixture.venv, "ACT_VENV"), other = shell.activate(fixture.other, "ACT_OTHER")
        var lines = [r("before"), "python", venv, r("active"), "python",
                     "deactivate", r("after"), "python", check,
                     venv, venv, r("twice"), other, r("switched")]
        if let keep = shell.nondestructive { lines += [keep, r("kept"), check] }
        lines += ["deactivate", r("end"), check]
        let result = try fixture.run(program, shell.scriptArguments, driver: lines, extension: shell.driverExtension)
        XCTAssertEqual(result.status, 0, "\(shell.name) failed:\n\(result.err)\n\(result.out)")

        let reports = Report(result.out)
        let base = fixture.basePath, venvBin = fixture.venv + "/bin"
        for label in ["before", "after", "end"] + (shell.nondestructive == nil ? [] : ["kept"]) {
            XCTAssertEqual(reports[label, "VIRTUAL_ENV"], .unset, "\(shell.name) \(label)")
            XCTAssertEqual(reports[label, "VIRTUAL_ENV_PROMPT"], .unset, "\(shell.name) \(label)")
            XCTAssertEqual(reports[label, "PATH"], .value(base), "\(shell.name) \(label): PATH is not the original")
            XCTAssertEqual(reports[label, "PYTHONHOME"], .value(Fixture.pythonHome), "\(shell.name) \(label)")
        }
        for label in ["active", "twice"] {
            XCTAssertEqual(reports[label, "VIRTUAL_ENV"], .value(fixture.venv), "\(shell.name) \(label)")
            XCTAssertEqual(reports[label, "VIRTUAL_ENV_PROMPT"], .value("api"), "\(shell.name) \(label)")
            XCTAssertEqual(reports.firstPathEntry(label), venvBin, "\(shell.name) \(label): first PATH entry")
            XCTAssertEqual(reports[label, "PATH"], .value(venvBin + ":" + base),
                           "\(shell.name) \(label): exactly one entry for the venv, in front of the original PATH")
            XCTAssertEqual(reports[label, "PYTHONHOME"], .unset, "\(shell.name) \(label)")
        }
        // Activating another environment leaves this one first.
        XCTAssertEqual(reports["switched", "VIRTUAL_ENV"], .value(fixture.other), shell.name)
        XCTAssertEqual(reports["switched", "VIRTUAL_ENV_PROMPT"], .value("other"), shell.name)
        XCTAssertEqual(reports["switched", "PATH"], .value(fixture.other + "/bin:" + base), shell.name)
        XCTAssertEqual(reports["switched", "PYTHONHOME"], .unset, shell.name)
        let pythons = result.out.split(separator: "\n").filter { $0.hasSuffix("-python") }
        XCTAssertEqual(pythons, ["decoy-python", "venv-python", "decoy-python"], "\(shell.name): which python ran")
        let functions = result.out.split(separator: "\n").filter { $0.hasPrefix("DEACTIVATE ") }
        XCTAssertEqual(functions, shell.nondestructive == nil
                       ? ["DEACTIVATE gone", "DEACTIVATE gone"]
                       : ["DEACTIVATE gone", "DEACTIVATE present", "DEACTIVATE gone"],
                       "\(shell.name): deactivate removes itself, but not when nondestructive")
    }

    // MARK: Running bin/activate instead of sourcing it

    func testBashRefusesToRunActivate() throws { try refuse(.bash) }
    func testDashRefusesToRunActivate() throws { try refuse(.dash) }
    func testZshRefusesToRunActivate() throws { try refuse(.zsh) }

    private func refuse(_ shell: Shell) throws {
        let program = try shell.locate()
        let fixture = try makeFixture(prompt: "api")
        let result = try fixture.run(program, shell.scriptArguments + [fixture.bin + "/activate"], driver: nil)
        XCTAssertNotEqual(result.status, 0, "\(shell.name) ran bin/activate without complaint")
        XCTAssertTrue(result.err.contains("source it instead of running it"), "\(shell.name): \(result.err)")
        XCTAssertTrue(result.err.contains(fixture.venv.replacingOccurrences(of: "'", with: #"'\''"#)), result.err)
    }

    // MARK: The prompt

    /// A prompt name with everything some shell's prompt expansion would act on.
    static let oddPrompt = #"we$ird `x` 100%n %% %~ !1 !! \z \$ \! 'q' "d" $(echo no) ${HOME}"#

    // Prompts of bash, dash, zsh, tcsh and csh are shown only by interactive shells; driving those by
    // typing into them proved timing-dependent (they hang without a terminal), so only fish's prompt
    // function, which can be called from a script, is checked here.

    func testFishPrompt() throws {
        let program = try Shell.fish.locate()
        for (prompt, disabled) in [("api", false), (Self.oddPrompt, false), ("api", true)] {
            let fixture = try makeFixture(prompt: prompt)
            let what = "fish prompt \(prompt)\(disabled ? " disabled" : "")"
            let lines = [
                // An old prompt that shows the last status, to see it is handed the right one.
                "function fish_prompt; printf '[orig %s] ' $status; end",
                disabled ? "set -gx VIRTUAL_ENV_DISABLE_PROMPT 1" : "",
                Shell.fish.activate(fixture.venv, "ACT_VENV"),
                "false; printf 'A<%s>\\n' (fish_prompt)",
                "deactivate",
                "false; printf 'D<%s>\\n' (fish_prompt)",
            ]
            let result = try fixture.run(program, Shell.fish.scriptArguments, driver: lines, extension: "fish")
            XCTAssertEqual(result.status, 0, "\(what): \(result.err)")
            let expected = (disabled ? "" : "(\(prompt)) ") + "[orig 1] "
            XCTAssertTrue(result.out.contains("A<\(expected)>\n"), "\(what): \(result.out)")
            XCTAssertTrue(result.out.contains("D<[orig 1] >\n"), "\(what): \(result.out)")
        }
    }

    // MARK: Helpers

    private func inode(_ path: String) throws -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return UInt64(info.st_ino)
    }
}

/// One shell: how to find it, run a script in it, and say the few things each test needs.
private struct Shell {
    let name: String
    let program: String
    let package: String
    var scriptArguments: [String] = []
    var driverExtension = "sh"
    /// The command activating the venv at `path`, which is also in the environment variable `variable`.
    let activate: (_ path: String, _ variable: String) -> String
    let report: (String) -> String
    let deactivateCheck: String
    var nondestructive: String? = "deactivate nondestructive"
    let setVariable: (String, String) -> String

    /// The shell's absolute path, or a skip saying it is not installed.
    func locate() throws -> String {
        let found = Shell.search(program)
        guard let path = found else {
            throw XCTSkip("\(name) not installed: no `\(program)` on PATH (Debian package: \(package))")
        }
        if name == "csh", let tcsh = Shell.search("tcsh"),
           URL(fileURLWithPath: path).resolvingSymlinksInPath() == URL(fileURLWithPath: tcsh).resolvingSymlinksInPath() {
            throw XCTSkip("csh not installed as its own shell: `csh` is tcsh here, tested as tcsh (Debian package: csh)")
        }
        return path
    }

    static func search(_ program: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/local/bin:/usr/bin:/bin"
        for dir in dirs.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let shReport = { (label: String) in "\"$REPORT\" \(label)" }
    static let shCheck = "if command -v deactivate >/dev/null 2>&1; then echo 'DEACTIVATE present'; else echo 'DEACTIVATE gone'; fi"
    static let shSource = { (_: String, variable: String) in ". \"$\(variable)/bin/activate\"" }
    static let shSet = { (name: String, value: String) in "\(name)='\(value)'; export \(name)" }
    static let cshCheck = """
        if ( `alias deactivate | wc -c` == 0 ) then
            echo 'DEACTIVATE gone'
        else
            echo 'DEACTIVATE present'
        endif
        """

    static let bash = Shell(name: "bash", program: "bash", package: "bash", scriptArguments: ["--norc", "--noprofile"],
                            activate: shSource, report: shReport, deactivateCheck: shCheck, setVariable: shSet)
    static let dash = Shell(name: "dash", program: "dash", package: "dash", activate: shSource, report: shReport, deactivateCheck: shCheck, setVariable: shSet)
    static let zsh = Shell(name: "zsh", program: "zsh", package: "zsh", scriptArguments: ["-f"],
                           activate: shSource, report: shReport, deactivateCheck: shCheck, setVariable: shSet)
    static let fish = Shell(name: "fish", program: "fish", package: "fish", scriptArguments: ["--no-config"],
                            driverExtension: "fish",
                            activate: { "source \"$\($1)/bin/activate.fish\"" }, report: shReport,
                            deactivateCheck: "if functions -q deactivate; echo 'DEACTIVATE present'; else; echo 'DEACTIVATE gone'; end",
                            setVariable: { name, value in "set -gx \(name) '\(value)'" })
    static let tcsh = Shell(name: "tcsh", program: "tcsh", package: "tcsh", scriptArguments: ["-f"], driverExtension: "csh",
                            activate: { "source \"$\($1)/bin/activate.csh\"" }, report: shReport,
                            deactivateCheck: cshCheck,
                            setVariable: { name, value in "setenv \(name) '\(value)'" })
    static let csh = Shell(name: "csh", program: "csh", package: "csh", scriptArguments: ["-f"], driverExtension: "csh",
                           activate: tcsh.activate, report: shReport, deactivateCheck: cshCheck,
                           setVariable: tcsh.setVariable)
    static let nu = Shell(name: "nushell", program: "nu", package: "none in Debian bookworm", scriptArguments: ["--no-config-file"],
                          driverExtension: "nu",
                          // `overlay use` takes a path fixed when the script is parsed, so it is spelled out.
                          activate: { path, _ in "overlay use \(nuString(path + "/bin/activate.nu"))" },
                          report: { "^$env.REPORT \($0)" },
                          deactivateCheck: "if (which deactivate | is-empty) { print 'DEACTIVATE gone' } else { print 'DEACTIVATE present' }",
                          nondestructive: nil,
                          setVariable: { name, value in "$env.\(name) = '\(value)'" })
    static let pwsh = Shell(name: "PowerShell", program: "pwsh", package: "none in Debian bookworm (powershell)",
                            scriptArguments: ["-NoLogo", "-NoProfile", "-NonInteractive", "-File"],
                            driverExtension: "ps1",
                            activate: { ". (Join-Path $env:\($1) 'bin/Activate.ps1')" },
                            report: { "& $env:REPORT \($0)" },
                            deactivateCheck: "if (Get-Command deactivate -ErrorAction SilentlyContinue) { 'DEACTIVATE present' } else { 'DEACTIVATE gone' }",
                            nondestructive: "deactivate -NonDestructive",
                            setVariable: { name, value in "$env:\(name) = '\(value)'" })

    static func nuString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// A venv with awkward characters in its path, its scripts written, a `python` that says it is the
/// venv's, a decoy `python` first on the original PATH, and a `report` tool printing the variables.
private struct Fixture {
    static let pythonHome = "/nonexistent/python-home"
    let root: String
    let venv: String
    /// A second venv, to switch to.
    let other: String
    var bin: String { venv + "/bin" }
    var basePath: String { root + "/decoy:/usr/local/bin:/usr/bin:/bin" }

    init(prompt: String, in scratch: String) throws {
        let fm = FileManager.default
        root = scratch + "/" + UUID().uuidString
        venv = root + #"/my env $HOME `id` it's "q" !1 \b/venv"#
        other = root + "/other venv $x/venv"
        try fm.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: other + "/bin", withIntermediateDirectories: true)
        try Activators.write(into: other + "/bin", venvPath: other, prompt: "other")
        try fm.createDirectory(atPath: root + "/decoy", withIntermediateDirectories: true)
        try Activators.write(into: venv + "/bin", venvPath: venv, prompt: prompt)
        try Fixture.executable(venv + "/bin/python", "#!/bin/sh\necho venv-python\n")
        try Fixture.executable(root + "/decoy/python", "#!/bin/sh\necho decoy-python\n")
        try Fixture.executable(root + "/report", #"""
            #!/bin/sh
            for name in VIRTUAL_ENV VIRTUAL_ENV_PROMPT PATH PYTHONHOME; do
                if eval "[ -n \"\${$name+set}\" ]"; then
                    eval "value=\$$name"
                    printf 'REPORT %s %s=%s\n' "$1" "$name" "$value"
                else
                    printf 'REPORT %s %s unset\n' "$1" "$name"
                fi
            done

            """#)
    }

    static func executable(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    struct Result { let status: Int32; let out: String; let err: String }

    /// Runs `program arguments [driver file]` with a small, fixed environment and no input.
    func run(_ program: String, _ arguments: [String], driver: [String]? = nil, extension ext: String = "sh") throws -> Result {
        let id = UUID().uuidString
        var arguments = arguments
        if let driver {
            let path = root + "/driver-\(id).\(ext)"
            try (driver.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            arguments.append(path)
        }
        let outPath = root + "/out-\(id)", errPath = root + "/err-\(id)"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = [
            "PATH": basePath, "HOME": root, "ACT_VENV": venv, "ACT_OTHER": other, "REPORT": root + "/report",
            "PYTHONHOME": Fixture.pythonHome, "LANG": "C.UTF-8", "TERM": "dumb",
        ]
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning {
            if Date() > deadline { process.terminate(); XCTFail("\(program) did not finish in 60 s") ; break }
            usleep(20_000)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      out: try String(contentsOfFile: outPath, encoding: .utf8),
                      err: try String(contentsOfFile: errPath, encoding: .utf8))
    }
}

/// The `REPORT <label> <NAME>=<value>` / `REPORT <label> <NAME> unset` lines of a run.
private struct Report {
    enum Value: Equatable { case unset, value(String), missing }
    private var values: [String: Value] = [:]

    init(_ output: String) {
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("REPORT ") {
            let rest = line.dropFirst("REPORT ".count)
            guard let space = rest.firstIndex(of: " ") else { continue }
            let label = String(rest[..<space]), item = rest[rest.index(after: space)...]
            if item.hasSuffix(" unset"), !item.contains("=") {
                values["\(label) \(item.dropLast(" unset".count))"] = .unset
            } else if let equals = item.firstIndex(of: "=") {
                values["\(label) \(item[..<equals])"] = .value(String(item[item.index(after: equals)...]))
            }
        }
    }

    subscript(label: String, name: String) -> Value { values["\(label) \(name)"] ?? .missing }

    func firstPathEntry(_ label: String) -> String? {
        guard case .value(let path) = self[label, "PATH"] else { return nil }
        return path.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init)
    }
}
