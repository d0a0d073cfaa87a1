import Foundation
import XCTest
import Core
@testable import Venv

/// PipSeeder against small fake pip wheels written with Python's zipfile (which, unlike `zip`, writes
/// whatever entry names and modes it is told to). Nothing here reads interpreters or wheels of the machine.
final class PipSeederTests: XCTestCase {
    var scratch: URL!
    var cache: URL { scratch.appendingPathComponent("cache") }
    var stdlib: URL { scratch.appendingPathComponent("base/lib/python3.12") }
    var bundled: URL { stdlib.appendingPathComponent("ensurepip/_bundled") }
    let distInfo = "pip-9.1.2.dist-info"

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bundled, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: - Helpers

    /// Writes a fake pip wheel into `bundled`. `edit` is Python run before the zip is written: it may change
    /// `files` (name -> bytes, listed in RECORD), `modes`, `raw` ((name, bytes, external_attr) entries written
    /// after the listed files and not in RECORD) and `override` (bytes written instead of what RECORD says).
    @discardableResult
    func makeWheel(_ name: String = "pip-9.1.2-py3-none-any.whl", version: String = "9.1.2", edit: String = "") throws -> URL {
        let url = bundled.appendingPathComponent(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
        import base64, hashlib, sys, zipfile
        path, V = sys.argv[1], sys.argv[2]
        DI = f'pip-{V}.dist-info'
        files = {
            'pip/__init__.py': f'__version__ = "{V}"\\n',
            'pip/__main__.py': 'from pip._internal.cli.main import main\\nmain()\\n',
            'pip/_internal/__init__.py': '',
            'pip/_internal/cli/__init__.py': '',
            'pip/_internal/cli/main.py': 'def main():\\n    print("fake pip")\\n    return 0\\n',
            'pip/_vendor/odd,name "quoted".txt': 'csv needs quoting\\n',
            'pip/_vendor/tool.sh': '#!/bin/sh\\necho tool\\n',
            # CRLF, like the METADATA of pip's own wheels.
            DI + '/METADATA': f'Metadata-Version: 2.1\\r\\nName: pip\\r\\nVersion: {V}\\r\\nSummary: fake\\r\\n\\r\\nVersion: 0.0\\r\\n',
            DI + '/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
            DI + '/entry_points.txt': '[console_scripts]\\npip = pip._internal.cli.main:main\\npip3 = pip._internal.cli.main:main\\npip3.9 = pip._internal.cli.main:main\\n',
        }
        modes = {'pip/_vendor/tool.sh': 0o755}
        raw = []
        override = {}
        \(edit)
        files = {n: d.encode() if isinstance(d, str) else d for n, d in files.items()}
        def h(d): return 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()
        def q(n): return '"' + n.replace('"', '""') + '"' if (',' in n or '"' in n) else n
        record = ''.join(f'{q(n)},{h(d)},{len(d)}\\n' for n, d in files.items()) + DI + '/RECORD,,\\n'
        def info(n, attr):
            i = zipfile.ZipInfo(n, (2020, 1, 1, 0, 0, 0)); i.create_system = 3; i.external_attr = attr << 16
            i.compress_type = zipfile.ZIP_DEFLATED; return i
        with zipfile.ZipFile(path, 'w') as z:
            for n, d in files.items():
                z.writestr(info(n, 0o100000 | modes.get(n, 0o644)), override.get(n, d))
            for n, d, a in raw:
                z.writestr(info(n, a), d)
            z.writestr(info(DI + '/RECORD', 0o100644), record)
        """, url.path, version]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 could not write the test wheel")
        return url
    }

    struct Venv {
        let root: URL
        var sitePackages: URL { root.appendingPathComponent("lib/python3.12/site-packages") }
        var bin: URL { root.appendingPathComponent("bin") }
        var python: String { root.appendingPathComponent("bin/python").path }
    }

    func makeVenv(_ name: String = "venv") throws -> Venv {
        let venv = Venv(root: scratch.appendingPathComponent(name))
        try FileManager.default.createDirectory(at: venv.sitePackages, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: venv.bin, withIntermediateDirectories: true)
        return venv
    }

    @discardableResult
    func seed(_ venv: Venv, version: String = "3.12") throws -> String {
        try PipSeeder(cacheDir: cache.path).seedPip(stdlib: stdlib.path, sitePackages: venv.sitePackages.path, binDir: venv.bin.path,
                                               python: venv.python, pythonVersion: version)
    }

    /// `pip-9.1.2-py3-none-any-<16 hex digits of the bundled wheel's sha256>`: the cache folder of `wheel`.
    func cachedTreeName(_ wheel: String = "pip-9.1.2-py3-none-any.whl") throws -> String {
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [bundled.appendingPathComponent(wheel).path]
        let out = Pipe()
        sum.standardOutput = out
        try sum.run()
        sum.waitUntilExit()
        let digest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(16)
        return String(wheel.dropLast(4)) + "-" + digest
    }

    func cachedTree() -> URL {
        cache.appendingPathComponent("wheels-v1/" + ((try? cachedTreeName()) ?? "?"))
    }

    func inode(_ url: URL) -> UInt64? {
        var info = stat()
        return lstat(url.path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    func mode(_ url: URL) -> mode_t? {
        var info = stat()
        return lstat(url.path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    func text(_ url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// RECORD hashes computed independently of the code under test, by Python's hashlib.
    func pythonRecordHashes(_ paths: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
        import base64, hashlib, sys
        for p in sys.argv[1:]:
            print('sha256=' + base64.urlsafe_b64encode(hashlib.sha256(open(p, 'rb').read()).digest()).rstrip(b'=').decode())
        """] + paths
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Everything below `url` (relative paths), to prove that a refused wheel wrote nothing.
    func contents(_ url: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }

    /// `cached`: the wheel itself is sound (it matches its RECORD), so its tree may stay in the cache.
    func assertRefused(_ edit: String, mentioning: String, cached: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws {
        try? FileManager.default.removeItem(at: bundled)
        try? FileManager.default.removeItem(at: cache)
        try FileManager.default.createDirectory(at: bundled, withIntermediateDirectories: true)
        try makeWheel(edit: edit)
        let venv = try makeVenv("refused-\(UUID().uuidString)")
        XCTAssertThrowsError(try seed(venv), file: file, line: line) { error in
            guard let error = error as? PymanError else { return XCTFail("not a PymanError: \(error)", file: file, line: line) }
            XCTAssertTrue(error.description.contains("damaged"), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains(mentioning), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains("--reinstall 3.12"), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
        XCTAssertEqual(contents(venv.root), ["bin", "lib", "lib/python3.12", "lib/python3.12/site-packages"], file: file, line: line)
        if !cached {
            XCTAssertEqual(contents(cache.appendingPathComponent("wheels-v1")), [], "the cache keeps nothing", file: file, line: line)
        }
        XCTAssertEqual(contents(scratch).filter { $0.contains("evil") }, [], file: file, line: line)
    }

    // MARK: - Tests

    func testSeedInstallsPackageInstallerRecordAndScripts() throws {
        try makeWheel()
        let venv = try makeVenv()
        XCTAssertEqual(try seed(venv), "9.1.2")

        let sp = venv.sitePackages
        XCTAssertEqual(text(sp.appendingPathComponent("pip/_internal/cli/main.py")), "def main():\n    print(\"fake pip\")\n    return 0\n")
        XCTAssertEqual(text(sp.appendingPathComponent("pip/__init__.py")), "__version__ = \"9.1.2\"\n")
        XCTAssertEqual(text(sp.appendingPathComponent("\(distInfo)/INSTALLER")), "pyman\n")
        XCTAssertEqual(mode(sp.appendingPathComponent("pip/_vendor/tool.sh")), 0o755, "exec bits of wheel entries are kept")
        XCTAssertEqual(mode(sp.appendingPathComponent("pip/__init__.py")), 0o644)

        // Console scripts: pip, pip3 and pip3.<venv minor>; the wheel's own pip3.9 entry is ignored.
        let bin = try FileManager.default.contentsOfDirectory(atPath: venv.bin.path).sorted()
        XCTAssertEqual(bin, ["pip", "pip3", "pip3.12"])
        let expected = """
        #!\(venv.python)
        # -*- coding: utf-8 -*-
        import re
        import sys
        from pip._internal.cli.main import main
        if __name__ == "__main__":
            sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
            sys.exit(main())

        """
        for name in bin {
            XCTAssertEqual(text(venv.bin.appendingPathComponent(name)), expected, name)
            XCTAssertEqual(mode(venv.bin.appendingPathComponent(name)), 0o755, name)
        }

        // RECORD: every installed file once, with its real hash and size; RECORD itself last and blank.
        let record = try XCTUnwrap(text(sp.appendingPathComponent("\(distInfo)/RECORD")))
        let rows = try WheelRecord.parse(record)
        XCTAssertEqual(rows.last, WheelRecord.Row(path: "\(distInfo)/RECORD", hash: "", size: ""))
        XCTAssertTrue(record.hasSuffix("\(distInfo)/RECORD,,\n"))
        XCTAssertTrue(record.contains("\n\"pip/_vendor/odd,name \"\"quoted\"\".txt\",sha256="), "CSV quoting:\n\(record)")
        XCTAssertEqual(Set(rows.map(\.path)), [
            "pip/__init__.py", "pip/__main__.py", "pip/_internal/__init__.py", "pip/_internal/cli/__init__.py",
            "pip/_internal/cli/main.py", "pip/_vendor/odd,name \"quoted\".txt", "pip/_vendor/tool.sh",
            "\(distInfo)/METADATA", "\(distInfo)/WHEEL", "\(distInfo)/entry_points.txt", "\(distInfo)/INSTALLER",
            "\(distInfo)/RECORD", "../../../bin/pip", "../../../bin/pip3", "../../../bin/pip3.12",
        ])
        XCTAssertEqual(rows.count, 15, "no duplicates")
        let files = rows.dropLast().map { sp.appendingPathComponent($0.path).standardizedFileURL }
        let hashes = try pythonRecordHashes(files.map(\.path))
        XCTAssertEqual(hashes.count, files.count)
        for (row, (file, hash)) in zip(rows.dropLast(), zip(files, hashes)) {
            XCTAssertEqual(row.hash, hash, row.path)
            XCTAssertEqual(row.size, String(try Data(contentsOf: file).count), row.path)
        }
        // Nothing else was added to site-packages or left behind in the cache.
        XCTAssertEqual(contents(sp).filter { !$0.hasPrefix("pip/") && !$0.hasPrefix(distInfo) && $0 != "pip" && $0 != distInfo }, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("wheels-v1").path).sorted(), [try cachedTreeName(), try cachedTreeName() + ".verified"])
    }

    func testSecondSeedingHardLinksFromTheCache() throws {
        try makeWheel()
        let first = try makeVenv("one"), second = try makeVenv("two")
        try seed(first)
        let cached = cachedTree().appendingPathComponent("pip/_internal/cli/main.py")
        let cachedInode = try XCTUnwrap(inode(cached))

        XCTAssertEqual(try seed(second), "9.1.2")
        XCTAssertEqual(inode(cached), cachedInode, "the cache was not unpacked again")
        XCTAssertEqual(inode(second.sitePackages.appendingPathComponent("pip/_internal/cli/main.py")), cachedInode)
        XCTAssertEqual(inode(first.sitePackages.appendingPathComponent("pip/_internal/cli/main.py")), cachedInode)
        // INSTALLER, RECORD and scripts are the venv's own files, never links into the cache.
        for path in ["\(distInfo)/INSTALLER", "\(distInfo)/RECORD"] {
            XCTAssertNotEqual(inode(first.sitePackages.appendingPathComponent(path)), inode(second.sitePackages.appendingPathComponent(path)))
        }
        XCTAssertNil(inode(cachedTree().appendingPathComponent("\(distInfo)/INSTALLER")))
        XCTAssertEqual(text(second.bin.appendingPathComponent("pip"))?.hasPrefix("#!\(second.python)\n"), true)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("wheels-v1").path).sorted(), [try cachedTreeName(), try cachedTreeName() + ".verified"])
    }

    func testEditedCacheIsUnpackedAgain() throws {
        try makeWheel()
        try seed(try makeVenv("one"))
        let cached = cachedTree().appendingPathComponent("pip/__init__.py")
        let before = try XCTUnwrap(inode(cached))
        try FileManager.default.removeItem(at: cached)
        try Data("tampered = True\n".utf8).write(to: cached)
        let venv = try makeVenv("two")
        try seed(venv)
        XCTAssertEqual(text(venv.sitePackages.appendingPathComponent("pip/__init__.py")), "__version__ = \"9.1.2\"\n")
        XCTAssertEqual(text(cached), "__version__ = \"9.1.2\"\n")
        XCTAssertNotEqual(inode(cached), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("wheels-v1").path).sorted(), [try cachedTreeName(), try cachedTreeName() + ".verified"])
    }

