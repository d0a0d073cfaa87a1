import Catalogue
import Configuration
import Core
import Foundation
import TestSupport
import XCTest

/// A catalogue and settings built in the test: no network, no fixture archives.
public enum Fixture {
    public static let linux = Platform(os: "linux", arch: "x86_64", libc: "gnu")

    public static func key(_ text: String) -> PythonKey {
        guard let key = PythonKey(text) else { fatalError("bad key \(text)") }
        return key
    }

    public static func entry(_ text: String) -> CatalogueEntry {
        CatalogueEntry(key: key(text), url: "https://example.invalid/\(text).tar.gz", sha256: String(repeating: "a", count: 64), build: "20250723")
    }

    public static func catalogue(_ keys: [String]) -> Catalogue {
        Catalogue(entries: keys.map(entry))
    }

    /// A fresh empty folder, removed when the test ends.
    public static func folder(_ test: XCTestCase) throws -> URL {
        try test.scratchFolder("unit-tests")
    }

    /// Settings rooted in `folder`, on the test's fixed platform.
    public static func settings(in folder: URL, environment extra: [String: String] = [:]) -> Settings {
        var environment = ["HOME": folder.path, "PYMAN_INSTALL_DIR": folder.appendingPathComponent("python").path]
        environment.merge(extra) { $1 }
        var settings = Settings(environment: environment, currentDirectory: folder.path, output: Output(quiet: true))
        settings.platform = linux
        // The machine's own Pythons (Debian's, pyenv's) are not the test's: InterpreterDiscoveryTests asks for them.
        settings.pythonPreference = .onlyManaged
        return settings
    }
}
