import XCTest
@testable import Patching

/// Inputs shared by the sysconfig tests.
enum SysconfigTestFixtures {
    /// Shaped like a real python-build-standalone 3.13t `_sysconfigdata_*.py` written by
    /// pprint: implicit concatenation with and without parentheses, both quote styles,
    /// escapes, ints (one negative). Expected values were checked with CPython's `exec`.
    static let module = #"""
    # system configuration generated and used by the sysconfig module
    build_time_vars = {'ABIFLAGS': 't',
     'AR': '/tools/llvm/bin/llvm-ar',
     'BINDIR': '/install/bin',
     'BLDSHARED': 'clang -pthread -shared -L/install/lib '
                  '-Wl,-rpath,/install/lib',
     'BOOTSTRAP_HEADERS': '\\',
     'CC': "clang -pthread",
     'CONFIG_ARGS': ("'--prefix=/install' "
                     "'--enable-shared' 'CC=clang'"),
     'CPP': 'clang -E',
     'ESCAPES': 'tab\there \'q\' "dq" \x41\u00e9\101\n\d',
     'HAVE_FORK': 1,
     'INCLUDEPY': '/install/include/python3.13t',
     'LLVM_PROF_FILE': "LLVM_PROFILE_FILE=\"$(shell pwd)/code-%p.profclangr\"",
     'Py_DEBUG': 0,
     'SIZEOF_NEG_TEST': -1,
     'WASM_ASSETS_DIR': './install',
     'prefix': '/install'}

    """#
}

final class SysconfigParserTests: XCTestCase {
    func testParsesRealisticModule() throws {
        let data = try SysconfigData.parse(SysconfigTestFixtures.module)

        XCTAssertEqual(data.entries.map(\.key), [
            "ABIFLAGS", "AR", "BINDIR", "BLDSHARED", "BOOTSTRAP_HEADERS", "CC", "CONFIG_ARGS", "CPP",
            "ESCAPES", "HAVE_FORK", "INCLUDEPY", "LLVM_PROF_FILE", "Py_DEBUG", "SIZEOF_NEG_TEST",
            "WASM_ASSETS_DIR", "prefix",
        ])
        XCTAssertEqual(data["BLDSHARED"], .string("clang -pthread -shared -L/install/lib -Wl,-rpath,/install/lib"))
        XCTAssertEqual(data["BOOTSTRAP_HEADERS"], .string("\\"))
        XCTAssertEqual(data["CC"], .string("clang -pthread"))
        XCTAssertEqual(data["CONFIG_ARGS"], .string("'--prefix=/install' '--enable-shared' 'CC=clang'"))
        XCTAssertEqual(data["ESCAPES"], .string("tab\there 'q' \"dq\" A\u{e9}A\n\\d"))
        XCTAssertEqual(data["LLVM_PROF_FILE"], .string("LLVM_PROFILE_FILE=\"$(shell pwd)/code-%p.profclangr\""))
        XCTAssertEqual(data["HAVE_FORK"], .int(1))
        XCTAssertEqual(data["Py_DEBUG"], .int(0))
        XCTAssertEqual(data["SIZEOF_NEG_TEST"], .int(-1))
    }

    func testParsesJSONStyleModuleWithTrailingCommaAndCRLF() throws {
        // python-build-standalone writes double quotes, one entry per line, no trailing comma.
        let text = "# comment\r\nbuild_time_vars = {\r\n    \"A\": \"x\" # note\r\n    , \"B\": +2,\r\n}\r\n"
        let data = try SysconfigData.parse(text)
        XCTAssertEqual(data, SysconfigData(entries: [("A", .string("x")), ("B", .int(2))]))
    }

    func testEmptyDictAndByteOrderMark() throws {
        XCTAssertEqual(try SysconfigData.parse("\u{FEFF}build_time_vars = {}"), SysconfigData())
    }

    func testDuplicateKeysKeepFirstPositionAndLastValue() throws {
        // What Python's dict display does.
        let data = try SysconfigData.parse("build_time_vars = {'A': 1, 'B': 2, 'A': 'z'}")
        XCTAssertEqual(data, SysconfigData(entries: [("A", .string("z")), ("B", .int(2))]))
    }

    func testEscapeForms() throws {
        let data = try SysconfigData.parse(#"""
        build_time_vars = {'E': '\a\b\f\v\r\0\12\x7f\U0001F600\u2028\'\\', 'C': 'one \
        two'}
        """#)
        XCTAssertEqual(data["E"], .string("\u{07}\u{08}\u{0C}\u{0B}\r\u{0}\n\u{7F}\u{1F600}\u{2028}'\\"))
        XCTAssertEqual(data["C"], .string("one two"))
    }

    func testRenderExactLayout() {
        let data = SysconfigData(entries: [("CC", .string("cc -pthread")), ("N", .int(-3)), ("Q", .string("it's"))])
        XCTAssertEqual(data.render(), """
        # system configuration generated and used by the sysconfig module
        build_time_vars = {
            'CC': 'cc -pthread',
            'N': -3,
            'Q': 'it\\'s',
        }

