import Foundation
import XCTest
@testable import Venv

/// activate.csh keeps every byte of a venv path: a backslash right before a newline used to be lost.
final class CshQuotingTests: XCTestCase {
    func testABackslashBeforeANewlineSurvivesInCshAndTcsh() throws {
        let root = NSTemporaryDirectory() + "pyman-csh-\(UUID().uuidString)"
        let venv = root + "/a\\\nb\\c\\\\d"
        try FileManager.default.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Activators.write(into: venv + "/bin", venvPath: venv, prompt: "p")
        var ran = 0
        for shell in ["/usr/bin/tcsh", "/bin/csh", "/usr/bin/csh"] where FileManager.default.isExecutableFile(atPath: shell) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: shell)
            // Run in bin/ and printed by printenv: the test quotes no path itself.
            process.currentDirectoryURL = URL(fileURLWithPath: venv + "/bin")
            process.arguments = ["-f", "-c", "source activate.csh && /usr/bin/printenv VIRTUAL_ENV"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(String(decoding: data, as: UTF8.self), venv + "\n", shell)
            ran += 1
        }
        if ran == 0 { throw XCTSkip("neither csh nor tcsh is installed (make test-deps installs them)") }
    }
}
