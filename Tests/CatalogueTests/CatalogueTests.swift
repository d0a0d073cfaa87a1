import Foundation
import XCTest
@testable import Catalogue

final class CatalogueTests: XCTestCase {
    func testEmbeddedCatalogueHoldsRealBuilds() {
        let catalogue = Catalogue.embedded()
        XCTAssertGreaterThan(catalogue.entries.count, 4000)
        let entry = catalogue.entries.first { $0.key.description == "cpython-3.13.5-linux-x86_64-gnu" }
        XCTAssertEqual(entry?.fileName, "cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz")
        XCTAssertEqual(entry?.sha256?.count, 64)
        XCTAssertTrue(entry?.url.hasPrefix(Catalogue.upstreamPrefix + "/20250723/") ?? false)
    }

    /// The release of 2026-10-21 (../shared/pbs/download-metadata.json): its finals are the newest of their series.
    func testEmbeddedCatalogueIsTheOctober2026Release() {
        let linux = Platform(os: "linux", arch: "x86_64", archVariant: nil, libc: "gnu")
        let newest = Catalogue.embedded().entries(for: linux).filter { $0.key.variant == nil }
        for (series, expected) in [("3.15", "cpython-3.15.1-linux-x86_64-gnu"), ("3.14", "cpython-3.14.9-linux-x86_64-gnu")] {
            let first = newest.first { "\($0.key.version.major).\($0.key.version.minor)" == series }
            XCTAssertEqual(first?.key.description, expected)
            XCTAssertEqual(first?.build, "20261021")
        }
        let pypy = Catalogue.embedded().entries.first { $0.key.description == "pypy-3.11.15-linux-x86_64-gnu" }
        XCTAssertTrue(pypy?.url.hasPrefix(Catalogue.pypyPrefix + "/pypy3.11-v") ?? false, "PyPy's builds are embedded too: \(String(describing: pypy))")
    }

    func testUVFormatAndMirror() throws {
        let json = """
        {"cpython-3.12.1-linux-x86_64_v3-gnu": {"name": "cpython", "arch": {"family": "x86_64", "variant": "v3"},
          "os": "linux", "libc": "gnu", "major": 3, "minor": 12, "patch": 1, "prerelease": "",
          "url": "https://github.com/astral-sh/python-build-standalone/releases/download/20240107/a.tar.gz",
          "sha256": "ABC", "variant": null, "build": "20240107"}}
        """
        let catalogue = try UVMetadataParser.parse(Data(json.utf8), source: "test.json").mirrored(to: "http://127.0.0.1:9/m/")
        XCTAssertEqual(catalogue.entries.count, 1)
        XCTAssertEqual(catalogue.entries[0].key.description, "cpython-3.12.1-linux-x86_64_v3-gnu")
        XCTAssertEqual(catalogue.entries[0].sha256, "abc")
        XCTAssertEqual(catalogue.entries[0].url, "http://127.0.0.1:9/m/20240107/a.tar.gz")
    }

    /// What becomes of the entry's own URL: dropped, the last mirror (the default order), or the last
    /// resort after a user's list, unless the list names it already; other prefixes are left alone.
    func testTheOwnURLAfterTheMirrors() {
        let own = Catalogue.upstreamPrefix + "/20240107/a.tar.gz"
        let pypy = Catalogue.pypyPrefix + "/pypy3.9-v7.3.11-linux64.tar.bz2"
        let catalogue = Catalogue(entries: [CatalogueEntry(key: PythonKey("cpython-3.12.1-linux-x86_64-gnu")!, url: own, sha256: nil, build: nil),
                                            CatalogueEntry(key: PythonKey("pypy-3.9.16-linux-x86_64-gnu")!, url: pypy, sha256: nil, build: nil)])
        let mirrors = ["http://a/m/", "http://b/m"]
        let dropped = catalogue.mirrored(to: mirrors).entries[0]
        XCTAssertEqual([dropped.url] + dropped.fallbackURLs, ["http://a/m/20240107/a.tar.gz", "http://b/m/20240107/a.tar.gz"])
        XCTAssertNil(dropped.lastResortURL)
        let lastMirror = catalogue.mirrored(to: mirrors, own: .lastMirror).entries[0]
        XCTAssertEqual([lastMirror.url] + lastMirror.fallbackURLs, ["http://a/m/20240107/a.tar.gz", "http://b/m/20240107/a.tar.gz", own])
        XCTAssertNil(lastMirror.lastResortURL)
        let lastResort = catalogue.mirrored(to: mirrors, own: .lastResort)
        XCTAssertEqual([lastResort.entries[0].url] + lastResort.entries[0].fallbackURLs, ["http://a/m/20240107/a.tar.gz", "http://b/m/20240107/a.tar.gz"])
        XCTAssertEqual(lastResort.entries[0].lastResortURL, own)
        XCTAssertEqual(lastResort.entries[1].url, pypy, "another prefix is left alone")
        XCTAssertNil(lastResort.entries[1].lastResortURL)
        let named = catalogue.mirrored(to: ["http://a/m", Catalogue.upstreamPrefix], own: .lastResort).entries[0]
        XCTAssertEqual([named.url] + named.fallbackURLs, ["http://a/m/20240107/a.tar.gz", own], "tried where the list names it")
        XCTAssertNil(named.lastResortURL, "not twice")
    }

