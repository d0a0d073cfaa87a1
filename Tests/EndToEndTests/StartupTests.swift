import Foundation
import XCTest

/// pyman opens libcurl and libarchive on first use (Sources/CLazyLoad): commands that neither download
/// nor unpack must start without them, which is most of their start-up time saved.
final class StartupTests: XCTestCase {
    /// The shared objects the dynamic loader opened for one run (glibc's LD_DEBUG=files trace).
    func loadedLibraries(_ sandbox: Sandbox, _ arguments: [String]) throws -> (Run, String) {
        var environment = sandbox.environment
        environment["LD_DEBUG"] = "files"
        let result = try EndToEndTests.run(Paths.pyman.path, arguments, cwd: sandbox.work, environment: environment)
        return (result, result.stderr.split(separator: "\n").filter { $0.contains("file=") }.joined(separator: "\n"))
    }

    func testFastCommandsDoNotLoadCurlOrArchive() throws {
        let sandbox = try InstalledWorld.shared.sandbox()
        for arguments in [["find", "3.13"], ["list", "--only-installed"], ["dir"],
                          ["venv", "-p", "3.13", sandbox.work.appendingPathComponent("startup-venv").path]] {
            let (result, trace) = try loadedLibraries(sandbox, arguments)
            XCTAssertEqual(result.status, 0, result.summary)
            XCTAssertFalse(trace.isEmpty, "LD_DEBUG gave no trace; the check would prove nothing: \(result.stderr)")
            XCTAssertFalse(trace.contains("libcurl"), "pyman \(arguments.joined(separator: " ")) loaded libcurl:\n\(trace)")
            XCTAssertFalse(trace.contains("libarchive"), "pyman \(arguments.joined(separator: " ")) loaded libarchive:\n\(trace)")
        }
    }

    func testInstallLoadsBothOnFirstUse() throws {
        let sandbox = try Sandbox()
        let (result, trace) = try loadedLibraries(sandbox, ["install", "3.13"])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(trace.contains("libcurl.so.4"), trace)
        XCTAssertTrue(trace.contains("libarchive.so.13"), trace)
    }
}
