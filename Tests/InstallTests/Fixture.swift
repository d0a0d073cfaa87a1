import Foundation
import ManagedPythons
import UnitTestSupport

/// Index records built in the test (UnitTestSupport's `Fixture` builds the catalogues and settings).
extension Fixture {
    static func record(_ text: String, in folder: URL = URL(fileURLWithPath: "/nonexistent")) -> InstallRecord {
        InstallRecord(key: key(text), path: folder.appendingPathComponent(text).path, url: nil, sha256: nil, size: nil,
                      installedAt: Date(timeIntervalSince1970: 0), pymanVersion: "test", patchLevel: 1)
    }
}
