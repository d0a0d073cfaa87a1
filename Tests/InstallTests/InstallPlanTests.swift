import Foundation
import XCTest
import Shell
import UnitTestSupport
@testable import Catalogue
@testable import Install

final class InstallPlanTests: XCTestCase {
    let catalogue = Fixture.catalogue(["cpython-3.11.2-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.4-linux-x86_64-gnu"])

    func plan(in folder: URL) -> InstallPlan {
        let catalogue = self.catalogue
        return InstallPlan(settings: Fixture.settings(in: folder), loadCatalogue: { catalogue })
    }

    func testRequestsResolveInOrderWithoutDuplicates() throws {
        let folder = try Fixture.folder(self)
        let sources = try plan(in: folder).sources(for: ["3.13", "3.11", "cpython@3.13.5", "3.13"])
        XCTAssertEqual(sources.map(\.key.description), ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.11.2-linux-x86_64-gnu"])
        XCTAssertEqual(sources[0].sha256, String(repeating: "a", count: 64))
    }

    func testNoRequestReadsThePin() throws {
        let folder = try Fixture.folder(self)
        try "3.11\n".write(to: folder.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try plan(in: folder).sources(for: []).map(\.key.description), ["cpython-3.11.2-linux-x86_64-gnu"])
    }

    func testUnknownVersionSaysWhereToLook() throws {
        let folder = try Fixture.folder(self)
        XCTAssertThrowsError(try plan(in: folder).sources(for: ["3.12"])) { error in
            XCTAssertEqual("\(error)", "no Python matches '3.12' for linux-x86_64-gnu; the nearest known are 3.13.5, 3.11.2; change the request or see `pyman list`")
        }
    }

    func testALocalArchiveNeedsNoCatalogue() throws {
        let folder = try Fixture.folder(self)
        let name = "cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
        FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
        let plan = InstallPlan(settings: Fixture.settings(in: folder), loadCatalogue: {
            XCTFail("the catalogue was loaded for a local archive")
            return Catalogue(entries: [])
        })
        let sources = try plan.sources(for: ["./" + name])
        XCTAssertEqual(sources.map(\.key.description), ["cpython-3.13.5-linux-x86_64-gnu"])
        XCTAssertEqual(sources[0].url, folder.appendingPathComponent(name).absoluteURL.absoluteString)
        XCTAssertNil(sources[0].sha256)
    }

    func testBadArchivePathsGetOneClearLine() throws {
        let folder = try Fixture.folder(self)
        let plan = plan(in: folder)
        XCTAssertThrowsError(try plan.sources(for: ["./missing.tar.gz"])) { error in
            XCTAssertEqual("\(error)", "archive \(folder.path)/missing.tar.gz does not exist; check the path")
        }
        FileManager.default.createFile(atPath: folder.appendingPathComponent("python.tar.gz").path, contents: Data())
        XCTAssertThrowsError(try plan.sources(for: ["python.tar.gz"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot tell which Python python.tar.gz holds"), "\(error)")
        }
        FileManager.default.createFile(atPath: folder.appendingPathComponent("pypy3.9-v7.3.11-linux64.tar.bz2").path, contents: Data())
        XCTAssertThrowsError(try plan.sources(for: ["pypy3.9-v7.3.11-linux64.tar.bz2"])) { error in
            XCTAssertTrue("\(error)".contains("PyPy's archive names lack the Python patch version") && "\(error)".contains("pyman install pypy3.9"), "\(error)")
        }
        let arm = "cpython-3.13.5+20250723-aarch64-unknown-linux-gnu-install_only.tar.gz"
        FileManager.default.createFile(atPath: folder.appendingPathComponent(arm).path, contents: Data())
        XCTAssertThrowsError(try plan.sources(for: [arm])) { error in
            XCTAssertEqual("\(error)", "\(arm) is built for linux-aarch64-gnu, but this machine is linux-x86_64-gnu")
        }
    }

    func testInstallNotesABinDirThatIsNotOnPath() {
        XCTAssertEqual(InstallBatch.pathNote(binDir: "/root/.local/bin", searchPath: SearchPath("/usr/bin:/bin")),
                       "note: /root/.local/bin is not on PATH; run `pyman update-shell` to add it")
        XCTAssertNil(InstallBatch.pathNote(binDir: "/root/.local/bin", searchPath: SearchPath("/usr/bin:/root/.local/bin/")))
    }
}
