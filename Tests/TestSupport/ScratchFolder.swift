import Foundation
import XCTest

/// A fresh empty folder in the temporary directory, `pyman-<name>-<random>`, removed with the object:
/// for what outlives one call (a sandbox, a background process). A test's own folder is `scratchFolder`.
public final class ScratchFolder: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    /// `permissions` when given (0o700 for tests of what a private folder allows), else the umask's.
    public init(_ name: String, permissions: Int? = nil) throws {
        // A directory URL, as the CLI's current folder is: relative paths resolve inside it, not beside it.
        url = URL(fileURLWithPath: NSTemporaryDirectory() + "pyman-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let attributes: [FileAttributeKey: Any]? = permissions.map { [.posixPermissions: $0] }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: attributes)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

extension XCTestCase {
    /// A fresh empty folder for this test (`ScratchFolder`), removed when the test ends.
    public func scratchFolder(_ name: String, permissions: Int? = nil) throws -> URL {
        let folder = try ScratchFolder(name, permissions: permissions)
        addTeardownBlock { withExtendedLifetime(folder) {} }
        return folder.url
    }
}