    func testFetchedCataloguesRoundTripWithRelativeURLs() throws {
        let entries = [CatalogueEntry(key: try XCTUnwrap(PythonKey("cpython-3.13.5+freethreaded-linux-x86_64_v3-gnu")), url: "cpython-3.13.5.tar.gz",
                                      sha256: String(repeating: "a", count: 64), build: "20250723")]
        let parsed = try UVMetadataParser.parse(UVMetadataWriter.document(entries), source: "test").resolvingRelativeURLs(against: "file:///mirror/")
        XCTAssertEqual(parsed.entries.map(\.key), entries.map(\.key))
        XCTAssertEqual(parsed.entries.first?.url, "file:///mirror/cpython-3.13.5.tar.gz")
        XCTAssertEqual(parsed.entries.first?.sha256, entries[0].sha256)
        XCTAssertEqual(parsed.entries.first?.build, "20250723")
    }

    func testMalformedCatalogueNamesFileAndPosition() {
        XCTAssertThrowsError(try UVMetadataParser.parse(Data("{\"a\": [1,,]}".utf8), source: "/tmp/x.json")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/tmp/x.json"), text)
            XCTAssertTrue(text.lowercased().contains("line") || text.contains("character") || text.contains("offset"), text)
        }
    }

    func testKeyRoundTrip() {
        for text in ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.5+freethreaded-linux-x86_64_v2-musl", "cpython-3.15.0rc1-darwin-aarch64-none"] {
            XCTAssertEqual(PythonKey(text)?.description, text)
        }
        XCTAssertEqual(PythonKey("cpython-3.13.5+freethreaded-linux-x86_64-gnu")?.executableName, "python3.13t")
        XCTAssertEqual(PythonKey("cpython-3.13.5-linux-x86_64-gnu")?.minorLinkName, "cpython-3.13-linux-x86_64-gnu")
        XCTAssertNil(PythonKey("cpython-3.13-linux-x86_64-gnu"))
        XCTAssertNil(PythonKey(".tmp-123"))
        XCTAssertNil(PythonKey("cpython--linux-x86_64-gnu"), "an empty version part (it trapped, found by the lock fuzzer)")
        XCTAssertNil(PythonKey("cpython-+-linux-x86_64-gnu"))
    }
}

final class ArchiveNameTests: XCTestCase {
    func testNamesOfEveryFlavour() {
        let cases = [
            "cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz": "cpython-3.13.5-linux-x86_64-gnu",
            "cpython-3.13.5%2B20250723-x86_64_v3-unknown-linux-musl-freethreaded-install_only.tar.gz": "cpython-3.13.5+freethreaded-linux-x86_64_v3-musl",
            "cpython-3.15.0rc1+20260814-aarch64-apple-darwin-freethreaded+debug-full.tar.zst": "cpython-3.15.0rc1+freethreaded+debug-darwin-aarch64-none",
            "cpython-3.12.1+20240107-x86_64-unknown-linux-gnu-pgo+lto-full.tar.zst": "cpython-3.12.1-linux-x86_64-gnu",
        ]
        for (name, key) in cases {
            XCTAssertEqual(ArchiveName.parse(name)?.key.description, key, name)
        }
        XCTAssertEqual(ArchiveName.parse("cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-full.tar.zst")?.build, "20250723")
        XCTAssertNil(ArchiveName.parse("python.tar.gz"))
        XCTAssertNil(ArchiveName.parse("cpython-3.13.5+1-x86_64-unknown-linux-gnu-full.zip"))
    }

