import Foundation
import XCTest

/// `pyman venv` into paths and folders someone else prepared: nothing is written through a link, and
/// names that would add lines to pyvenv.cfg or split PATH are refused before anything is created.
final class VenvHardeningTests: XCTestCase {
    func testAColonInThePathIsRefused() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let target = sandbox.work.appendingPathComponent("a:b")
        let result = try sandbox.pyman("venv", target.path, "--python", "3.13")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("the path contains ':'"), result.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "nothing may be created")
    }

    func testAPromptWithANewlineIsRefused() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let target = sandbox.work.appendingPathComponent("prompted-\(UUID().uuidString.prefix(6))")
        let result = try sandbox.pyman("venv", target.path, "--python", "3.13", "--prompt", "api\ninclude-system-site-packages = true")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("contains a control character"), result.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "nothing may be created")
    }

    func testNothingIsWrittenThroughALinkedFolderInAVenv() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let venv = sandbox.work.appendingPathComponent("planted-\(UUID().uuidString.prefix(6))")
        let victim = sandbox.root.appendingPathComponent("victim-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: venv, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try "precious\n".write(to: victim.appendingPathComponent("python"), atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: venv.appendingPathComponent("pyvenv.cfg").path, contents: Data())
        try FileManager.default.createSymbolicLink(atPath: venv.appendingPathComponent("bin").path, withDestinationPath: victim.path)

        let result = try sandbox.pyman("venv", venv.path, "--python", "3.13")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("/bin is a symlink; pyman never writes through a link inside a venv"), result.summary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: victim.path), ["python"])
        XCTAssertEqual(try String(contentsOf: victim.appendingPathComponent("python"), encoding: .utf8), "precious\n")

        let cleared = try sandbox.pyman("venv", venv.path, "--python", "3.13", "--clear")
        XCTAssertEqual(cleared.status, 0, "--clear removes the link, not what it points at: \(cleared.summary)")
        XCTAssertEqual(try String(contentsOf: victim.appendingPathComponent("python"), encoding: .utf8), "precious\n")
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: venv.appendingPathComponent("bin").path), "bin is a folder again")
    }

    /// `python -m venv --copies` of a pyman Python copies libpython into the venv's lib (pyman's patch):
    /// never through a lib that is a link to somewhere else.
    func testCopiesNeverWriteLibpythonThroughALinkedLib() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        let venv = sandbox.work.appendingPathComponent("copies-\(UUID().uuidString.prefix(6))")
        let victim = sandbox.root.appendingPathComponent("victim-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: venv, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: venv.appendingPathComponent("lib").path, withDestinationPath: victim.path)
        let python = sandbox.installDir.appendingPathComponent("cpython-3.13.5-linux-x86_64-gnu/bin/python3.13").path
        let made = try sandbox.exec(python, ["-m", "venv", "--copies", "--without-pip", venv.path])
        XCTAssertNotEqual(made.status, 0, made.summary)
        XCTAssertTrue(made.stderr.contains("is a symlink; pyman never writes through a link inside a venv"), made.summary)
        let copied = (try FileManager.default.contentsOfDirectory(atPath: victim.path)).filter { $0.hasPrefix("libpython") }
        XCTAssertEqual(copied, [], "no libpython was written where the link points")
    }
}
