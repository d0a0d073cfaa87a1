import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// Fixtures/serve.py over a folder (the fixture mirror, or a test's own), on 127.0.0.1, stopped with the
/// object; its first line of output is the port it listens on.
public final class FolderServer: @unchecked Sendable {
    public let port: Int
    /// What it serves.
    public let folder: URL
    private let server = Process()

    /// Serves a fresh folder of the test's (`folder`), until the test ends.
    public convenience init(_ test: XCTestCase) throws {
        try self.init(serving: try test.scratchFolder("serve"))
        test.addTeardownBlock { [self] in stop() }
    }

    /// `arguments`: serve.py's options (`--tls-cert`, `--tls-key`).
    public init(serving directory: URL, arguments: [String] = []) throws {
        folder = directory
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", Paths.server.path, directory.path] + arguments
        let pipe = Pipe()
        server.standardOutput = pipe
        try server.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).split(separator: "\n").first ?? "") else {
            server.terminate()
            throw XCTSkipError("Fixtures/serve.py did not start")
        }
        self.port = port
    }

    deinit {
        stop()
    }

    public func stop() {
        guard server.isRunning else { return }
        server.terminate()
        server.waitUntilExit()
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// TCP connections the server accepted, this query's included.
    public func connections() throws -> Int {
        try counters().connections
    }

    /// The server's counters for one URL path: requests, 304 answers, and every TCP connection it
    /// accepted (this query's own included).
    public func counters(_ path: String = "/") throws -> (requests: Int, notModified: Int, connections: Int) {
        var components = URLComponents(string: url("__requests"))!
        components.queryItems = [URLQueryItem(name: "path", value: path)]
        let object = try JSONSerialization.jsonObject(with: try httpGet(components.url!)) as? [String: Int] ?? [:]
        return (object["requests"] ?? -1, object["not_modified"] ?? -1, object["connections"] ?? -1)
    }
}

/// The body at `url` (the fixture server's queries), within 10 seconds.
public func httpGet(_ url: URL) throws -> Data {
    final class Box: @unchecked Sendable { var result: Result<Data, Error> = .failure(XCTSkipError("no answer")) }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    URLSession.shared.dataTask(with: url) { data, _, error in
        box.result = data.map { .success($0) } ?? .failure(error ?? XCTSkipError("no data from \(url)"))
        done.signal()
    }.resume()
    guard done.wait(timeout: .now() + 10) == .success else { throw XCTSkipError("\(url) did not answer") }
    return try box.result.get()
}
