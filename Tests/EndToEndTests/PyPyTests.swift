import Foundation
import XCTest

/// PyPy 3.9 (Debian bookworm's pypy3 7.3.11, repacked in PyPy's portable layout by `make fixtures`),
/// installed from a catalogue entry shaped like uv's, served through PYMAN_PYPY_MIRROR.
final class PyPyTests: XCTestCase {
    static let archive = "pypy3.9-v7.3.11-linux64.tar.bz2"
    let key = "pypy-3.9.16-linux-x86_64-gnu"

    func world() throws -> Sandbox {
        let sandbox = try Sandbox()
        let entry = Sandbox.catalogueEntry(key: key, url: "https://downloads.python.org/pypy/\(Self.archive)",
                                           sha256: try Fixture.sha256(Self.archive), build: "7.3.11")
        let catalogue = sandbox.root.appendingPathComponent("pypy.json")
        try JSONSerialization.data(withJSONObject: [key: entry]).write(to: catalogue)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        sandbox.environment["PYMAN_PYPY_MIRROR"] = "http://127.0.0.1:\(try MirrorServer.shared.start())/pypy"
        return sandbox
    }

    /// sys.prefix (base_prefix for a venv) inside the install, and PyPy's version.
    func assertRunsPyPy(_ python: String, install: URL, sandbox: Sandbox, imports: String = "encodings",
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let script = "import os, sys, \(imports); print(os.path.realpath(sys.base_prefix)); print(sys.implementation.name, '%d.%d.%d' % sys.version_info[:3])"
        let ran = try sandbox.exec(python, ["-c", script])
        XCTAssertEqual(ran.status, 0, ran.summary, file: file, line: line)
        XCTAssertEqual(ran.stdout, install.resolvingSymlinksInPath().path + "\npypy 3.9.16\n", ran.summary, file: file, line: line)
    }

