import Foundation
import XCTest

/// What another user, or a project, can make root's pyman do through the files it finds in the working
/// folder (issue #23): a project's pyman.lock never replaces an install, a lock or a project file another
/// user could have written is refused or skipped, and a lock can neither hash the machine's files nor
/// lie about a size. Each test also shows the legitimate result still happens. Runs as root, with a
/// second local user made for the test writing the hostile files.
final class ProjectTrustTests: XCTestCase {
    let python311 = FixturePython(version: "3.11.2")
    var otherUser = ""
    var otherUID: UInt32 = 0

    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to make a second user and hand it files") }
        (otherUser, otherUID) = try makeOtherUser(for: self)
    }

    /// A folder (made if needed) with `mode`, handed to the other user when `toOther`.
    func folder(_ url: URL, mode: Int = 0o755, toOther: Bool = false) throws -> URL {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(url.path, mode_t(mode)), 0)
        if toOther { XCTAssertEqual(chown(url.path, otherUID, gid_t(UInt32.max)), 0) }
        return url
    }

    /// A file written with `text` and `mode`, handed to the other user when `toOther`.
    func file(_ url: URL, _ text: String, mode: Int = 0o644, toOther: Bool = false) throws {
        try text.write(to: url, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(url.path, mode_t(mode)), 0)
        if toOther { XCTAssertEqual(chown(url.path, otherUID, gid_t(UInt32.max)), 0) }
    }

    func sha256(_ path: String) throws -> String {
        String(try EndToEndTests.run("/usr/bin/sha256sum", [path]).stdout.prefix(64))
    }

    func indexedSHA(_ sandbox: Sandbox) throws -> String? {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: sandbox.installDir.appendingPathComponent(".pyman-index.json"))) as? [String: Any]
        let records = index?["installs"] as? [[String: Any]] ?? []
        return records.first { $0["key"] as? String == python311.key }?["sha256"] as? String
    }

    // MARK: finding 2: a project's pyman.lock never replaces the machine-wide install

    func testAProjectLockNeverReplacesTheInstall() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.pyman("install", python311.version, "--no-bin").status, 0)
        let venv = try sandbox.pyman("venv", "before", "--python", python311.minor)
        XCTAssertEqual(venv.status, 0, venv.summary)
        let install = sandbox.installDir.appendingPathComponent(python311.key)
        let genuine = try sha256(Paths.mirror.appendingPathComponent("\(python311.build)/\(python311.archive)").path)
        XCTAssertEqual(try indexedSHA(sandbox), genuine)

        // Another archive of the same key (the genuine one with bytes after its end: it installs fine),
        // served and locked the way a project would lock it.
        let served = try folder(sandbox.root.appendingPathComponent("served"))
        var bytes = try Data(contentsOf: Paths.mirror.appendingPathComponent("\(python311.build)/\(python311.archive)"))
        bytes.append(Data(count: 512))
        try bytes.write(to: served.appendingPathComponent(python311.archive))
        let other = try sha256(served.appendingPathComponent(python311.archive).path)
        let server = try FolderServer(serving: served)
        let catalogue = try sandbox.catalogue(key: python311.key, url: server.url(python311.archive), sha256: other)

        let project = try folder(sandbox.root.appendingPathComponent("project"))
        let locked = try sandbox.pyman(["lock", python311.minor], env: ["PYMAN_DOWNLOADS_JSON": catalogue.path, "PYMAN_PYTHON_MIRROR": ""], cwd: project)
        XCTAssertEqual(locked.status, 0, locked.summary)
        let lock = project.appendingPathComponent("pyman.lock").path
        let refusal = "\(python311.key) is installed from the archive with sha256 \(genuine), but \(lock) pins sha256 \(other); nothing was changed; to replace the install, run `pyman install --locked --reinstall` in \(project.path)"
        let made = try sandbox.pyman(["venv"], env: [:], cwd: project)
        XCTAssertEqual(made.status, 1, made.summary)
        XCTAssertEqual(made.stderr, "error: \(refusal)\n")
        let installed = try sandbox.pyman(["install", "--locked"], env: [:], cwd: project)
        XCTAssertEqual(installed.status, 1, installed.summary)
        XCTAssertEqual(installed.stderr, "error: \(python311.key): \(refusal)\n")

        // A lock another user wrote, in a sticky folder like /tmp, or one others can write: refused unread.
        let tmp = try folder(sandbox.root.appendingPathComponent("tmp"), mode: 0o1777)
        let planted = tmp.appendingPathComponent("pyman.lock")
        try file(planted, try String(contentsOfFile: lock, encoding: .utf8), toOther: true)
        let inTmp = try sandbox.pyman(["venv"], env: [:], cwd: tmp)
        XCTAssertEqual(inTmp.status, 1, inTmp.summary)
        XCTAssertEqual(inTmp.stderr, "error: the lock file \(planted.path) belongs to user \(otherUID), not to you or root, so they could change what pyman runs; remove it, or choose another file\n")
        XCTAssertEqual(chmod(lock, 0o666), 0)
        let writable = try sandbox.pyman(["venv"], env: [:], cwd: project)
        XCTAssertEqual(writable.stderr, "error: the lock file \(lock) can be written by other users, so they could change what pyman runs; run `chmod go-w \(lock)`, or choose another file\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.appendingPathComponent(".venv").path))

        // The install is untouched and runs, through the venv made before too.
        XCTAssertEqual(try indexedSHA(sandbox), genuine)
        try assertRunsFromInstall(install.appendingPathComponent("bin/\(python311.executable)").path, python311, install: install, sandbox: sandbox)
        try assertRunsFromInstall(sandbox.work.appendingPathComponent("before/bin/python").path, python311, install: install, sandbox: sandbox)

        // A lock of this user's pinning the installed archive still makes the venv from it.
        let good = try folder(sandbox.root.appendingPathComponent("good"))
        XCTAssertEqual(try sandbox.pyman(["lock", python311.minor], env: [:], cwd: good).status, 0)
        let fine = try sandbox.pyman(["venv"], env: [:], cwd: good)
        XCTAssertEqual(fine.status, 0, fine.summary)
        try assertRunsFromInstall(good.appendingPathComponent(".venv/bin/python").path, python311, install: install, sandbox: sandbox)
        withExtendedLifetime(server) {}
    }

    // MARK: finding 4: the upward search skips files another user could have written

    func testProjectFilesAnotherUserCouldHaveWrittenAreSkipped() throws {
        let sandbox = try Sandbox()
        let python313 = FixturePython(version: "3.13.5")
        XCTAssertEqual(try sandbox.pyman("pin", "--global", python311.minor).status, 0, "root's own pin: what should answer")

        // nobody's /shared/.python-versions above /shared/job: root's bare install there takes root's pin.
        let shared = try folder(sandbox.root.appendingPathComponent("shared"), toOther: true)
        let job = try folder(shared.appendingPathComponent("job"), toOther: true)
        try file(shared.appendingPathComponent(".python-versions"), "\(python313.minor)\n", toOther: true)
        let installed = try sandbox.pyman(["install", "--no-bin"], env: [:], cwd: job)
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.hasPrefix("note: \(shared.path), a folder above the project file \(shared.path)/.python-versions, belongs to user \(otherUID), not to you or root, so they could change what pyman runs; skipped it\n"), installed.summary)
        XCTAssertEqual(installed.stderr.components(separatedBy: "skipped it").count, 2, "one note: \(installed.summary)")
        XCTAssertTrue(sandbox.installDirContents().contains(python311.key), installed.summary)
        XCTAssertFalse(sandbox.installDirContents().contains(python313.key), "nothing the other user's file lists: \(installed.summary)")

        // A .python-version linked to a root-only file, planted in a sticky folder: skipped, its target never shown.
        let tmp = try folder(sandbox.root.appendingPathComponent("tmp"), mode: 0o1777)
        try file(sandbox.root.appendingPathComponent("secret"), "s3cr3t-line-of-root\n", mode: 0o600)
        let link = tmp.appendingPathComponent(".python-version")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: sandbox.root.appendingPathComponent("secret").path)
        XCTAssertEqual(lchown(link.path, otherUID, gid_t(UInt32.max)), 0)
        let found = try sandbox.pyman(["find"], env: [:], cwd: tmp)
        XCTAssertEqual(found.status, 0, found.summary)
        XCTAssertEqual(found.stderr, "note: the project file \(link.path) is a link, so pyman does not read it; skipped it\n")
        XCTAssertTrue(found.stdout.hasSuffix("\(python311.key)/bin/\(python311.executable)\n"), found.summary)

        // A malformed pyproject.toml another user left in a parent folder: skipped, every command still works.
        let parent = try folder(sandbox.root.appendingPathComponent("parent"))
        let sub = try folder(parent.appendingPathComponent("sub"))
        let pyproject = parent.appendingPathComponent("pyproject.toml")
        try file(pyproject, "[project]\nrequires-python = \">=3.13\n", toOther: true)
        let below = try sandbox.pyman(["find"], env: [:], cwd: sub)
        XCTAssertEqual(below.status, 0, below.summary)
        XCTAssertEqual(below.stderr, "note: the project file \(pyproject.path) belongs to user \(otherUID), not to you or root, so they could change what pyman runs; skipped it\n")
        XCTAssertTrue(below.stdout.hasSuffix("\(python311.key)/bin/\(python311.executable)\n"), below.summary)
        // root's own malformed file is root's to fix: one line, naming the file and the line.
        XCTAssertEqual(chown(pyproject.path, 0, 0), 0)
        let broken = try sandbox.pyman(["find"], env: [:], cwd: sub)
        XCTAssertEqual(broken.status, 1, broken.summary)
        XCTAssertEqual(broken.stderr.split(separator: "\n").count, 1, broken.summary)
        XCTAssertTrue(broken.stderr.hasPrefix("error: \(pyproject.path) line 2: "), broken.summary)

        // root's own pin in a sticky folder like /tmp is obeyed.
        try FileManager.default.removeItem(at: link)
        try file(tmp.appendingPathComponent(".python-versions"), "\(python313.minor)\n")
        let pinned = try sandbox.pyman(["install", "--no-bin"], env: [:], cwd: tmp)
        XCTAssertEqual(pinned.status, 0, pinned.summary)
        XCTAssertTrue(sandbox.installDirContents().contains(python313.key), pinned.summary)
        let install = sandbox.installDir.appendingPathComponent(python311.key)
        try assertRunsFromInstall(install.appendingPathComponent("bin/\(python311.executable)").path, python311, install: install, sandbox: sandbox)
    }

    // MARK: finding 8: a lock names no local file outside its folder, and its size is compared

    func testALockCannotHashTheMachinesFilesNorMisstateASize() throws {
        let sandbox = try Sandbox()
        let project = sandbox.work
        let lock = project.appendingPathComponent("pyman.lock")
        XCTAssertEqual(try sandbox.pyman(["lock", python311.minor], env: [:]).status, 0)
        let text = try String(contentsOf: lock, encoding: .utf8)
        let archive = Paths.mirror.appendingPathComponent("\(python311.build)/\(python311.archive)")
        let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as! Int
        let urlLine = text.split(separator: "\n").first { $0.hasPrefix("url = ") }!
        func relock(url: String? = nil, size newSize: Int? = nil) throws {
            var changed = text
            if let url { changed = changed.replacingOccurrences(of: urlLine, with: "url = \"\(url)\"") }
            if let newSize { changed = changed.replacingOccurrences(of: "size = \(size)\n", with: "size = \(newSize)\n") }
            try file(lock, changed)
        }

        // Local files outside the lock's folder, directly or through a link the other user planted inside it.
        // With the file's true size, so that the size check alone would not stop pyman hashing it.
        let shadowSHA = try sha256("/etc/shadow")
        let shadowSize = try FileManager.default.attributesOfItem(atPath: "/etc/shadow")[.size] as! Int
        let archives = try folder(project.appendingPathComponent("archives"), toOther: true)
        let planted = archives.appendingPathComponent("python.tar.gz")
        try FileManager.default.createSymbolicLink(atPath: planted.path, withDestinationPath: "/etc/shadow")
        XCTAssertEqual(lchown(planted.path, otherUID, gid_t(UInt32.max)), 0)
        for url in ["file:///etc/shadow", "file://\(project.path)/../../../etc/shadow", "file://\(planted.path)"] {
            try relock(url: url, size: shadowSize)
            for command in [["install", "--locked"], ["venv"]] {
                let refused = try sandbox.pyman(command, env: [:])
                XCTAssertEqual(refused.status, 1, refused.summary)
                XCTAssertEqual(refused.stderr, "error: \(lock.path) names a local file outside its folder for \(python311.key): \(url.count > 60 ? url.prefix(60) + "…" : url); nothing was installed; a project's lock names local archives only inside its own folder (\(project.path))\n")
                XCTAssertFalse(refused.stderr.contains(shadowSHA), refused.summary)
            }
        }
        XCTAssertEqual(sandbox.installDirContents(), [])

        // A size that differs, either way: refused as such, nothing installed.
        for (wrong, shown) in [(size + 1, "\(size)"), (size - 1, "more than \(size - 1)")] {
            try relock(size: wrong)
            let refused = try sandbox.pyman(["install", "--locked"], env: [:])
            XCTAssertEqual(refused.status, 1, refused.summary)
            XCTAssertTrue(refused.stderr.hasPrefix("error: \(python311.key): size mismatch for "), refused.summary)
            XCTAssertTrue(refused.stderr.hasSuffix(": the lock gives \(wrong) bytes, the download has \(shown); the download or the lock is wrong, nothing was installed\n"), refused.summary)
            XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.summary)
            XCTAssertEqual(sandbox.installDirContents(), [])
        }

        // An archive inside the lock's folder, with its true size, installs and runs.
        let own = try folder(project.appendingPathComponent("own"))
        try FileManager.default.copyItem(at: archive, to: own.appendingPathComponent(python311.archive))
        try relock(url: own.appendingPathComponent(python311.archive).absoluteString)
        let installed = try sandbox.pyman(["install", "--locked", "--no-bin"], env: [:])
        XCTAssertEqual(installed.status, 0, installed.summary)
        let install = sandbox.installDir.appendingPathComponent(python311.key)
        try assertRunsFromInstall(install.appendingPathComponent("bin/\(python311.executable)").path, python311, install: install, sandbox: sandbox)
    }
}
