import Foundation
import TestSupport
import XCTest
@testable import Download

/// ETag / Last-Modified, 304 and offline, against the fixture server (Fixtures/serve.py) on a folder of
/// the test's own: real HTTP through real libcurl.
final class ConditionalFetchTests: XCTestCase {
    func testValidatorsComeBackAndAnUnchangedDocumentIsNotModified() throws {
        let server = try FolderServer(self)
        try Data("{\"a\": 1}".utf8).write(to: server.folder.appendingPathComponent("doc.json"))
        let url = "http://127.0.0.1:\(server.port)/doc.json"
        guard case .changed(let body, let validators) = try Downloader.fetch(url: url, options: DownloadOptions(), limit: 1 << 20, unlessMatching: CacheValidators()) else {
            return XCTFail("an unconditional request was answered 304")
        }
        XCTAssertEqual(body, Data("{\"a\": 1}".utf8))
        XCTAssertNotNil(validators.etag)
        XCTAssertNotNil(validators.lastModified)
        guard case .notModified = try Downloader.fetch(url: url, options: DownloadOptions(), limit: 1 << 20, unlessMatching: validators) else {
            return XCTFail("the server's own ETag did not get 304")
        }
        // Another ETag: the document is sent again.
        let stale = CacheValidators(etag: "\"other\"")
        guard case .changed = try Downloader.fetch(url: url, options: DownloadOptions(), limit: 1 << 20, unlessMatching: stale) else {
            return XCTFail("a stale ETag got 304")
        }
    }

    func testOfflineRefusesHTTPBeforeAnyConnectionButReadsFiles() throws {
        let server = try FolderServer(self)
        var options = DownloadOptions()
        options.offline = true
        XCTAssertThrowsError(try Downloader.fetch(url: "http://127.0.0.1:\(server.port)/x", options: options, limit: 1 << 20)) { error in
            XCTAssertTrue("\(error)".contains("offline"), "\(error)")
        }
        XCTAssertEqual(try server.connections(), 1, "only the counter query itself connected")
        let file = server.folder.appendingPathComponent("local.json")
        try Data("[]".utf8).write(to: file)
        XCTAssertEqual(try Downloader.fetch(url: file.absoluteString, options: options, limit: 1 << 20), Data("[]".utf8))
    }

    func testHeaderLinesAreBoundedAndFreeOfControlCharacters() {
        var validators = CacheValidators()
        func take(_ line: String) { Array(line.utf8).withUnsafeBytes { validators.take(headerLine: $0) } }
        take("HTTP/1.1 302 Found\r\n")
        take("ETag: \"from-the-redirect\"\r\n")
        take("HTTP/1.1 200 OK\r\n")
        XCTAssertNil(validators.etag, "a new response forgets the headers of the one before")
        take("etag:  \"abc\" \r\n")
        take("Last-Modified: Wed, 21 Oct 2026 07:28:00 GMT\r\n")
        XCTAssertEqual(validators, CacheValidators(etag: "\"abc\"", lastModified: "Wed, 21 Oct 2026 07:28:00 GMT"))
        XCTAssertEqual(validators.requestHeaders, ["If-None-Match: \"abc\"", "If-Modified-Since: Wed, 21 Oct 2026 07:28:00 GMT"])
        take("ETag: \"x\u{1}y\"\r\n")
        take("ETag: \"" + String(repeating: "a", count: 600) + "\"\r\n")
        XCTAssertEqual(validators.etag, "\"abc\"", "a value with a control character or too long is not kept")
    }
}
