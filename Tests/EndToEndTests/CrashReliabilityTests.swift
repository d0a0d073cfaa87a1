import Foundation
import XCTest

/// Kills, a torn index write and a full or read-only disk (issue 4), with the real binary.
final class CrashReliabilityTests: XCTestCase {
    let python = FixturePython.all[0]

    func leftovers(_ sandbox: Sandbox) -> [String] {
        sandbox.installDirContents().filter { $0.hasPrefix(".tmp-") || $0.hasPrefix(".old-") }
    }

    /// `kill -9` at seven moments spread over a measured install (catalogue, download and extraction,
    /// patching, commit, index): afterwards nothing half-done is listed or findable, the next run of the
    /// key clears what the killed one left, and a last install succeeds.
    func testKillDuringInstallLeavesNothingHalfDone() throws {
        let sandbox = try Sandbox()
        let started = Date()
        XCTAssertEqual(try sandbox.pyman(["install", "3.11"], env: [:]).status, 0)
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(try sandbox.pyman(["uninstall", "3.11"], env: [:]).status, 0)

        var killedMidway = 0
        for fraction in [0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95] {
            let install = try sandbox.start(["install", "3.11"])
            Thread.sleep(forTimeInterval: duration * fraction)
            install.kill9()
            let result = install.wait()
            if !install.killedBySignal {
                XCTAssertEqual(result.status, 0, result.summary)
                XCTAssertEqual(leftovers(sandbox), [], "a finished run clears what killed runs of its key left")
            } else if !leftovers(sandbox).isEmpty {
                killedMidway += 1
            }
            if try sandbox.assertConsistent(python) {
                XCTAssertEqual(try sandbox.pyman(["uninstall", "3.11"], env: [:]).status, 0)
            }
        }
        XCTAssertGreaterThan(killedMidway, 0, "no kill landed during an install (measured \(duration) s)")

        let last = try sandbox.pyman(["install", "3.11"], env: [:])
        XCTAssertEqual(last.status, 0, last.summary)
        XCTAssertEqual(leftovers(sandbox), [], "the next run of the key removes what killed runs left")
        XCTAssertTrue(try sandbox.assertConsistent(python))
        let install = sandbox.installDir.appendingPathComponent(python.key)
        try assertRunsFromInstall(install.appendingPathComponent("bin/\(python.executable)").path, python, install: install, sandbox: sandbox)
    }

