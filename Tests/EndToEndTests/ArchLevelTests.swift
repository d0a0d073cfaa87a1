import Foundation
import XCTest

/// x86-64 levels end to end: a catalogue offering 3.13.5 at the baseline and at x86_64_v2 (both the
/// fixture archive). A CPU that runs v2 gets the v2 build; PYMAN_PYTHON_ARCH forces one.
final class ArchLevelTests: XCTestCase {
    func levelledCatalogue(_ sandbox: Sandbox) throws -> URL {
        let file = Fixture.file("3.13.5", "install_only_stripped.tar.gz")
        var object: [String: Any] = [:]
        for variant in [nil, "v2"] as [String?] {
            let key = "cpython-3.13.5-linux-x86_64\(variant.map { "_" + $0 } ?? "")-gnu"
            let url = "https://github.com/astral-sh/python-build-standalone/releases/download/20250723/\(file.replacingOccurrences(of: "+", with: "%2B"))"
            object[key] = Sandbox.catalogueEntry(key: key, url: url, sha256: try Fixture.sha256(file))
        }
        let url = sandbox.root.appendingPathComponent("levels.json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return url
    }

    func testTheHighestLevelThisCPURunsIsChosenAndShown() throws {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let v2 = ["cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"].allSatisfy { flags.split(separator: " ").contains(Substring($0)) }
        guard v2 else { throw XCTSkip("this CPU does not run x86-64-v2") }
        let sandbox = try Sandbox()
        sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try levelledCatalogue(sandbox).path
        let listed = try sandbox.pyman("list")
        XCTAssertEqual(listed.stdout.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" },
                       ["cpython-3.13.5-linux-x86_64_v2-gnu"], listed.summary)
        let installed = try sandbox.pyman("install", "3.13")
        XCTAssertEqual(installed.status, 0, installed.summary)
        XCTAssertTrue(installed.stderr.contains("cpython-3.13.5-linux-x86_64_v2-gnu"), "install names the level: \(installed.summary)")
        let install = sandbox.installDir.appendingPathComponent("cpython-3.13.5-linux-x86_64_v2-gnu")
        try assertRunsFromInstall(sandbox.binDir.appendingPathComponent("python3.13").path, FixturePython.all[1], install: install, sandbox: sandbox)
        let found = try sandbox.pyman("find", "3.13")
        XCTAssertEqual(found.stdout, install.appendingPathComponent("bin/python3.13").path + "\n", found.summary)
        let installedList = try sandbox.pyman("list", "--only-installed")
        XCTAssertTrue(installedList.stdout.hasPrefix("cpython-3.13.5-linux-x86_64_v2-gnu"), installedList.summary)

        sandbox.environment["PYMAN_PYTHON_ARCH"] = "x86_64"
        let forced = try sandbox.pyman("install", "3.13")
        XCTAssertEqual(forced.status, 0, forced.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.installDir.appendingPathComponent("cpython-3.13.5-linux-x86_64-gnu/bin/python3.13").path), forced.summary)
        let bad = try sandbox.pyman(["find", "3.13"], env: ["PYMAN_PYTHON_ARCH": "x86_64_v9"])
        XCTAssertEqual(bad.status, 1, bad.summary)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.summary)
        XCTAssertTrue(bad.stderr.contains("PYMAN_PYTHON_ARCH=x86_64_v9"), bad.summary)
    }
}
