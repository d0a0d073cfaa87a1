import Foundation
import TestSupport
import XCTest
@testable import Download

/// The one loop over a file's URLs, against Fixtures/serve.py's fault modes over a scratch folder: the
/// order, the retries on the last mirror only, the last resort once with its short connect timeout.
final class MirrorListTests: XCTestCase {
    /// 3 attempts, barely apart.
    var options: DownloadOptions {
        var options = DownloadOptions()
        options.retryDelay = 0.01
        return options
    }

    /// A server over a folder holding `f.bin`, and a fresh tag so the counters are this test's own.
    func server() throws -> (FolderServer, String) {
        let server = try FolderServer(self)
        try Data("the archive".utf8).write(to: server.folder.appendingPathComponent("f.bin"))
        return (server, String(UUID().uuidString.prefix(8)))
    }

    /// What the loop said, one line per event.
    func describe(_ event: MirrorList.Event) -> String {
        switch event {
        case .startingOver(let error): return "over \(error.url)"
        case .retrying(let error, let attempt, let attempts): return "retry \(error.url) \(attempt)/\(attempts)"
        case .passing(let error, let next): return "pass \(error.url) -> \(next.url)\(next.isLastResort ? " (last resort)" : "")"
        }
    }

    func testMirrorsInOrderTheLastKeepsTheRetriesTheLastResortOnce() throws {
        let (server, tag) = try server()
        let first = server.url("fault/503@\(tag)-a/f.bin"), second = server.url("fault/503@\(tag)-b/f.bin"), own = server.url("fault/503@\(tag)-c/f.bin")
        let list = MirrorList(first, then: [second], lastResort: own, offline: false)
        XCTAssertEqual(list.candidates.map(\.url), [first, second, own])
        var events: [String] = [], timeouts: [Int] = []
        XCTAssertThrowsError(try list.first(options: options, retrying: true, events: { events.append(describe($0)) }) { url, options in
            timeouts.append(options.connectTimeout)
            return try Downloader.stream(url: url, options: options) { _ in true }
        }) { error in
            guard let failure = error as? MirrorListFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.failures.map(\.attempts), [1, 3, 1])
            XCTAssertEqual(failure.description, "no mirror gave the archive: download failed with HTTP 503 (\(first)); "
                           + "download failed with HTTP 503 (\(second)) after 3 attempts; download failed with HTTP 503 (\(own))")
        }
        XCTAssertEqual(events, ["pass \(first) -> \(second)", "retry \(second) 2/3", "retry \(second) 3/3", "pass \(second) -> \(own) (last resort)"])
        XCTAssertEqual(timeouts, [30, 30, 30, 30, MirrorList.lastResortConnectTimeout], "the last resort connects within 10 s")
        XCTAssertEqual(try server.counters("/fault/503@\(tag)-a/f.bin").requests, 1)
        XCTAssertEqual(try server.counters("/fault/503@\(tag)-b/f.bin").requests, 3)
        XCTAssertEqual(try server.counters("/fault/503@\(tag)-c/f.bin").requests, 1, "the last resort never retried")
    }

    /// The file comes from the last resort when every mirror failed; without retries (lock's size
    /// check, `lock --fetch`) each URL is asked once.
    func testTheLastResortServesWhatTheMirrorsDidNot() throws {
        let (server, tag) = try server()
        let dead = "http://127.0.0.1:9/dead/f.bin", missing = server.url("fault/404@\(tag)/f.bin"), own = server.url("fault/ok@\(tag)/f.bin")
        var events: [String] = []
        let result = try MirrorList(dead, then: [missing], lastResort: own, offline: false)
            .first(options: options, retrying: false, events: { events.append(describe($0)) }) { url, options in
                try Downloader.stream(url: url, options: options) { _ in true }
            }
        XCTAssertEqual(result.bytes, 11)
        XCTAssertEqual(events, ["pass \(dead) -> \(missing)", "pass \(missing) -> \(own) (last resort)"])
        XCTAssertEqual(try server.counters("/fault/404@\(tag)/f.bin").requests, 1)
        XCTAssertEqual(try server.counters("/fault/ok@\(tag)/f.bin").requests, 1)
    }

    /// 401/403 end the list (the mirror wants credentials: said in one line), as does any error that
    /// is not a download's (a checksum mismatch); no other URL is asked.
    func testARefusalOrAnotherErrorEndsTheList() throws {
        let (server, tag) = try server()
        let own = server.url("fault/ok@\(tag)/f.bin")
        for status in [401, 403] {
            XCTAssertThrowsError(try MirrorList(server.url("fault/\(status)@\(tag)/f.bin"), lastResort: own, offline: false)
                .first(options: options, retrying: true) { url, options in try Downloader.stream(url: url, options: options) { _ in true } }) { error in
                XCTAssertEqual((error as? DownloadError)?.status, status, "\(error)")
            }
        }
        struct Mismatch: Error {}
        XCTAssertThrowsError(try MirrorList(server.url("fault/ok@\(tag)-x/f.bin"), lastResort: own, offline: false)
            .first(options: options, retrying: true) { url, options -> Int in
                _ = try Downloader.stream(url: url, options: options) { _ in true }
                throw Mismatch()
            }) { error in
            XCTAssertTrue(error is Mismatch, "\(error)")
        }
        XCTAssertEqual(try server.counters("/fault/ok@\(tag)/f.bin").requests, 0, "the last resort was not asked")
    }

    /// Offline, the first URL alone (refused in one line unless it is a file); one URL's failure is
    /// said as it is, with its attempts.
    func testOfflineTheFirstURLAloneAndOneFailureAsItIs() throws {
        let list = MirrorList("file:///nonexistent/f.bin", then: ["http://a/f.bin"], lastResort: "https://github.com/f.bin", offline: true)
        XCTAssertEqual(list.candidates, [MirrorList.Candidate(url: "file:///nonexistent/f.bin", isLastResort: false)])
        XCTAssertThrowsError(try list.first(options: options, retrying: true) { url, options in
            try Downloader.stream(url: url, options: options) { _ in true }
        }) { error in
            let failure = error as? MirrorListFailure
            XCTAssertEqual(failure?.failures.count, 1)
            XCTAssertEqual(failure?.last.attempts, 1, "a missing file is not transient")
            XCTAssertEqual(failure.map { "\($0)" }, failure?.last.error.description)
        }
    }
}
