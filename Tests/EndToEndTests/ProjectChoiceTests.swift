import Foundation
import XCTest

/// What a command takes when it is given no request: .python-version(s), then pyproject.toml's
/// requires-python, then the global pin, then the newest.
final class ProjectChoiceTests: XCTestCase {
    let python311 = FixturePython(version: "3.11.2")
    let python313 = FixturePython(version: "3.13.5")

    func testABareInstallInstallsEveryLineOfPythonVersionsAndTheFirstIsTheDefault() throws {
        let sandbox = try Sandbox()
        try "3.13\n3.11\n".write(to: sandbox.work.appendingPathComponent(".python-versions"), atomically: true, encoding: .utf8)
        let installed = try sandbox.pyman(["install"], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertEqual(try sandbox.listedKeys(), [python311.key, python313.key])
        let found = try sandbox.pyman(["find"], env: [:])
        XCTAssertEqual(found.stdout, sandbox.installDir.appendingPathComponent("\(python313.key)/bin/python3.13").path + "\n")
        let made = try sandbox.pyman(["venv"], env: [:])
        XCTAssertEqual(made.status, 0, made.summary)
        try assertRunsFromInstall(sandbox.work.appendingPathComponent(".venv/bin/python").path, python313,
                                  install: sandbox.installDir.appendingPathComponent(python313.key), sandbox: sandbox)
    }

    func testTheGlobalPinAnswersWhenNothingNearerDoes() throws {
        let sandbox = try Sandbox()
        sandbox.environment["XDG_CONFIG_HOME"] = sandbox.root.appendingPathComponent("config").path
        XCTAssertEqual(try sandbox.pyman(["install", python311.version, python313.version], env: [:]).status, 0)
        let pinned = try sandbox.pyman(["pin", "--global", "3.11"], env: [:])
        XCTAssertEqual(pinned.status, 0, pinned.summary)
        XCTAssertEqual(try String(contentsOf: sandbox.root.appendingPathComponent("config/pyman/python-version"), encoding: .utf8), "3.11\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.work.appendingPathComponent(".python-version").path))
        XCTAssertTrue(try sandbox.pyman(["find"], env: [:]).stdout.hasSuffix("\(python311.key)/bin/python3.11\n"), "the global pin, not the newest")
        XCTAssertEqual(try sandbox.pyman(["pin", "3.13"], env: [:]).status, 0)
        XCTAssertTrue(try sandbox.pyman(["find"], env: [:]).stdout.hasSuffix("\(python313.key)/bin/python3.13\n"), "the folder's pin beats the global one")
        let bad = try sandbox.pyman(["pin", "--global", "3.x"], env: [:])
        XCTAssertEqual(bad.status, 1, bad.summary)
    }

    func pyproject(_ sandbox: Sandbox, _ text: String) throws {
        try text.write(to: sandbox.work.appendingPathComponent("pyproject.toml"), atomically: true, encoding: .utf8)
    }

    func testRequiresPythonPicksTheNewestThatSatisfiesIt() throws {
        let sandbox = try Sandbox()
        try pyproject(sandbox, """
            [build-system]
            requires = ["hatchling"]

            [project]
            name = "demo"
            dependencies = [
                "requests>=2",  # a comment
            ]
            requires-python = ">=3.10, <3.12"
            """)
        let installed = try sandbox.pyman(["install"], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertEqual(try sandbox.listedKeys(), [python311.key], "the newest available satisfying <3.12")
        XCTAssertEqual(try sandbox.pyman(["install", python313.version], env: [:]).status, 0)
        let deep = sandbox.work.appendingPathComponent("src/pkg")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let found = try sandbox.pyman(["find"], cwd: deep)
        XCTAssertTrue(found.stdout.hasSuffix("\(python311.key)/bin/python3.11\n"), "the nearest pyproject.toml, not the newest installed: \(found.summary)")
        let made = try sandbox.pyman(["venv"], env: [:])
        XCTAssertEqual(made.status, 0, made.summary)
        try assertRunsFromInstall(sandbox.work.appendingPathComponent(".venv/bin/python").path, python311,
                                  install: sandbox.installDir.appendingPathComponent(python311.key), sandbox: sandbox)
        try "3.13\n".write(to: sandbox.work.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertTrue(try sandbox.pyman(["find"], env: [:]).stdout.hasSuffix("\(python313.key)/bin/python3.13\n"), ".python-version comes before requires-python")
    }

    func testABadOrUnsatisfiablePyprojectIsOneLine() throws {
        let sandbox = try Sandbox()
        let file = sandbox.work.appendingPathComponent("pyproject.toml").path
        try pyproject(sandbox, "[project]\nname = \"demo\"\nrequires-python = \">=3.11\n")
        let broken = try sandbox.pyman(["install"], env: [:])
        XCTAssertEqual(broken.status, 1, broken.summary)
        XCTAssertEqual(broken.stderr.split(separator: "\n").count, 1, broken.summary)
        XCTAssertTrue(broken.stderr.hasPrefix("error: \(file) line 3: "), broken.summary)

        try pyproject(sandbox, "[project]\nrequires-python = \"^3.11\"\n")
        let specifier = try sandbox.pyman(["find"], env: [:])
        XCTAssertEqual(specifier.status, 1, specifier.summary)
        XCTAssertTrue(specifier.stderr.hasPrefix("error: \(file): requires-python '^3.11' is not a version specifier"), specifier.summary)

        try pyproject(sandbox, "[project]\nrequires-python = \">=3.16\"\n")
        let none = try sandbox.pyman(["install"], env: [:])
        XCTAssertEqual(none.status, 1, none.summary)
        XCTAssertEqual(none.stderr, "error: no Python matches '>=3.16' (from \(file)) for linux-x86_64-gnu; the nearest known are 3.13.5, 3.11.2; change the request or see `pyman list`\n")
        XCTAssertEqual(sandbox.installDirContents(), [])
    }

    /// TOML is UTF-8: a pyproject.toml saved as Latin-1, found walking up from a subfolder, is one line naming
    /// its file, line and byte, for every command that reads it, and nothing is installed.
    func testAPyprojectThatIsNotUTF8IsOneLine() throws {
        let sandbox = try Sandbox()
        let file = sandbox.work.appendingPathComponent("pyproject.toml")
        try Data(Array("[project]\nname = \"caf".utf8) + [0xE9] + Array("\"\nrequires-python = \">=3.11\"\n".utf8)).write(to: file)
        let deep = sandbox.work.appendingPathComponent("src/pkg")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        for arguments in [["find"], ["install"], ["venv"]] {
            let refused = try sandbox.pyman(arguments, cwd: deep)
            XCTAssertEqual(refused.status, 1, refused.summary)
            XCTAssertEqual(refused.stdout, "", refused.summary)
            XCTAssertEqual(refused.stderr, "error: \(file.path) line 2: byte 0xe9 is not UTF-8, and a TOML file must be UTF-8 text; save the file as UTF-8\n")
        }
        XCTAssertEqual(sandbox.installDirContents(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: deep.appendingPathComponent(".venv").path))
    }
}
