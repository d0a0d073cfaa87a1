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
}
