import TestSupport
import XCTest
import Core
@testable import Catalogue
@testable import Project
@testable import TOML

/// `pyman.lock`: what the writer writes reads back equal; the reader's harmless variations; and each
/// refusal names the line and the problem.
final class LockFileTests: XCTestCase {
    let digest = String(repeating: "0123456789abcdef", count: 4)

    /// One valid table; `refusal(replacing:)` swaps single lines to break it. Line numbers are 1-based.
    var validLines: [String] {
        [
            "# a comment",                                        // 1
            "version = 1",                                        // 2
            "",                                                   // 3
            "[[python]]",                                         // 4
            "request = \"3.13\"",                                 // 5
            "key = \"cpython-3.13.5-linux-x86_64-gnu\"",          // 6
            "version = \"3.13.5\"",                               // 7
            "platform = \"linux-x86_64-gnu\"",                    // 8
            "build = \"20250612\"",                               // 9
            "url = \"https://example.com/cpython.tar.gz\"",       // 10
            "sha256 = \"\(digest)\"",                             // 11
            "size = 32123456",                                    // 12
        ]
    }

    func parse(_ text: String) throws -> LockFile { try LockFile(parsing: text, path: "pyman.lock") }

    func key(_ text: String) -> PythonKey { PythonKey(text)! }

    /// The error for `text`, checked to start with `pyman.lock line <line>:` and to contain `problem`.
    @discardableResult
    func refusal(_ text: String, line: Int?, _ problem: String, file: StaticString = #filePath, lineOfTest: UInt = #line) -> PymanError? {
        assertRefusal({ try parse(text) }, prefix: line.map { "pyman.lock line \($0): " } ?? "pyman.lock ", problem, file: file, line: lineOfTest)
    }

    /// The valid lines with `changes` applied (line number to its new text; "" drops nothing, it blanks).
    func text(replacing changes: [Int: String] = [:], removing removed: Set<Int> = []) -> String {
        validLines.enumerated().compactMap { offset, line in
            removed.contains(offset + 1) ? nil : changes[offset + 1] ?? line
        }.joined(separator: "\n") + "\n"
    }

    // MARK: writing and reading back

