import Foundation
import TestSupport
import XCTest
@testable import Venv

/// activate.csh keeps every byte of a venv path: a backslash right before a newline used to be lost.
final class CshQuotingTests: XCTestCase {
    func testABackslashBeforeANewlineSurvivesInCshAndTcsh() throws {
        let venv = try scratchFolder("csh").path + "/a\\\nb\\c\\\\d"
        try FileManager.default.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        try Activators.write(into: venv + "/bin", venvPath: venv, prompt: "p")
        var ran = 0
        for shell in ["/usr/bin/tcsh", "/bin/csh", "/usr/bin/csh"] where FileManager.default.isExecutableFile(atPath: shell) {
            // Run in bin/ and printed by printenv: the test quotes no path itself.
            let activated = try TestSupport.run(shell, ["-f", "-c", "source activate.csh && /usr/bin/printenv VIRTUAL_ENV"], cwd: URL(fileURLWithPath: venv + "/bin"))
            XCTAssertEqual(activated.stdout, venv + "\n", shell)
            ran += 1
        }
        if ran == 0 { throw XCTSkip("neither csh nor tcsh is installed (make test-deps installs them)") }
    }
}
