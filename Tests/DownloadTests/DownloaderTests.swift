import Crypto
import Foundation
import TestSupport
import XCTest
@testable import Download

final class DownloaderTests: XCTestCase {
    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = try scratchFolder("dl").appendingPathComponent("body")
        try Data(bytes).write(to: url)
        return url
    }

    func testStreamsEveryByteAndHashesIt() throws {
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let file = try temporaryFile(bytes)
        var received = Data()
        let result = try Downloader.stream(url: file.absoluteString, options: DownloadOptions()) { chunk in
            received.append(contentsOf: chunk)
            return true
        }
        XCTAssertEqual(received, Data(bytes))
        XCTAssertEqual(result.bytes, bytes.count)
        XCTAssertEqual(result.sha256, SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined())
    }

    func testConsumerCanStopTheTransfer() throws {
        let file = try temporaryFile(Array(repeating: 7, count: 1_000_000))
        XCTAssertThrowsError(try Downloader.stream(url: file.absoluteString, options: DownloadOptions()) { _ in false }) { error in
            XCTAssertEqual((error as? DownloadError)?.abortedByConsumer, true)
        }
    }

    func testMissingFileIsAClearPermanentError() {
        XCTAssertThrowsError(try Downloader.fetch(url: "file:///nonexistent/pyman.tar.gz", options: DownloadOptions(), limit: 1 << 20)) { error in
            let failure = error as? DownloadError
            XCTAssertEqual(failure?.isTransient, false)
            XCTAssertTrue("\(error)".contains("/nonexistent/pyman.tar.gz"), "\(error)")
        }
    }

    /// libcurl reads a file: URL to its end, whatever the scheme's case: a device is refused before it is opened.
    func testADeviceIsRefusedWhateverTheSchemesCase() {
        for url in ["file:///dev/zero", "FILE:///dev/zero", "File:///dev/zero"] {
            XCTAssertThrowsError(try Downloader.fetch(url: url, options: DownloadOptions(), limit: 1 << 20)) { error in
                XCTAssertEqual("\(error)", "cannot read /dev/zero: not a regular file (\(url))")
                XCTAssertEqual((error as? DownloadError)?.isTransient, false, url)
            }
        }
    }

    func testRefusedConnectionIsTransient() {
        // Port 9 (discard) on loopback is closed on these machines: the connection is refused at once.
        XCTAssertThrowsError(try Downloader.stream(url: "http://127.0.0.1:9/x", options: DownloadOptions()) { _ in true }) { error in
            XCTAssertEqual((error as? DownloadError)?.isTransient, true, "\(error)")
        }
    }

    /// An https_proxy that answers CONNECT with 502 (Fixtures/serve.py without --tunnel-to): the proxy's
    /// status is said, not the server's 0, and a 5xx there is transient.
    func testAProxyThatWillNotTunnelIsNamedWithItsStatus() throws {
        let proxy = try FolderServer(self)
        let variable = "https_proxy"
        setenv(variable, "http://127.0.0.1:\(proxy.port)", 1)
        defer { unsetenv(variable) }
        XCTAssertThrowsError(try Downloader.stream(url: "https://github.com/x.tar.gz", options: DownloadOptions()) { _ in true }) { error in
            XCTAssertEqual("\(error)", "download failed: the proxy would not connect to github.com (HTTP 502 to CONNECT) (https://github.com/x.tar.gz)")
            XCTAssertEqual((error as? DownloadError)?.isTransient, true)
        }
    }

    func testOptionsReadCurlsVariables() {
        let options = DownloadOptions(environment: ["SSL_CERT_FILE": "/a.pem", "SSL_CERT_DIR": "/certs", "PYMAN_HTTP_RETRIES": "5", "PYMAN_HTTP_TIMEOUT": "7"])
        XCTAssertEqual(options.caBundle, "/a.pem")
        XCTAssertEqual(options.caDirectory, "/certs")
        XCTAssertEqual(options.attempts, 6)
        XCTAssertEqual(options.lowSpeedTimeout, 7)
    }
}
