@testable import Core
import XCTest

final class JSONScannerTests: XCTestCase {
    private func scanner(_ text: String) -> JSONScanner { JSONScanner(Array(text.utf8)) }

    private func decodeString(_ json: String) throws -> String {
        var scanner = scanner(json)
        return try scanner.decode(try scanner.scanString())
    }

    func testDecodesEscapesAndJoinsSurrogatePairs() throws {
        XCTAssertEqual(try decodeString(#""plain é""#), "plain é")
        XCTAssertEqual(try decodeString(#""a\"b\\c\/d\b\f\n\r\t""#), "a\"b\\c/d\u{08}\u{0C}\n\r\t")
        XCTAssertEqual(try decodeString(#""caf\u00e9 \ud83d\ude00 \u0041""#), "caf\u{e9} \u{1F600} A")
    }

    func testRefusesLoneSurrogatesAndInvalidUTF8WhereTheStringStarts() {
        for json in [#" "\ud800""#, #" "\udc00\ud800""#, #" "x\ud83d""#] {
            var scanner = scanner(json)
            scanner.skipWhitespace()
            XCTAssertThrowsError(try scanner.decode(try scanner.scanString()), json) {
                XCTAssertEqual($0 as? JSONScanner.Failure,
                               JSONScanner.Failure(message: "string contains an unpaired surrogate", offset: 1, line: 1, column: 2))
            }
        }
        var invalid = JSONScanner([0x22, 0xFF, 0x22])
        XCTAssertThrowsError(try invalid.decode(try invalid.scanString())) {
            XCTAssertEqual(($0 as? JSONScanner.Failure)?.message, "string is not valid UTF-8")
        }
    }

    func testSkipValueStopsRightAfterTheValue() throws {
        let value = #"[1, {"k": [true, null, -0.5e+2]}, "s"]"#
        var scanner = scanner(" " + value + " , 2")
        try scanner.skipValue()
        XCTAssertEqual(String(decoding: scanner.bytes[1..<scanner.offset], as: UTF8.self), value)
        XCTAssertTrue(try scanner.nextMember(close: UInt8(ascii: "]")))
    }

    func testObjectMembersStepByStep() throws {
        var scanner = scanner(#"{"a" : 1 , "b":"x"}"#)
        try scanner.expect(UInt8(ascii: "{"), expecting: "an object")
        XCTAssertEqual(try scanner.decode(try scanner.memberKey()), "a")
        try scanner.skipValue()
        XCTAssertTrue(try scanner.nextMember(close: UInt8(ascii: "}")))
        XCTAssertEqual(try scanner.decode(try scanner.memberKey()), "b")
        scanner.skipWhitespace()
        XCTAssertEqual(try scanner.decode(try scanner.scanString()), "x")
        XCTAssertFalse(try scanner.nextMember(close: UInt8(ascii: "}")))
        XCTAssertNoThrow(try scanner.expectEnd())
    }

    func testFailuresCarryLineAndColumnInCharacters() {
        var scanner = scanner("[\n  \"ü\",\n  \"é\" : 1]")
        XCTAssertThrowsError(try scanner.skipValue()) {
            XCTAssertEqual(($0 as? JSONScanner.Failure)?.description, "unexpected ':', expected ',' or ']' at line 3, column 7")
        }
    }
}
