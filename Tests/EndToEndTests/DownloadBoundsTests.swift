import Foundation
import XCTest

/// The SHA-256 is known only at the end of a download, so reading stops at limits instead: an archive
/// that expands without end, a body that never ends, a device as a file: URL. Each is one line, exit 1,
/// and nothing left in the install dir but locks and the index.
final class DownloadBoundsTests: XCTestCase {
    let key = "cpython-3.11.2-linux-x86_64-gnu"
    let archiveName = "cpython-3.11.2+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"

    /// A tar.gz written by Python's tarfile in the sandbox, under the name of a python-build-standalone archive.
    func archive(_ sandbox: Sandbox, _ script: String) throws -> URL {
        let url = sandbox.root.appendingPathComponent(archiveName)
        let made = try EndToEndTests.run("/usr/bin/env", ["python3", "-c", """
        import io, sys, tarfile
        t = tarfile.open(sys.argv[1], 'w:gz', compresslevel=6)
        def add(name, data=b'', **kw):
            info = tarfile.TarInfo(name); info.size = len(data)
            for k, v in kw.items(): setattr(info, k, v)
            t.addfile(info, io.BytesIO(data))
        \(script)
        t.close()
        """, url.path])
        XCTAssertEqual(made.status, 0, made.summary)
        return url
    }

    func assertNothingLeft(_ sandbox: Sandbox, file: StaticString = #filePath, line: UInt = #line) {
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: sandbox.installDir.path)) ?? [])
            .filter { !$0.hasPrefix(".lock") && !$0.hasPrefix(".pyman-index") }
        XCTAssertEqual(left, [], "nothing but locks and the index may remain", file: file, line: line)
    }

    func testAnArchiveThatExpandsWithoutEndIsStopped() throws {
        let sandbox = try Sandbox()
        // 200 MB of zeros in one member: about 200 KB of gzip, far past 40 times that plus 64 MiB.
        let bomb = try archive(sandbox, """
        class Zeros(io.RawIOBase):
            left = 200 << 20
            def readable(self): return True
            def readinto(self, b):
                n = min(len(b), self.left); b[:n] = bytes(n); self.left -= n; return n
        info = tarfile.TarInfo('python/lib/zeros'); info.size = 200 << 20
        t.addfile(info, io.BufferedReader(Zeros()))
        """)
        // Into a 160 MiB tmpfs (as root): the limit, not a full disk, must be what stops it.
        var mounted = false
        if getuid() == 0 {
            try FileManager.default.createDirectory(at: sandbox.installDir, withIntermediateDirectories: true)
            mounted = try EndToEndTests.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=160m,mode=0755", "tmpfs", sandbox.installDir.path]).status == 0
        }
        defer { if mounted { _ = try? EndToEndTests.run("/usr/bin/env", ["umount", "-l", sandbox.installDir.path]) } }
        let result = try sandbox.pyman("install", bomb.path)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("the archive expands to more than 40 times its size"), result.summary)
        assertNothingLeft(sandbox)
    }

    func testABodyThatGoesOnAfterTheArchiveIsStopped() throws {
        let sandbox = try Sandbox()
        let port = try MirrorServer.shared.start()
        // zstd goes through libarchive, which (unlike ISA-L's gzip) takes what follows the compressed
        // stream for no part of it: the body's end is then pyman's own limit.
        let file = Fixture.file("3.11.2", "install_only_stripped.tar.zst")
        let url = "http://127.0.0.1:\(port)/fault/trailing/20250723/\(file.replacingOccurrences(of: "+", with: "%2B"))"
        let catalogue = try sandbox.catalogue(key: key, url: url, sha256: try Fixture.sha256(file))
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        let result = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("checksum mismatch") || result.stderr.contains("after the end of the archive")
                      || result.stderr.contains("after its last entry"), result.summary)
        assertNothingLeft(sandbox)
    }

    func testADeviceAsAFileURLIsRefused() throws {
        let sandbox = try Sandbox()
        let catalogue = try sandbox.catalogue(key: key, url: "file:///dev/zero", sha256: String(repeating: "0", count: 64))
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        let result = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("cannot read /dev/zero: not a regular file"), result.summary)
        assertNothingLeft(sandbox)
    }

    func testAChecksumMismatchIsReportedBeforeAHostileEntry() throws {
        let sandbox = try Sandbox()
        let hostile = try archive(sandbox, """
        add('python/bin/', type=tarfile.DIRTYPE, mode=0o755)
        add('python/bin/python3.11', type=tarfile.SYMTYPE, linkname='/etc/passwd')
        add('python/lib/filler', bytes(range(256)) * 4096)
        """)
        let catalogue = try sandbox.catalogue(key: key, url: hostile.absoluteString, sha256: String(repeating: "1", count: 64))
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        let result = try sandbox.pyman("install", "3.11")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("checksum mismatch"), "the mismatch is the cause, the entry its symptom: \(result.summary)")
        assertNothingLeft(sandbox)
    }
}
