import Foundation
import XCTest

/// The whole output of the main commands — stdout, stderr and exit status — written out here, as uv's
/// snapshot tests do, so that any change to a message shows up in review. Paths under the sandbox read
/// `[ROOT]`, the fixture server's port `[PORT]`, a fixture's real SHA-256 `[SHA256]`; nothing else varies
/// (no timings, and no progress bars: stderr is not a terminal here). The sandbox uses pyman's own
/// Pythons only (PYMAN_PYTHON_PREFERENCE=only-managed), so the machine's Pythons never show.
final class OutputSnapshotTests: XCTestCase {
    func testInstallListFindVenvDoctorUninstall() throws {
        let sandbox = try Sandbox()
        try expect(sandbox, ["install", "3.13"], stderr: """
            Installed cpython-3.13.5-linux-x86_64-gnu in [ROOT]/python/cpython-3.13.5-linux-x86_64-gnu
              linked [ROOT]/bin/python3.13
            note: [ROOT]/bin is not on PATH; run `pyman update-shell` to add it
            """)
        try expect(sandbox, ["install", "3.13"], stderr: """
            cpython-3.13.5-linux-x86_64-gnu is already installed in [ROOT]/python/cpython-3.13.5-linux-x86_64-gnu (use --reinstall to replace it)
              linked [ROOT]/bin/python3.13
            note: [ROOT]/bin is not on PATH; run `pyman update-shell` to add it
            """)
        try expect(sandbox, ["list"], stdout: """
            cpython-3.13.5-linux-x86_64-gnu    [ROOT]/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
            cpython-3.11.2-linux-x86_64-gnu    <download available>
            """)
        try expect(sandbox, ["list", "--only-installed"], stdout: """
            cpython-3.13.5-linux-x86_64-gnu    [ROOT]/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
            """)
        try expect(sandbox, ["find", "3.13"], stdout: """
            [ROOT]/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
            """)
        try expect(sandbox, ["venv", "v"], stderr: """
            Created [ROOT]/work/v with CPython 3.13.5 ([ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin/python3.13)
            Activate with: source [ROOT]/work/v/bin/activate
            """)
        try expect(sandbox, ["doctor", "v"], stderr: """
            [ROOT]/work/v: ok (home = [ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin)
            """)
        try expect(sandbox, ["uninstall", "3.13"], status: 1, stderr: """
            error: refusing to uninstall: 1 registered venv would stop working: [ROOT]/work/v (uses cpython-3.13-linux-x86_64-gnu); move each to another Python first (`pyman venv DIR --python 3.X --recreate`), or pass --force to uninstall anyway
            """)
        try expect(sandbox, ["uninstall", "3.13", "--force"], stderr: """
            Uninstalled cpython-3.13.5-linux-x86_64-gnu
            warning: [ROOT]/work/v no longer starts: its Python (cpython-3.13-linux-x86_64-gnu) was uninstalled
            """)
        try expect(sandbox, ["list", "--only-installed"])
        try expect(sandbox, ["doctor", "v"], status: 1, stderr: """
            error: [ROOT]/work/v: home = [ROOT]/python/cpython-3.13-linux-x86_64-gnu/bin has no lib/python3.13/os.py beside it, so the venv's Python cannot start; no working base Python found; recreate it with `pyman venv --clear`
            """)
        try expect(sandbox, ["doctor", "elsewhere"], status: 1, stderr: """
            error: [ROOT]/work/elsewhere is not a virtual environment (no readable pyvenv.cfg)
            """)
        try expect(sandbox, ["uninstall", "--all"], stderr: """
            No Pythons are installed.
            """)
    }

    func testErrorsForABadRequestAndAMissingPython() throws {
        let sandbox = try Sandbox()
        try expect(sandbox, ["install", "3.x"], status: 1, stderr: """
            error: invalid Python request '3.x': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'
            """)
        try expect(sandbox, ["find", "3.12"], status: 1, stderr: """
            error: no installed Python matches '3.12'; install it with `pyman install 3.12`
            """)
        try expect(sandbox, ["venv", "v", "--python", "3.12"], status: 1, stderr: """
            error: no Python matches '3.12' for linux-x86_64-gnu; the nearest known are 3.13.5, 3.11.2; change the request or see `pyman list`
            """)
        try expect(sandbox, ["uninstall", "3.13"], status: 1, stderr: """
            error: no installed Python matches '3.13'; `pyman list --only-installed` shows what is installed
            """)
    }

