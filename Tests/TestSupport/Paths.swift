import Foundation

/// Paths of the repository, the built binary and the fixtures (`make fixtures`).
public enum Paths {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary end-to-end tests run: PYMAN_BINARY, else the debug build.
    public static var pyman: URL {
        if let path = ProcessInfo.processInfo.environment["PYMAN_BINARY"] { return URL(fileURLWithPath: path) }
        return repository.appendingPathComponent(".build/debug/pyman")
    }

    /// PYMAN_FIXTURES_CACHE (which `make test` sets), else `~/.cache/pyman-fixtures`.
    public static var fixtures: URL {
        let env = ProcessInfo.processInfo.environment
        if let path = env["PYMAN_FIXTURES_CACHE"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: env["HOME"] ?? "/root").appendingPathComponent(".cache/pyman-fixtures")
    }

    public static var mirror: URL { fixtures.appendingPathComponent("mirror") }
    public static var catalogue: URL { fixtures.appendingPathComponent("download-metadata.json") }
    /// The fixture server (`Fixtures/serve.py`: static files, fault injection, request counters, TLS).
    public static var server: URL { repository.appendingPathComponent("Fixtures/serve.py") }
}

/// A test's setup failed (fixtures missing, a server that did not start): thrown, it fails the test, since
/// missing fixtures are a failure of the setup, not a reason to pass.
public struct XCTSkipError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
