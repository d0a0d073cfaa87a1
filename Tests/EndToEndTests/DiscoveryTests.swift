import Foundation
import XCTest

/// The machine's other Pythons: Debian's /usr/bin/python3.11 (3.11.2, prefix /usr) and pyenv's 3.11.7,
/// on a PATH of the test's own, against pyman's install of the 3.11.2 fixture. Which one was used is told
/// by the prefix the interpreter itself reports, never by its name.
final class DiscoveryTests: XCTestCase {
    let debian = "/usr/bin/python3.11"
    let pyenv = "/root/.pyenv/versions/3.11.7/bin/python3.11"
    let fixture = FixturePython(version: "3.11.2")

    /// A sandbox whose PATH holds a folder with the pyenv Python, then one with Debian's.
    func world(preference: String = "managed") throws -> Sandbox {
        for python in [debian, pyenv] where !FileManager.default.isExecutableFile(atPath: python) {
            throw XCTSkipError("\(python) is not on this machine")
        }
        let sandbox = try Sandbox()
        let (first, second) = (sandbox.root.appendingPathComponent("first"), sandbox.root.appendingPathComponent("second"))
        for (folder, python) in [(first, pyenv), (second, debian)] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("python3.11").path, withDestinationPath: python)
        }
        sandbox.environment["PATH"] = "\(first.path):\(second.path):/bin"
        sandbox.environment["PYMAN_PYTHON_PREFERENCE"] = preference
        return sandbox
    }

    /// The real prefix the Python at `path` runs from.
    func prefix(of path: String, _ sandbox: Sandbox, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let ran = try sandbox.exec(path, ["-c", "import os, sys; print(os.path.realpath(sys.base_prefix))"])
        XCTAssertEqual(ran.status, 0, ran.summary, file: file, line: line)
        return ran.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func found(_ sandbox: Sandbox, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try sandbox.pyman(["find"] + arguments, env: [:], file: file, line: line)
        XCTAssertEqual(result.status, 0, result.summary, file: file, line: line)
        return try prefix(of: result.stdout.trimmingCharacters(in: .newlines), sandbox, file: file, line: line)
    }

    func testFindTakesTheFirstPythonOnPathWhenPymanHasNone() throws {
        let sandbox = try world()
        XCTAssertEqual(try found(sandbox, ["3.11"]), "/root/.pyenv/versions/3.11.7", "PATH's first answer")
        XCTAssertEqual(try found(sandbox, ["3.11.2"]), "/usr", "the first that matches: Debian's is 3.11.2")
        let none = try sandbox.pyman(["find", "3.10"], env: ["PATH": "/bin"])
        XCTAssertEqual(none.status, 1, none.summary)
        XCTAssertTrue(none.stderr.contains("no Python matches '3.10'"), none.summary)
    }

    /// A program on PATH named like a Python that never answers, and one that floods its output, are
    /// stopped (10 s, 1 MiB) and passed over; the next Python on PATH answers.
    func testAProgramThatHangsOrFloodsIsPassedOver() throws {
        let sandbox = try world()
        let hostile = sandbox.root.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: hostile, withIntermediateDirectories: true)
        let source = hostile.appendingPathComponent("hang.c")
        try Data("#include <unistd.h>\nint main(void) { for (;;) pause(); }\n".utf8).write(to: source)
        let built = try EndToEndTests.run("/usr/bin/cc", ["-o", hostile.appendingPathComponent("python3.11").path, source.path])
        XCTAssertEqual(built.status, 0, built.summary)
        // `yes` prints its arguments forever: a compiled program, so discovery runs it.
        try FileManager.default.copyItem(atPath: "/usr/bin/yes", toPath: hostile.appendingPathComponent("python3").path)
        sandbox.environment["PATH"] = hostile.path + ":" + sandbox.environment["PATH"]!
        let start = Date()
        XCTAssertEqual(try found(sandbox, ["3.11"]), "/root/.pyenv/versions/3.11.7", "the next Python on PATH")
        XCTAssertLessThan(Date().timeIntervalSince(start), 40, "the hanging one was waited for too long")
    }

    func testEachPreference() throws {
        let sandbox = try world()
        XCTAssertEqual(try sandbox.pyman(["install", fixture.version], env: [:]).status, 0)
        let ours = sandbox.installDir.appendingPathComponent(fixture.key).path
        XCTAssertEqual(try found(sandbox, ["3.11"]), ours, "managed: pyman's install wins")
        XCTAssertEqual(try found(sandbox, ["3.11", "--managed-python"]), ours)
        XCTAssertEqual(try found(sandbox, ["3.11", "--no-managed-python"]), "/root/.pyenv/versions/3.11.7")
        sandbox.environment["PYMAN_PYTHON_PREFERENCE"] = "system"
        XCTAssertEqual(try found(sandbox, ["3.11"]), "/root/.pyenv/versions/3.11.7", "system: the machine's wins")
        XCTAssertEqual(try found(sandbox, ["3.11", "--managed-python"]), ours)
        let onlySystem = try sandbox.pyman(["find", "3.12"], env: ["PYMAN_PYTHON_PREFERENCE": "only-system"])
        XCTAssertEqual(onlySystem.status, 1, onlySystem.summary)
        let bad = try sandbox.pyman(["find", "3.11"], env: ["PYMAN_PYTHON_PREFERENCE": "mostly"])
        XCTAssertEqual(bad.stderr, "error: PYMAN_PYTHON_PREFERENCE='mostly' is not a preference; use managed, only-managed, system or only-system\n")
    }

    func testListMarksWhereEachPythonCameFrom() throws {
        let sandbox = try world()
        XCTAssertEqual(try sandbox.pyman(["install", fixture.version], env: [:]).status, 0)
        let listed = try sandbox.pyman(["list", "3.11", "--only-installed", "--json"], env: [:])
        XCTAssertEqual(listed.status, 0, listed.summary)
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [[String: Any]]
        let pairs = rows.map { "\($0["source"] as! String) \($0["executable"] as! String)" }
        XCTAssertEqual(pairs.first, "PATH \(sandbox.root.path)/first/python3.11", "\(pairs)")
        XCTAssertTrue(pairs.contains("pyman \(sandbox.installDir.path)/\(fixture.key)/bin/python3.11"), "\(pairs)")
        XCTAssertTrue(pairs.contains("PATH \(sandbox.root.path)/second/python3.11"), "\(pairs)")
        let text = try sandbox.pyman(["list", "3.11", "--only-installed"], env: [:])
        XCTAssertTrue(text.stdout.contains("cpython-3.11.7-linux-x86_64-gnu    \(sandbox.root.path)/first/python3.11 (PATH)"), text.summary)
        let managedOnly = try sandbox.pyman(["list", "3.11", "--only-installed", "--managed-python"], env: [:])
        XCTAssertEqual(managedOnly.stdout.split(separator: "\n").count, 1, managedOnly.summary)
    }

    func testAVenvFromTheMachinesPython() throws {
        let sandbox = try world(preference: "only-system")
        let made = try sandbox.pyman(["venv", "--python", "3.11"], env: [:])
        XCTAssertEqual(made.status, 0, made.summary)
        XCTAssertEqual(try prefix(of: sandbox.work.appendingPathComponent(".venv/bin/python").path, sandbox), "/root/.pyenv/versions/3.11.7")
        XCTAssertEqual(sandbox.installDirContents(), [], "only-system installs nothing")
        let none = try sandbox.pyman(["venv", "--python", "3.10", "other"], env: [:])
        XCTAssertEqual(none.status, 1, none.summary)
        XCTAssertTrue(none.stderr.contains("no Python on this machine matches '3.10'"), none.summary)
    }
}
