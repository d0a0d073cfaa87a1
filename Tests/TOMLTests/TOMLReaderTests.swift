import TestSupport
import XCTest
import Core
@testable import Catalogue
@testable import Project
@testable import TOML

/// The TOML 1.0 syntax pyproject.toml's reader accepts, construct by construct, and each refusal with
/// its line. Every accepted text also sets requires-python, to show the reading went on to the end.
final class TOMLReaderTests: XCTestCase {
    func parse(_ text: String) throws -> PyprojectFile { try PyprojectFile(parsing: text, path: "pyproject.toml") }

    /// `lines`, then `[project] requires-python`: parses, and finds it.
    func assertAccepted(_ lines: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = lines + "\n[project]\nrequires-python = \">=3.11\"\n"
        XCTAssertEqual(try parse(text).requiresPython, ">=3.11", lines, file: file, line: line)
    }

    func testCommentsKeysAndTables() {
        for text in ["# comment", "   # indented comment\t", "", "\t", "a = 1 # trailing", "a = 1#tight",
                     "bare_key-1 = 1", "1234 = 1", "\"quoted key\" = 1", "'literal key' = 1", "\"\" = 1", "'' = 1",
                     "\"ʎǝʞ\" = 1", "a.b.c = 1", "a . b . c = 1", "a.\"b.c\".'d' = 1", "3.14159 = \"pi\"",
                     "a.b = 1\na.c = 2", "[a]", "[ a . \"b c\" . 'd' ]", "[a.b]\n[a]", "[a.b.c]\n[a]\nb.d = 1",
                     "[[arr]]\nx = 1\n[[arr]]\nx = 2", "[[arr]]\n[arr.sub]\n[[arr]]\n[arr.sub]", "[[a]]\n[[a.b]]\n[[a.b]]\n[[a]]\n[[a.b]]",
                     "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
                     "[ [ x ] ]".replacing("[ [", with: "[[").replacing("] ]", with: "]]"), "a = 1\r\nb = 2"] {
            assertAccepted(text)
        }
    }

    func testStrings() {
        for text in [#"a = "tab\tquote\" backslash\\ \u00E9 \U0001F600 \b\f\n\r""#, #"a = 'C:\Users\nodejs\templates'"#,
                     #"a = '<\i\c*\s*>'"#, "a = \"\"", "a = ''", "a = \"é 日本\"",
                     "a = \"\"\"\nRoses are red\nViolets are blue\"\"\"", "a = \"\"\"one \"\" two\"\"\"", "a = \"\"\"x\"\"\"\"\"",
                     "a = \"\"\"\\\n   The quick brown \\\n\n\n   fox.\\\n   \"\"\"", "a = \"\"\"trailing blanks after backslash \\  \t\n  end\"\"\"",
                     "a = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''",
                     "a = '''I [dw]on't need \\d{2} apples'''", "a = ''''That,' she said, 'is still pointless.''''",
                     "a = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"", "a = \"\"\"\r\ncrlf\r\n\"\"\""] {
            assertAccepted(text)
        }
        XCTAssertEqual(try parse("project.requires-python = \"\"\"\\\n    >=3.11,\\\n    <3.13\"\"\"").requiresPython, ">=3.11,<3.13")
        XCTAssertEqual(try parse("project.requires-python = '''\n>=3.11'''").requiresPython, ">=3.11")
        XCTAssertEqual(try parse("project.requires-python = \"\"\"a\r\nb\"\"\"").requiresPython, "a\nb")
        XCTAssertEqual(try parse("project.requires-python = \"\"\"x\"\"\"\"\"").requiresPython, "x\"\"")
    }

    func testNumbersBooleansDatesAndTimes() {
        for value in ["+99", "42", "0", "-17", "1_000", "5_349_221", "-9223372036854775808", "9223372036854775807",
                      "0xDEADBEEF", "0xdead_beef", "0x00ff", "0o01234567", "0o755", "0b11010110", "0b1_0",
                      "+1.0", "3.1415", "-0.01", "5e+22", "1e06", "-2E-2", "6.626e-34", "224_617.445_991_228", "0.0", "-0.0", "0e0",
                      "inf", "+inf", "-inf", "nan", "+nan", "-nan", "true", "false",
                      "1979-05-27T07:32:00Z", "1979-05-27T00:32:00-07:00", "1979-05-27T00:32:00.999999-07:00", "1979-05-27 07:32:00Z",
                      "1979-05-27t07:32:00z", "1979-05-27T07:32:00", "1979-05-27T00:32:00.999999", "1979-05-27 07:32:00",
                      "1979-05-27", "07:32:00", "00:32:00.999999", "2024-02-29", "2000-02-29", "1990-12-31T23:59:60Z", "2024-06-01T12:00:00+14:00"] {
            assertAccepted("a = \(value)")
            assertAccepted("a = [\(value), \(value)]")
            assertAccepted("a = { b = \(value) }")
        }
    }

