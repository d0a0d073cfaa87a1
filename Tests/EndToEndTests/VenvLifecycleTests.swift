import Foundation
import XCTest

/// Venvs are never broken silently: the registry (`pyman venv`, `doctor`, `venvs`), uninstall's refusal,
/// and `venv --recreate` moving a venv to another minor version with its packages.
final class VenvLifecycleTests: XCTestCase {
    let python311 = FixturePython(version: "3.11.2"), python313 = FixturePython(version: "3.13.5"), python31315 = FixturePython(version: "3.13.15")

    /// A sandbox whose catalogue has 3.11.2, 3.13.5 and 3.13.15, with `installed` installed.
    func sandbox(installing installed: [FixturePython]) throws -> Sandbox {
        let sandbox = try Sandbox()
        let all = [python311, python313, python31315]
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue(try all.map { ($0.key, $0.archive, try Fixture.sha256($0.archive)) }).path
        for fixture in installed {
            let made = try sandbox.pyman("install", fixture.version)
            guard made.status == 0 else { throw XCTSkipError("installing \(fixture.version) failed: \(made.summary)") }
        }
        return sandbox
    }

    func starts(_ venv: URL, _ sandbox: Sandbox) throws -> Bool {
        (try? sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "pass"]))?.status == 0   // a launch failure too
    }

    func testRegistryIsWrittenByVenvAndDoctorAndListed() throws {
        let sandbox = try self.sandbox(installing: [python313])
        try expect(sandbox, ["venvs"], stderr: "No venvs are registered: `pyman venv` and `pyman doctor DIR` record them.")
        XCTAssertEqual(try sandbox.pyman("venv", "made", "--python", "3.13").status, 0)
        // Made by Python itself through pyman's bin link: known once doctor has seen it.
        let byPython = sandbox.work.appendingPathComponent("by-python")
        XCTAssertEqual(try sandbox.exec(sandbox.binDir.appendingPathComponent("python3.13").path, ["-m", "venv", "--without-pip", byPython.path]).status, 0)
        try expect(sandbox, ["venvs"], stdout: """
            [ROOT]/work/made    CPython 3.13.5    cpython-3.13.5-linux-x86_64-gnu    ok
            """)
        XCTAssertEqual(try sandbox.pyman("doctor", byPython.path).status, 0)
        try FileManager.default.removeItem(at: sandbox.installDir.appendingPathComponent("\(python313.key)/lib/python3.13/os.py"))
        try expect(sandbox, ["venvs"], stdout: """
            [ROOT]/work/by-python    CPython 3.13.5    cpython-3.13.5-linux-x86_64-gnu    cannot start: home = [ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin has no lib/python3.13/os.py beside it, so the venv's Python cannot start
            [ROOT]/work/made         CPython 3.13.5    cpython-3.13.5-linux-x86_64-gnu    cannot start: home = [ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin has no lib/python3.13/os.py beside it, so the venv's Python cannot start
            """)
        // A gone venv is not listed, and the next write drops it.
        try FileManager.default.removeItem(at: sandbox.work.appendingPathComponent("made"))
        XCTAssertEqual(try sandbox.pyman("doctor", byPython.path).status, 1)
        XCTAssertEqual(try sandbox.pyman("venv", "third", "--python", "/usr/bin/python3.11").status, 0)
        let registry = try String(contentsOf: sandbox.root.appendingPathComponent(".local/share/pyman/venvs.json"), encoding: .utf8)
        XCTAssertFalse(registry.contains("/work/made"), registry)
        XCTAssertTrue(registry.contains("/work/by-python") && registry.contains("/work/third"), registry)

        // Concurrent `pyman venv` runs each add their entry to a whole registry.
        let runs = try (0..<6).map { try sandbox.start(["venv", "parallel-\($0)", "--python", "3.13", "-q"]) }
        for run in runs { XCTAssertEqual(run.wait().status, 0) }
        let listed = try sandbox.pyman("venvs").stdout.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(listed, [byPython.path] + (0..<6).map { sandbox.work.appendingPathComponent("parallel-\($0)").path } + [sandbox.work.appendingPathComponent("third").path])

        // A corrupt registry is ignored with one note, and the next write replaces it.
        try Data("{\"format\": 1, \"venvs\": [".utf8).write(to: sandbox.root.appendingPathComponent(".local/share/pyman/venvs.json"))
        try expect(sandbox, ["venvs"], stderr: """
            ignored the venv registry [ROOT]/.local/share/pyman/venvs.json: it is not one pyman wrote (corrupt, or of another format); the next `pyman venv` replaces it
            No venvs are registered: `pyman venv` and `pyman doctor DIR` record them.
            """)
        XCTAssertEqual(try sandbox.pyman("venv", "third", "--python", "/usr/bin/python3.11", "-q").status, 0)
        try expect(sandbox, ["venvs"], stdout: "[ROOT]/work/third    CPython 3.11.2    /usr/bin/python3.11    ok")

        // A registry another user could have written is ignored with one note.
        XCTAssertEqual(chmod(sandbox.root.appendingPathComponent(".local/share/pyman/venvs.json").path, 0o666), 0)
        try expect(sandbox, ["venvs"], stderr: """
            ignored the venv registry: the venv registry [ROOT]/.local/share/pyman/venvs.json can be written by other users, so they could change what pyman runs; run `chmod go-w [ROOT]/.local/share/pyman/venvs.json`, or choose another file
            No venvs are registered: `pyman venv` and `pyman doctor DIR` record them.
            """)
    }

    func testUninstallRefusesWhileVenvsUseThePythonAndForceBreaksThem() throws {
        let sandbox = try self.sandbox(installing: [python311, python313])
        XCTAssertEqual(try sandbox.pyman("venv", "link", "--python", "3.13").status, 0)
        let direct = sandbox.installDir.appendingPathComponent("\(python311.key)/bin/python3.11").path
        XCTAssertEqual(try sandbox.pyman("venv", "direct", "--python", direct).status, 0)
        try expect(sandbox, ["uninstall", "3.13"], status: 1, stderr: """
            error: refusing to uninstall: 1 registered venv would stop working: [ROOT]/work/link (uses cpython-3.13-linux-x86_64-gnu); move each to another Python first (`pyman venv DIR --python 3.X --recreate`), or pass --force to uninstall anyway
            """)
        try expect(sandbox, ["uninstall", "--all"], status: 1, stderr: """
            error: refusing to uninstall: 2 registered venvs would stop working: [ROOT]/work/direct (uses cpython-3.11.2-linux-x86_64-gnu), [ROOT]/work/link (uses cpython-3.13-linux-x86_64-gnu); move each to another Python first (`pyman venv DIR --python 3.X --recreate`), or pass --force to uninstall anyway
            """)
        XCTAssertEqual(try sandbox.pyman("list", "--only-installed").stdout.split(separator: "\n").count, 2, "nothing was removed")
        XCTAssertTrue(try starts(sandbox.work.appendingPathComponent("link"), sandbox))
        try expect(sandbox, ["uninstall", "3.13", "--force"], stderr: """
            Uninstalled cpython-3.13.5-linux-x86_64-gnu
            warning: [ROOT]/work/link no longer starts: its Python (cpython-3.13-linux-x86_64-gnu) was uninstalled
            """)
        XCTAssertFalse(try starts(sandbox.work.appendingPathComponent("link"), sandbox))
        XCTAssertTrue(try starts(sandbox.work.appendingPathComponent("direct"), sandbox))
    }

    /// --outdated removes an older patch release: the minor link moves, and the venv made through it keeps working.
    func testUninstallOutdatedIsAllowedThroughTheMinorLink() throws {
        let sandbox = try self.sandbox(installing: [python313, python31315])
        XCTAssertEqual(try sandbox.pyman("venv", "v", "--python", "3.13").status, 0)
        try expect(sandbox, ["uninstall", "--outdated"], stderr: "Uninstalled cpython-3.13.5-linux-x86_64-gnu")
        try assertRunsFromInstall(sandbox.work.appendingPathComponent("v/bin/python").path, python31315,
                                  install: sandbox.installDir.appendingPathComponent(python31315.key), sandbox: sandbox)
    }

    func testRecreateMovesAVenvToAnotherMinorVersionWithItsPackages() throws {
        let sandbox = try self.sandbox(installing: [python311, python313])
        let venv = sandbox.work.appendingPathComponent("app")
        XCTAssertEqual(try sandbox.pyman("venv", venv.path, "--python", "3.11", "--seed", "--prompt", "api", "--system-site-packages").status, 0)
        let wheels = try LocalWheels(in: sandbox.root.appendingPathComponent("wheels"))
        try wheels.add("alpha-lib", "1.0", requires: ["beta"])
        try wheels.add("beta", "2.0")
        let loose = try LocalWheels(in: sandbox.root.appendingPathComponent("loose"))
        let gamma = try loose.add("gamma", "3.0"), delta = try loose.add("delta", "4.0")
        let project = try Self.editableProject(in: sandbox.root.appendingPathComponent("project"))
        let pip = venv.appendingPathComponent("bin/pip").path
        let installed = try sandbox.exec(pip, ["install", "-q", "--no-index", "--find-links", wheels.folder.path, "alpha-lib", gamma.path, delta.path,
                                               "-e", project.path])
        XCTAssertEqual(installed.status, 0, installed.summary)
        try FileManager.default.removeItem(at: delta)

        try expect(sandbox, ["venv", venv.path, "--python", "3.13"], status: 1, stderr: """
            error: [ROOT]/work/app is a venv of CPython 3.11 (lib/python3.11), not of CPython 3.13: its packages were built for that Python; pass --recreate to move it to CPython 3.13 with its packages, or --clear to start it afresh
            """)
        try expect(sandbox, ["venv", venv.path, "--python", "3.13", "--recreate", "--", "--no-index", "--find-links", wheels.folder.path], stderr: """
            Installing 4 distributions into the new venv with pip
            Recreated [ROOT]/work/app with CPython 3.13.5 ([ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin/python3.13), pip 25.1.1
              alpha-lib 1.0
              beta 2.0
              gamma 3.0 (from [ROOT]/loose/gamma-3.0-py3-none-any.whl)
              my-app 0.1 (editable from [ROOT]/project)
            warning: not carried over: delta 4.0, installed from [ROOT]/loose/delta-4.0-py3-none-any.whl, which is gone
            Activate with: source [ROOT]/work/app/bin/activate
            """)
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, python313,
                                  install: sandbox.installDir.appendingPathComponent(python313.key), imports: "alpha_lib, beta, gamma", sandbox: sandbox)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.work.path), ["app"], "the old venv and the new one's temporary name are gone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: venv.appendingPathComponent("lib/python3.11").path))
        let config = try String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8)
        XCTAssertTrue(config.contains("prompt = api\n") && config.contains("include-system-site-packages = true\n"), config)
        // pip's scripts and the activation scripts name the venv's own folder.
        let listed = try sandbox.exec(pip, ["list", "--disable-pip-version-check", "--format=freeze", "--exclude-editable"])
        XCTAssertEqual(listed.stdout, "alpha-lib==1.0\nbeta==2.0\ngamma==3.0\npip==25.1.1\n", listed.summary)
        // The editable install is one again: the module is imported from the project's folder.
        let editable = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import my_app, os; print(os.path.dirname(my_app.__file__))"])
        XCTAssertEqual(editable.stdout, project.appendingPathComponent("my_app").path + "\n", editable.summary)
        let activated = try sandbox.exec("/bin/bash", ["-c", "source '\(venv.path)/bin/activate' && echo \"$VIRTUAL_ENV $VIRTUAL_ENV_PROMPT\""])
        XCTAssertEqual(activated.stdout, "\(venv.path) api\n", activated.summary)
        try expect(sandbox, ["venvs"], stdout: "[ROOT]/work/app    CPython 3.13.5    cpython-3.13.5-linux-x86_64-gnu    ok")
        // Over a venv of the same minor version, pyman venv updates it.
        try expect(sandbox, ["venv", venv.path, "--python", "3.13"], stderr: """
            Updated [ROOT]/work/app with CPython 3.13.5 ([ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin/python3.13)
            Activate with: source [ROOT]/work/app/bin/activate
            """)
    }

    /// A project pip installs editable offline: its build backend (PEP 660, in the project, no
    /// requirements) writes a wheel whose .pth file puts the project's folder on sys.path.
    static func editableProject(in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("my_app"), withIntermediateDirectories: true)
        try "NAME = 'my-app'\n".write(to: folder.appendingPathComponent("my_app/__init__.py"), atomically: true, encoding: .utf8)
        try """
            [build-system]
            requires = []
            build-backend = "backend"
            backend-path = ["."]
            """.write(to: folder.appendingPathComponent("pyproject.toml"), atomically: true, encoding: .utf8)
        try """
            import base64, hashlib, os, zipfile
            NAME, VERSION = 'my_app', '0.1'
            INFO = f'{NAME}-{VERSION}.dist-info'
            def _files():
                return {
                    f'{NAME}.pth': os.path.dirname(os.path.abspath(__file__)) + '\\n',
                    f'{INFO}/METADATA': f'Metadata-Version: 2.1\\nName: my-app\\nVersion: {VERSION}\\n',
                    f'{INFO}/WHEEL': 'Wheel-Version: 1.0\\nGenerator: pyman-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
                }
            def _wheel(directory):
                name = f'{NAME}-{VERSION}-py3-none-any.whl'
                files = _files()
                digest = lambda d: 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(d.encode()).digest()).rstrip(b'=').decode()
                record = ''.join(f'{n},{digest(d)},{len(d.encode())}\\n' for n, d in files.items()) + f'{INFO}/RECORD,,\\n'
                with zipfile.ZipFile(os.path.join(directory, name), 'w') as z:
                    for n, d in files.items():
                        z.writestr(n, d)
                    z.writestr(f'{INFO}/RECORD', record)
                return name
            def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
                return _wheel(wheel_directory)
            build_wheel = build_editable
            def build_sdist(sdist_directory, config_settings=None):
                raise NotImplementedError
            """.write(to: folder.appendingPathComponent("backend.py"), atomically: true, encoding: .utf8)
        return folder
    }

    /// A distribution with no wheel for the new Python: named, and the old venv is left as it was.
    func testRecreateFailureLeavesTheOldVenvWorking() throws {
        let sandbox = try self.sandbox(installing: [python311, python313])
        let venv = sandbox.work.appendingPathComponent("app")
        XCTAssertEqual(try sandbox.pyman("venv", venv.path, "--python", "3.11", "--seed").status, 0)
        let wheels = try LocalWheels(in: sandbox.root.appendingPathComponent("wheels"))
        try wheels.add("beta", "2.0")
        try wheels.add("cp311-only", "1.0", tag: "cp311-cp311-linux_x86_64")
        let installed = try sandbox.exec(venv.appendingPathComponent("bin/pip").path, ["install", "-q", "--no-index", "--find-links", wheels.folder.path, "beta", "cp311-only"])
        XCTAssertEqual(installed.status, 0, installed.summary)
        let before = try String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8)
        try expect(sandbox, ["venv", venv.path, "--python", "3.13", "--recreate", "--", "--no-index", "--find-links", wheels.folder.path], status: 1, stderr: """
            Installing 2 distributions into the new venv with pip
            error: cannot recreate [ROOT]/work/app on CPython 3.13.5: pip found no cp311-only==1.0 that installs on CPython 3.13.5 (ERROR: No matching distribution found for cp311-only==1.0); the venv is unchanged; make the distribution available for CPython 3.13.5 (pip's options go after `--`, e.g. `-- --find-links DIR`), or remove it from the venv first
            """)
        XCTAssertEqual(try String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8), before)
        try assertRunsFromInstall(venv.appendingPathComponent("bin/python").path, python311,
                                  install: sandbox.installDir.appendingPathComponent(python311.key), imports: "beta, cp311_only", sandbox: sandbox)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.work.path), ["app"], "no half-made venv is left beside it")
    }
}
