import XCTest
@testable import Patching

final class VenvHomePatchTests: XCTestCase {
    /// The shape of CPython 3.9–3.14's venv module around the lines the patch relies on.
    let module = """
    import os
    import sys


    class EnvBuilder:
        def ensure_directories(self, env_dir):
            executable = sys._base_executable
            if not executable:  # see gh-96861
                raise ValueError('Unable to determine path')
            dirname, exename = os.path.split(os.path.abspath(executable))
            context.executable = executable


    def main(args=None):
        pass


    if __name__ == '__main__':
        main()

    """

    func testPatchCallsHelperBeforeHomeIsComputedAndDefinesItBeforeTheClass() throws {
        let patched = try VenvHomePatch.patch(module, path: "venv/__init__.py")
        let call = try XCTUnwrap(patched.range(of: "executable = _pyman_home_executable(executable)"))
        let home = try XCTUnwrap(patched.range(of: "dirname, exename = os.path.split"))
        let helper = try XCTUnwrap(patched.range(of: "def _pyman_home_executable(executable):"))
        let builder = try XCTUnwrap(patched.range(of: "class EnvBuilder"))
        XCTAssertLessThan(call.lowerBound, home.lowerBound)
        XCTAssertLessThan(helper.lowerBound, builder.lowerBound)
        XCTAssertTrue(patched.contains("\n    return executable\n"))
    }

    func testPatchingTwiceChangesNothing() throws {
        let once = try VenvHomePatch.patch(module, path: "x")
        XCTAssertEqual(try VenvHomePatch.patch(once, path: "x"), once)
    }

    func testUnexpectedModuleIsRefusedLoudly() {
        let other = module.replacingOccurrences(of: "dirname, exename", with: "folder, name")
        XCTAssertThrowsError(try VenvHomePatch.patch(other, path: "lib/python3.99/venv/__init__.py")) { error in
            XCTAssertTrue("\(error)".contains("lib/python3.99/venv/__init__.py"))
        }
    }

    func testDamagedPatchIsDetected() throws {
        let patched = try VenvHomePatch.patch(module, path: "x")
        let damaged = patched.replacingOccurrences(of: "def _pyman_home_executable(executable):", with: "def other():")
        XCTAssertThrowsError(try VenvHomePatch.patch(damaged, path: "x"))
    }
}
