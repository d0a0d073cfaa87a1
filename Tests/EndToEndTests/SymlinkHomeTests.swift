import Foundation
import XCTest

/// The six ways of reaching an installed Python through symlinks that break `python -m venv` on plain
/// python-build-standalone installs (uv issue 12173, python-build-standalone 380/381), with pip and without,
/// for every CPython fixture: 3.9.2, 3.11.2, 3.13.5, and 3.13.15 with libpython shared and static.
final class SymlinkHomeTests: XCTestCase {
    func withEachPython(_ body: (Sandbox, FixturePython, URL, URL) throws -> Void) throws {
        for fixture in FixturePython.matrix {
            let sandbox = try InstalledWorld.shared.sandbox(for: fixture)
            let install = sandbox.installDir.appendingPathComponent(fixture.key)
            let scratch = sandbox.work.appendingPathComponent("\(name.filter(\.isLetter))-\(fixture.name)-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try body(sandbox, fixture, install, scratch)
        }
    }

    /// Makes a venv with `python` (from `cwd`) both with pip and --without-pip, checks each starts from the
    /// install, imports encodings (and pip when seeded), and returns the pip-seeded venv.
    @discardableResult
    func makeVenvs(_ python: String, cwd: URL, sandbox: Sandbox, fixture: FixturePython, install: URL,
                   file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        var seeded: URL?
        for withPip in [true, false] {
            let venv = cwd.appendingPathComponent(withPip ? "venv-pip" : "venv-nopip")
            let made = try sandbox.exec(python, ["-m", "venv"] + (withPip ? [] : ["--without-pip"]) + [venv.path], cwd: cwd)
            XCTAssertEqual(made.status, 0, made.summary, file: file, line: line)
            try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, fixture, install: install,
                                      imports: withPip ? "encodings, pip" : "encodings", sandbox: sandbox, file: file, line: line)
            if withPip { seeded = venv }
        }
        return seeded!
    }

    func home(of venv: URL) throws -> String {
        let config = try String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8)
        let line = config.split(separator: "\n").first { $0.hasPrefix("home") }
        return line.map { $0.split(separator: "=", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// 1. `ln -s <install>/bin/python3.X ./python && ./python -m venv v`
    func testSymlinkToTheExecutable() throws {
        try withEachPython { sandbox, fixture, install, scratch in
            try FileManager.default.createSymbolicLink(atPath: scratch.appendingPathComponent("python").path,
                                                       withDestinationPath: install.appendingPathComponent("bin/\(fixture.executable)").path)
            let venv = try makeVenvs("./python", cwd: scratch, sandbox: sandbox, fixture: fixture, install: install)
            XCTAssertEqual(try home(of: venv), install.appendingPathComponent("bin").path)
        }
    }

    /// 2. A chain of two symlinks, one relative, run from another folder.
    func testChainOfSymlinksOneRelativeFromAnotherFolder() throws {
        try withEachPython { sandbox, fixture, install, scratch in
            let fm = FileManager.default
            for folder in ["a", "b", "elsewhere"] {
                try fm.createDirectory(at: scratch.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try fm.createSymbolicLink(atPath: scratch.appendingPathComponent("b/python").path,
                                      withDestinationPath: install.appendingPathComponent("bin/\(fixture.executable)").path)
            try fm.createSymbolicLink(atPath: scratch.appendingPathComponent("a/python").path, withDestinationPath: "../b/python")
            try makeVenvs("../a/python", cwd: scratch.appendingPathComponent("elsewhere"), sandbox: sandbox, fixture: fixture, install: install)
        }
    }

    /// 3 and 5. The bin-dir links; `home` is the minor link's bin, so the venv survives `pyman upgrade`.
    func testBinDirLinkAndHomeInMinorLink() throws {
        try withEachPython { sandbox, fixture, install, scratch in
            let python = sandbox.binDir.appendingPathComponent(fixture.executable).path
            let venv = try makeVenvs(python, cwd: scratch, sandbox: sandbox, fixture: fixture, install: install)
            XCTAssertEqual(try home(of: venv), sandbox.installDir.appendingPathComponent("\(fixture.minorLink)/bin").path)
        }
    }

    /// 4. `v/bin/python -m venv v2` from inside a venv made through a symlink.
    func testVenvFromInsideAVenv() throws {
        try withEachPython { sandbox, fixture, install, scratch in
            let outer = scratch.appendingPathComponent("outer")
            let made = try sandbox.exec(sandbox.binDir.appendingPathComponent(fixture.executable).path, ["-m", "venv", "--without-pip", outer.path])
            XCTAssertEqual(made.status, 0, made.summary)
            try makeVenvs(outer.appendingPathComponent("bin/python").path, cwd: scratch, sandbox: sandbox, fixture: fixture, install: install)
        }
    }

    /// 6. A symlink to the whole install folder stays `home`: only executable-level links are followed.
    func testSymlinkToTheWholeInstallFolderIsKept() throws {
        try withEachPython { sandbox, fixture, install, scratch in
            let whole = scratch.appendingPathComponent("whole")
            try FileManager.default.createSymbolicLink(atPath: whole.path, withDestinationPath: install.path)
            let venv = try makeVenvs(whole.appendingPathComponent("bin/\(fixture.executable)").path, cwd: scratch,
                                     sandbox: sandbox, fixture: fixture, install: install)
            XCTAssertEqual(try home(of: venv), whole.appendingPathComponent("bin").path)
        }
    }

    /// `venv.create()` called from Python through a symlink takes the same fixed path.
    func testVenvCreateThroughASymlink() throws {
        try withEachPython { sandbox, fixture, install, scratch in
            try FileManager.default.createSymbolicLink(atPath: scratch.appendingPathComponent("python").path,
                                                       withDestinationPath: install.appendingPathComponent("bin/\(fixture.executable)").path)
            let made = try sandbox.exec("./python", ["-c", "import venv; venv.create('made', symlinks=True)"], cwd: scratch)
            XCTAssertEqual(made.status, 0, made.summary)
            try assertRunsFromInstall(scratch.appendingPathComponent("made/bin/python").path, fixture, install: install, sandbox: sandbox)
        }
    }
}
