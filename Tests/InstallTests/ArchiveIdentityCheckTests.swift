import Foundation
import TestSupport
import XCTest
import UnitTestSupport
@testable import Catalogue
@testable import Install

/// ArchiveIdentity.check on crafted trees: the cases no fixture archive has (a free-threaded build, a
/// musl one, a static one) and a tree that passes.
final class ArchiveIdentityCheckTests: XCTestCase {
    /// A tree shaped like a python-build-standalone install: patchlevel.h, the stdlib folder with its
    /// sysconfig data, and bin/python3.X whose first bytes are `executable`.
    func tree(version: String, freethreaded: Bool = false, gilDisabled: Int? = nil, executable: [UInt8]) throws -> URL {
        let root = try Fixture.folder(self)
        let parts = version.split(separator: ".")
        let minor = "\(parts[0]).\(parts[1])" + (freethreaded ? "t" : "")
        let include = root.appendingPathComponent("include/python\(minor)")
        let lib = root.appendingPathComponent("lib/python\(minor)")
        let bin = root.appendingPathComponent("bin")
        for folder in [include, lib, bin] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data("#define PY_MINOR_VERSION\t\(parts[1])\n#define PY_VERSION      \t\"\(version)\"\n".utf8).write(to: include.appendingPathComponent("patchlevel.h"))
        let sysconfig = "build_time_vars = {'ABIFLAGS': '\(freethreaded ? "t" : "")',\n" + (gilDisabled.map { " 'Py_GIL_DISABLED': \($0),\n" } ?? "") + " 'VERSION': '\(parts[0]).\(parts[1])'}\n"
        try Data(sysconfig.utf8).write(to: lib.appendingPathComponent("_sysconfigdata_t_linux_x86_64-linux-gnu.py"))
        let python = bin.appendingPathComponent("python\(minor)")
        try Data(executable).write(to: python)
        return root
    }

    static let glibc = ELFBytes.craft(machine: 62, interpreter: "/lib64/ld-linux-x86-64.so.2")

