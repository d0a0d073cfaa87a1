import XCTest
@testable import Catalogue
@testable import PEP440
@testable import Project

/// What requires-python's PEP 440 specifiers admit, against Pythons around their bounds, and how a
/// request's specifiers (typed by a user) differ: `==3.12` and pre-releases.
final class RequiresPythonTests: XCTestCase {
    static let versions = ["3.11.0", "3.11.9", "3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]

    /// The versions of `versions` that all of `specifiers` (a requires-python) admit.
    func admitted(_ specifiers: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            let parsed = try VersionSpecifier.requiresPython(specifiers)
            return Self.versions.filter { text in parsed.allSatisfy { $0.admits(PythonVersion(text)!) } }
        } catch {
            XCTFail("\(specifiers): \(error)", file: file, line: line)
            return []
        }
    }

    /// The same, for a request typed by a user.
    func admittedByRequest(_ request: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            let parsed = try PythonRequest(parsing: request)
            return Self.versions.filter { parsed.matches(PythonKey("cpython-\($0)-linux-x86_64-gnu")!) }
        } catch {
            XCTFail("\(request): \(error)", file: file, line: line)
            return []
        }
    }

    func testRequiresPythonFollowsPEP440() {
        let all = Self.versions
        let table: [(String, [String])] = [
            // Without a pre-release in the specifiers a Python counts by its release: 3.12.0rc1 as 3.12.0.
            (">=3.11", all),
            (">=3.12", ["3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            ("<3.12", ["3.11.0", "3.11.9"]),
            // `<=3.12` is up to 3.12.0: 3.12.5 is above it.
            ("<=3.12", ["3.11.0", "3.11.9", "3.12.0rc1", "3.12.0"]),
            ("<=3.12.5", ["3.11.0", "3.11.9", "3.12.0rc1", "3.12.0", "3.12.5"]),
            // `>3.11` is above 3.11.0, so 3.11.9 is in.
            (">3.11", ["3.11.9", "3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            (">3.11.9", ["3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            ("==3.12.*", ["3.12.0rc1", "3.12.0", "3.12.5"]),
            ("!=3.12.*", ["3.11.0", "3.11.9", "3.13.1", "3.14.0a1"]),
            ("==3.*", all),
            ("==3.12.0.*", ["3.12.0rc1", "3.12.0"]),
            // `==3.12` is 3.12.0 (zero-padded), not the 3.12 series.
            ("==3.12", ["3.12.0rc1", "3.12.0"]),
            ("==3.12.0.0", ["3.12.0rc1", "3.12.0"]),
            ("!=3.12", ["3.11.0", "3.11.9", "3.12.5", "3.13.1", "3.14.0a1"]),
            ("~=3.11", all),
            ("~=3.11.2", ["3.11.9"]),
            ("~=3.12.0", ["3.12.0rc1", "3.12.0", "3.12.5"]),
            (">=3.11,<3.13", ["3.11.0", "3.11.9", "3.12.0rc1", "3.12.0", "3.12.5"]),
            ("  >= 3.11 ,\t< 3.13  ", ["3.11.0", "3.11.9", "3.12.0rc1", "3.12.0", "3.12.5"]),
            (">=3.9, !=3.11.*, <4", ["3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            ("===3.12.5", ["3.12.5"]),
            ("===3.12", []),
            ("==v3.12.5", ["3.12.5"]),
            (">=V3.13", ["3.13.1", "3.14.0a1"]),
            // A pre-release named: Pythons are compared whole, and `<3.14` still keeps 3.14's own out.
            ("==3.12.0rc1", ["3.12.0rc1"]),
            (">=3.12.0rc1", ["3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            (">=3.12.0rc1,<3.14", ["3.12.0rc1", "3.12.0", "3.12.5", "3.13.1"]),
            (">=3.12.0-RC.1,<3.12.1", ["3.12.0rc1", "3.12.0"]),
            (">=3.12.0c1,<3.12.1", ["3.12.0rc1", "3.12.0"]),
            (">=3.14.dev0", ["3.14.0a1"]),
            (">=3.14.0b1", []),
            ("<3.12.0", ["3.11.0", "3.11.9"]),
            // The rest of PEP 440's syntax reads and orders as it says, though no Python has it.
            (">=3.12.post1", ["3.12.5", "3.13.1", "3.14.0a1"]),
            (">3.12.0-1", ["3.12.5", "3.13.1", "3.14.0a1"]),
            (">=1!3.0", []),
            ("<1!0", all),
            ("==3.12.5+ubuntu.1", []),
            ("!=3.12.5+ubuntu.1", all),
        ]
        for (specifiers, expected) in table {
            XCTAssertEqual(admitted(specifiers), expected, specifiers)
        }
    }

    func testRequestsKeepTheirReadingOfEqualsAndCompareWholeVersions() {
        let table: [(String, [String])] = [
            // A request's `==3.12` is the 3.12 series, as it always was.
            ("==3.12", ["3.12.0rc1", "3.12.0", "3.12.5"]),
            ("==3.12.*", ["3.12.0rc1", "3.12.0", "3.12.5"]),
            ("!=3.12", ["3.11.0", "3.11.9", "3.13.1", "3.14.0a1"]),
            ("==3.12.0rc1", ["3.12.0rc1"]),
            // A pre-release is below its release.
            (">=3.12", ["3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            ("<=3.12", ["3.11.0", "3.11.9", "3.12.0rc1", "3.12.0"]),
            // …but `<3.12` does not admit 3.12's pre-releases (it did before PEP 440 was followed here).
            ("<3.12", ["3.11.0", "3.11.9"]),
            (">3.11", ["3.11.9", "3.12.0rc1", "3.12.0", "3.12.5", "3.13.1", "3.14.0a1"]),
            ("~=3.11.2", ["3.11.9"]),
            ("~=3", Self.versions),
            ("===3.12.0rc1", ["3.12.0rc1"]),
            (">=3.12,<3.14", ["3.12.0", "3.12.5", "3.13.1"]),
        ]
        for (request, expected) in table {
            XCTAssertEqual(admittedByRequest(request), expected, request)
        }
        for bad in [">=3.12.*", "==3.12.0rc1.*", "===", "=== 3.12 3.13"] {
            XCTAssertThrowsError(try PythonRequest(parsing: bad), bad)
        }
    }

    func testBestPrefersAFinalReleaseUnlessOnlyPreReleasesMatch() throws {
        let keys = Self.versions.map { PythonKey("cpython-\($0)-linux-x86_64-gnu")! }
        for (requiresPython, expected) in [(">=3.11", "3.13.1"), ("<=3.12", "3.12.0"), ("<3.12", "3.11.9"), ("==3.12", "3.12.0"),
                                           ("==3.14.*", "3.14.0a1"), ("~=3.11.2", "3.11.9"), (">=3.12.0rc1,<3.13", "3.12.5")] {
            let request = try XCTUnwrap(try PyprojectFile(requiresPython: requiresPython).request(path: "pyproject.toml"))
            XCTAssertEqual(request.best(of: keys, key: { $0 })?.version.description, expected, requiresPython)
        }
        let none = try XCTUnwrap(try PyprojectFile(requiresPython: ">=3.15").request(path: "pyproject.toml"))
        XCTAssertNil(none.best(of: keys, key: { $0 }))
    }

    func testPEP440VersionOrder() throws {
        let ordered = ["1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0b2.post3", "1.0rc1", "1.0", "1.0.post1.dev0", "1.0.post1", "1.1.dev1", "1!0.1"]
        let versions = try ordered.map { try PEP440Version(parsing: $0[...]) }
        for (earlier, later) in zip(versions, versions.dropFirst()) {
            XCTAssertLessThan(earlier.compare(later), 0, "\(earlier) < \(later)")
            XCTAssertGreaterThan(later.compare(earlier), 0, "\(later) > \(earlier)")
        }
        XCTAssertEqual(try PEP440Version(parsing: "3.12").compare(try PEP440Version(parsing: "3.12.0.0")), 0)
        XCTAssertEqual(try PEP440Version(parsing: "1.0ALPHA"), try PEP440Version(parsing: "1.0a0"))
        XCTAssertEqual(try PEP440Version(parsing: "1.0-preview_2"), try PEP440Version(parsing: "1.0rc2"))
        XCTAssertEqual(try PEP440Version(parsing: "1.0.rev"), try PEP440Version(parsing: "1.0.post0"))
        XCTAssertEqual(try PEP440Version(parsing: "1.0+Ubuntu-1_b").local, "ubuntu.1.b")
        for bad in ["", "v", "3.", "3..1", "3.x", "1.0+", "1.0+a..b", "1!", "1.0rc1rc2", "1.0-", "3.12 ", "١.٢"] {
            XCTAssertThrowsError(try PEP440Version(parsing: bad[...]), bad)
        }
    }
}
