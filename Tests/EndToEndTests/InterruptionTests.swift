import Foundation
import XCTest

/// SIGTERM and SIGINT stop an install the way a failure does: nothing half-done is left.
final class InterruptionTests: XCTestCase {
    func testATerminatedInstallRemovesItsTemporaryFolder() throws {
        let sandbox = try Sandbox()
        let port = try MirrorServer.shared.start()
        let file = Fixture.file("3.11.2", "install_only_stripped.tar.gz")
        // 64 KiB/s: the download takes minutes, so the signal lands while the folder is being filled.
        let url = "http://127.0.0.1:\(port)/fault/slow-64/20250723/\(file.replacingOccurrences(of: "+", with: "%2B"))"
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue(key: "cpython-3.11.2-linux-x86_64-gnu", url: url, sha256: try Fixture.sha256(file)).path
        for (signal, status) in [(SIGTERM, 143), (SIGINT, 130)] {
            let install = try sandbox.start(["install", "3.11"])
            let deadline = Date().addingTimeInterval(20)
            while !sandbox.installDirContents().contains(where: { $0.hasPrefix(".tmp-") }), Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
            }
            XCTAssertFalse(sandbox.installDirContents().isEmpty, "the install started")
            kill(install.process.processIdentifier, signal)
            let result = install.wait(timeout: 15)
            XCTAssertEqual(result.status, Int32(status), result.summary)
            XCTAssertEqual(sandbox.installDirContents(), [], "no temporary folder is left: \(result.summary)")
            XCTAssertTrue(result.stderr.contains("interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT")"), result.summary)
        }
    }
}
