import Core
import XCTest

final class URLCredentialsTests: XCTestCase {
    func testUserinfoIsMaskedInMessagesAndStrippedForStorage() {
        let url = "https://user:t0k,en;x@mirror.example:8443/pbs/a.tar.gz"
        XCTAssertEqual(URLCredentials.redacting(url), "https://****@mirror.example:8443/pbs/a.tar.gz")
        XCTAssertEqual(URLCredentials.stripping(url), "https://mirror.example:8443/pbs/a.tar.gz")
        XCTAssertEqual(URLCredentials.host(of: url), "mirror.example:8443")
        XCTAssertTrue(URLCredentials.present(in: url))
        XCTAssertFalse(URLCredentials.present(in: "https://mirror.example/a@b.tar.gz"))
    }

    func testEveryURLInAMessageIsMaskedAndTheRestKept() {
        let message = "cpython: download failed (http://token@h1/x); trying (http://u:p@ss@h2) and 'https://h3/a@b', mail a@b"
        XCTAssertEqual(URLCredentials.redacting(message),
                       "cpython: download failed (http://****@h1/x); trying (http://****@h2) and 'https://h3/a@b', mail a@b")
    }

    func testTextWithoutUserinfoIsUnchanged() {
        for text in ["", "no url here", "http://host", "file:///tmp/a@b/c", "https://h/p?q=a@b#f@g"] {
            XCTAssertEqual(URLCredentials.redacting(text), text)
            XCTAssertEqual(URLCredentials.stripping(text), text)
        }
    }
}
