import Foundation
import XCTest
@testable import Catalogue
@testable import ManagedPythons
@testable import Install
@testable import Configuration
@testable import Core

/// A catalogue, index records and settings built in the test: no network, no fixture archives.
enum Fixture {
    static let linux = Platform(os: "linux", arch: "x86_64", libc: "gnu")
    static let musl = Platform(os: "linux", arch: "x86_64", libc: "musl")

    static func key(_ text: String) -> PythonKey {
        guard let key = PythonKey(text) else { fatalError("bad key \(text)") }
        return key
    }

    static func entry(_ text: String) -> CatalogueEntry {
        CatalogueEntry(key: key(text), url: "https://example.invalid/\(text).tar.gz", sha256: String(repeating: "a", count: 64), build: "20250723")
    }

    static func catalogue(_ keys: [String]) -> Catalogue {
        Catalogue(entries: keys.map(entry))
    }

    static func record(_ text: String, in folder: URL = URL(fileURLWithPath: "/nonexistent")) -> InstallRecord {
        InstallRecord(key: key(text), path: folder.appendingPathComponent(text).path, url: nil, sha256: nil, size: nil,
                      installedAt: Date(timeIntervalSince1970: 0), pymanVersion: "test", patchLevel: 1)
    }

    /// A fresh empty folder, removed when the test ends.
    static func folder(_ test: XCTestCase) throws -> URL {
        // A directory URL, as the CLI's current folder is: relative paths resolve inside it, not beside it.
        let url = URL(fileURLWithPath: NSTemporaryDirectory() + "pyman-install-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Settings rooted in `folder`, on the test's fixed platform.
    static func settings(in folder: URL, environment extra: [String: String] = [:]) -> Settings {
        var environment = ["HOME": folder.path, "PYMAN_INSTALL_DIR": folder.appendingPathComponent("python").path]
        environment.merge(extra) { $1 }
        var settings = Settings(environment: environment, currentDirectory: folder.path, output: Output(quiet: true))
        settings.platform = linux
        // The machine's own Pythons (Debian's, pyenv's) are not the test's: InterpreterDiscoveryTests asks for them.
        settings.pythonPreference = .onlyManaged
        return settings
    }
}
