import Foundation
import TestSupport
import XCTest
@testable import Patching

/// The venv home fix on the real `venv/__init__.py` of every CPython the fixtures hold: 3.9, 3.11 and 3.13
/// (the fixture builds' staged trees), and 3.14 and 3.15 (Debian forky's libpython3.X-stdlib, whose
/// source packages do not download here; `make fixtures` extracts the module).
final class VenvHomePatchOnRealModulesTests: XCTestCase {
    /// (minor version, module path). Missing fixtures fail the test under `make test`, which sets
    /// PYMAN_FIXTURES_CACHE after building them; elsewhere (`swift test` alone) they skip it.
    func modules() throws -> [(minor: String, path: URL)] {
        let found: [(String, URL)] = [("3.9", "stage/3.9.2/install/lib/python3.9"), ("3.11", "stage/3.11.2/install/lib/python3.11"),
                                      ("3.13", "stage/3.13.15/install/lib/python3.13"), ("3.14", "stdlib/3.14"), ("3.15", "stdlib/3.15")]
            .map { ($0.0, Paths.fixtures.appendingPathComponent($0.1).appendingPathComponent("venv/__init__.py")) }
        let missing = found.filter { !FileManager.default.fileExists(atPath: $0.1.path) }
        if !missing.isEmpty {
            let message = "missing \(missing.map(\.1.path).joined(separator: ", ")): run `make fixtures`"
            if ProcessInfo.processInfo.environment["PYMAN_FIXTURES_CACHE"] != nil { XCTFail(message) } else { throw XCTSkip(message) }
        }
        return found.filter { FileManager.default.fileExists(atPath: $0.1.path) }
    }

    func testAppliesVerifiesAndIsIdempotentOnEveryVersion() throws {
        for (minor, path) in try modules() {
            let source = try String(contentsOf: path, encoding: .utf8)
            XCTAssertFalse(source.contains(VenvHomePatch.marker), "\(minor): the stage is patched already")
            let patched = try VenvHomePatch.patch(source, path: path.path)
            XCTAssertNoThrow(try VenvHomePatch.verify(patched, path: path.path), minor)
            XCTAssertEqual(try VenvHomePatch.patch(patched, path: path.path), patched, "\(minor): patching twice changes nothing")
            XCTAssertEqual(patched.countOccurrences(of: VenvHomePatch.call + VenvHomePatch.anchor), 1, minor)
        }
    }

    /// The helper, run by a real Python on a layout named like each version's: a link in another folder
    /// to `<install>/bin/python3.X` gives the install's own bin as home.
    func testTheHelperFindsTheHomeOfALinkedInterpreter() throws {
        for (minor, _) in try modules() {
            let root = try scratchFolder("venv-home-\(minor)")
            let stdlib = root.appendingPathComponent("install/lib/python\(minor)")
            try FileManager.default.createDirectory(at: stdlib.appendingPathComponent("venv"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("install/bin"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
            try Data().write(to: stdlib.appendingPathComponent("os.py"))
            let executable = root.appendingPathComponent("install/bin/python\(minor)")
            try Data().write(to: executable)
            let link = root.appendingPathComponent("elsewhere/python")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: executable)
            let helper = stdlib.appendingPathComponent("venv/__init__.py")
            try ("import os\n" + VenvHomePatch.helper).write(to: helper, atomically: true, encoding: .utf8)
            let ran = try TestSupport.run("/usr/bin/python3", ["-I", "-c", "import runpy, sys; ns = runpy.run_path(sys.argv[1]); print(ns['_pyman_home_executable'](sys.argv[2]))", helper.path, link.path])
            XCTAssertEqual(ran.status, 0, minor)
            XCTAssertEqual(ran.stdout, executable.path + "\n", "\(minor): the link was not followed to the install")
        }
    }
}
