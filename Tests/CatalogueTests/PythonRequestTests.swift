import XCTest
@testable import Catalogue

final class PythonRequestTests: XCTestCase {
    let linux = Platform(os: "linux", arch: "x86_64", libc: "gnu")

    func key(_ text: String) -> PythonKey { PythonKey(text)! }

    func testMinorRequestMatchesPatchReleasesOnly() throws {
        let request = try PythonRequest(parsing: "3.13")
        XCTAssertTrue(request.matches(key("cpython-3.13.5-linux-x86_64-gnu")))
        XCTAssertFalse(request.matches(key("cpython-3.12.5-linux-x86_64-gnu")))
        XCTAssertFalse(request.matches(key("cpython-3.13.5+freethreaded-linux-x86_64-gnu")))
        XCTAssertFalse(request.matches(key("cpython-3.13.5+debug-linux-x86_64-gnu")))
    }

    func testFreethreadedSuffix() throws {
        let request = try PythonRequest(parsing: "3.13t")
        XCTAssertEqual(request.variant, "freethreaded")
        XCTAssertTrue(request.matches(key("cpython-3.13.5+freethreaded-linux-x86_64-gnu")))
        XCTAssertFalse(request.matches(key("cpython-3.13.5-linux-x86_64-gnu")))
    }

    func testImplementationPrefixesAndFullKey() throws {
        XCTAssertTrue(try PythonRequest(parsing: "cpython@3.13").matches(key("cpython-3.13.1-linux-x86_64-gnu")))
        let full = try PythonRequest(parsing: "cpython-3.13.5-linux-x86_64-gnu")
        XCTAssertTrue(full.matches(key("cpython-3.13.5-linux-x86_64-gnu")))
        XCTAssertFalse(full.matches(key("cpython-3.13.5-linux-x86_64-musl")))
        XCTAssertFalse(full.matches(key("cpython-3.13.4-linux-x86_64-gnu")))
        XCTAssertFalse(full.matches(key("cpython-3.13.5-linux-x86_64_v3-gnu")))
    }

    func testSpecifiers() throws {
        let request = try PythonRequest(parsing: ">=3.12,<3.14")
        XCTAssertTrue(request.matches(key("cpython-3.12.0-linux-x86_64-gnu")))
        XCTAssertTrue(request.matches(key("cpython-3.13.9-linux-x86_64-gnu")))
        XCTAssertFalse(request.matches(key("cpython-3.14.0-linux-x86_64-gnu")))
        XCTAssertFalse(request.matches(key("cpython-3.11.9-linux-x86_64-gnu")))
        XCTAssertTrue(try PythonRequest(parsing: "==3.12").matches(key("cpython-3.12.7-linux-x86_64-gnu")))
        XCTAssertTrue(try PythonRequest(parsing: "~=3.12.4").matches(key("cpython-3.12.7-linux-x86_64-gnu")))
        XCTAssertFalse(try PythonRequest(parsing: "~=3.12.4").matches(key("cpython-3.13.0-linux-x86_64-gnu")))
    }

    func testPrereleaseIsChosenOnlyWhenNamedOrAlone() throws {
        let keys = ["cpython-3.15.0rc1-linux-x86_64-gnu", "cpython-3.14.2-linux-x86_64-gnu", "cpython-3.14.3rc1-linux-x86_64-gnu"].map(key)
        XCTAssertEqual(PythonRequest.newest.best(of: keys, key: { $0 })?.description, "cpython-3.14.2-linux-x86_64-gnu")
        XCTAssertEqual(try PythonRequest(parsing: "3.15").best(of: keys, key: { $0 })?.description, "cpython-3.15.0rc1-linux-x86_64-gnu")
        XCTAssertEqual(try PythonRequest(parsing: "3.15.0rc1").best(of: keys, key: { $0 })?.description, "cpython-3.15.0rc1-linux-x86_64-gnu")
    }

