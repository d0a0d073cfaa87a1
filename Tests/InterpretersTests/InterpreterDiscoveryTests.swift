import Foundation
import TestSupport
import UnitTestSupport
import XCTest
@testable import Configuration
@testable import Interpreters

final class InterpreterDiscoveryTests: XCTestCase {
    /// An ELF-looking file (what matters is that it is no `#!` script).
    func program(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([0x7F, 0x45, 0x4C, 0x46]).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    func testCandidatesAreRealProgramsInPathOrderEachOnce() throws {
        let root = try Fixture.folder(self)
        let first = root.appendingPathComponent("first"), second = root.appendingPathComponent("second")
        try program(first.appendingPathComponent("python3.11"))
        try program(first.appendingPathComponent("python3.13t"))
        try program(first.appendingPathComponent("python3.9"))
        try FileManager.default.createSymbolicLink(at: first.appendingPathComponent("python3"), withDestinationURL: first.appendingPathComponent("python3.11"))
        try FileManager.default.createSymbolicLink(at: first.appendingPathComponent("python"), withDestinationURL: root.appendingPathComponent("missing"))
        try program(first.appendingPathComponent("python3-config"))
        try program(first.appendingPathComponent("python3.1x"))
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        try "#!/usr/bin/env bash\nexec pyenv exec python \"$@\"\n".write(to: second.appendingPathComponent("python3.12"), atomically: true, encoding: .utf8)
        let venv = root.appendingPathComponent("venv")
        try program(venv.appendingPathComponent("bin/python3.10"))
        try "home = /usr/bin\n".write(to: venv.appendingPathComponent("pyvenv.cfg"), atomically: true, encoding: .utf8)
        let pyenv = root.appendingPathComponent("pyenv/versions")
        try program(pyenv.appendingPathComponent("3.10.13/bin/python3.10"))
        try program(pyenv.appendingPathComponent("3.12.1/bin/python3.12"))
        var settings = Fixture.settings(in: root, environment: ["PYENV_ROOT": root.appendingPathComponent("pyenv").path])
        try program(URL(fileURLWithPath: settings.installDir).appendingPathComponent("cpython-3.13.5-linux-x86_64-gnu/bin/python3.13"))
        settings.searchPath = [first.path, second.path, venv.appendingPathComponent("bin").path,
                               URL(fileURLWithPath: settings.installDir).appendingPathComponent("cpython-3.13.5-linux-x86_64-gnu/bin").path, "relative/bin", first.path].joined(separator: ":")
        let found = InterpreterDiscovery(settings: settings).candidates().filter { !$0.path.hasPrefix("/usr/") }
        XCTAssertEqual(found.map(\.path), [
            first.appendingPathComponent("python3.13t").path, first.appendingPathComponent("python3.11").path, first.appendingPathComponent("python3.9").path,
            pyenv.appendingPathComponent("3.12.1/bin/python3.12").path, pyenv.appendingPathComponent("3.10.13/bin/python3.10").path,
        ], "newest name first in each folder; python3 (the same file as python3.11), a broken link, a shim, a venv, pyman's own install and a repeated folder left out")
        XCTAssertEqual(found.map(\.source), ["PATH", "PATH", "PATH", "pyenv", "pyenv"])
    }

    /// #25: under binfmt_misc an aarch64 pyman can run x86-64 Pythons; one built for another CPU is
    /// left out rather than offered under this machine's platform.
    func testAPythonForAnotherCPUIsLeftOut() throws {
        let root = try Fixture.folder(self)
        let folder = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, machine) in [("python3.12", UInt16(183)), ("python3.11", UInt16(62))] {
            let file = folder.appendingPathComponent(name)
            try Data(ELFBytes.craft(machine: machine, interpreter: "/lib/ld-linux.so")).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        var settings = Fixture.settings(in: root, environment: [:])
        settings.searchPath = folder.path
        let found = InterpreterDiscovery(settings: settings).candidates().map(\.path).filter { $0.hasPrefix(root.path) }
        XCTAssertEqual(found, [folder.appendingPathComponent("python3.11").path], "the aarch64 binary is left out on x86-64")
        XCTAssertTrue(InterpreterDiscovery.isProgram(folder.appendingPathComponent("python3.12").path, for: "aarch64"))
        XCTAssertFalse(InterpreterDiscovery.isProgram(folder.appendingPathComponent("python3.11").path, for: "aarch64"))
    }

    func testVersionedNames() {
        for name in ["python3.9", "python3.13", "python3.13t"] { XCTAssertTrue(InterpreterDiscovery.isVersionedName(name), name) }
        for name in ["python3", "python3.", "python3.134", "python3.13-config", "python3.x", "python3.13m", "pythonw3.13"] {
            XCTAssertFalse(InterpreterDiscovery.isVersionedName(name), name)
        }
    }
}

/// What another user could change is never run by root: discovery passes over such a candidate.
final class DiscoveryTrustTests: XCTestCase {
    func program(_ url: URL, mode: Int = 0o755) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([0x7F, 0x45, 0x4C, 0x46]).write(to: url)
        XCTAssertEqual(chmod(url.path, mode_t(mode)), 0)
    }

    func testAsRootCandidatesOthersCouldChangeAreNotAsked() throws {
        let root = try Fixture.folder(self)
        let safe = root.appendingPathComponent("safe"), open = root.appendingPathComponent("open")
        try program(safe.appendingPathComponent("python3.11"))
        try program(safe.appendingPathComponent("python3.13"), mode: 0o777)
        try program(open.appendingPathComponent("python3.12"))
        XCTAssertEqual(chmod(open.path, 0o777), 0)
        let elsewhere = root.appendingPathComponent("elsewhere")
        try program(elsewhere.appendingPathComponent("python3.14"))
        XCTAssertEqual(chmod(elsewhere.path, 0o777), 0)
        try FileManager.default.createSymbolicLink(at: safe.appendingPathComponent("python3"), withDestinationURL: elsewhere.appendingPathComponent("python3.14"))
        var settings = Fixture.settings(in: root)
        settings.searchPath = "\(open.path):\(safe.path)"
        var discovery = InterpreterDiscovery(settings: settings)
        discovery.checksTrust = true
        XCTAssertEqual(discovery.candidates().map(\.path).filter { $0.hasPrefix(root.path) }, [safe.appendingPathComponent("python3.11").path],
                       "a folder others can write, a file others can write, and a link into a folder others can write are passed over")
        discovery.checksTrust = false
        XCTAssertEqual(discovery.candidates().map(\.path).filter { $0.hasPrefix(root.path) }, [
            open.appendingPathComponent("python3.12").path, safe.appendingPathComponent("python3.13").path,
            safe.appendingPathComponent("python3.11").path, safe.appendingPathComponent("python3").path,
        ], "not root: the user's own PATH is theirs to choose")
    }
}
