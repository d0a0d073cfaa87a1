import Foundation
import XCTest

/// Catalogues that lie: each entry points at a real fixture archive with its true sha256, but its key
/// claims another version, implementation, variant or CPU. The install must refuse in the temporary
/// folder, before the commit: exit 1, one line naming what the catalogue says and what the archive
/// holds, nothing in the install dir and nothing in the index. (The fixtures hold no free-threaded
/// archive: "plain key, free-threaded archive" edits a copy of a real one, as does the CPU test.)
final class ArchiveIdentityTests: XCTestCase {
    static let pypyArchive = "pypy3.9-v7.3.11-linux64.tar.bz2"

    /// A uv-shaped catalogue entry for `key` (whose parts become the entry's fields) at `url`.
    func entry(_ key: String, url: String, sha256: String) -> [String: Any] {
        Sandbox.catalogueEntry(key: key, url: url, sha256: sha256)
    }

    func writeCatalogue(_ entries: [String: [String: Any]], in folder: URL, name: String = "lies.json") throws -> URL {
        let path = folder.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: entries).write(to: path)
        return path
    }

    func mirrorURL(_ file: String) throws -> String {
        "http://127.0.0.1:\(try MirrorServer.shared.start())/\(Fixture.build)/\(file.replacingOccurrences(of: "+", with: "%2B"))"
    }

    /// Installs `key` from a one-entry catalogue at `url` and checks the refusal.
    func assertRefused(_ key: String, url: String, sha256: String, says: [String], request: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        let catalogue = try writeCatalogue([key: entry(key, url: url, sha256: sha256)], in: sandbox.root)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        try assertRefusal(sandbox, ["install", request ?? key], key: key, says: says, file: file, line: line)
    }

    func assertRefusal(_ sandbox: Sandbox, _ arguments: [String], key: String, says: [String],
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let index = sandbox.installDir.appendingPathComponent(".pyman-index.json")
        let indexBefore = try? Data(contentsOf: index)
        let refused = try sandbox.pyman(arguments, env: [:])
        XCTAssertEqual(refused.status, 1, refused.summary, file: file, line: line)
        let lines = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(lines.count, 1, refused.summary, file: file, line: line)
        let message = lines.first.map(String.init) ?? ""
        XCTAssertTrue(message.hasPrefix("error: \(key): the archive holds "), refused.summary, file: file, line: line)
        XCTAssertTrue(message.contains("as the catalogue says; nothing was installed"), refused.summary, file: file, line: line)
        for part in says { XCTAssertTrue(message.contains(part), "no \"\(part)\" in: \(refused.summary)", file: file, line: line) }
        XCTAssertEqual(sandbox.installDirContents(), [], "something was installed", file: file, line: line)
        if let indexBefore {
            XCTAssertEqual(try? Data(contentsOf: index), indexBefore, "the index changed", file: file, line: line)
        } else if let written = try? Data(contentsOf: index) {
            // Reading an absent index writes an empty one (a rebuild from the folders): no install in it.
            let installs = ((try? JSONSerialization.jsonObject(with: written)) as? [String: Any])?["installs"] as? [Any]
            XCTAssertEqual(installs?.count, 0, String(decoding: written, as: UTF8.self), file: file, line: line)
        }
        XCTAssertEqual(try sandbox.listedKeys(file: file, line: line), [], file: file, line: line)
    }

    func testAnotherVersionIsRefused() throws {
        let archive = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        try assertRefused("cpython-3.11.99-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["CPython 3.11.2, not 3.11.99"])
        try assertRefused("cpython-3.11.2rc1-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["CPython 3.11.2, not 3.11.2rc1"])
        // Another minor altogether: named by what it holds, not by a missing folder.
        try assertRefused("cpython-3.9.2-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["CPython 3.11.2, not 3.9.2"])
        // PyPy's header states the Python version its key names.
        let pypy = "http://127.0.0.1:\(try MirrorServer.shared.start())/pypy/\(Self.pypyArchive)"
        try assertRefused("pypy-3.9.99-linux-x86_64-gnu", url: pypy, sha256: try Fixture.sha256(Self.pypyArchive),
                          says: ["PyPy 3.9.16, not 3.9.99"])
    }

    func testAnotherImplementationIsRefused() throws {
        let cpython = Fixture.file("3.9.2", "install_only_stripped.tar.gz")
        try assertRefused("pypy-3.9.2-linux-x86_64-gnu", url: try mirrorURL(cpython), sha256: try Fixture.sha256(cpython),
                          says: ["CPython 3.9.2, not PyPy 3.9.2"])
        let pypy = "http://127.0.0.1:\(try MirrorServer.shared.start())/pypy/\(Self.pypyArchive)"
        try assertRefused("cpython-3.9.16-linux-x86_64-gnu", url: pypy, sha256: try Fixture.sha256(Self.pypyArchive),
                          says: ["PyPy 3.9.16, not CPython 3.9.16"])
    }

    func testAFreeThreadedKeyOnAGILBuildIsRefused() throws {
        let archive = Fixture.file("3.13.5", "install_only_stripped.tar.gz")
        try assertRefused("cpython-3.13.5+freethreaded-linux-x86_64-gnu", url: try mirrorURL(archive), sha256: try Fixture.sha256(archive),
                          says: ["with the GIL", "not a free-threaded one"])
    }

    /// A copy of the fixture archive `name`, unpacked, changed by `edit` (given the unpacked folder) and
    /// repacked under the same name (gzip or zstd, as the name says) in `folder`; returns its path.
    func editedCopy(of name: String, in folder: URL, edit: (URL) throws -> Void) throws -> URL {
        let unpacked = folder.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        let source = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(name)")
        let compression = name.hasSuffix(".zst") ? "--zstd" : "--gzip"
        XCTAssertEqual(try EndToEndTests.run("/bin/tar", [compression, "-xf", source.path, "-C", unpacked.path]).status, 0)
        try edit(unpacked)
        let repacked = folder.appendingPathComponent(name)
        XCTAssertEqual(try EndToEndTests.run("/bin/tar", [compression, "-cf", repacked.path, "-C", unpacked.path, "python"]).status, 0)
        try FileManager.default.removeItem(at: unpacked)
        return repacked
    }

    /// The 3.11.2 fixture with bin/python3.11's e_machine set to AArch64 (183).
    func aarch64Copy(in folder: URL) throws -> URL {
        try editedCopy(of: Fixture.file("3.11.2", "install_only_stripped.tar.gz"), in: folder) { unpacked in
            let handle = try FileHandle(forUpdating: unpacked.appendingPathComponent("python/bin/python3.11"))
            try handle.seek(toOffset: 18)
            try handle.write(contentsOf: Data([183, 0]))   // little-endian EM_AARCH64
            try handle.close()
        }
    }

    /// Serves `archive` from a server of its own and installs `key` from a one-entry catalogue naming it,
    /// with its sha256; checks the refusal.
    func assertServedCopyRefused(_ archive: URL, key: String, says: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        let sha256 = try EndToEndTests.run("/usr/bin/sha256sum", [archive.path]).stdout.split(separator: " ").first.map(String.init) ?? ""
        let server = try FolderServer(serving: archive.deletingLastPathComponent())
        let catalogue = try writeCatalogue([key: entry(key, url: server.url(archive.lastPathComponent), sha256: sha256)], in: sandbox.root)
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = catalogue.path
        try assertRefusal(sandbox, ["install", key], key: key, says: says, file: file, line: line)
    }

    /// The reverse of testAFreeThreadedKeyOnAGILBuildIsRefused, on real 3.13.15 archives made to look
    /// free-threaded (there is no free-threaded fixture): its stdlib folder renamed to lib/python3.13t,
    /// or its sysconfig data saying Py_GIL_DISABLED 1.
    func testAFreeThreadedArchiveUnderAPlainKeyIsRefused() throws {
        let name = Fixture.file("3.13.15", "install_only_stripped.tar.gz")
        let key = "cpython-3.13.15-linux-x86_64-gnu"
        let scratch = try Sandbox()
        defer { withExtendedLifetime(scratch) {} }
        let folder = scratch.root
        let renamed = folder.appendingPathComponent("renamed"), flagged = folder.appendingPathComponent("flagged")
        for made in [renamed, flagged] { try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true) }
        let threadedLayout = try editedCopy(of: name, in: renamed) { unpacked in
            for part in ["lib", "include"] {
                let plain = unpacked.appendingPathComponent("python/\(part)/python3.13")
                try FileManager.default.moveItem(at: plain, to: plain.deletingLastPathComponent().appendingPathComponent("python3.13t"))
            }
        }
        try assertServedCopyRefused(threadedLayout, key: key, says: ["a free-threaded CPython 3.13.15 build (lib/python3.13t only)", "not one with the GIL"])
        let gilDisabled = try editedCopy(of: name, in: flagged) { unpacked in
            let lib = unpacked.appendingPathComponent("python/lib/python3.13")
            let data = try FileManager.default.contentsOfDirectory(atPath: lib.path).filter { $0.hasPrefix("_sysconfigdata_") && $0.hasSuffix(".py") }
            XCTAssertEqual(data.count, 1, "\(data)")
            let path = lib.appendingPathComponent(data[0])
            let text = try String(contentsOf: path, encoding: .utf8)
            // The fixtures' packing writes it as python-build-standalone does, with double quotes.
            XCTAssertTrue(text.contains(#""Py_GIL_DISABLED": 0"#), "the fixture's sysconfig data has no Py_GIL_DISABLED 0")
            try text.replacingOccurrences(of: #""Py_GIL_DISABLED": 0"#, with: #""Py_GIL_DISABLED": 1"#).write(to: path, atomically: true, encoding: .utf8)
        }
        try assertServedCopyRefused(gilDisabled, key: key, says: ["a free-threaded CPython 3.13.15 build (Py_GIL_DISABLED 1)", "not one with the GIL"])
    }

    /// A full archive's PYTHON.json is a second witness of the version: the real 3.13.5 full archive
    /// with its python_version changed is refused although patchlevel.h and the key agree.
    func testAFullArchiveWhoseBuildMetadataDisagreesIsRefused() throws {
        let scratch = try Sandbox()
        defer { withExtendedLifetime(scratch) {} }
        let folder = scratch.root
        let archive = try editedCopy(of: Fixture.file("3.13.5", "full.tar.zst"), in: folder) { unpacked in
            let path = unpacked.appendingPathComponent("python/PYTHON.json")
            let text = try String(contentsOf: path, encoding: .utf8)
            XCTAssertTrue(text.contains(#""python_version": "3.13.5""#), "the fixture's PYTHON.json does not say 3.13.5")
            try text.replacingOccurrences(of: #""python_version": "3.13.5""#, with: #""python_version": "3.13.4""#)
                .write(to: path, atomically: true, encoding: .utf8)
        }
        try assertServedCopyRefused(archive, key: "cpython-3.13.5-linux-x86_64-gnu", says: ["a python/PYTHON.json for 3.13.4, not 3.13.5"])
    }

    func testABinaryForAnotherCPUIsRefusedFromACatalogueAndAsALocalFile() throws {
        let scratch = try Sandbox()
        defer { withExtendedLifetime(scratch) {} }
        let served = scratch.root.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let archive = try aarch64Copy(in: served)
        let key = "cpython-3.11.2-linux-x86_64-gnu"
        try assertServedCopyRefused(archive, key: key, says: ["bin/python3.11 built for aarch64", "not x86_64"])
        try assertRefusal(try Sandbox(), ["install", archive.path], key: key, says: ["bin/python3.11 built for aarch64", "not x86_64"])
    }

    /// A catalogue from a server may not name files of this machine; the same catalogue read from a
    /// file may (as `pyman lock --fetch` writes them).
    func testARemoteCatalogueMayNotNameLocalFiles() throws {
        let sandbox = try Sandbox()
        let archive = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(Fixture.file("3.11.2", "install_only_stripped.tar.gz"))")
        let key = "cpython-3.11.2-linux-x86_64-gnu"
        let catalogue = try writeCatalogue([key: entry(key, url: archive.absoluteString, sha256: try Fixture.sha256(archive.lastPathComponent))], in: sandbox.root)
        let server = try FolderServer(serving: sandbox.root)
        let remote = try sandbox.pyman(["install", key], env: ["PYMAN_DOWNLOADS_JSON": server.url(catalogue.lastPathComponent)])
        XCTAssertEqual(remote.status, 1, remote.summary)
        XCTAssertEqual(remote.stderr.split(separator: "\n").count, 1, remote.summary)
        XCTAssertTrue(remote.stderr.hasPrefix("error: \(key): the remote catalogue names a local file (file://"), remote.summary)
        XCTAssertEqual(sandbox.installDirContents(), [])

        // Stored by `catalogue update` from the server: the same refusal.
        let updated = try sandbox.pyman(["catalogue", "update", "--url", server.url(catalogue.lastPathComponent)], env: ["PYMAN_DOWNLOADS_JSON": ""])
        XCTAssertEqual(updated.status, 0, updated.summary)
        let stored = try sandbox.pyman(["install", key], env: ["PYMAN_DOWNLOADS_JSON": "", "PYMAN_CATALOGUE_TTL": "never"])
        XCTAssertEqual(stored.status, 1, stored.summary)
        XCTAssertTrue(stored.stderr.contains("the remote catalogue names a local file"), stored.summary)
        XCTAssertEqual(sandbox.installDirContents(), [])

        let local = try sandbox.pyman(["install", key], env: ["PYMAN_DOWNLOADS_JSON": catalogue.path])
        XCTAssertEqual(local.status, 0, local.summary)
        XCTAssertTrue(try sandbox.assertConsistent(FixturePython(version: "3.11.2")))
    }
}