    /// The index is replaced by rename: a writer killed while writing its temporary file leaves the old
    /// index whole, and the next writer removes the temporary file. The index holds 20,000 records so
    /// the write lasts long enough to be caught: the test kills `pyman uninstall` the moment its temporary
    /// file appears.
    func testIndexSurvivesAKillDuringItsWrite() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.installDir, withIntermediateDirectories: true)
        let index = sandbox.installDir.appendingPathComponent(".pyman-index.json")
        var records: [String] = []
        for minor in 0..<40 {
            for patch in 0..<500 {
                let key = "cpython-3.\(minor).\(patch)-linux-x86_64-gnu"
                records.append(#"{"key":"\#(key)","version":"3.\#(minor).\#(patch)","os":"linux","arch":"x86_64","libc":"gnu","path":"/nonexistent/\#(key)","installed_at":"2026-01-01T00:00:00Z","pyman_version":"0.1.0","patch_level":2}"#)
            }
        }
        try Data(#"{"format":1,"installs":[\#(records.joined(separator: ",\n"))]}"#.utf8).write(to: index)
        func indexKeys() throws -> Set<String> {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any]
            return Set((object?["installs"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
        }
        func temporaryFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: sandbox.installDir.path)) ?? []).filter { $0.hasPrefix("..pyman-index.json.") }
        }

        var expected = try indexKeys()
        var caught = 0
        for patch in 1...3 {
            let key = "cpython-3.9.\(patch)-linux-x86_64-gnu"
            let uninstall = try sandbox.start(["uninstall", "3.9.\(patch)"])
            let mine = "..pyman-index.json.\(uninstall.process.processIdentifier)."
            let deadline = Date().addingTimeInterval(30)
            while uninstall.process.isRunning, Date() < deadline {
                if temporaryFiles().contains(where: { $0.hasPrefix(mine) }) {
                    uninstall.kill9()
                    caught += 1
                    break
                }
            }
            uninstall.wait()
            let keys = try indexKeys()  // throws if the index is torn
            XCTAssertTrue(keys == expected || keys == expected.subtracting([key]), "the index is neither the old nor the new one")
            expected = keys
        }
        XCTAssertGreaterThan(caught, 0, "no kill landed during an index write")
        XCTAssertFalse(temporaryFiles().isEmpty, "the killed writers' temporary files are there")

        let finished = try sandbox.pyman(["uninstall", "3.9.100"], env: [:])
        XCTAssertEqual(finished.status, 0, finished.summary)
        XCTAssertEqual(try indexKeys(), expected.subtracting(["cpython-3.9.100-linux-x86_64-gnu"]))
        XCTAssertEqual(temporaryFiles(), [], "the next writer removes temporary files of killed ones")
    }

    /// Mounts a tmpfs of `size` (read-only with `readOnly`) as the sandbox's install dir for `body`,
    /// unmounting it on every path out. Needs root; skipped with the reason otherwise.
    func withTmpfs(_ sandbox: Sandbox, size: String, readOnly: Bool = false, _ body: () throws -> Void) throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        try FileManager.default.createDirectory(at: sandbox.installDir, withIntermediateDirectories: true)
        // mode=0755: a tmpfs's root is 1777 by default, which pyman refuses as an install dir (others could write it).
        let options = "size=\(size),mode=0755" + (readOnly ? ",ro" : "")
        let mounted = try EndToEndTests.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", options, "tmpfs", sandbox.installDir.path])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.stderr)") }
        defer {
            if (try? EndToEndTests.run("/usr/bin/env", ["umount", sandbox.installDir.path]))?.status != 0 {
                _ = try? EndToEndTests.run("/usr/bin/env", ["umount", "-l", sandbox.installDir.path])
            }
        }
        try body()
    }

    /// A 20 MiB install dir cannot hold 3.11 (41 MiB unpacked): one line naming the full disk and what
    /// to do, and no temporary folder left to fill it further.
    func testDiskFullIsOneClearLineAndLeavesNoTemporaryFiles() throws {
        let sandbox = try Sandbox()
        try withTmpfs(sandbox, size: "20m") {
            let result = try sandbox.pyman(["install", "3.11"], env: [:])
            XCTAssertEqual(result.status, 1, result.summary)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.summary)
            XCTAssertTrue(result.stderr.contains("no space left on the device") && result.stderr.contains("PYMAN_INSTALL_DIR"), result.summary)
            XCTAssertEqual(sandbox.installDirContents(), [], "the temporary folder is removed")
            XCTAssertEqual(try sandbox.listedKeys(), [])
            var stats = statvfs()
            XCTAssertEqual(statvfs(sandbox.installDir.path, &stats), 0)
            XCTAssertLessThan(Double(stats.f_blocks - stats.f_bfree) * Double(stats.f_frsize), 1_048_576, "space is given back")
        }
    }

    func testReadOnlyInstallDirIsOneClearLine() throws {
        let sandbox = try Sandbox()
        try withTmpfs(sandbox, size: "1m", readOnly: true) {
            let result = try sandbox.pyman(["install", "3.11"], env: [:])
            XCTAssertEqual(result.status, 1, result.summary)
            XCTAssertEqual(result.stderr, "error: cpython-3.11.2-linux-x86_64-gnu: the install dir \(sandbox.installDir.path) is not writable; set PYMAN_INSTALL_DIR to a writable folder or run with more rights\n")
            XCTAssertEqual(try sandbox.listedKeys(), [], "reading an unwritable install dir works")
        }
    }
}