    func testEveryRequestFormInstallsListsFindsAndUninstalls() throws {
        let sandbox = try world()
        for request in ["pypy", "pypy3.9", "pypy@3.9", "pypy@3.9.16", key] {
            let listed = try sandbox.pyman("list", request)
            XCTAssertTrue(listed.stdout.hasPrefix(key), "\(request): \(listed.summary)")
        }
        let installed = try sandbox.pyman("install", "pypy@3.9", "--default")
        XCTAssertEqual(installed.status, 0, installed.summary)
        let install = sandbox.installDir.appendingPathComponent(key)
        for name in ["pypy3.9", "pypy3", "pypy"] {
            let link = sandbox.binDir.appendingPathComponent(name)
            XCTAssertEqual(try? FileManager.default.destinationOfSymbolicLink(atPath: link.path),
                           sandbox.installDir.appendingPathComponent("pypy-3.9-linux-x86_64-gnu/bin/pypy3.9").path, name)
            try assertRunsPyPy(link.path, install: install, sandbox: sandbox)
        }
        for name in ["python3", "python", "python3.9"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.binDir.appendingPathComponent(name).path), "\(name) must stay CPython's")
        }
        for request in ["pypy", "pypy3.9", "pypy@3.9.16", key] {
            let found = try sandbox.pyman("find", request)
            XCTAssertEqual(found.stdout, install.appendingPathComponent("bin/pypy3.9").path + "\n", "\(request): \(found.summary)")
        }
        XCTAssertEqual(try sandbox.pyman("find", "3.9").status, 1, "a CPython request is not answered by PyPy")
        let listed = try sandbox.pyman("list", "--only-installed")
        XCTAssertTrue(listed.stdout.hasPrefix(key), listed.summary)
        XCTAssertTrue(try sandbox.pyman("upgrade").stderr.contains("up to date"))
        let removed = try sandbox.pyman("uninstall", "pypy")
        XCTAssertEqual(removed.status, 0, removed.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: install.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.binDir.path).filter { $0.hasPrefix("pypy") }, [])
        let graal = try sandbox.pyman("install", "graalpy@3.11")
        XCTAssertEqual(graal.status, 1, graal.summary)
        XCTAssertTrue(graal.stderr.contains("pyman installs CPython and PyPy"), graal.summary)
    }

    /// PYMAN_PYPY_MIRROR takes a list as PYMAN_PYTHON_MIRROR does: a dead first mirror passes the
    /// archive to the second; when every one fails, downloads.python.org is the last resort, named last.
    func testSeveralPyPyMirrorsInOrder() throws {
        let sandbox = try world()
        sandbox.environment["PYMAN_NO_CACHE"] = "1"
        let good = try Faults.mirror("ok")
        let file = "/pypy/\(Self.archive)"
        let installed = try sandbox.pyman(["install", "pypy@3.9"], env: ["PYMAN_PYPY_MIRROR": "http://127.0.0.1:1/dead, \(good)/pypy"])
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("(http://127.0.0.1:1/dead/\(Self.archive)); trying the next mirror\n"), installed.summary)
        XCTAssertEqual(try Faults.requests(under: Faults.path(of: good)).requests, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("\(key)/bin/pypy3.9").path))

        let missing = try Faults.mirror("404")
        let failed = try sandbox.pyman(["install", "pypy@3.9", "--reinstall"], env: ["PYMAN_PYPY_MIRROR": "\(missing)/pypy\thttp://127.0.0.1:1/dead"])
        XCTAssertEqual(failed.status, 1, failed.summary)
        let error = failed.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.map(String.init)
        XCTAssertEqual(error.count, 1, failed.summary)
        XCTAssertTrue(error.first?.contains("no mirror gave the archive: download failed with HTTP 404 (\(missing)\(file)); download failed: ") ?? false, failed.summary)
        XCTAssertTrue(error.first?.hasSuffix("(https://downloads.python.org\(file)); check the mirrors (--mirror / PYMAN_PYTHON_MIRROR) and the network") ?? false,
                      failed.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("\(key)/bin/pypy3.9").path), "a failed reinstall keeps the install")
    }

    func testVenvsByPymanAndByPythonMVenvThroughALink() throws {
        let sandbox = try world()
        XCTAssertEqual(try sandbox.pyman("install", "pypy3.9").status, 0)
        let install = sandbox.installDir.appendingPathComponent(key)
        for (name, extra) in [("plain", [String]()), ("seeded", ["--seed"]), ("copied", ["--copies"])] {
            let venv = sandbox.work.appendingPathComponent(name)
            let made = try sandbox.pyman(["venv", venv.path, "--python", "pypy@3.9"] + extra)
            XCTAssertEqual(made.status, 0, made.summary)
            for executable in ["python", "python3", "pypy3.9", "pypy3", "pypy"] {
                try assertRunsPyPy(venv.appendingPathComponent("bin/\(executable)").path, install: install, sandbox: sandbox)
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: venv.appendingPathComponent("lib/pypy3.9/site-packages").path))
            if name == "seeded" {
                let pip = try sandbox.exec(venv.appendingPathComponent("bin/pip").path, ["--version"])
                XCTAssertEqual(pip.status, 0, pip.summary)
                XCTAssertTrue(pip.stdout.contains("\(venv.path)/lib/pypy3.9/site-packages/pip"), pip.summary)
            }
        }
        // python -m venv through a link in another folder, with pip.
        let folder = sandbox.work.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("pypy").path,
                                                   withDestinationPath: sandbox.binDir.appendingPathComponent("pypy3.9").path)
        let made = try sandbox.exec("./pypy", ["-m", "venv", "v"], cwd: folder)
        XCTAssertEqual(made.status, 0, made.summary)
        try assertRunsPyPy(folder.appendingPathComponent("v/bin/python").path, install: install, sandbox: sandbox, imports: "encodings, pip")
    }

    func testACExtensionBuildsAgainstPyPy() throws {
        let sandbox = try world()
        XCTAssertEqual(try sandbox.pyman("install", "pypy").status, 0)
        let folder = sandbox.work.appendingPathComponent("cext")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try CExtension.write(into: folder)
        let script = """
        import shlex, subprocess, sysconfig
        v = sysconfig.get_config_var
        subprocess.run(shlex.split(v('CC')) + shlex.split(v('CFLAGS')) + shlex.split(v('CCSHARED')) + ['-I' + sysconfig.get_paths()['include'], '-c', 'spam.c', '-o', 'spam.o'], check=True)
        subprocess.run(shlex.split(v('LDSHARED')) + ['spam.o', '-o', 'spam' + v('EXT_SUFFIX')], check=True)
        import spam
        print(spam.answer())
        """
        let python = sandbox.installDir.appendingPathComponent("\(key)/bin/pypy3.9").path
        let result = try sandbox.exec(python, ["-c", script], cwd: folder)
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(result.stdout, "42\n", result.summary)
    }
}