    func testCacheEditedInPlaceIsVerifiedAndUnpackedAgain() throws {
        try makeWheel()
        try seed(try makeVenv("one"))
        let cached = cachedTree().appendingPathComponent("pip/__init__.py")
        let before = try XCTUnwrap(inode(cached))
        // Same inode, same size, new content (as an editor writing through a venv's hard link would).
        let handle = try FileHandle(forWritingTo: cached)
        try handle.write(contentsOf: Data("__version__ = \"6.6.6\"\n".utf8))
        try handle.close()
        XCTAssertEqual(inode(cached), before)
        let venv = try makeVenv("two")
        try seed(venv)
        XCTAssertEqual(text(venv.sitePackages.appendingPathComponent("pip/__init__.py")), "__version__ = \"9.1.2\"\n")
        XCTAssertNotEqual(inode(cached), before, "the changed tree was unpacked again")
    }

    func testManifestRecordsTheVerifiedTreeAndIsIgnoredWhenDamaged() throws {
        try makeWheel()
        try seed(try makeVenv("one"))
        let root = cachedTree()
        let verified = try WheelTree.load(root.path, distribution: "pip")
        let recorded = try XCTUnwrap(WheelManifest.load(root.path), "the first seeding wrote a usable manifest")
        XCTAssertEqual(recorded.files, verified.files)
        XCTAssertEqual(recorded.directories, verified.directories)
        XCTAssertEqual([recorded.distInfo, recorded.dataDir ?? "-", recorded.version], [verified.distInfo, verified.dataDir ?? "-", verified.version])

        let manifest = URL(fileURLWithPath: WheelManifest.path(of: root.path))
        let text = try String(contentsOf: manifest, encoding: .utf8)
        for damaged in [String(text.dropLast(10)), text.replacingOccurrences(of: "\nf\t", with: "\nx\t"), "", "pyman-wheel-manifest 2\n"] {
            try Data(damaged.utf8).write(to: manifest)
            XCTAssertNil(WheelManifest.load(root.path), damaged)
        }
        try FileManager.default.removeItem(at: root.appendingPathComponent("pip/__init__.py"))
        try Data(text.utf8).write(to: manifest)
        XCTAssertNil(WheelManifest.load(root.path), "a deleted file invalidates the manifest")
        let venv = try makeVenv("two")
        try seed(venv)
        XCTAssertEqual(self.text(venv.sitePackages.appendingPathComponent("pip/__init__.py")), "__version__ = \"9.1.2\"\n")
        XCTAssertNotNil(WheelManifest.load(root.path), "the fresh tree was recorded again")
    }