    /// python-build-standalone's names, that is: PyPy's (`pypy3.9-v7.3.16-linux64.tar.gz`) lack the
    /// Python patch version, so a PyPy archive is installed from a catalogue entry only.
    func testEveryEmbeddedFileNameParsesToItsKey() {
        for entry in Catalogue.embedded().entries where entry.key.implementation == "cpython" {
            XCTAssertEqual(ArchiveName.parse(entry.fileName)?.key, entry.key, entry.fileName)
        }
    }
}

final class JSONSyntaxTests: XCTestCase {
    func testValidJSONHasNoError() {
        for text in ["{}", "[]", " {\"a\": [1, -2.5e+3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ", "0", "\"s\""] {
            XCTAssertNil(JSONSyntax.firstError(in: Array(text.utf8)), text)
        }
    }

    func testErrorsNameLineAndColumn() {
        let cases: [(String, String)] = [
            ("{\n  \"a\": 1,\n  \"b\": [1, 2,,]\n}", "unexpected ',', expected a value at line 3, column 14"),
            ("{\"a\" 1}", "unexpected '1', expected ':' after the key at line 1, column 6"),
            ("[1, 2", "unexpected end of data, expected ',' or ']' at line 1, column 6"),
            ("{\"a\": \"unterminated}", "unterminated string at line 1, column 7"),
            ("[01]", "unexpected '1', expected ',' or ']' at line 1, column 3"),
            ("[1.]", "unexpected ']', expected a digit after '.' at line 1, column 4"),
            ("{} x", "unexpected 'x' after the JSON value at line 1, column 4"),
            ("[\"\\q\"]", "invalid escape at line 1, column 3"),
            ("[tru]", "invalid literal, expected true at line 1, column 2"),
            ("", "unexpected end of data, expected a value at line 1, column 1"),
            ("[-x]", "unexpected 'x', expected a digit after '-' at line 1, column 3"),
            ("[1e]", "unexpected ']', expected a digit in the exponent at line 1, column 4"),
            ("[\"\\u12g4\"]", "expected 4 hex digits after \\u at line 1, column 3"),
            ("[\"a\u{1}\"]", "control character in a string at line 1, column 4"),
            ("{1: 2}", "unexpected '1', expected a quoted key at line 1, column 2"),
            ("[1 2]", "unexpected '2', expected ',' or ']' at line 1, column 4"),
            ("\u{1}", "unexpected byte 0x01, expected a value at line 1, column 1"),
            // Columns count characters, not bytes: "é" is two bytes.
            ("[\"é\", x]", "unexpected 'x', expected a value at line 1, column 7"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(JSONSyntax.firstError(in: Array(text.utf8)), expected, text)
        }
    }

    func testDeepNestingDoesNotOverflowTheStack() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 1_000_000)
        XCTAssertEqual(JSONSyntax.firstError(in: deep), "unexpected end of data, expected a value at line 1, column 1000001")
        let closed = deep + Array(repeating: UInt8(ascii: "]"), count: 1_000_000)
        XCTAssertNil(JSONSyntax.firstError(in: closed))
    }
}

final class CatalogueShapeTests: XCTestCase {
    func parseError(_ json: String) -> String {
        do {
            _ = try UVMetadataParser.parse(Data(json.utf8), source: "c.json")
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    func testValidJSONTheDecoderRefusesIsLocated() {
        let entry = { (patch: String) in
            "{\"a\": {\"name\": \"cpython\", \"arch\": {\"family\": \"x86_64\", \"variant\": null}, \"os\": \"linux\", \"libc\": \"gnu\",\n \"major\": 3, \"minor\": 13, \"patch\": \(patch), \"prerelease\": \"\", \"url\": \"u\", \"sha256\": null, \"variant\": null}}"
        }
        XCTAssertEqual(parseError(entry("2.5")), "malformed catalogue c.json: 2.5 at line 2, column 36 is not a version number (a whole number from 0 to 9999); fix the file or unset PYMAN_DOWNLOADS_JSON")
        // A number too large for a version part is either located or, where the decoder takes it, its
        // entry is left out (no key can name it): never an install no request can see.
        let huge = parseError(entry("12345678901234567890123456"))
        if huge == "parsed" {
            XCTAssertEqual(try UVMetadataParser.parse(Data(entry("12345678901234567890123456").utf8), source: "c.json").entries.count, 0)
        } else {
            XCTAssertTrue(huge.contains("12345678901234567890123456 at line 2, column 36 is not a version number"), huge)
        }
        XCTAssertTrue(parseError(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
            .contains("nested deeper than 16 levels at line 1, column 17"))
        XCTAssertEqual(parseError(entry("5")), "parsed")
    }
}