        """)
    }

    func testRenderEscapesEverythingOutsidePrintableASCII() {
        let literal = SysconfigData.pythonLiteral("a\\b'c\"\n\r\t\u{0}\u{1B}\u{7F}\u{85}\u{e9}\u{2028}\u{1F600}")
        XCTAssertEqual(literal, #"'a\\b\'c"\n\r\t\x00\x1b\x7f\x85\xe9\u2028\U0001f600'"#)
    }

    func testRenderRoundTrip() throws {
        let original = try SysconfigData.parse(SysconfigTestFixtures.module)
        XCTAssertEqual(try SysconfigData.parse(original.render()), original)

        let tricky = SysconfigData(entries: [
            ("quotes", .string("'\"'\"\\'")),
            ("controls", .string("\u{0}\u{1}\u{1F}\u{7F}\u{80}\u{9F}\r\n\t")),
            ("unicode", .string("jos\u{e9} \u{2028} \u{FEFF} \u{10FFFF} \u{1F600}")),
            ("backslash-at-end", .string("\\")),
            ("empty", .string("")),
            ("", .int(Int.max)),
            ("min", .int(-Int.max)),
        ])
        XCTAssertEqual(try SysconfigData.parse(tricky.render()), tricky)
        // Rendering is canonical: a second round produces the same bytes.
        XCTAssertEqual(try SysconfigData.parse(tricky.render()).render(), tricky.render())
    }

    func testSubscriptSetAppendsReplacesAndRemoves() {
        var data = SysconfigData(entries: [("A", .int(1))])
        data["B"] = .string("b")
        data["A"] = .int(2)
        XCTAssertEqual(data, SysconfigData(entries: [("A", .int(2)), ("B", .string("b"))]))
        data["A"] = nil
        XCTAssertEqual(data, SysconfigData(entries: [("B", .string("b"))]))
    }

    // MARK: - Errors

    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> SysconfigError? {
        do {
            let data = try SysconfigData.parse(text)
            XCTFail("parsed unexpectedly: \(data)", file: file, line: line)
            return nil
        } catch let error as SysconfigError {
            XCTAssertFalse(error.description.contains("\n"), "message must be one line", file: file, line: line)
            return error
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    func testUnterminatedStringReportsItsStart() {
        let error = parseError("build_time_vars = {\n    'A': 'abc,\n}\n")
        XCTAssertEqual(error?.description, "2:10: unterminated string literal")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 10)

        XCTAssertEqual(parseError("build_time_vars = {'A': 'x\\")?.description, "1:25: unterminated string literal")
    }

    func testPositionsCountCRLFAndLoneCRAsOneLineBreak() {
        XCTAssertEqual(parseError("build_time_vars = {\r\n  'A': x}")?.description, "2:8: expected a string or an integer, found 'x'")
        XCTAssertEqual(parseError("build_time_vars = {\r\r  'A': x}")?.description, "3:8: expected a string or an integer, found 'x'")
    }

    func testMissingClosingBrace() {
        XCTAssertEqual(parseError("build_time_vars = {'A': 1,\n")?.description, "2:1: unexpected end of input: missing '}'")
        XCTAssertEqual(parseError("build_time_vars = {'A': 1")?.description, "1:26: unexpected end of input: missing '}'")
    }

    func testMissingOpeningBrace() {
        XCTAssertEqual(
            parseError("build_time_vars = 'A'")?.description,
            "1:19: expected '{' to open the dictionary, found '\\''")
    }

    func testGarbage() {
        XCTAssertEqual(parseError("import os\n")?.description, "1:1: expected 'build_time_vars', found 'import'")
        XCTAssertEqual(parseError("")?.description, "1:1: expected 'build_time_vars', found end of input")
        XCTAssertEqual(
            parseError("build_time_vars = {'A': None}")?.description,
            "1:25: expected a string or an integer, found 'N'")
        XCTAssertEqual(
            parseError("build_time_vars = {'A': 1}\nprint(1)")?.description,
            "2:1: unexpected 'p' after the closing '}'")
        XCTAssertEqual(
            parseError("build_time_vars = {'A' 1}")?.description,
            "1:24: expected ':' after the key, found '1'")
        XCTAssertEqual(
            parseError("build_time_vars = {'A': 1 'B': 2}")?.description,
            "1:27: expected ',' or '}' after a value, found '\\''")
        XCTAssertEqual(
            parseError("build_time_vars = {\u{0}}")?.description,
            "1:20: expected a string or an integer, found '\\x00'")
    }

    func testRejectsPythonWeDoNotUnderstand() {
        XCTAssertEqual(parseError("build_time_vars = {1: 'a'}")?.message, "dictionary key must be a string")
        XCTAssertEqual(parseError("build_time_vars = {'A': 1.5}")?.message, "unsupported number literal")
        XCTAssertEqual(parseError("build_time_vars = {'A': 0x1}")?.message, "unsupported number literal")
        XCTAssertEqual(parseError("build_time_vars = {'A': 007}")?.message, "leading zeros in an integer are not valid Python")
        XCTAssertEqual(parseError("build_time_vars = {'A': 99999999999999999999}")?.message, "integer out of range")
        XCTAssertEqual(parseError("build_time_vars = {'A': r'x'}")?.message, "expected a string or an integer, found 'r'")
        XCTAssertEqual(parseError("build_time_vars = {'A': '''x'''}")?.message, "triple-quoted strings are not supported")
        XCTAssertEqual(parseError("build_time_vars = {'A': ('x',)}")?.message, "expected ')' to close the parenthesis, found ','")
        XCTAssertEqual(parseError(#"build_time_vars = {'A': '\x4'}"#)?.message, "truncated escape: expected 2 hex digits")
        XCTAssertEqual(parseError(#"build_time_vars = {'A': '\ud800'}"#)?.message, "escape is not a valid Unicode scalar")
        XCTAssertEqual(parseError(#"build_time_vars = {'A': '\N{DASH}'}"#)?.message, "\\N{...} escapes are not supported")
        let deep = "build_time_vars = {'A': " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100) + "}"
        XCTAssertEqual(parseError(deep)?.message, "parentheses nested too deeply")
    }

    /// Random edits of a valid module must either parse (and then round-trip) or throw a
    /// SysconfigError; a trap would crash the test run.
    func testMutatedInputNeverCrashes() throws {
        var random = SplitMix64(seed: 0x5EED)
        let alphabet = Array("'\"\\(){}:,#-+0123456789 \n\rxuUN abc_é\u{0}".unicodeScalars)
        let base = Array(SysconfigTestFixtures.module.unicodeScalars)
        var parsed = 0
        for _ in 0..<3000 {
            var scalars = base
            for _ in 0..<(1 + random.next(below: 4)) {
                let index = random.next(below: scalars.count + 1)
                switch random.next(below: 3) {
                case 0 where index < scalars.count: scalars.remove(at: index)
                case 1: scalars.insert(alphabet[random.next(below: alphabet.count)], at: index)
                default: scalars = Array(scalars.prefix(index))
                }
            }
            let text = String(String.UnicodeScalarView(scalars))
            do {
                let data = try SysconfigData.parse(text)
                parsed += 1
                XCTAssertEqual(try SysconfigData.parse(data.render()), data, "round trip of: \(text)")
            } catch is SysconfigError {
                // expected for most mutations
            }
        }
        // Some mutations (inside a string, say) stay valid: the round trip check really ran.
        XCTAssertGreaterThan(parsed, 0)
    }
}

/// A tiny deterministic generator so fuzz-style tests are reproducible.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }
}