    func refusal(_ root: URL, _ key: String, buildMetadata: String? = nil) -> String? {
        do {
            try ArchiveIdentity.check(root.path, key: Fixture.key(key), buildMetadata: buildMetadata.map { Array($0.utf8) })
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testAMatchingTreePasses() throws {
        XCTAssertNil(refusal(try tree(version: "3.13.5", gilDisabled: 0, executable: Self.glibc), "cpython-3.13.5-linux-x86_64-gnu"))
        XCTAssertNil(refusal(try tree(version: "3.13.5+", gilDisabled: 0, executable: Self.glibc), "cpython-3.13.5-linux-x86_64-gnu"), "a dev build's + suffix")
        XCTAssertNil(refusal(try tree(version: "3.15.0rc1", executable: Self.glibc), "cpython-3.15.0rc1-linux-x86_64-gnu"))
        let threaded = try tree(version: "3.13.5", freethreaded: true, gilDisabled: 1, executable: ELFBytes.craft(machine: 62, interpreter: "/lib64/ld-linux-x86-64.so.2"))
        try FileManager.default.moveItem(at: threaded.appendingPathComponent("bin/python3.13t"), to: threaded.appendingPathComponent("bin/real"))
        try FileManager.default.createSymbolicLink(atPath: threaded.appendingPathComponent("bin/python3.13t").path, withDestinationPath: "real")
        XCTAssertNil(refusal(threaded, "cpython-3.13.5+freethreaded-linux-x86_64-gnu"), "a symlinked interpreter is followed inside the tree")
        XCTAssertNil(refusal(try tree(version: "3.13.5", executable: ELFBytes.craft(machine: 62, interpreter: nil)), "cpython-3.13.5-linux-x86_64-musl"), "static: either libc")
        XCTAssertNil(refusal(try tree(version: "3.13.5", executable: [0xCF, 0xFA, 0xED, 0xFE]), "cpython-3.13.5-darwin-x86_64-none"), "Mach-O is not read")
    }

    func testAFreeThreadedTreeUnderAPlainKeyIsRefused() throws {
        let key = "cpython-3.13.5-linux-x86_64-gnu"
        let only = try tree(version: "3.13.5", freethreaded: true, gilDisabled: 1, executable: Self.glibc)
        try FileManager.default.copyItem(at: only.appendingPathComponent("bin/python3.13t"), to: only.appendingPathComponent("bin/python3.13"))
        XCTAssertEqual(refusal(only, key), "the archive holds a free-threaded CPython 3.13.5 build (lib/python3.13t only), not one with the GIL as the catalogue says; nothing was installed")
        let flagged = try tree(version: "3.13.5", gilDisabled: 1, executable: Self.glibc)
        XCTAssertEqual(refusal(flagged, key), "the archive holds a free-threaded CPython 3.13.5 build (Py_GIL_DISABLED 1), not one with the GIL as the catalogue says; nothing was installed")
        let threadedKey = "cpython-3.13.5+freethreaded-linux-x86_64-gnu"
        let zero = try tree(version: "3.13.5", freethreaded: true, gilDisabled: 0, executable: Self.glibc)
        XCTAssertTrue(refusal(zero, threadedKey)?.contains("with the GIL") ?? false, "Py_GIL_DISABLED 0 in lib/python3.13t")
        let ten = try tree(version: "3.13.5", freethreaded: true, gilDisabled: 10, executable: Self.glibc)
        XCTAssertNotNil(refusal(ten, threadedKey), "1 means 1, not a prefix of 10")
    }

    func testTheCPUAndCLibraryAreThoseOfTheKey() throws {
        let musl = try tree(version: "3.12.4", executable: ELFBytes.craft(machine: 62, interpreter: "/lib/ld-musl-x86_64.so.1"))
        XCTAssertEqual(refusal(musl, "cpython-3.12.4-linux-x86_64-gnu"),
                       "the archive holds a bin/python3.12 linked against musl (/lib/ld-musl-x86_64.so.1), not gnu as the catalogue says; nothing was installed")
        XCTAssertNil(refusal(musl, "cpython-3.12.4-linux-x86_64-musl"))
        let gnuUnderMusl = try tree(version: "3.12.4", executable: Self.glibc)
        XCTAssertTrue(refusal(gnuUnderMusl, "cpython-3.12.4-linux-x86_64-musl")?.contains("linked against glibc") ?? false)
        let arm = try tree(version: "3.12.4", executable: ELFBytes.craft(machine: 183, interpreter: "/lib/ld-linux-aarch64.so.1"))
        XCTAssertNil(refusal(arm, "cpython-3.12.4-linux-aarch64-gnu"))
        XCTAssertTrue(refusal(arm, "cpython-3.12.4-linux-x86_64_v3-gnu")?.contains("built for aarch64 (ELF machine 183), not x86_64") ?? false)
        let s390 = try tree(version: "3.12.4", executable: ELFBytes.craft(machine: 22, littleEndian: false, interpreter: "/lib/ld64.so.1"))
        XCTAssertNil(refusal(s390, "cpython-3.12.4-linux-s390x-gnu"))
        XCTAssertTrue(refusal(s390, "cpython-3.12.4-linux-ppc64le-gnu")?.contains("built for s390x") ?? false)
        let garbage = try tree(version: "3.12.4", executable: Array("#!/bin/sh\n".utf8))
        XCTAssertTrue(refusal(garbage, "cpython-3.12.4-linux-x86_64-gnu")?.contains("a bin/python3.12 that is not an ELF executable") ?? false)
    }

    /// A full archive's PYTHON.json must name the key's version too.
    func testAFullArchivesBuildMetadataNamesTheKeysVersion() throws {
        let root = try tree(version: "3.13.5", gilDisabled: 0, executable: Self.glibc)
        let key = "cpython-3.13.5-linux-x86_64-gnu"
        XCTAssertNil(refusal(root, key, buildMetadata: #"{"version": "8", "python_version": "3.13.5", "build_info": {"core": {}}}"#))
        XCTAssertEqual(refusal(root, key, buildMetadata: #"{"python_version": "3.13.4"}"#),
                       "the archive holds a python/PYTHON.json for 3.13.4, not 3.13.5 as the catalogue says; nothing was installed")
        for bad in [#"{"version": "8"}"#, #"{"python_version": 3.13}"#, "not json", #"{"python_version": "3.13.5""#] {
            XCTAssertTrue(refusal(root, key, buildMetadata: bad)?.contains("a python/PYTHON.json without a python_version string") ?? false, bad)
        }
    }

    func testBuildMetadataReadsTheTopLevelVersionOnly() {
        func version(_ text: String) -> String? { BuildMetadata.pythonVersion(Array(text.utf8)) }
        XCTAssertEqual(version(#"{"python_version": "3.15.0rc1"}"#), "3.15.0rc1")
        XCTAssertNil(version(#"{"build_info": {"python_version": "3.13.5"}}"#), "a nested member is not the build's")
        XCTAssertEqual(version(#"{"python_version": "3.13.4", "python_version": "3.13.5"}"#), "3.13.5", "the last duplicate wins, as in Python")
        XCTAssertNil(version(#"{"python_version": "3.13.5"} trailing"#))
    }

    func testGILDisabledIsReadInEitherQuoting() {
        func sets(_ text: String) -> Bool { ArchiveContents.setsGILDisabled(Array(text.utf8)) }
        XCTAssertTrue(sets("build_time_vars = {'Py_DEBUG': 0,\n 'Py_GIL_DISABLED': 1,\n"), "pprint's quoting")
        XCTAssertTrue(sets("build_time_vars = {\n    \"Py_GIL_DISABLED\": 1,\n"), "python-build-standalone's")
        XCTAssertTrue(sets("{'Py_GIL_DISABLED' :\t1}"))
        XCTAssertTrue(sets("{'Py_GIL_DISABLED': 0, 'X': 'Py_GIL_DISABLED', 'Py_GIL_DISABLED': 1}"), "a later occurrence")
        for text in ["{'Py_GIL_DISABLED': 0}", "{\"Py_GIL_DISABLED\": 0}", "{'Py_GIL_DISABLED': 10}", "{'Py_GIL_DISABLED\": 1}",
                     "{'NO_Py_GIL_DISABLED_X': 1}", "{'Py_GIL_DISABLED': '1'}", "'Py_GIL_DISABLED'", ""] {
            XCTAssertFalse(sets(text), text)
        }
    }
}