    func testAbandonedTemporaryFoldersAreRemoved() throws {
        try makeWheel()
        let wheels = cache.appendingPathComponent("wheels-v1")
        for name in [".tmp-pip-old", ".trash-old", ".tmp-pip-young"] {
            try FileManager.default.createDirectory(at: wheels.appendingPathComponent("\(name)/pip"), withIntermediateDirectories: true)
        }
        let old = Date(timeIntervalSinceNow: -3 * 24 * 3600)
        for name in [".tmp-pip-old", ".trash-old"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: wheels.appendingPathComponent(name).path)
        }
        try seed(try makeVenv())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: wheels.path).sorted(), [".tmp-pip-young", try cachedTreeName(), try cachedTreeName() + ".verified"])
    }

    func testSeedingAgainIsIdempotentAndAnotherPipIsRefused() throws {
        try makeWheel()
        let venv = try makeVenv()
        try seed(venv)
        try seed(venv)
        let rows = try WheelRecord.parse(try XCTUnwrap(text(venv.sitePackages.appendingPathComponent("\(distInfo)/RECORD"))))
        XCTAssertEqual(rows.count, 15)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: venv.bin.path).sorted(), ["pip", "pip3", "pip3.12"])

        try FileManager.default.createDirectory(at: venv.sitePackages.appendingPathComponent("pip-1.0.dist-info"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try seed(venv)) { error in
            XCTAssertTrue("\(error)".contains("already holds pip-1.0.dist-info"), "\(error)")
        }
    }

    func testScriptNameFollowsTheVenvMinorVersion() throws {
        try makeWheel()
        let venv = try makeVenv()
        try seed(venv, version: "3.13.5")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: venv.bin.path).sorted(), ["pip", "pip3", "pip3.13"])
        XCTAssertThrowsError(try seed(try makeVenv("bad"), version: "three")) { error in
            XCTAssertTrue("\(error)".contains("not a Python version"), "\(error)")
        }
    }

    func testZipSlipAndLinksAreRefusedWithNothingWritten() throws {
        // Bad entries come after good ones, so refusing them must also clean up what was unpacked before.
        try assertRefused("raw.append(('../evil.py', b'x', 0o100644))", mentioning: "'../evil.py'")
        try assertRefused("raw.append(('pip/../../evil.py', b'x', 0o100644))", mentioning: "'pip/../../evil.py'")
        try assertRefused("raw.append(('/tmp/evil.py', b'x', 0o100644))", mentioning: "'/tmp/evil.py'")
        try assertRefused("raw.append(('pip/evil', b'/etc/passwd', 0o120777))", mentioning: "symlink")
        // libarchive's zip reader turns special files into regular ones; either way the entry is refused
        // (as a device, or as a file RECORD does not list) and no fifo is created.
        try assertRefused("raw.append(('pip/evil-fifo', b'', 0o010644))", mentioning: "pip/evil-fifo")
    }

    func testWheelNotMatchingItsRecordIsRefused() throws {
        try assertRefused("override['pip/__init__.py'] = b'import os\\n'", mentioning: "pip/__init__.py does not match its RECORD hash")
        try assertRefused("raw.append(('pip/unlisted.py', b'x', 0o100644))", mentioning: "pip/unlisted.py is not listed in RECORD")
        try assertRefused("del files[DI + '/entry_points.txt']", mentioning: "entry_points.txt", cached: true)
        try assertRefused("files[DI + '/entry_points.txt'] = '[console_scripts]\\npip = os:system(\"id\")\\n'", mentioning: "entry_points.txt", cached: true)
    }

    func testMissingWheelGivesOneLineError() throws {
        try Data("not pip".utf8).write(to: bundled.appendingPathComponent("setuptools-65.5.0-py3-none-any.whl"))
        let venv = try makeVenv()
        XCTAssertThrowsError(try seed(venv)) { error in
            guard let error = error as? PymanError else { return XCTFail("not a PymanError: \(error)") }
            XCTAssertTrue(error.description.hasPrefix("no bundled pip wheel (ensurepip/_bundled/pip-*.whl) in \(stdlib.path)"), error.description)
            XCTAssertTrue(error.description.contains("without --seed"), error.description)
            XCTAssertFalse(error.description.contains("\n"))
        }
        XCTAssertEqual(contents(venv.root), ["bin", "lib", "lib/python3.12", "lib/python3.12/site-packages"])
    }

    func testNewestBundledWheelWins() throws {
        try makeWheel()
        try makeWheel("pip-10.0-py3-none-any.whl", version: "10.0")
        let venv = try makeVenv()
        XCTAssertEqual(try seed(venv), "10.0")
        XCTAssertNotNil(inode(venv.sitePackages.appendingPathComponent("pip-10.0.dist-info/RECORD")))
        XCTAssertNil(inode(venv.sitePackages.appendingPathComponent(distInfo)))
    }

    func testDataPurelibIsMergedIntoSitePackages() throws {
        try makeWheel(edit: "files['pip-9.1.2.data/purelib/pip_extra.py'] = 'x = 1\\n'")
        let venv = try makeVenv()
        try seed(venv)
        XCTAssertEqual(text(venv.sitePackages.appendingPathComponent("pip_extra.py")), "x = 1\n")
        XCTAssertNil(inode(venv.sitePackages.appendingPathComponent("pip-9.1.2.data")))
        let record = try XCTUnwrap(text(venv.sitePackages.appendingPathComponent("\(distInfo)/RECORD")))
        XCTAssertTrue(record.contains("\npip_extra.py,sha256="), record)
    }

    /// A long venv path (or one with blanks) gets the /bin/sh trampoline; run it to prove the quoting.
    func testLongOrBlankInterpreterPathUsesTheShellTrampoline() throws {
        try makeWheel()
        let deep = (1...6).map { "folder \($0) with a long name and \"quotes\"" }.joined(separator: "/")
        let venv = try makeVenv(deep)
        XCTAssertGreaterThan(venv.python.utf8.count, 127)
        // A stand-in interpreter that reports how it was called.
        try "#!/bin/sh\necho \"python got: $*\"\n".write(toFile: venv.python, atomically: true, encoding: .utf8)
        chmod(venv.python, 0o755)
        try seed(venv)

        let pip = venv.bin.appendingPathComponent("pip3.12")
        let escaped = venv.python.replacingOccurrences(of: "\"", with: "\\\"")
        let script = try XCTUnwrap(text(pip))
        XCTAssertTrue(script.hasPrefix("#!/bin/sh\n'''exec' \"\(escaped)\" \"$0\" \"$@\"\n' '''\n# -*- coding: utf-8 -*-\n"), script)
        let process = Process()
        process.executableURL = pip
        process.arguments = ["--version", "two words"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(String(data: output.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8),
                       "python got: \(pip.path) --version two words\n")

        XCTAssertEqual(try ConsoleScript.shebang(python: "/short/bin/python"), "#!/short/bin/python\n")
        XCTAssertEqual(try ConsoleScript.shebang(python: "/a b/bin/python"), "#!/bin/sh\n'''exec' \"/a b/bin/python\" \"$0\" \"$@\"\n' '''\n")
        let limit = "/" + String(repeating: "p", count: 123)   // "#!" + path + "\n" is exactly 127 bytes
        XCTAssertEqual(try ConsoleScript.shebang(python: limit), "#!\(limit)\n")
        XCTAssertTrue(try ConsoleScript.shebang(python: limit + "p").hasPrefix("#!/bin/sh\n"))
        XCTAssertThrowsError(try ConsoleScript.shebang(python: "/$HOME x/python"))
    }

    /// When the cache is on another file system, link(2) fails with EXDEV and files are copied.
    func testCopiesWhenTheCacheIsOnAnotherFileSystem() throws {
        var here = stat(), shm = stat()
        guard stat(scratch.path, &here) == 0, stat("/dev/shm", &shm) == 0, here.st_dev != shm.st_dev, access("/dev/shm", W_OK) == 0 else {
            throw XCTSkip("needs /dev/shm on a file system other than \(scratch.path)")
        }
        let otherCache = URL(fileURLWithPath: "/dev/shm/pyman-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: otherCache) }
        try makeWheel()
        let venv = try makeVenv()
        XCTAssertEqual(try PipSeeder(cacheDir: otherCache.path).seedPip(stdlib: stdlib.path, sitePackages: venv.sitePackages.path, binDir: venv.bin.path,
                                                                   python: venv.python, pythonVersion: "3.12"), "9.1.2")
        let installed = venv.sitePackages.appendingPathComponent("pip/_vendor/tool.sh")
        let cached = otherCache.appendingPathComponent("wheels-v1/\(try cachedTreeName())/pip/_vendor/tool.sh")
        XCTAssertEqual(text(installed), "#!/bin/sh\necho tool\n")
        XCTAssertEqual(mode(installed), 0o755)
        var a = stat(), b = stat()
        XCTAssertEqual(lstat(installed.path, &a), 0)
        XCTAssertEqual(lstat(cached.path, &b), 0)
        XCTAssertNotEqual(a.st_dev, b.st_dev)
        XCTAssertEqual(a.st_nlink, 1)
    }

    func testHelpers() throws {
        XCTAssertEqual(SiteInstall.relativePath(from: "/v/lib/python3.12/site-packages",
                                              to: "/v/bin/pip"), "../../../bin/pip")
        XCTAssertEqual(SiteInstall.relativePath(from: "/v/lib/./python3.12/site-packages/",
                                              to: "/w/bin/pip"), "../../../../w/bin/pip")
        XCTAssertEqual(WheelTree.header("Version", in: "Name: pip\r\nversion:  1.2 \r\n\r\nVersion: 9"), "1.2")
        XCTAssertNil(WheelTree.header("Version", in: "Name: pip\r\n\r\nVersion: 9\r\n"))
        let entryPoints = "[gui_scripts]\npip = nope:nope\r\n\n[console_scripts]\r\n  pip3.11 = x:y\npip =  pip._internal.cli.main : main [extra]\n"
        XCTAssertEqual(ConsoleScript.entryPoint("pip", in: entryPoints)?.module, "pip._internal.cli.main")
        XCTAssertEqual(ConsoleScript.entryPoint("pip", in: entryPoints)?.function, "main")
        XCTAssertNil(ConsoleScript.entryPoint("pip", in: "[console_scripts]\npip = os:system('id')\n"))
        XCTAssertEqual(PipSeeder.compareVersions("9.1.2", "10.0"), .orderedAscending)
        XCTAssertEqual(PipSeeder.compareVersions("23.0.1", "23.0"), .orderedDescending)
        XCTAssertEqual(try WheelRecord.parse("a,sha256=x,1\r\n\"b,\"\"c\"\"\",,\n"),
                       [.init(path: "a", hash: "sha256=x", size: "1"), .init(path: "b,\"c\"", hash: "", size: "")])
        XCTAssertEqual(WheelRecord.line(["b,\"c\"", "", ""]), "\"b,\"\"c\"\"\",,\n")
        XCTAssertEqual(WheelRecord.hashField(sha256: sha256Bytes([])), "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU")
    }
}