    func testPyPyRequests() throws {
        let keys = ["pypy-3.9.16-linux-x86_64-gnu", "pypy-3.10.14-linux-x86_64-gnu", "cpython-3.9.2-linux-x86_64-gnu"].map(key)
        for (text, expected) in [("pypy", "pypy-3.10.14-linux-x86_64-gnu"), ("pypy3.9", "pypy-3.9.16-linux-x86_64-gnu"),
                                 ("pypy@3.9", "pypy-3.9.16-linux-x86_64-gnu"), ("pypy@3.9.16", "pypy-3.9.16-linux-x86_64-gnu"),
                                 ("pypy-3.9.16-linux-x86_64-gnu", "pypy-3.9.16-linux-x86_64-gnu"), ("PyPy3", "pypy-3.10.14-linux-x86_64-gnu"),
                                 ("3.9", "cpython-3.9.2-linux-x86_64-gnu"), ("cpython@3.9", "cpython-3.9.2-linux-x86_64-gnu")] {
            XCTAssertEqual(try PythonRequest(parsing: text).best(of: keys, key: { $0 })?.description, expected, text)
        }
        XCTAssertNil(try PythonRequest(parsing: "pypy@3.9.15").best(of: keys, key: { $0 }))
        XCTAssertThrowsError(try PythonRequest(parsing: "graalpy@3.11")) { error in
            XCTAssertTrue("\(error)".contains("pyman installs CPython and PyPy"), "\(error)")
        }
        let pypy = key("pypy-3.9.16-linux-x86_64-gnu")
        XCTAssertEqual(pypy.executableName, "pypy3.9")
        XCTAssertEqual(pypy.stdlibName, "pypy3.9")
        XCTAssertEqual(pypy.minorLinkName, "pypy-3.9-linux-x86_64-gnu")
    }

    func testMalformedRequestsAreRejectedWithTheFix() {
        for bad in ["", "3.x", "banana", "3.13.5.1", ">>3", "3.13+turbo", "graalpy@3.10", "pypy@x", "1234567.1"] {
            XCTAssertThrowsError(try PythonRequest(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains("'"), "\(error)")
            }
        }
    }

    func testVersionOrdering() {
        XCTAssertLessThan(PythonVersion("3.15.0a1")!, PythonVersion("3.15.0b1")!)
        XCTAssertLessThan(PythonVersion("3.15.0rc2")!, PythonVersion("3.15.0")!)
        XCTAssertLessThan(PythonVersion("3.9.20")!, PythonVersion("3.10.0")!)
    }

    /// Requests come from files (.python-version): a message shows the token escaped and cut at 60
    /// characters, never a whole line of whatever file it was.
    func testMessagesShowTheTokenEscapedAndCut() {
        let long = "root:$6$" + String(repeating: "a", count: 100)
        XCTAssertThrowsError(try PythonRequest(parsing: long)) { error in
            XCTAssertEqual("\(error)", "invalid Python request '\(long.prefix(60))…': expected e.g. 3.13, 3.13.5, 3.13t, cpython@3.13, cpython-3.13.5-linux-x86_64-gnu, pypy3.9 or '>=3.12,<3.14'")
        }
        XCTAssertThrowsError(try PythonRequest(parsing: "3.13+\u{1b}]0;x\u{7}" + String(repeating: "b", count: 80))) { error in
            let message = "\(error)"
            XCTAssertFalse(message.contains("\u{1b}") || message.contains(String(repeating: "b", count: 61)), message)
            XCTAssertTrue(message.hasPrefix("unknown build variant '+\\u{1b}]0;x\\u{7}bbb"), message)
        }
        XCTAssertThrowsError(try PythonRequest(parsing: ">=3.12,<" + String(repeating: "9", count: 100) + "x")) { error in
            XCTAssertFalse("\(error)".contains(String(repeating: "9", count: 61)), "\(error)")
        }
    }
}
