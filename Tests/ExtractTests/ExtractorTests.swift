import Foundation
import TestSupport
import XCTest
@testable import Extract
import SystemPackage

final class ArchiveLayoutTests: XCTestCase {
    func testInstallOnlyAndFullLayouts() throws {
        XCTAssertEqual(try ArchiveLayout.map("python/bin/python3.13"), .install("bin/python3.13"))
        XCTAssertEqual(try ArchiveLayout.map("./python/lib/libpython3.13.so"), .install("lib/libpython3.13.so"))
        XCTAssertEqual(try ArchiveLayout.map("python/install/bin/python3.13"), .install("bin/python3.13"))
        XCTAssertEqual(try ArchiveLayout.map("python/PYTHON.json"), .buildMetadata)
        XCTAssertEqual(try ArchiveLayout.map("./python/PYTHON.json"), .buildMetadata)
        XCTAssertEqual(try ArchiveLayout.map("python/licenses/PYTHON.json"), .skip, "only the top-level one")
        XCTAssertEqual(try ArchiveLayout.map("python/build/lib/libpython3.13.a"), .skip)
        XCTAssertEqual(try ArchiveLayout.map("python/"), .install(""))
    }

    func testPyPyLayout() throws {
        XCTAssertEqual(try ArchiveLayout.map("pypy3.9-v7.3.11-linux64/bin/pypy3.9"), .install("bin/pypy3.9"))
        XCTAssertEqual(try ArchiveLayout.map("pypy3.10-v7.3.17-aarch64/lib/pypy3.10/os.py"), .install("lib/pypy3.10/os.py"))
        XCTAssertEqual(try ArchiveLayout.map("pypy3.9-v7.3.11-linux64/"), .install(""))
        for name in ["pypy3.9-v7.3.11-linux64/../x", "pypy-v7-linux64/bin/x", "pypy3.9-7.3.11-linux64/bin/x", "pypy3.9-v7.3.x-linux64/bin/x", "pypy3.9/bin/x"] {
            XCTAssertThrowsError(try ArchiveLayout.map(name), name)
        }
    }

    func testEscapingNamesAreRefused() {
        for name in ["/etc/passwd", "python/../../etc/passwd", "python/lib/../../x", "etc/passwd", "../python/bin/x"] {
            XCTAssertThrowsError(try ArchiveLayout.map(name), name)
        }
    }

    func testSymlinkTargetsMustStayInside() {
        XCTAssertTrue(ArchiveLayout.symlinkStaysInside(path: "bin/python3", target: "python3.13"))
        XCTAssertTrue(ArchiveLayout.symlinkStaysInside(path: "lib/a/b", target: "../libpython3.so"))
        XCTAssertFalse(ArchiveLayout.symlinkStaysInside(path: "bin/python3", target: "../../etc/passwd"))
        XCTAssertFalse(ArchiveLayout.symlinkStaysInside(path: "bin/python3", target: "/usr/bin/python3"))
        XCTAssertTrue(ArchiveLayout.symlinkStaysInside(path: "lib/a/b", target: "../.././bin/python3"))
        // `up` may itself be a symlink (`lib/up -> ..`): no `..` after a name.
        XCTAssertFalse(ArchiveLayout.symlinkStaysInside(path: "lib/esc", target: "up/../../x"))
        XCTAssertFalse(ArchiveLayout.symlinkStaysInside(path: "lib/esc", target: "a/../b"))
    }
}

final class ExtractorTests: XCTestCase {
    private var folder: ScratchFolder?
    var scratch: URL! { folder?.url }
    /// Extraction names its folder relative to the working directory, so tests enter `scratch`; the
    /// directory they started in is entered again before `scratch` goes (or every later child process
    /// of the test run would start in a deleted folder).
    var startedIn = ""

    override func setUpWithError() throws {
        startedIn = FileManager.default.currentDirectoryPath
        folder = try ScratchFolder("extract")
    }

    override func tearDownWithError() throws {
        FileManager.default.changeCurrentDirectoryPath(startedIn)
        folder = nil
    }

    /// Builds an archive with Python's tarfile, which can write entries `tar` refuses to create;
    /// `mode` is tarfile's ("w:gz", "w:xz", "w" for a plain tar).
    func archive(_ name: String, _ script: String, mode: String = "w:gz") throws -> URL {
        let url = scratch.appendingPathComponent(name)
        let made = try TestSupport.run("/usr/bin/env", ["python3", "-c", """
        import io, tarfile, sys
        t = tarfile.open(sys.argv[1], sys.argv[2])
        def add(name, data=b'', mode=0o644, type=tarfile.REGTYPE, link='', mtime=1700000000):
            info = tarfile.TarInfo(name); info.size = len(data); info.mode = mode; info.type = type; info.linkname = link
            info.mtime = mtime
            t.addfile(info, io.BytesIO(data) if type == tarfile.REGTYPE else None)
        \(script)
        t.close()
        """, url.path, mode], cwd: scratch)
        XCTAssertEqual(made.status, 0, made.summary)
        return url
    }

    func extract(_ archive: URL, into folder: String = "out") throws -> ExtractSummary {
        let fd = open(archive.path, O_RDONLY)
        defer { close(fd) }
        FileManager.default.changeCurrentDirectoryPath(scratch.path)
        return try Extractor.extract(fd: FileDescriptor(rawValue: fd), into: folder)
    }

    func testExtractsFilesLinksAndModesAndDropsSetuid() throws {
        let url = try archive("ok.tar.gz", """
        add('python/', type=tarfile.DIRTYPE, mode=0o755)
        add('python/bin/python3.13', b'#!', mode=0o4755)
        add('python/bin/python3', type=tarfile.SYMTYPE, link='python3.13')
        add('python/lib/x.py', b'print(1)', mode=0o600)
        add('python/PYTHON.json', b'{}')
        """)
        let summary = try extract(url)
        XCTAssertEqual(summary.entries, 4)
        let out = scratch.appendingPathComponent("out")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("bin/python3").path), "python3.13")
        let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("bin/python3.13").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o755, "setuid dropped, executable kept")
        let readable = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("lib/x.py").path)[.posixPermissions] as? Int
        XCTAssertEqual(readable, 0o644, "readable by all users")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("PYTHON.json").path))
    }

    func testHostileEntriesAreRefused() throws {
        let cases = [
            "dotdot": "add('python/../../escaped', b'x')",
            "absolute": "add('/tmp/pyman-escaped', b'x')",
            "symlink-out": "add('python/lib/evil', type=tarfile.SYMTYPE, link='/etc')",
            "through-symlink": "add('python/lib', type=tarfile.SYMTYPE, link='../..')\nadd('python/lib/escaped', b'x')",
            "device": "add('python/lib/dev', type=tarfile.CHRTYPE)",
            "hardlink-out": "add('python/lib/h', type=tarfile.LNKTYPE, link='/etc/passwd')",
        ]
        for (name, script) in cases {
            let url = try archive("\(name).tar.gz", script)
            XCTAssertThrowsError(try extract(url), name)
            XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("escaped").path), name)
            try? FileManager.default.removeItem(at: scratch.appendingPathComponent("out"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/pyman-escaped"))
    }

    func testDamagedArchiveIsAnError() throws {
        let url = scratch.appendingPathComponent("junk.tar.gz")
        try Data("this is not an archive".utf8).write(to: url)
        XCTAssertThrowsError(try extract(url))
    }
}
