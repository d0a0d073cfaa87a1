import Foundation
import XCTest

/// issue #23, findings 1, 3 and 9: what another user can write around the machine's Pythons (the
/// interpreter cache, a file named like a request, a Python on PATH) never chooses what root runs, and
/// Pythons that hang cannot stall discovery without limit. Runs as root, with a second local user made
/// for the test writing the hostile files; each test also checks that the legitimate result still happens.
final class InterpreterTrustTests: XCTestCase {
    let debian = "/usr/bin/python3.11"
    var otherUser = ""
    var otherUID: UInt32 = 0

    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to make a second user and hand it files") }
        guard FileManager.default.isExecutableFile(atPath: debian) else { throw XCTSkipError("\(debian) is not on this machine") }
        (otherUser, otherUID) = try makeOtherUser(for: self)
    }

    /// Hands `path` (and, for a folder, everything in it) to the other user, as if they had written it.
    func giveToOther(_ url: URL) throws {
        let chowned = try EndToEndTests.run("/bin/chown", ["-R", "\(otherUID)", url.path])
        XCTAssertEqual(chowned.status, 0, chowned.summary)
    }

    /// A compiled program (discovery runs no `#!` script) that touches `marker` when run, then prints
    /// `stdout`.
    func program(_ url: URL, touching marker: URL, printing stdout: String = "", hang: Bool = false) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let escaped = stdout.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let source = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).c")
        try Data("""
        #include <stdio.h>
        #include <unistd.h>
        int main(void) { FILE *f = fopen("\(marker.path)", "a"); if (f) fclose(f); fputs("\(escaped)", stdout); fflush(stdout); \(hang ? "for (;;) pause();" : "") return 0; }
        """.utf8).write(to: source)
        let built = try EndToEndTests.run("/usr/bin/cc", ["-o", url.path, source.path])
        XCTAssertEqual(built.status, 0, built.summary)
        try FileManager.default.removeItem(at: source)
    }

    /// A `#!` script that touches `marker`: what a hostile cache entry names as the executable.
    func script(_ url: URL, touching marker: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\ntouch '\(marker.path)'\necho pwned\n".utf8).write(to: url)
        XCTAssertEqual(chmod(url.path, 0o755), 0)
    }

    /// The interpreter cache entry for `path` in `cache`, as JSON, and its file.
    func entry(for path: String, in cache: URL) throws -> (url: URL, object: [String: Any]) {
        let folder = cache.appendingPathComponent("interpreters-v1")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let url = folder.appendingPathComponent(name)
            if let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], object["path"] as? String == path {
                return (url, object)
            }
        }
        throw XCTSkipError("no cache entry for \(path) in \(folder.path)")
    }

    /// Rewrites the entry's interpreter fields.
    func plant(_ changes: [String: String], into entry: (url: URL, object: [String: Any])) throws {
        var object = entry.object
        var interpreter = object["interpreter"] as! [String: Any]
        for (key, value) in changes { interpreter[key] = value }
        object["interpreter"] = interpreter
        try JSONSerialization.data(withJSONObject: object).write(to: entry.url)
    }

    func found(_ sandbox: Sandbox, _ request: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try sandbox.pyman("find", request)
        XCTAssertEqual(result.status, 0, result.summary, file: file, line: line)
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// A venv from `python` works and runs Debian's Python: `home` is /usr/bin and nothing hostile ran.
    func assertVenvRunsDebian(_ venv: URL, _ sandbox: Sandbox, file: StaticString = #filePath, line: UInt = #line) throws {
        let config = try String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8)
        XCTAssertTrue(config.hasPrefix("home = /usr/bin\n"), config, file: file, line: line)
        XCTAssertTrue(config.contains("\nversion = 3.11.2\n"), config, file: file, line: line)
        XCTAssertTrue(FileManager.default.fileExists(atPath: venv.appendingPathComponent("lib/python3.11/site-packages").path), file: file, line: line)
        let ran = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import sys; print(sys.base_prefix, sys.prefix != sys.base_prefix)"])
        XCTAssertEqual(ran.stdout, "/usr True\n", ran.summary, file: file, line: line)
    }

    /// Finding 1: an entry in a cache folder another user can write names their script as the
    /// executable of /usr/bin/python3.11, and a stdlib folder that climbs out of the venv. It is not
    /// read: Debian's Python is asked again, found, and the venvs run it. Then the same fields in a
    /// cache only root can write: the executable is still the path asked about, and an entry whose
    /// stdlib folder is not a plain `python3.X` is asked again, not obeyed.
    func testAHostileInterpreterCacheIsNotObeyed() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_PYTHON_PREFERENCE"] = "managed"
        sandbox.environment["PATH"] = "/usr/bin:/bin"
        let marker = sandbox.root.appendingPathComponent("PWNED")
        let outside = sandbox.root.appendingPathComponent("OUTSIDE")
        let evil = sandbox.root.appendingPathComponent("theirs/evil")
        try script(evil, touching: marker)

        // A trusted cache, filled by pyman itself, then edited as root: the executable field is ignored.
        let ours = sandbox.root.appendingPathComponent("cache")
        XCTAssertEqual(try found(sandbox, "3.11"), debian)
        let planted = try entry(for: debian, in: ours)
        try plant(["executable": evil.path], into: planted)
        XCTAssertEqual(try found(sandbox, "3.11"), debian, "the path asked about, not the entry's executable")
        try plant(["stdlibName": "../../../../../\(outside.path)"], into: planted)
        let venv = sandbox.work.appendingPathComponent("v")
        let made = try sandbox.pyman("venv", "--python", "3.11", venv.path)
        XCTAssertEqual(made.status, 0, made.summary)
        try assertVenvRunsDebian(venv, sandbox)
        XCTAssertEqual(try entry(for: debian, in: ours).object["interpreter"].map { ($0 as! [String: Any])["stdlibName"] as? String }, "python3.11",
                       "the rejected entry was asked again and replaced")

        // The cache dir in a folder the other user owns, holding their entry: not read at all.
        let shared = sandbox.root.appendingPathComponent("theirs/cache")
        try FileManager.default.copyItem(at: ours, to: shared)
        // Well-formed but false: every field has the right shape, so only the file's owner gives it away.
        try plant(["executable": evil.path, "version": "3.11.9", "versionInfo": "3.11.9.final.0", "prefix": outside.path],
                  into: try entry(for: debian, in: shared))
        try giveToOther(sandbox.root.appendingPathComponent("theirs"))
        sandbox.environment["PYMAN_CACHE_DIR"] = shared.path
        XCTAssertEqual(try found(sandbox, "3.11"), debian, "their entry is not read")
        let lie = try sandbox.pyman("find", "3.11.9")
        XCTAssertEqual(lie.status, 1, "Debian's is 3.11.2, whatever their entry says: \(lie.summary)")
        for (name, python) in [("v1", "3.11"), ("v2", debian)] {
            let target = sandbox.work.appendingPathComponent(name)
            let result = try sandbox.pyman("venv", "--python", python, target.path)
            XCTAssertEqual(result.status, 0, result.summary)
            try assertVenvRunsDebian(target, sandbox)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "their script never ran")
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside.path), "nothing was made outside the venv")
    }

    /// Finding 3: `venv --python 3.13` with a program named `3.13` (theirs) in the current folder makes
    /// the venv from pyman's 3.13; `./3.13` is how to name the file.
    func testAFileNamedLikeARequestIsNotRun() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let folder = sandbox.root.appendingPathComponent("shared-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(folder.path, 0o1777), 0)
        let marker = sandbox.root.appendingPathComponent("PWNED-\(UUID().uuidString.prefix(6))")
        try script(folder.appendingPathComponent("3.13"), touching: marker)
        try giveToOther(folder.appendingPathComponent("3.13"))

        let result = try sandbox.pyman(["venv", "--python", "3.13", "v"], cwd: folder)
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "the file named 3.13 was not run")
        let ran = try sandbox.exec(folder.appendingPathComponent("v/bin/python").path, ["-c", "import platform; print(platform.python_version())"])
        XCTAssertEqual(ran.stdout, "3.13.5\n", ran.summary)

        let bad = try sandbox.pyman(["venv", "--python", "python3x", "w"], cwd: sandbox.root)
        XCTAssertEqual(bad.status, 1, bad.summary)
        XCTAssertEqual(bad.stderr, "error: invalid Python request 'python3x': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'\n")
        try script(sandbox.root.appendingPathComponent("python3x"), touching: marker)
        let hinted = try sandbox.pyman(["venv", "--python", "python3x", "w"], cwd: sandbox.root)
        XCTAssertEqual(hinted.stderr, "error: invalid Python request 'python3x': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'; to use the file of that name in this folder, pass --python ./python3x\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path))
    }

    /// Finding 9: three programs named python3.2x on PATH that never answer cost one deadline together
    /// (they are asked at once), and nothing the next time (the failure is remembered by path and mtime);
    /// the real Python behind them is found both times.
    func testHangingCandidatesCostOneDeadlineOnce() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_PYTHON_PREFERENCE"] = "managed"
        let hostile = sandbox.root.appendingPathComponent("hostile")
        let marker = sandbox.root.appendingPathComponent("asked")
        for minor in ["20", "21", "22"] { try program(hostile.appendingPathComponent("python3.\(minor)"), touching: marker, hang: true) }
        sandbox.environment["PATH"] = "\(hostile.path):/usr/bin:/bin"
        let start = Date()
        XCTAssertEqual(try found(sandbox, "3.11"), debian)
        let first = Date().timeIntervalSince(start)
        XCTAssertLessThan(first, 20, "one 10 s deadline for the three, not 10 s each")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "they were asked")
        try FileManager.default.removeItem(at: marker)
        let again = Date()
        XCTAssertEqual(try found(sandbox, "3.11"), debian)
        XCTAssertLessThan(Date().timeIntervalSince(again), 5, "their failures are remembered")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "not asked again")
    }

    /// Finding 9: run as root, a Python in a PATH folder another user owns, one reached by a link into
    /// such a folder, and one in a pyenv root they own are never run; each is named in a warning, and
    /// Debian's Python is found.
    func testAsRootAPythonAnotherUserCanChangeIsNotRun() throws {
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_PYTHON_PREFERENCE"] = "managed"
        let marker = sandbox.root.appendingPathComponent("PWNED")
        let answer = #"{"executable": "/x", "version": "3.11.9", "versionInfo": "3.11.9.final.0", "implementation": "CPython", "stdlibName": "python3.11", "prefix": "/usr"}"#
        let theirs = sandbox.root.appendingPathComponent("theirs")
        try program(theirs.appendingPathComponent("bin/python3.11"), touching: marker, printing: answer)
        try program(theirs.appendingPathComponent("pyenv/versions/3.11.9/bin/python3.11"), touching: marker, printing: answer)
        try program(theirs.appendingPathComponent("elsewhere/python3.11"), touching: marker, printing: answer)
        let linked = sandbox.root.appendingPathComponent("linked")
        try FileManager.default.createDirectory(at: linked, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: linked.appendingPathComponent("python3.11").path,
                                                   withDestinationPath: theirs.appendingPathComponent("elsewhere/python3.11").path)
        try giveToOther(theirs)
        sandbox.environment["PATH"] = "\(theirs.path)/bin:\(linked.path):/usr/bin:/bin"
        sandbox.environment["PYENV_ROOT"] = theirs.appendingPathComponent("pyenv").path
        let result = try sandbox.pyman("find", "3.11")
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(result.stdout, debian + "\n")
        let theirsAbove = "\(theirs.path), a folder above the"
        let why = "belongs to user \(otherUID), not to you or root, so they could change what pyman runs; pyman does not run it"
        XCTAssertEqual(result.stderr, """
        warning: \(theirsAbove) PATH Python \(theirs.path)/bin/python3.11, \(why)
        warning: \(theirsAbove) PATH Python \(linked.path)/python3.11, \(why)
        warning: \(theirsAbove) pyenv Python \(theirs.path)/pyenv/versions/3.11.9/bin/python3.11, \(why)

        """)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "their program never ran")
    }
}