    func testRoundTripOfThreeEntries() throws {
        let lock = LockFile(pythons: [
            LockedPython(request: "3.13t", key: key("cpython-3.13.5+freethreaded-linux-x86_64-gnu"), build: "20250612",
                         url: "https://github.com/astral-sh/python-build-standalone/releases/download/20250612/cpython-3.13.5%2B20250612-x86_64-unknown-linux-gnu-freethreaded%2Bpgo%2Blto-full.tar.zst",
                         sha256: digest, size: 32_123_456),
            LockedPython(request: "3.12", key: key("cpython-3.12.11-linux-x86_64_v3-gnu"), build: nil,
                         url: "file:///srv/mirror/cpython-3.12.11.tar.gz", sha256: String(repeating: "f", count: 64), size: 1),
            LockedPython(request: #"odd "quoted" \back\slash é"#, key: key("pypy-3.10.14-linux-aarch64-gnu"), build: "v7.3.17",
                         url: "http://example.com/pypy.tar.bz2", sha256: String(repeating: "a", count: 64), size: Int64.max),
        ])
        let text = lock.text
        XCTAssertEqual(try parse(text), lock)
        XCTAssertTrue(text.contains("\nkey = \"cpython-3.13.5+freethreaded-linux-x86_64-gnu\"\nversion = \"3.13.5\"\nplatform = \"linux-x86_64-gnu\"\n"), text)
        XCTAssertTrue(text.contains("\nplatform = \"linux-x86_64_v3-gnu\"\nurl = "), "no build line for the entry without one: \(text)")
        XCTAssertTrue(text.contains(#"request = "odd \"quoted\" \\back\\slash é""#), text)
        XCTAssertEqual(text.countOccurrences(of: "[[python]]"), 3)
    }

    func testWrittenTextIsTheDocumentedFormat() {
        let lock = LockFile(pythons: [LockedPython(request: "3.13", key: key("cpython-3.13.5-linux-x86_64-gnu"), build: "20250612",
                                                   url: "https://example.com/cpython.tar.gz", sha256: digest, size: 32_123_456)])
        XCTAssertEqual(lock.text, (LockFile.preamble + validLines.dropFirst()).joined(separator: "\n") + "\n")
        XCTAssertEqual(LockFile.preamble.first, "# pyman.lock: written by `pyman lock`. `pyman install --locked` installs exactly these archives.")
    }

    func testNoEntriesIsValidWithAVersion() throws {
        XCTAssertEqual(try parse("version = 1\n"), LockFile(pythons: []))
        XCTAssertEqual(try parse(LockFile(pythons: []).text), LockFile(pythons: []))
        XCTAssertEqual(try parse("version = 1"), LockFile(pythons: []), "no final line end")
    }

    /// Whatever a string holds, the writer's quoting reads back as it (the table checks refuse control
    /// characters in every field, so this goes through the scanner alone).
    func testQuotingRoundTripsAnyString() throws {
        let samples = ["", "\"", "\\", "\\u0041", "tab\there", "line\nfeed\r\n", "\u{0}\u{1}\u{1F}\u{7F}\u{80}\u{9F}\u{8}\u{C}", "é😀\u{FFFD}", "'''", "#", "\u{2028}"]
        for sample in samples {
            let line = Array("x = \(TOMLString.quoted(sample))".utf8)
            var scanner = TOMLLineScanner(line, range: 0..<line.count, line: 1)
            XCTAssertEqual(try scanner.scan(), .assignment(key: "x", value: .string(sample)), sample.debugDescription)
            XCTAssertFalse(TOMLString.quoted(sample).containsControlCharacters, sample.debugDescription)
        }
    }

    // MARK: harmless variation

    func testCRLFCommentsBlanksLiteralStringsAndKeyOrder() throws {
        let text = [
            "\u{FEFF}# written by hand, nearly",
            "",
            "  version\t=  +1   # the format",
            "\t",
            "[[ python ]]   # the first",
            "size = 32_123_456",
            "sha256='\(digest)'",
            " url = 'https://example.com/cpython.tar.gz'  ",
            "build = \"2025\\u0030612\"#tight comment",
            "platform = \"linux-x86_64-gnu\"",
            "version = \"3.13.5\"",
            "key = \"cpython-3.13.5-linux-x86_64-gnu\"",
            "request = \"3\\U0000002e13\"",
            "# end",
        ].joined(separator: "\r\n")
        let expected = LockedPython(request: "3.13", key: key("cpython-3.13.5-linux-x86_64-gnu"), build: "20250612",
                                    url: "https://example.com/cpython.tar.gz", sha256: digest, size: 32_123_456)
        XCTAssertEqual(try parse(text), LockFile(pythons: [expected]))
        XCTAssertEqual(try parse(text + "\r\n"), LockFile(pythons: [expected]))
        XCTAssertEqual(try parse(self.text()), LockFile(pythons: [expected]))
    }

    // MARK: refusals, each with its line

    func testUnknownAndDuplicateKeys() {
        refusal(text(replacing: [9: "flavour = \"x\""]), line: 9, "unknown key 'flavour'")
        refusal(text(replacing: [9: "url = \"https://example.com/other.tar.gz\""]), line: 10, "duplicate key 'url' (it is set on line 9 already)")
        refusal(text(replacing: [3: "version = 1"]), line: 3, "duplicate key 'version'")
        refusal(text(replacing: [1: "name = \"x\""]), line: 1, "unknown key 'name' before the first [[python]] table")
        refusal(text(replacing: [9: "URL = \"x\""]), line: 9, "unknown key 'URL'")
    }

    func testMissingFields() {
        refusal(text(removing: [11]), line: 4, "[[python]] has no sha256")
        refusal(text(removing: [5]), line: 4, "[[python]] has no request")
        refusal(text(removing: [12]), line: 4, "[[python]] has no size")
        refusal(text(removing: [2]), line: 3, "no `version = 1` before the first [[python]] table")
        XCTAssertEqual(try parse(text(removing: [9])).pythons.first?.build, nil, "build is optional")
        // The second table is checked as the file ends.
        let second = validLines[3...].joined(separator: "\n")
        refusal(text() + second.replacing("size = 32123456", with: ""), line: 13, "[[python]] has no size")
    }

    func testFieldChecks() {
        refusal(text(replacing: [11: "sha256 = \"\(digest.uppercased())\""]), line: 11, "is not 64 lower-case hex digits")
        refusal(text(replacing: [11: "sha256 = \"\(digest.dropLast())\""]), line: 11, "is not 64 lower-case hex digits")
        refusal(text(replacing: [7: "version = \"3.13.4\""]), line: 7, "version '3.13.4' does not match the key's 3.13.5")
        refusal(text(replacing: [8: "platform = \"linux-x86_64_v3-gnu\""]), line: 8, "platform 'linux-x86_64_v3-gnu' does not match the key's linux-x86_64-gnu")
        refusal(text(replacing: [6: "key = \"cpython-3.13.5-linux-x86_64\""]), line: 6, "is not a Python key")
        refusal(text(replacing: [6: "key = \"cpython-3.13.5+turbo-linux-x86_64-gnu\""]), line: 6, "is not a Python key")
        refusal(text(replacing: [6: "key = \"cpython-3.13.5-../..-x86_64-gnu\""]), line: 6, "is not a Python key")
        refusal(text(replacing: [6: "key = \"cpython--linux-x86_64-gnu\""]), line: 6, "is not a Python key")   // trapped once
        refusal(text(replacing: [5: "request = \"\""]), line: 5, "request '' is empty")
        refusal(text(replacing: [5: "request = \"3.13\\n\""]), line: 5, "request '3.13\\n' is empty or holds control characters")
        refusal(text(replacing: [9: "build = \"\""]), line: 9, "build '' is empty")
        refusal(text(replacing: [10: "url = \"ftp://example.com/a.tar.gz\""]), line: 10, "is not an https://, http:// or file:// URL")
        refusal(text(replacing: [10: "url = \"https://example.com/a b.tar.gz\""]), line: 10, "is not an https://")
        refusal(text(replacing: [10: "url = \"https://example.com/\\u0085\""]), line: 10, "is not an https://")
        refusal(text(replacing: [12: "size = 0"]), line: 12, "size 0 is not a positive number of bytes")
        refusal(text(replacing: [12: "size = -5"]), line: 12, "size -5 is not a positive number of bytes")
    }

    func testTypes() {
        refusal(text(replacing: [12: "size = \"12\""]), line: 12, "size must be an integer, not a string")
        refusal(text(replacing: [9: "build = 20250612"]), line: 9, "build must be a string, not an integer")
        refusal(text(replacing: [2: "version = \"1\""]), line: 2, "version must be an integer, not a string")
        refusal(text(replacing: [12: "size = 1.5"]), line: 12, "floats are not used in a lock file: '1.5'")
        refusal(text(replacing: [12: "size = 1e9"]), line: 12, "floats are not used")
        refusal(text(replacing: [12: "size = nan"]), line: 12, "floats are not used")
        refusal(text(replacing: [12: "size = true"]), line: 12, "booleans are not used")
        refusal(text(replacing: [12: "size = 1979-05-27"]), line: 12, "dates and times are not used")
        refusal(text(replacing: [12: "size = 07:32:00"]), line: 12, "dates and times are not used")
        refusal(text(replacing: [12: "size = 0x10"]), line: 12, "hexadecimal, octal and binary integers are not used")
        refusal(text(replacing: [12: "size = [1, 2]"]), line: 12, "arrays are not used")
        refusal(text(replacing: [12: "size = { a = 1 }"]), line: 12, "inline tables are not used")
        refusal(text(replacing: [12: "size = yes"]), line: 12, "expected a string in quotes or an integer, not 'yes'")
        refusal(text(replacing: [12: "size ="]), line: 12, "'size' has no value")
    }

    func testIntegers() throws {
        refusal(text(replacing: [12: "size = 0123"]), line: 12, "leading zeros are not allowed in an integer: '0123'")
        refusal(text(replacing: [12: "size = 0_1"]), line: 12, "leading zeros")
        refusal(text(replacing: [12: "size = 9223372036854775808"]), line: 12, "integer '9223372036854775808' does not fit in 64 bits")
        refusal(text(replacing: [12: "size = 99999999999999999999999999999"]), line: 12, "does not fit in 64 bits")
        refusal(text(replacing: [12: "size = -9223372036854775809"]), line: 12, "does not fit in 64 bits")
        refusal(text(replacing: [12: "size = -9223372036854775808"]), line: 12, "is not a positive number")
        refusal(text(replacing: [12: "size = 1__0"]), line: 12, "'1__0' is not a decimal integer")
        refusal(text(replacing: [12: "size = _10"]), line: 12, "expected a string in quotes or an integer")
        refusal(text(replacing: [12: "size = 10_"]), line: 12, "'10_' is not a decimal integer")
        refusal(text(replacing: [12: "size = +"]), line: 12, "expected a string in quotes or an integer")
        refusal(text(replacing: [12: "size = 12a"]), line: 12, "'12a' is not a decimal integer")
        XCTAssertEqual(try parse(text(replacing: [12: "size = 9_223_372_036_854_775_807"])).pythons.first?.size, Int64.max)
    }

    func testVersion() {
        let newer = refusal(text(replacing: [2: "version = 2"]), line: 2, "lock file version 2 is newer than this pyman reads (1)")
        XCTAssertTrue(newer?.hint?.contains("upgrade pyman") ?? false, "\(String(describing: newer))")
        let older = refusal(text(replacing: [2: "version = 0"]), line: 2, "lock file version 0 is not one pyman writes")
        XCTAssertEqual(older?.hint, "run `pyman lock` to write it again")
        refusal("version = 99999999999999999999", line: 1, "does not fit in 64 bits")
    }

    func testTables() {
        refusal(text(replacing: [3: "[tool]"]), line: 3, "unknown table '[tool]'")
        refusal(text(replacing: [3: "[[other]]"]), line: 3, "unknown table '[[other]]'")
        refusal(text(replacing: [4: "[[python.extra]]"]), line: 4, "unknown table '[[python.extra]]'")
        refusal(text(replacing: [4: "[[\"python\"]]"]), line: 4, "unknown table")
        refusal(text(replacing: [4: "[[python]"]), line: 4, "unterminated table header '[[python]'")
        refusal(text(replacing: [4: "[[" + String(repeating: "p", count: 1000) + "]]"]), line: 4, "unknown table '[[ppp")
        refusal(text(replacing: [4: "[[python]] x"]), line: 4, "unexpected text after the header: 'x'")
    }

    func testStrings() {
        refusal(text(replacing: [10: "url = \"https://example.com/a.tar.gz"]), line: 10, "unterminated string '\"https://example.com/a.tar.gz'")
        refusal(text(replacing: [10: "url = 'https://example.com/a.tar.gz"]), line: 10, "unterminated string")
        refusal(text(replacing: [5: "request = \"3.13\\"]), line: 5, "unterminated string")
        refusal(text(replacing: [5: "request = \"3.\\q13\""]), line: 5, "invalid escape '\\q' in a string")
        refusal(text(replacing: [5: "request = \"\\x41\""]), line: 5, "invalid escape '\\x'")
        refusal(text(replacing: [5: "request = \"\\u12\""]), line: 5, "invalid escape '\\u12' in a string: it needs 4 hex digits")
        refusal(text(replacing: [5: "request = \"\\uD800\""]), line: 5, "invalid escape '\\uD800' in a string: not a Unicode scalar value")
        refusal(text(replacing: [5: "request = \"\\U00110000\""]), line: 5, "not a Unicode scalar value")
        refusal(text(replacing: [5: "request = \"3.\u{1}13\""]), line: 5, "control character \\u{1} in a string")
        refusal(text(replacing: [5: "request = '3.\u{7F}13'"]), line: 5, "control character \\u{7f} in a string")
        refusal(text(replacing: [5: "request = \"3.13\r\""]), line: 5, "control character \\r in a string")
        refusal(text(replacing: [5: "request = \"\"\"3.13\"\"\""]), line: 5, "multi-line strings are not used")
        refusal(text(replacing: [5: "request = '''3.13'''"]), line: 5, "multi-line strings are not used")
        refusal(text(replacing: [5: "request = \"3.13\" \"3.14\""]), line: 5, "unexpected text after the value: '\"3.14\"'")
        refusal(text(replacing: [12: "size = 12 13"]), line: 12, "unexpected text after the value: '13'")
    }

    func testLinesThatAreNotAssignments() {
        refusal(text(replacing: [5: "request"]), line: 5, "expected '=' after 'request'")
        refusal(text(replacing: [5: "request \"3.13\""]), line: 5, "expected '=' after 'request'")
        refusal(text(replacing: [5: "request.x = \"3.13\""]), line: 5, "dotted keys are not used in a lock file: 'request.x = \"3.13\"'")
        refusal(text(replacing: [5: "\"request\" = \"3.13\""]), line: 5, "quoted keys are not used")
        refusal(text(replacing: [5: "= \"3.13\""]), line: 5, "expected `key = value`, a [[python]] header or a comment")
        refusal(text(replacing: [3: "# a bell \u{7} in a comment"]), line: 3, "control character \\u{7} in a comment")
        refusal(text(replacing: [3: "\r#"]), line: 3, "not '\\r#'")
    }

    func testEmptyAndOversizedFiles() {
        refusal("", line: nil, "pyman.lock is empty")
        refusal("\n  \n# only a comment\r\n", line: nil, "pyman.lock is empty")
        refusal(text() + String(repeating: "#", count: LockFile.sizeLimit), line: nil, "is larger than 1 MiB")
    }

    /// Quoted input is escaped and cut: a hostile file cannot put an escape sequence or a novel on the terminal.
    func testQuotedInputIsEscapedAndCut() throws {
        let hostile = "\u{1B}[31m" + String(repeating: "x", count: 500)
        let error = try XCTUnwrap(refusal(text(replacing: [11: "sha256 = \"\\u001B[31m\(String(repeating: "x", count: 500))\""]), line: 11, "is not 64"))
        XCTAssertFalse(error.message.containsControlCharacters, error.message)
        XCTAssertTrue(error.message.contains("'\\u{1b}[31mxxx"), error.message)
        XCTAssertTrue(error.message.contains("…'"), error.message)
        XCTAssertLessThan(error.message.count, 150, error.message)
        XCTAssertFalse(error.message.contains(hostile))
    }
}
