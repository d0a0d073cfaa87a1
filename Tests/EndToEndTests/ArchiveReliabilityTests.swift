import Foundation
import XCTest

/// Hostile archives (issue 4), installed by the real binary from file:// URLs with correct checksums.
/// Each is a small but installable python-build-standalone tree cut from the 3.11.2 fixture, plus one
/// hostile entry: the plain tree installs, so every refusal is the hostile entry's doing. Nothing may
/// be written outside the install dir, and nothing may be installed or listed.
final class ArchiveReliabilityTests: XCTestCase {
    let python = FixturePython.all[0]

    /// Builds `variants` with tarfile, which writes entries `tar` refuses to create: the base tree (less
    /// `drop=[names]`, with `modes={name: mode}` changed; `options` holds those keyword arguments), then
    /// `body`, Python statements adding entries to the TarFile `t`. Returns name → (file URL, sha256).
    func archives(_ variants: [String: (body: String, options: String)], in folder: URL) throws -> [String: (url: String, sha256: String)] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = Paths.mirror.appendingPathComponent("\(Fixture.build)/\(Fixture.file(python.version, "install_only_stripped.tar.gz"))")
        var script = """
        import copy, hashlib, io, json, sys, tarfile
        source, folder = sys.argv[1], sys.argv[2]
        keep = ('python/bin/', 'python/lib/python3.11/_sysconfigdata', 'python/lib/python3.11/venv/',
                'python/lib/python3.11/config-3.11-', 'python/lib/pkgconfig/', 'python/include/python3.11/patchlevel.h')
        dirs = {'python', 'python/bin', 'python/lib', 'python/lib/python3.11', 'python/include', 'python/include/python3.11', 'python/share'}
        base = []
        with tarfile.open(source) as t:
            for m in t:
                if m.name.rstrip('/') in dirs or m.name.startswith(keep):
                    base.append((m, t.extractfile(m).read() if m.isfile() else None))
        def add(t, name, data=b'', mode=0o644, type=tarfile.REGTYPE, link='', major=0, minor=0, uid=0):
            info = tarfile.TarInfo(name); info.size = len(data) if type == tarfile.REGTYPE else 0
            info.mode = mode; info.type = type; info.linkname = link; info.devmajor = major; info.devminor = minor; info.uid = uid
            t.addfile(info, io.BytesIO(data) if type == tarfile.REGTYPE else None)
        sums = {}
        def variant(name, body, drop=(), modes={}):
            path = '%s/%s.tar.gz' % (folder, name)
            with tarfile.open(path, 'w:gz', compresslevel=1) as t:
                for m, data in base:
                    if m.name in drop: continue
                    m = copy.copy(m); m.mode = modes.get(m.name, m.mode)
                    t.addfile(m, io.BytesIO(data) if data is not None else None)
                body(t)
            sums[name] = ('file://' + path, hashlib.sha256(open(path, 'rb').read()).hexdigest())

        """
        for (index, (name, variant)) in variants.sorted(by: { $0.key < $1.key }).enumerated() {
            script += "def body\(index)(t):\n    pass\n"
            for line in variant.body.split(separator: "\n") { script += "    \(line)\n" }
            script += "variant('\(name)', body\(index)\(variant.options.isEmpty ? "" : ", " + variant.options))\n"
        }
        script += "json.dump(sums, sys.stdout)\n"
        let built = try EndToEndTests.run("/usr/bin/env", ["python3", "-c", script, source.path, folder.path])
        guard built.status == 0, let object = try JSONSerialization.jsonObject(with: Data(built.stdout.utf8)) as? [String: [String]] else {
            throw XCTSkipError("could not build the test archives: \(built.summary)")
        }
        return object.mapValues { ($0[0], $0[1]) }
    }

    /// Every path under `root` except the install dir's insides: what an escape would change.
    func footprint(_ sandbox: Sandbox) -> Set<String> {
        var paths: Set<String> = []
        let enumerator = FileManager.default.enumerator(at: sandbox.root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if url.path.hasPrefix(sandbox.installDir.path + "/") { enumerator?.skipDescendants(); continue }
            paths.insert(url.path)
        }
        return paths
    }

    func testHostileArchivesAreRefusedAndWriteNothingOutside() throws {
        let sandbox = try Sandbox()
        let outside = sandbox.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let target = outside.appendingPathComponent("target")
        try "untouched\n".write(to: target, atomically: false, encoding: .utf8)
        let out = outside.path

        // name → (statements adding the hostile entries, what the one error line must contain)
        let cases: [String: (String, String)] = [
            "dotdot": ("add(t, 'python/lib/../../../outside/dotdot', b'x')", "climbs out with '..'"),
            "absolute": ("add(t, '\(out)/absolute', b'x')", "has an absolute path"),
            "symlink-absolute": ("add(t, 'python/lib/evil', type=tarfile.SYMTYPE, link='\(out)')\nadd(t, 'python/lib/evil/through', b'x')",
                                 "'python/lib/evil' is a symlink to '\(out)' outside the install"),
            "symlink-relative": ("add(t, 'python/lib/evil', type=tarfile.SYMTYPE, link='../../../outside')\nadd(t, 'python/lib/evil/through', b'x')",
                                 "'python/lib/evil' is a symlink to '../../../outside' outside the install"),
            // lib/up -> .. stays inside, but then up/../.. climbs from the install folder, not from lib/.
            "symlink-chain": ("add(t, 'python/lib/up', type=tarfile.SYMTYPE, link='..')\nadd(t, 'python/lib/esc', type=tarfile.SYMTYPE, link='up/../../outside')",
                              "'python/lib/esc' is a symlink to 'up/../../outside' outside the install"),
            "through-inner-symlink": ("add(t, 'python/lib/alias', type=tarfile.SYMTYPE, link='../include')\nadd(t, 'python/lib/alias/through', b'x')",
                                      "cannot extract 'python/lib/alias/through'"),
            "hardlink-absolute": ("add(t, 'python/lib/hl', type=tarfile.LNKTYPE, link='\(target.path)')", "'python/lib/hl' is a hard link to '\(target.path)' outside the Python"),
            "hardlink-dotdot": ("add(t, 'python/lib/hl', type=tarfile.LNKTYPE, link='python/../../outside/target')",
                                "'python/lib/hl' is a hard link to 'python/../../outside/target' outside the Python"),
            "hardlink-chain": ("add(t, 'python/lib/up', type=tarfile.SYMTYPE, link='..')\nadd(t, 'python/lib/esc', type=tarfile.SYMTYPE, link='up/../../outside')\nadd(t, 'python/lib/hl', type=tarfile.LNKTYPE, link='python/lib/esc/target')",
                               "'python/lib/esc' is a symlink to 'up/../../outside' outside the install"),
            "char-device": ("add(t, 'python/lib/null', type=tarfile.CHRTYPE, major=1, minor=3)", "'python/lib/null' is a device, fifo or socket"),
            "block-device": ("add(t, 'python/lib/disk', type=tarfile.BLKTYPE, major=7, minor=0)", "'python/lib/disk' is a device, fifo or socket"),
            "fifo": ("add(t, 'python/lib/fifo', type=tarfile.FIFOTYPE)", "'python/lib/fifo' is a device, fifo or socket"),
            "outside-python": ("add(t, 'etc/cron.d/pyman', b'x')", "is outside the python/ folder"),
        ]
        var variants = cases.mapValues { (body: $0.0, options: "") }
        variants["plain"] = ("", "")
        variants["no-python"] = ("", "drop=['python/bin/python3.11']")
        let built = try archives(variants, in: sandbox.root.appendingPathComponent("archives"))

        // The plain tree installs: the refusals below are the hostile entries' doing.
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue(key: python.key, url: built["plain"]!.url, sha256: built["plain"]!.sha256).path
        let plain = try sandbox.pyman(["install", "3.11"], env: [:])
        XCTAssertEqual(plain.status, 0, plain.summary)
        XCTAssertEqual(try sandbox.listedKeys(), [python.key])
        XCTAssertEqual(try sandbox.pyman(["uninstall", "--all"], env: [:]).status, 0)

        let before = footprint(sandbox)
        let messages = cases.mapValues(\.1).merging(["no-python": "has no bin/python3.11"]) { $1 }
        for (name, message) in messages.sorted(by: { $0.key < $1.key }) {
            let archive = built[name]!
            sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue(key: python.key, url: archive.url, sha256: archive.sha256).path
            let result = try sandbox.pyman(["install", "3.11"], env: [:])
            XCTAssertEqual(result.status, 1, "\(name): \(result.summary)")
            let errors = result.stderr.split(separator: "\n")
            XCTAssertEqual(errors.count, 1, "\(name): \(result.stderr)")
            XCTAssertTrue(errors.first?.contains(message) ?? false, "\(name): '\(message)' missing from \(result.stderr)")
            XCTAssertEqual(sandbox.installDirContents(), [], "\(name): nothing may be left in the install dir")
            XCTAssertEqual(try sandbox.listedKeys(), [], name)
            XCTAssertEqual(try sandbox.pyman(["find", "3.11"], env: [:]).status, 1, name)
            XCTAssertEqual(footprint(sandbox).subtracting(before).filter { !$0.contains("/catalogue-") }.sorted(), [], "\(name) wrote outside the install dir")
            XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "untouched\n", name)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: target.path)[.referenceCount] as? Int, 1, "\(name) hard-linked \(target.path)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), ["target"])
    }

    /// setuid, setgid and sticky bits, and write access for group and others, are dropped (not refused:
    /// a mode is harmless once cleaned); owners in the archive are ignored, files belong to the installer.
    func testSpecialModeBitsAreDropped() throws {
        let sandbox = try Sandbox()
        let built = try archives(["modes": (body: """
            add(t, 'python/lib/helper', b'#!/bin/sh\\n', mode=0o6755, uid=4321)
            add(t, 'python/lib/shared.txt', b'x', mode=0o666)
            add(t, 'python/lib/helper-link', type=tarfile.LNKTYPE, link='python/lib/helper')
            add(t, 'python/share/sticky/', type=tarfile.DIRTYPE, mode=0o1777)
            """, options: "modes={'python/bin/python3.11': 0o4755}")], in: sandbox.root.appendingPathComponent("archives"))
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue(key: python.key, url: built["modes"]!.url, sha256: built["modes"]!.sha256).path
        let result = try sandbox.pyman(["install", "3.11"], env: [:])
        XCTAssertEqual(result.status, 0, result.summary)
        let install = sandbox.installDir.appendingPathComponent(python.key)
        for (path, mode) in [("bin/python3.11", 0o755), ("lib/helper", 0o755), ("lib/shared.txt", 0o644), ("share/sticky", 0o755)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: install.appendingPathComponent(path).path)
            XCTAssertEqual(attributes[.posixPermissions] as? Int, mode, "\(path): mode \(String(attributes[.posixPermissions] as? Int ?? 0, radix: 8))")
            XCTAssertEqual((attributes[.ownerAccountID] as? NSNumber)?.uint32Value, getuid(), path)
        }
        let link = try FileManager.default.attributesOfItem(atPath: install.appendingPathComponent("lib/helper-link").path)
        XCTAssertEqual(link[.referenceCount] as? Int, 2, "a hard link inside the Python is kept")
    }
}