    func testArchiveWithWrongSHA256IsRefused() throws {
        let sandbox = try Sandbox()
        let file = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        let url = "http://127.0.0.1:\(try MirrorServer.shared.start())/\(Fixture.build)/\(file)"
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue(key: "cpython-3.11.2-linux-x86_64-gnu", url: url, sha256: String(repeating: "0", count: 64)).path
        try expect(sandbox, ["install", "3.11"], status: 1, stderr: """
            error: cpython-3.11.2-linux-x86_64-gnu: checksum mismatch for http://127.0.0.1:[PORT]/20250723/cpython-3.11.2+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz: expected sha256 0000000000000000000000000000000000000000000000000000000000000000, got [SHA256]; the download or the catalogue is wrong, nothing was installed
            """, sha256: try Fixture.sha256(file))
        try expect(sandbox, ["list", "--only-installed"])
    }

    /// Conflicting flags are usage errors (exit 2), worded by argument-parser with the usage line.
    func testConflictingFlagsAreUsageErrors() throws {
        let sandbox = try Sandbox()
        try expect(sandbox, ["find", "--managed-python", "--no-managed-python"], status: 2, stderr: """
            Error: --managed-python and --no-managed-python exclude each other; pass one
            Usage: pyman find [<request>] [--quiet] [--mirror <url>] [--downloads-json <path-or-url>] [--offline] [--no-cache] [--managed-python] [--no-managed-python]
              See 'pyman find --help' for more information.
            """)
        try expect(sandbox, ["install", "--default", "--no-bin", "3.13"], status: 2, stderr: """
            Error: --default and --no-bin exclude each other: --default links into the bin dir; pass one
            Usage: pyman install [<options>] [<requests> ...]
              See 'pyman install --help' for more information.
            """)
        try expect(sandbox, ["venv", "--copies", "--symlinks"], status: 2, stderr: """
            Error: --copies and --symlinks exclude each other; pass one
            Usage: pyman venv [<options>] [<path>] -- [<pip-options> ...]
              See 'pyman venv --help' for more information.
            """)
        try expect(sandbox, ["uninstall", "--all", "--outdated"], status: 2, stderr: """
            Error: --outdated and --all do not go together: --outdated keeps the newest of each series
            Usage: pyman uninstall [<requests> ...] [--all] [--outdated] [--force] [--quiet] [--mirror <url>] [--downloads-json <path-or-url>] [--offline] [--no-cache] [--managed-python] [--no-managed-python]
              See 'pyman uninstall --help' for more information.
            """)
        try expect(sandbox, ["uninstall", "--all", "3.13"], status: 2, stderr: """
            Error: name the Pythons to remove (e.g. `pyman uninstall 3.13`) or pass --all, not both
            Usage: pyman uninstall [<requests> ...] [--all] [--outdated] [--force] [--quiet] [--mirror <url>] [--downloads-json <path-or-url>] [--offline] [--no-cache] [--managed-python] [--no-managed-python]
              See 'pyman uninstall --help' for more information.
            """)
        XCTAssertEqual(sandbox.installDirContents(), [], "a usage error installs nothing")
    }
}

extension XCTestCase {
    /// Runs pyman and compares its whole output, filtered, with what is written: each non-empty
    /// expectation is its lines, each ended by a newline.
    func expect(_ sandbox: Sandbox, _ arguments: [String], status: Int32 = 0, stdout: String = "", stderr: String = "",
                sha256: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try sandbox.pyman(arguments, env: [:], file: file, line: line)
        let port = try MirrorServer.shared.start()
        func filtered(_ text: String) -> String {
            var text = text.replacingOccurrences(of: sandbox.root.path, with: "[ROOT]")
                .replacingOccurrences(of: "127.0.0.1:\(port)", with: "127.0.0.1:[PORT]")
            if let sha256 { text = text.replacingOccurrences(of: sha256, with: "[SHA256]") }
            return text
        }
        func lines(_ text: String) -> String { text.isEmpty ? "" : text + "\n" }
        let command = "pyman " + arguments.joined(separator: " ")
        XCTAssertEqual(filtered(run.stdout), lines(stdout), "stdout of `\(command)`", file: file, line: line)
        XCTAssertEqual(filtered(run.stderr), lines(stderr), "stderr of `\(command)`", file: file, line: line)
        XCTAssertEqual(run.status, status, "exit status of `\(command)`", file: file, line: line)
    }
}
