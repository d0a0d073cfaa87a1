import Foundation
import XCTest
@testable import Download

final class NetrcFileTests: XCTestCase {
    func netrc(_ text: String, mode: Int) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-netrc-\(UUID().uuidString)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testAPrivateNetrcPassesAndOneOthersCanReadIsRefused() throws {
        let text = "machine mirror.example login u password secret-token\n"
        XCTAssertNoThrow(try NetrcFile.check(try netrc(text, mode: 0o600)))
        XCTAssertNoThrow(try NetrcFile.check("/nonexistent/.netrc"), "a missing netrc is no netrc")
        for mode in [0o644, 0o640, 0o604, 0o620] {
            let path = try netrc(text, mode: mode)
            XCTAssertThrowsError(try NetrcFile.check(path)) { error in
                XCTAssertEqual("\(error)", "the netrc file \(path) can be read or written by other users, so pyman does not use it; run `chmod 600 \(path)`")
                XCTAssertFalse("\(error)".contains("secret-token"))
            }
        }
    }

    func testHostsTheNetrcNames() throws {
        let path = try netrc("machine mirror.example\n  login u\n  password p\nmachine other.example login v password q\n", mode: 0o600)
        XCTAssertTrue(NetrcFile.names(host: "mirror.example:8443", in: path))
        XCTAssertTrue(NetrcFile.names(host: "OTHER.example", in: path))
        XCTAssertFalse(NetrcFile.names(host: "third.example", in: path))
        XCTAssertTrue(NetrcFile.names(host: "third.example", in: try netrc("default login a password b\n", mode: 0o600)))
    }
}
