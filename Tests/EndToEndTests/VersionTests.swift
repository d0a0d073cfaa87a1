import Foundation
import XCTest

/// `pyman --version` names the VERSION file's version and the commit the binary was built from
/// (Plugins/BuildInfo), the whole line pinned: what a bug report quotes.
final class VersionTests: XCTestCase {
    func testVersionIsTheVersionFileAndTheCommitBuilt() throws {
        let version = try String(contentsOf: Paths.repository.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let git = try EndToEndTests.run("/usr/bin/git", ["-c", "safe.directory=*", "-C", Paths.repository.path, "log", "-1", "--format=%h %cs"])
        XCTAssertEqual(git.status, 0, git.summary)
        let commit = git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(commit.range(of: #"^[0-9a-f]{7,} \d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, commit)

        let result = try EndToEndTests.run(Paths.pyman.path, ["--version"])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(result.stdout, "pyman \(version) (\(commit))\n",
                       "the binary under test is not built from this checkout's VERSION and HEAD; rebuild it")
        XCTAssertEqual(result.stderr, "")
    }
}
