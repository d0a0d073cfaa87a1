import Foundation
import XCTest
@testable import Patching

final class SysconfigInstallTests: XCTestCase {
    private var root: URL!
    private let fileManager = FileManager.default
    private let realPrefix = "/home/me/.pyman/installs/cpython-3.13.1+freethreaded"

    private let moduleName = "lib/python3.13t/_sysconfigdata_t_linux_x86_64-linux-gnu.py"
    private let jsonName = "lib/python3.13t/_sysconfig_vars_t_linux_x86_64-linux-gnu.json"
    private let makefileName = "lib/python3.13t/config-3.13t-x86_64-linux-gnu/Makefile"
    private let pcName = "lib/pkgconfig/python-3.13t.pc"
    private let cacheDir = "lib/python3.13t/__pycache__"

    override func setUpWithError() throws {
        // The extraction folder deliberately differs from the real prefix, as in the pipeline.
        root = fileManager.temporaryDirectory.appendingPathComponent("pyman-sysconfig-\(UUID().uuidString)")
        try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let root { try? fileManager.removeItem(at: root) }
    }

    private func write(_ relativePath: String, _ contents: String, mode: Int = 0o644) throws {
        let url = root.appendingPathComponent(relativePath)
        try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
        try fileManager.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    private func read(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    private func mode(_ relativePath: String) throws -> Int {
        let attributes = try fileManager.attributesOfItem(atPath: root.appendingPathComponent(relativePath).path)
        return try XCTUnwrap(attributes[.posixPermissions] as? Int)
    }

    private func exists(_ relativePath: String) -> Bool {
        fileManager.fileExists(atPath: root.appendingPathComponent(relativePath).path)
    }

    /// A python-build-standalone-like free-threaded 3.13 tree.
    private func makeInstall() throws {
        try write(moduleName, SysconfigTestFixtures.module)
        try write(jsonName, #"{"prefix": "/install", "CC": "clang -pthread"}"#)
        try write(makefileName, "prefix=\t\t/install\nCC=\t\tclang -pthread\n", mode: 0o640)
        try write(pcName, "prefix=/install\nLibs: -L${prefix}/lib\n")
        try write("lib/pkgconfig/python-3.13t-embed.pc", "prefix=${pcfiledir}/../..\n")
        try fileManager.createSymbolicLink(
            atPath: root.appendingPathComponent("lib/pkgconfig/python3.pc").path,
            withDestinationPath: "python-3.13t.pc")
        try write("\(cacheDir)/_sysconfigdata_t_linux_x86_64-linux-gnu.cpython-313t.pyc", "stale")
        try write("\(cacheDir)/_sysconfigdata_t_linux_x86_64-linux-gnu.cpython-313t.opt-1.pyc", "stale")
        try write("\(cacheDir)/os.cpython-313t.pyc", "keep")
        try write("lib/python3.13t/os.py", "prefix = '/install'\n")
    }

    func testPatchInstallPatchesEveryKindOfFile() throws {
        try makeInstall()

        let patched = try SysconfigPatch.patchInstall(root: root.path, realPrefix: realPrefix)

        XCTAssertEqual(patched, [jsonName, moduleName, makefileName, pcName].sorted())
        XCTAssertEqual(try SysconfigPatch.unpatchedValues(in: try read(moduleName)), [])
        XCTAssertTrue(try read(moduleName).contains("'PYTHON_BUILD_STANDALONE': 1,"))
        XCTAssertTrue(try read(jsonName).contains("\"prefix\": \"\(realPrefix)\""))
        XCTAssertTrue(try read(jsonName).contains("\"CC\": \"cc -pthread\""))
        XCTAssertEqual(try read(makefileName), "prefix=\t\t\(realPrefix)\nPYTHON_BUILD_STANDALONE=1\nCC=\t\tcc -pthread\n")
        XCTAssertEqual(try read(pcName), "prefix=\(realPrefix)\nLibs: -L${prefix}/lib\n")

        // Untouched: relocatable .pc, unrelated modules and caches; the symlink stays a link.
        XCTAssertEqual(try read("lib/pkgconfig/python-3.13t-embed.pc"), "prefix=${pcfiledir}/../..\n")
        XCTAssertEqual(try read("lib/python3.13t/os.py"), "prefix = '/install'\n")
        XCTAssertEqual(
            try fileManager.destinationOfSymbolicLink(atPath: root.appendingPathComponent("lib/pkgconfig/python3.pc").path),
            "python-3.13t.pc")
        XCTAssertTrue(exists("\(cacheDir)/os.cpython-313t.pyc"))
        XCTAssertFalse(exists("\(cacheDir)/_sysconfigdata_t_linux_x86_64-linux-gnu.cpython-313t.pyc"))
        XCTAssertFalse(exists("\(cacheDir)/_sysconfigdata_t_linux_x86_64-linux-gnu.cpython-313t.opt-1.pyc"))

        // Modes survive the temp-file-and-rename, and no temp file is left behind.
        XCTAssertEqual(try mode(moduleName), 0o644)
        XCTAssertEqual(try mode(makefileName), 0o640)
        let leftovers = try fileManager.subpathsOfDirectory(atPath: root.path).filter { $0.contains(".pyman-") }
        XCTAssertEqual(leftovers, [])
    }

    func testPatchInstallTwiceChangesNothingTheSecondTime() throws {
        try makeInstall()
        _ = try SysconfigPatch.patchInstall(root: root.path, realPrefix: realPrefix)
        let snapshot = try [moduleName, jsonName, makefileName, pcName].map(read)

        XCTAssertEqual(try SysconfigPatch.patchInstall(root: root.path, realPrefix: realPrefix), [])
        XCTAssertEqual(try [moduleName, jsonName, makefileName, pcName].map(read), snapshot)
    }

    func testMissingSysconfigDataIsAnError() throws {
        try write("lib/python3.13/os.py", "")
        XCTAssertThrowsError(try SysconfigPatch.patchInstall(root: root.path, realPrefix: realPrefix)) {
            let message = ($0 as? SysconfigError)?.message ?? ""
            XCTAssertTrue(message.contains("_sysconfigdata_"), message)
        }
        // Not even a lib folder.
        let empty = root.appendingPathComponent("empty")
        try fileManager.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try SysconfigPatch.patchInstall(root: empty.path, realPrefix: realPrefix))
    }

    func testRelativeOrControlCharacterPrefixIsRejected() throws {
        try makeInstall()
        XCTAssertThrowsError(try SysconfigPatch.patchInstall(root: root.path, realPrefix: "relative/path"))
        XCTAssertThrowsError(try SysconfigPatch.patchInstall(root: root.path, realPrefix: "/a\nb"))
        XCTAssertEqual(try read(pcName), "prefix=/install\nLibs: -L${prefix}/lib\n")
    }

    func testParseErrorLeavesEveryFileUntouched() throws {
        try makeInstall()
        try write(moduleName, "build_time_vars = {'prefix': '/install'")

        XCTAssertThrowsError(try SysconfigPatch.patchInstall(root: root.path, realPrefix: realPrefix)) {
            XCTAssertEqual(
                ($0 as? SysconfigError)?.message,
                "\(self.moduleName):1:40: unexpected end of input: missing '}'")
        }
        XCTAssertEqual(try read(pcName), "prefix=/install\nLibs: -L${prefix}/lib\n")
        XCTAssertEqual(try read(makefileName), "prefix=\t\t/install\nCC=\t\tclang -pthread\n")
    }

    func testEveryPythonFolderIsPatched() throws {
        try write("lib/python3.12/_sysconfigdata__linux_x86_64-linux-gnu.py", "build_time_vars = {'prefix': '/install'}\n")
        try write("lib/python3.13t/_sysconfigdata_t_linux_x86_64-linux-gnu.py", "build_time_vars = {'prefix': '/install'}\n")
        try write("lib/python2.7/_sysconfigdata_m_linux2.py", "not python 3, not ours: must not be parsed")

        let patched = try SysconfigPatch.patchInstall(root: root.path, realPrefix: "/p")

        XCTAssertEqual(patched, [
            "lib/python3.12/_sysconfigdata__linux_x86_64-linux-gnu.py",
            "lib/python3.13t/_sysconfigdata_t_linux_x86_64-linux-gnu.py",
        ])
        XCTAssertEqual(
            try SysconfigData.parse(try read("lib/python3.12/_sysconfigdata__linux_x86_64-linux-gnu.py"))["prefix"],
            .string("/p"))
    }
}
