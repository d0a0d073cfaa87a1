import Foundation
import XCTest

/// `pyman venv`, `pin` and `doctor` against the real fixture interpreters.
final class VenvCommandTests: XCTestCase {
    let python313 = FixturePython.all[1]
    let python311 = FixturePython.all[0]

    func config(_ venv: URL) throws -> [String: String] {
        let text = try String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    func testLayoutAndConfigOfAManagedVenv() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let venv = sandbox.work.appendingPathComponent("layout-venv")
        let made = try sandbox.pyman("venv", venv.path, "--python", "3.13", "--prompt", "api")
        XCTAssertEqual(made.status, 0, made.summary)
        let values = try config(venv)
        XCTAssertEqual(values["home"], sandbox.installDir.appendingPathComponent("\(python313.minorLink)/bin").path)
        XCTAssertEqual(values["implementation"], "CPython")
        XCTAssertEqual(values["version_info"], "3.13.5.final.0")
        XCTAssertEqual(values["include-system-site-packages"], "false")
        XCTAssertEqual(values["prompt"], "api")
        XCTAssertNotNil(values["pyman"])
        let fm = FileManager.default
        for name in ["bin/python", "bin/python3", "bin/python3.13", "bin/activate", "bin/activate.fish", "bin/activate.csh",
                     "bin/activate.nu", "bin/activate.ps1", "lib/python3.13/site-packages", "include"] {
            XCTAssertTrue(fm.fileExists(atPath: venv.appendingPathComponent(name).path), name)
        }
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: venv.appendingPathComponent("lib64").path), "lib")
        XCTAssertEqual(try String(contentsOf: venv.appendingPathComponent(".gitignore"), encoding: .utf8).split(separator: "\n").last, "*")
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, python313,
                                  install: sandbox.installDir.appendingPathComponent(python313.key), sandbox: sandbox)
        // The venv is a real one for its Python: sys.prefix is the venv, site-packages is the venv's.
        let inside = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import sys, site; print(sys.prefix); print(site.getsitepackages()[0])"])
        XCTAssertEqual(inside.stdout, "\(venv.path)\n\(venv.path)/lib/python3.13/site-packages\n", inside.summary)

        let activated = try sandbox.exec("/bin/bash", ["-c", "source '\(venv.path)/bin/activate' && command -v python && echo \"$VIRTUAL_ENV\" && deactivate && echo \"${VIRTUAL_ENV:-unset}\""])
        XCTAssertEqual(activated.stdout, "\(venv.path)/bin/python\n\(venv.path)\nunset\n", activated.summary)
    }

    /// A tiny wheel, built here so `pip install` has something local to install.
    func makeWheel(in folder: URL) throws -> URL {
        let wheel = folder.appendingPathComponent("hello_pyman-1.0-py3-none-any.whl")
        let script = """
        import zipfile, sys
        with zipfile.ZipFile(sys.argv[1], 'w') as z:
            z.writestr('hello_pyman/__init__.py', 'GREETING = "hello from a local wheel"\\n')
            z.writestr('hello_pyman-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: hello-pyman\\nVersion: 1.0\\n')
            z.writestr('hello_pyman-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: pyman-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
            z.writestr('hello_pyman-1.0.dist-info/RECORD', '')
        """
        let built = try EndToEndTests.run("/usr/bin/env", ["python3", "-c", script, wheel.path])
        XCTAssertEqual(built.status, 0, built.summary)
        return wheel
    }

    func testSeedInstallsAWorkingPip() throws {
        for fixture in FixturePython.matrix {
            let sandbox = try InstalledWorld.shared.sandbox(for: fixture)
            let venv = sandbox.work.appendingPathComponent("seeded-\(fixture.minor)")
            let made = try sandbox.pyman("venv", venv.path, "--python", fixture.minor, "--seed")
            XCTAssertEqual(made.status, 0, made.summary)
            let version = try sandbox.exec(venv.appendingPathComponent("bin/pip").path, ["--version"])
            XCTAssertEqual(version.status, 0, version.summary)
            XCTAssertTrue(version.stdout.contains("\(venv.path)/lib/python\(fixture.minor)/site-packages/pip"), version.stdout)
            XCTAssertTrue(FileManager.default.fileExists(atPath: venv.appendingPathComponent("bin/pip\(fixture.minor)").path))
            let listed = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-m", "pip", "list", "--disable-pip-version-check"])
            XCTAssertTrue(listed.stdout.contains("pip"), listed.summary)
            let wheel = try makeWheel(in: sandbox.work)
            let installed = try sandbox.exec(venv.appendingPathComponent("bin/pip").path, ["install", "--no-index", "--disable-pip-version-check", wheel.path])
            XCTAssertEqual(installed.status, 0, installed.summary)
            let imported = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import hello_pyman; print(hello_pyman.GREETING)"])
            XCTAssertEqual(imported.stdout, "hello from a local wheel\n", imported.summary)
        }
    }

    /// `pyman venv --copies`, `python -m venv --copies` and `venv.create()` (copies by default, with pip):
    /// the copied interpreter finds its libpython in the venv's lib/ and imports compiled modules.
    func testCopiesWorkAllThreeWays() throws {
        for fixture in FixturePython.matrix {
            let sandbox = try InstalledWorld.shared.sandbox(for: fixture)
            let install = sandbox.installDir.appendingPathComponent(fixture.key)
            let base = sandbox.binDir.appendingPathComponent(fixture.executable).path
            let viaPyman = sandbox.work.appendingPathComponent("copies-pyman-\(fixture.minor)")
            let made = try sandbox.pyman("venv", viaPyman.path, "--python", fixture.minor, "--copies")
            XCTAssertEqual(made.status, 0, made.summary)
            let viaModule = sandbox.work.appendingPathComponent("copies-module-\(fixture.minor)")
            let module = try sandbox.exec(base, ["-m", "venv", "--copies", "--without-pip", viaModule.path])
            XCTAssertEqual(module.status, 0, module.summary)
            let viaCreate = sandbox.work.appendingPathComponent("copies-create-\(fixture.minor)")
            let created = try sandbox.exec(base, ["-c", "import venv, sys; venv.create(sys.argv[1], with_pip=True)", viaCreate.path])
            XCTAssertEqual(created.status, 0, created.summary)
            for venv in [viaPyman, viaModule, viaCreate] {
                let python = venv.appendingPathComponent("bin/python")
                XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: venv.appendingPathComponent("bin/\(fixture.executable)").path),
                             "\(venv.path): the interpreter is a copy")
                try assertRunsFromInstall(python.path, fixture, install: install, imports: "ssl, sqlite3, ctypes",
                                          libraryFolder: venv.appendingPathComponent("lib"), sandbox: sandbox)
            }
            let pip = try sandbox.exec(viaCreate.appendingPathComponent("bin/python").path, ["-m", "pip", "--version"])
            XCTAssertEqual(pip.status, 0, pip.summary)
        }
    }

    func testVenvMadeByPymanCanMakeAnotherWithPythonMVenv() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let first = sandbox.work.appendingPathComponent("first-venv")
        XCTAssertEqual(try sandbox.pyman("venv", first.path, "--python", "3.11").status, 0)
        let second = sandbox.work.appendingPathComponent("second-venv")
        let made = try sandbox.exec(first.appendingPathComponent("bin/python").path, ["-m", "venv", second.path])
        XCTAssertEqual(made.status, 0, made.summary)
        try assertRunsFromInstall(second.appendingPathComponent("bin/python").path, python311,
                                  install: sandbox.installDir.appendingPathComponent(python311.key), imports: "encodings, pip", sandbox: sandbox)
    }

    func testForeignInterpreterByPath() throws {
        let sandbox = try Sandbox()
        let system = "/usr/bin/python3.11"
        guard FileManager.default.fileExists(atPath: system) else { throw XCTSkip("Debian's python3.11 is not installed") }
        let venv = sandbox.work.appendingPathComponent("foreign")
        let made = try sandbox.pyman("venv", venv.path, "--python", system)
        XCTAssertEqual(made.status, 0, made.summary)
        let prefix = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import sys; print(sys.base_prefix, sys.prefix)"])
        XCTAssertEqual(prefix.stdout, "/usr \(venv.path)\n", prefix.summary)
        XCTAssertEqual(try config(venv)["home"], "/usr/bin")
        // The answer is cached by path and mtime: a second venv reads it back.
        XCTAssertEqual(try sandbox.pyman("venv", sandbox.work.appendingPathComponent("foreign2").path, "--python", system).status, 0)
        let cached = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.appendingPathComponent("cache/interpreters-v1").path)
        XCTAssertEqual(cached.count, 1)
    }

    func testPinAndPythonVersionAndAutoInstall() throws {
        let sandbox = try Sandbox()
        let pinned = try sandbox.pyman("pin", "3.11")
        XCTAssertEqual(pinned.status, 0, pinned.summary)
        XCTAssertEqual(try String(contentsOf: sandbox.work.appendingPathComponent(".python-version"), encoding: .utf8), "3.11\n")
        let deep = sandbox.work.appendingPathComponent("project/src")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let made = try sandbox.pyman(["venv"], cwd: deep)
        XCTAssertEqual(made.status, 0, made.summary)
        let venv = deep.appendingPathComponent(".venv")
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, python311,
                                  install: sandbox.installDir.appendingPathComponent(python311.key), sandbox: sandbox)
        XCTAssertEqual(try sandbox.pyman("pin", "3.x").status, 1)
    }

    func testClearRefusesForeignFoldersAndReplacesVenvs() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let foreign = sandbox.work.appendingPathComponent("not-a-venv")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try "keep me".write(to: foreign.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        for flags in [[], ["--clear"]] {
            let refused = try sandbox.pyman(["venv", foreign.path, "--python", "3.13"] + flags)
            XCTAssertEqual(refused.status, 1, refused.summary)
            XCTAssertTrue(refused.stderr.contains("not a virtual environment"), refused.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: foreign.path), ["notes.txt"])
        }
        let venv = sandbox.work.appendingPathComponent("to-clear")
        XCTAssertEqual(try sandbox.pyman("venv", venv.path, "--python", "3.11").status, 0)
        try "x".write(to: venv.appendingPathComponent("lib/python3.11/site-packages/marker.py"), atomically: true, encoding: .utf8)
        let cleared = try sandbox.pyman("venv", venv.path, "--python", "3.13", "--clear")
        XCTAssertEqual(cleared.status, 0, cleared.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: venv.appendingPathComponent("lib/python3.11").path))
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, python313,
                                  install: sandbox.installDir.appendingPathComponent(python313.key), sandbox: sandbox)
    }

    /// A venv made by an *unpatched* standalone Python through a symlink (extracted with plain tar) is
    /// broken; doctor finds it and --fix repairs it.
    func testDoctorFindsAndRepairsASymlinkHome() throws {
        let sandbox = try Sandbox()
        let plain = sandbox.work.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let archive = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(Fixture.file("3.13.5", "install_only_stripped.tar.gz"))")
        XCTAssertEqual(try EndToEndTests.run("/bin/tar", ["-xzf", archive.path, "-C", plain.path]).status, 0)
        let link = sandbox.work.appendingPathComponent("python")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: plain.appendingPathComponent("python/bin/python3.13").path)
        let venv = sandbox.work.appendingPathComponent("broken")
        XCTAssertEqual(try sandbox.exec(link.path, ["-m", "venv", "--without-pip", venv.path]).status, 0)
        XCTAssertNotEqual(try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "pass"]).status, 0, "the unpatched build reproduces the bug")

        let found = try sandbox.pyman("doctor", venv.path)
        XCTAssertEqual(found.status, 1, found.summary)
        XCTAssertTrue(found.stderr.contains("cannot start") && found.stderr.contains("--fix"), found.stderr)
        let fixed = try sandbox.pyman("doctor", "--fix", venv.path)
        XCTAssertEqual(fixed.status, 0, fixed.summary)
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, python313, install: plain.appendingPathComponent("python"), sandbox: sandbox)
        XCTAssertEqual(try sandbox.pyman("doctor", venv.path).status, 0)
    }

    func testSystemSitePackagesSymlinksAndQuiet() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let venv = sandbox.work.appendingPathComponent("system-site")
        let made = try sandbox.pyman("venv", venv.path, "--python", "3.13", "--system-site-packages", "--symlinks", "-q")
        XCTAssertEqual(made.status, 0, made.summary)
        XCTAssertEqual(made.stdout + made.stderr, "", "-q prints nothing on success")
        XCTAssertEqual(try config(venv)["include-system-site-packages"], "true")
        let base = sandbox.installDir.appendingPathComponent("\(python313.key)/lib/python3.13/site-packages").path
        let paths = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import sys, os; print(sorted({os.path.realpath(p) for p in sys.path}))"])
        XCTAssertTrue(paths.stdout.contains(base), paths.summary)
        XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: venv.appendingPathComponent("bin/python").path))
    }

    func testBadVenvInputGetsOneClearLine() throws {
        let sandbox = try Sandbox()
        let cases: [([String], String)] = [
            (["venv", "v1", "--python", "/nonexistent/python3"], "no Python at /nonexistent/python3"),
            (["venv", "v2", "--python", "3.99"], "no Python matches '3.99'"),
            (["venv", "/etc/passwd/v", "--python", "/usr/bin/python3.11"], "cannot create /etc/passwd/v"),
            (["venv", "--copies", "--symlinks"], "exclude each other"),
        ]
        for (arguments, message) in cases {
            let result = try sandbox.pyman(arguments)
            XCTAssertNotEqual(result.status, 0, result.summary)
            XCTAssertTrue(result.stderr.split(separator: "\n").first?.contains(message) ?? false, result.summary)
        }
    }
}
