import Foundation
import XCTest
import Core
@testable import Venv

/// What `venv --recreate` reads from an old venv and says about pip's failures, without running pip.
final class VenvRecreationTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-recreate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    func distInfo(_ name: String, _ metadata: String, directURL: String? = nil) throws {
        let folder = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try metadata.write(to: folder.appendingPathComponent(name.hasSuffix(".egg-info") ? "PKG-INFO" : "METADATA"), atomically: true, encoding: .utf8)
        if let directURL { try directURL.write(to: folder.appendingPathComponent("direct_url.json"), atomically: true, encoding: .utf8) }
    }

    func testDistributionsAndTheirSources() throws {
        let project = scratch.appendingPathComponent("my project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try distInfo("Alpha_Lib-1.0.dist-info", "Metadata-Version: 2.1\r\nName: Alpha-Lib\r\nVersion: 1.0\r\n\r\nVersion: 9\r\n")
        try distInfo("pip-25.1.1.dist-info", "Name: pip\nVersion: 25.1.1\n")
        try distInfo("app-0.1.dist-info", "Name: app\nVersion: 0.1\n",
                     directURL: #"{"url": "file://\#(project.path.replacingOccurrences(of: " ", with: "%20"))", "dir_info": {"editable": true}}"#)
        try distInfo("gone-2.0.dist-info", "Name: gone\nVersion: 2.0\n", directURL: #"{"url": "file:///nowhere/gone-2.0-py3-none-any.whl", "archive_info": {}}"#)
        try distInfo("tool-3.0.dist-info", "Name: tool\nVersion: 3.0\n",
                     directURL: #"{"url": "https://example.org/tool.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}"#)
        try distInfo("legacy-4.0-py3.11.egg-info", "Name: legacy\nVersion: 4.0\n")
        try distInfo("broken-1.0.dist-info", "Name: broken\n")
        let found = InstalledDistribution.scan(scratch.path)
        XCTAssertEqual(found.map(\.name), ["Alpha-Lib", "app", "gone", "legacy", "pip", "tool"])
        XCTAssertEqual(found.map(\.requirement), [["Alpha-Lib==1.0"], ["-e", project.path], [], ["legacy==4.0"], ["pip==25.1.1"],
                                                  ["tool @ git+https://example.org/tool.git@abc123"]])
        XCTAssertEqual(found[1].source, "editable from \(project.path)")
        XCTAssertEqual(found[2].problem, "installed from /nowhere/gone-2.0-py3-none-any.whl, which is gone")
        XCTAssertTrue(found[4].isPip)

        // pip would build the project, running its code: not from a folder another user could change.
        XCTAssertEqual(chmod(project.path, 0o777), 0)
        let shared = InstalledDistribution.scan(scratch.path)[1]
        XCTAssertEqual(shared.requirement, [])
        XCTAssertEqual(shared.problem, "editable, from \(project.path), which another user could change")
    }

    func testPipsFailureNamesTheDistribution() {
        let output = """
            Looking in links: /w
            ERROR: Could not find a version that satisfies the requirement cp311-only==1.0 (from versions: none)
            ERROR: No matching distribution found for cp311-only==1.0
            """
        XCTAssertEqual(VenvRecreation.pipProblem("install", output: output, python: "CPython 3.13.5"),
                       "pip found no cp311-only==1.0 that installs on CPython 3.13.5 (ERROR: No matching distribution found for cp311-only==1.0)")
        XCTAssertEqual(VenvRecreation.pipProblem("check", output: "alpha 1.0 requires beta, which is not installed.\n", python: "CPython 3.13.5"),
                       "`pip check` found broken requirements in the new venv: alpha 1.0 requires beta, which is not installed.")
        XCTAssertEqual(VenvRecreation.pipProblem("install", output: "ERROR: \u{1b}[31mboom\n", python: "x"), "pip install failed: ERROR: \\u{1b}[31mboom")
        XCTAssertEqual(VenvRecreation.unquoted("'api'"), "api")
        XCTAssertEqual(VenvRecreation.unquoted("api"), "api")
    }
}