    func testArraysAndInlineTables() {
        for text in ["a = []", "a = [ ]", "a = [1, 2, 3]", "a = [1, 2, 3,]", "a = [ \"red\", 'yellow', \"\"\"green\"\"\" ]",
                     "a = [ [ 1, 2 ], [3, 4, 5] ]", "a = [ [ 1, 2 ], [\"a\", \"b\"] ]", "a = [ 0.1, 0.2, 0.5, 1, 2, 5 ]",
                     "a = [\n  1,\n  2, # two\n  # a comment line\n\n  3\n  ,\n]", "a = [ # after the bracket\n]",
                     "a = [ { x = 1, y = 2 }, { x = 1 }, {} ]", "a = [[[[]]]]", "a = \"x\"\nb = [\n'''\nmulti\n''',\n]",
                     "a = {}", "a = { }", "a = { first = \"Tom\", last = \"Preston-Werner\" }", "a = { x = 1, y.z = 2, y.w = 3 }",
                     "a = { b = { c = { d = 1 } } }", "a = { b = [\n 1,\n 2\n] }", "a = { type.name = \"pug\" }",
                     "a = { b = \"\"\"multi\nline\"\"\" }"] {
            assertAccepted(text)
        }
        // The nesting limit: 64 deep reads, 65 does not.
        let deep = TOMLReader.depthLimit
        assertAccepted("a = " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep))
        assertAccepted("a = " + String(repeating: "{ b = ", count: deep - 1) + "{}" + String(repeating: " }", count: deep - 1))
        refusal("\n\na = " + String(repeating: "[", count: deep + 1) + String(repeating: "]", count: deep + 1), line: 3,
                "arrays and inline tables nested more than 64 deep")
        refusal("a = " + String(repeating: "{ b = ", count: deep + 1), line: 1, "nested more than 64 deep")
        // Far deeper input is refused as quickly, without recursing further.
        refusal("a = " + String(repeating: "[", count: 200_000), line: 1, "nested more than 64 deep")
    }

    // MARK: refusals

    func testUnterminatedAndBadStrings() {
        refusal("[project]\nname = \"abc", line: 2, "unterminated string '\"abc'")
        refusal("a = 'abc\nb = 1", line: 1, "unterminated string")
        refusal("\na = \"\\q\"", line: 2, "invalid escape '\\q' in a string")
        refusal("a = \"\\u12\"", line: 1, "invalid escape '\\u12' in a string: it needs 4 hex digits")
        refusal("a = \"\\uD800\"", line: 1, "not a Unicode scalar value")
        refusal("a = \"bell \u{07}\"", line: 1, "control character \\u{7} in a string")
        refusal("a = \"cr \r here\"", line: 1, "control character \\r in a string")
        refusal("x = 1\na = \"\"\"\nnever closed\n", line: 2, "unterminated multi-line string: no closing \"\"\" before the end of the file")
        refusal("a = '''\nnever closed", line: 1, "unterminated multi-line string: no closing ''' before the end of the file")
        refusal("a = \"\"\"\n\\x\"\"\"", line: 2, "invalid escape '\\x'")
        refusal("a = \"\"\"six\"\"\"\"\"\"", line: 1, "6 quotes in a row in a multi-line string")
        refusal("a = \"\"\"x\"\"\"y", line: 1, "unexpected text after the value: 'y'")
        refusal("\"\"\"key\"\"\" = 1", line: 1, "a key cannot be a multi-line string")
        refusal("# bell \u{07}", line: 1, "control character \\u{7} in a comment")
    }

    func testBadNumbersAndValues() {
        refusal("a = 01", line: 1, "leading zeros are not allowed in a number: '01'")
        refusal("a = 00.5", line: 1, "leading zeros")
        refusal("a = 1__0", line: 1, "'1__0' is not a number")
        refusal("a = 10_", line: 1, "'10_' is not a number")
        refusal("a = 1.", line: 1, "a float needs digits after its '.'")
        refusal("a = 1.e5", line: 1, "a float needs digits after its '.'")
        refusal("a = 1e", line: 1, "a float needs digits in its exponent")
        refusal("a = 0x", line: 1, "'0x' is not a number")
        refusal("a = 0xG", line: 1, "'0xG' is not a number")
        refusal("a = 0b102", line: 1, "'0b102' is not a number")
        refusal("a = +0x1", line: 1, "hexadecimal, octal and binary integers take no sign")
        refusal("a = 9223372036854775808", line: 1, "integer '9223372036854775808' does not fit in 64 bits")
        refusal("a = 0x8000000000000000", line: 1, "does not fit in 64 bits")
        refusal("a = -9223372036854775809", line: 1, "does not fit in 64 bits")
        refusal("a = 1x", line: 1, "'1x' is not a number")
        refusal("a = infinity", line: 1, "'infinity' is not a TOML value (a string needs quotes)")
        refusal("a = True", line: 1, "'True' is not a TOML value")
        refusal("a = hello", line: 1, "'hello' is not a TOML value (a string needs quotes)")
        refusal("a = .5", line: 1, "'.5' is not a TOML value")
        refusal("a = @", line: 1, "expected a value, not '@'")
        refusal("a =", line: 1, "expected a value after '=', not the line end")
        refusal("a = \n1", line: 1, "expected a value after '='")
    }

    func testInvalidDatesAndTimes() {
        refusal("a = 2023-02-30", line: 1, "invalid date '2023-02-30': day 30 is not in month 2 of 2023")
        refusal("a = 1900-02-29", line: 1, "day 29 is not in month 2 of 1900")
        refusal("a = 1979-13-01", line: 1, "invalid date '1979-13-01': there is no month 13")
        refusal("a = 1979-00-01", line: 1, "there is no month 0")
        refusal("a = 1979-05-00", line: 1, "day 0 is not in month 5")
        refusal("a = 1979-5-27", line: 1, "invalid date '1979-5-27': expected YYYY-MM-DD")
        refusal("a = 25:00:00", line: 1, "25:0:0 is not a time of day")
        refusal("a = 07:60:00", line: 1, "is not a time of day")
        refusal("a = 07:32", line: 1, "invalid time in '07:32': expected HH:MM:SS")
        refusal("a = 07:32:00.", line: 1, "a fraction of a second needs digits")
        refusal("a = 07:32:00Z", line: 1, "a time without a date ends after its seconds")
        refusal("a = 1979-05-27X07:32:00", line: 1, "the date and the time go together with a T or a blank")
        refusal("a = 1979-05-27T07:32:00+7:00", line: 1, "expected an offset such as Z, +05:30 or -07:00")
        refusal("a = 1979-05-27T07:32:00+24:00", line: 1, "offset 24:0 is not one")
        refusal("a = 1979-05-27T07:32:00Zx", line: 1, "nothing may follow its Z")
        refusal("a = 1979-05-27 07:32", line: 1, "invalid time in '1979-05-27 07:32': expected HH:MM:SS")
    }

    func testStructure() {
        refusal("[project]\nname \"x\"", line: 2, "expected '=' after the key 'name', not '\"x\"'")
        refusal("name", line: 1, "expected '=' after the key 'name', not the line end")
        refusal("= 1", line: 1, "expected a key (letters, digits, '_' and '-', or a quoted string), not '= 1'")
        refusal("a.= 1", line: 1, "expected a key")
        refusal("a = \"x\" y", line: 1, "unexpected text after the value: 'y'")
        refusal("a = 1 2", line: 1, "unexpected text after the value: '2'")
        refusal("a = 1, b = 2", line: 1, "unexpected text after the value: ', b = 2'")
        refusal("[project] x = 1", line: 1, "unexpected text after the header: 'x = 1'")
        refusal("[project", line: 1, "expected ']' to close the table header, not the line end")
        refusal("[[project]", line: 1, "expected ']]' to close the table header")
        refusal("[]", line: 1, "expected a key")
        refusal("[a.]", line: 1, "expected a key")
        refusal("x = 1\ndeps = [\n  \"a\",\n  \"b\"", line: 2, "unterminated array: no ']' before the end of the file")
        refusal("deps = [\n  \"a\",\n  \"b\"\n\n[tool.x]\ny = 1", line: 5, "expected ',' or ']' in the array opened on line 1, not '[tool.x]'")
        refusal("a = [1 2]", line: 1, "expected ',' or ']' in the array opened on line 1, not '2]'")
        refusal("a = [,]", line: 1, "expected a value, not ',]'")
        refusal("a = { b = 1", line: 1, "unterminated inline table: its '}' must be on the same line")
        refusal("a = {\n b = 1 }", line: 1, "unterminated inline table")
        refusal("a = { b = 1, }", line: 1, "trailing comma in an inline table")
        refusal("a = { b = 1 c = 2 }", line: 1, "expected ',' or '}' in the inline table, not 'c = 2 }'")
        refusal("a = 1\r\nb = 2\rc = 3", line: 2, "unexpected text after the value: '\\rc = 3'")
    }

    func testKeysAndTablesDefinedTwice() {
        refusal("a = 1\na = 2", line: 2, "duplicate key 'a' in the top-level table: already a value set on line 1")
        refusal("a = 1\n\"a\" = 2", line: 2, "duplicate key 'a'")
        refusal("a = 1\n'a' = 2", line: 2, "duplicate key 'a'")
        refusal("a.b = 1\na.b = 2", line: 2, "duplicate key 'a.b'")
        refusal("a = 1\na.b = 2", line: 2, "cannot set 'a.b' in the top-level table: 'a' is already a value set on line 1")
        refusal("a.b = 1\na = 2", line: 2, "duplicate key 'a' in the top-level table: already a table defined by dotted keys on line 1")
        refusal("[t]\na = { b = 1 }\na.c = 2", line: 3, "cannot set 'a.c' in [t]: 'a' is already an inline table on line 2")
        refusal("a = { b = 1, b = 2 }", line: 1, "duplicate key 'b' in an inline table: already a value set on line 1")
        refusal("a = { b = { c = 1 }, b.d = 2 }", line: 1, "'b' is already an inline table")
        refusal("a = [{ b = 1, b = 2 }]", line: 1, "duplicate key 'b' in an inline table")
        refusal("a = {}\n[a]", line: 2, "duplicate table [a]: already an inline table on line 1")
        refusal("a = {}\n[a.b]", line: 2, "cannot define [a.b]: 'a' is already an inline table on line 1")
        refusal("a = 1\n[a.b]", line: 2, "cannot define [a.b]: 'a' is already a value set on line 1")
        refusal("[a]\nb = 1\n[a]", line: 3, "duplicate table [a]: already a table defined by its header on line 1")
        refusal("[a]\n[a.b]\n[\"a\".b]", line: 3, "duplicate table [a.b]")
        refusal("[fruit]\napple.color = \"red\"\n[fruit.apple]", line: 3, "duplicate table [fruit.apple]: already a table defined by dotted keys on line 2")
        refusal("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, "cannot set 'b.c.t' in [a]: 'b.c' is already a table defined by its header on line 1")
        refusal("[a.b]\nc = 1\n[a]\nb.d = 1", line: 4, "'b' is already a table defined by its header on line 1")
        refusal("[a.b.c]\n[a]\nb.d = 1\n[a.b]", line: 4, "duplicate table [a.b]: already a table defined by dotted keys on line 3")
        refusal("a = []\n[[a]]", line: 2, "cannot add [[a]]: 'a' is already a value set on line 1")
        refusal("[a]\n[[a]]", line: 2, "cannot add [[a]]: 'a' is already a table defined by its header on line 1")
        refusal("[[a.b]]\n[[a]]", line: 2, "cannot add [[a]]: 'a' is already a table (implied by a header on line 1)")
        refusal("[[a]]\n[a]", line: 2, "duplicate table [a]: already an array of tables ([[…]] on line 1)")
        refusal("[[a]]\nb = 1\nb = 2", line: 3, "duplicate key 'b' in [[a]]")
        refusal("[[a]]\n[a.b]\n[a.b]", line: 3, "duplicate table [a.b]")
        refusal("[[a.b]]\n[a]\nb.c = 1", line: 3, "'b' is already an array of tables")
    }

    func testMessagesAreOneEscapedLineCutShort() throws {
        let error = try XCTUnwrap(refusal("\"bell\\u0007\" = 1\n\"bell\\u0007\" = 2", line: 2, "duplicate key '\"bell\\u0007\"'"))
        XCTAssertFalse(error.description.contains("\u{07}"))
        let long = String(repeating: "x", count: 200)
        let cut = try XCTUnwrap(refusal("a = \(long)", line: 1, "'" + String(repeating: "x", count: 60) + "…' is not a TOML value"))
        XCTAssertLessThan(cut.message.count, 150)
        XCTAssertEqual(cut.hint, "fix the file: it must be TOML")
        refusal("[\"\\u001b[31m\"]\n[\"\\u001b[31m\"]", line: 2, "duplicate table [\"\\u001B[31m\"]")
    }

    /// The error for `text`, checked to start with `pyproject.toml line <line>:` and to contain `problem`.
    @discardableResult
    func refusal(_ text: String, line: Int, _ problem: String, file: StaticString = #filePath, lineOfTest: UInt = #line) -> PymanError? {
        assertRefusal({ try parse(text) }, prefix: "pyproject.toml line \(line): ", problem, hint: "fix the file: it must be TOML", file: file, line: lineOfTest)
    }
}
