import XCTest
@testable import Patching

final class SysconfigPatchTests: XCTestCase {
    private let prefix = "/home/me/.pyman/cpython-3.13.1"

    // MARK: - _sysconfigdata_*.py

    func testPatchSysconfigData() throws {
        let patched = try SysconfigPatch.patchSysconfigData(SysconfigTestFixtures.module, realPrefix: prefix)
        let data = try SysconfigData.parse(patched)

        XCTAssertEqual(data["BINDIR"], .string("\(prefix)/bin"))
        XCTAssertEqual(data["prefix"], .string(prefix))
        XCTAssertEqual(data["INCLUDEPY"], .string("\(prefix)/include/python3.13t"))
        XCTAssertEqual(data["BLDSHARED"], .string("cc -pthread -shared -L\(prefix)/lib -Wl,-rpath,\(prefix)/lib"))
        XCTAssertEqual(data["CC"], .string("cc -pthread"))
        XCTAssertEqual(data["CPP"], .string("cc -E"))
        XCTAssertEqual(data["AR"], .string("ar"))
        XCTAssertEqual(data["WASM_ASSETS_DIR"], .string("./install"))
        XCTAssertEqual(data["CONFIG_ARGS"], .string("'--prefix=/install' '--enable-shared' 'CC=clang'"))
        XCTAssertEqual(data["ESCAPES"], .string("tab\there 'q' \"dq\" A\u{e9}A\n\\d"))
        XCTAssertEqual(data["SIZEOF_NEG_TEST"], .int(-1))
        XCTAssertEqual(data.entries.last?.key, "PYTHON_BUILD_STANDALONE")
        XCTAssertEqual(data["PYTHON_BUILD_STANDALONE"], .int(1))
        XCTAssertEqual(data.entries.count, 17)
    }

    func testPatchSysconfigDataIsIdempotent() throws {
        let once = try SysconfigPatch.patchSysconfigData(SysconfigTestFixtures.module, realPrefix: prefix)
        let twice = try SysconfigPatch.patchSysconfigData(once, realPrefix: prefix)
        XCTAssertEqual(twice, once)
        XCTAssertEqual(once.components(separatedBy: "PYTHON_BUILD_STANDALONE").count - 1, 1)
    }

    func testExistingStandaloneMarkerIsKept() throws {
        let text = "build_time_vars = {'PYTHON_BUILD_STANDALONE': 1, 'prefix': '/install'}"
        let data = try SysconfigData.parse(try SysconfigPatch.patchSysconfigData(text, realPrefix: "/p"))
        XCTAssertEqual(data, SysconfigData(entries: [("PYTHON_BUILD_STANDALONE", .int(1)), ("prefix", .string("/p"))]))
    }

    func testPatchSysconfigDataPropagatesParseErrors() {
        XCTAssertThrowsError(try SysconfigPatch.patchSysconfigData("build_time_vars = {", realPrefix: prefix)) {
            XCTAssertEqual(($0 as? SysconfigError)?.description, "1:20: unexpected end of input: missing '}'")
        }
    }

    func testUnpatchedValues() throws {
        XCTAssertEqual(
            try SysconfigPatch.unpatchedValues(in: SysconfigTestFixtures.module),
            ["BINDIR", "BLDSHARED", "INCLUDEPY", "prefix"])
        let patched = try SysconfigPatch.patchSysconfigData(SysconfigTestFixtures.module, realPrefix: prefix)
        XCTAssertEqual(try SysconfigPatch.unpatchedValues(in: patched), [])
        XCTAssertThrowsError(try SysconfigPatch.unpatchedValues(in: "nonsense"))
    }

    // MARK: - Makefile

    func testPatchMakefile() {
        let makefile = """
        # Generated automatically from Makefile.pre by makesetup.
        # Top-level Makefile for Python, installed to /install

        MODBUILT_NAMES=    _asyncio  _bisect
        VERSION=\t3.13
        CC=\t\tclang -pthread
        CXX=\t\tclang++ -pthread
        AR = /tools/llvm/bin/llvm-ar
        LDSHARED=\t$(CC) -shared $(PY_LDFLAGS)
        prefix=\t\t/install
        exec_prefix=\t${prefix}
        CONFIGURE_CFLAGS:= -isysroot /sdk -I/install/include
        INCLDIRSTOMAKE=$(INCLUDEDIR) \\
        \t\t/install/include/python3.13
        CONFIG_ARGS=\t '--prefix=/install' 'CC=clang'
        MANDIR?=/installer/share

        install: all
        \t$(INSTALL) -d /install/lib
        python.o: CFLAGS=-I/install/include
        """
        let expected = """
        # Generated automatically from Makefile.pre by makesetup.
        # Top-level Makefile for Python, installed to /install

        MODBUILT_NAMES=    _asyncio  _bisect
        PYTHON_BUILD_STANDALONE=1
        VERSION=\t3.13
        CC=\t\tcc -pthread
        CXX=\t\tc++ -pthread
        AR = ar
        LDSHARED=\t$(CC) -shared $(PY_LDFLAGS)
        prefix=\t\t/real/py
        exec_prefix=\t${prefix}
        CONFIGURE_CFLAGS:= -I/real/py/include
        INCLDIRSTOMAKE=$(INCLUDEDIR) \\
        \t\t/real/py/include/python3.13
        CONFIG_ARGS=\t '--prefix=/install' 'CC=clang'
        MANDIR?=/installer/share

        install: all
        \t$(INSTALL) -d /install/lib
        python.o: CFLAGS=-I/install/include
        """
        let once = SysconfigPatch.patchMakefile(makefile, realPrefix: "/real/py")
        XCTAssertEqual(once, expected)
        XCTAssertEqual(SysconfigPatch.patchMakefile(once, realPrefix: "/real/py"), once)
    }

    func testMakefileMarkerIsNotDuplicated() {
        let makefile = "PYTHON_BUILD_STANDALONE=1\nprefix= /install\n"
        XCTAssertEqual(SysconfigPatch.patchMakefile(makefile, realPrefix: "/p"), "PYTHON_BUILD_STANDALONE=1\nprefix= /p\n")
    }

    func testMakefileKeepsCRLF() {
        // The continuation is only seen if the "\r" is set aside before looking for "\\".
        XCTAssertEqual(
            SysconfigPatch.patchMakefile("A= x \\\r\n /install\r\n", realPrefix: "/p"),
            "A= x \\\r\n /p\r\nPYTHON_BUILD_STANDALONE=1\r\n")
    }

    func testMakefileWithoutAssignmentGetsMarkerAtEnd() {
        XCTAssertEqual(SysconfigPatch.patchMakefile("all:\n\techo\n", realPrefix: "/p"), "all:\n\techo\nPYTHON_BUILD_STANDALONE=1\n")
        XCTAssertEqual(SysconfigPatch.patchMakefile("all:", realPrefix: "/p"), "all:\nPYTHON_BUILD_STANDALONE=1\n")
        XCTAssertEqual(SysconfigPatch.patchMakefile("", realPrefix: "/p"), "PYTHON_BUILD_STANDALONE=1\n")
    }

    func testMakefileMarkerGoesAfterAContinuedFirstAssignment() {
        XCTAssertEqual(
            SysconfigPatch.patchMakefile("A= x \\\n  y\nB=1\n", realPrefix: "/p"),
            "A= x \\\n  y\nPYTHON_BUILD_STANDALONE=1\nB=1\n")
    }

    func testMakefileEndingInsideAContinuationGetsMarkerOnItsOwnLine() {
        let once = SysconfigPatch.patchMakefile("A= x \\", realPrefix: "/p")
        XCTAssertEqual(once, "A= x \\\n\nPYTHON_BUILD_STANDALONE=1\n")
        XCTAssertEqual(SysconfigPatch.patchMakefile(once, realPrefix: "/p"), once)
    }

    func testIsysrootRemovalNeverLeavesAContinuationBehind() {
        XCTAssertEqual(
            SysconfigPatch.patchMakefile("CFLAGS= a\\ -isysroot /sdk\nB=1\n", realPrefix: "/p"),
            "CFLAGS= a\\ \nPYTHON_BUILD_STANDALONE=1\nB=1\n")
    }

    func testMakefileEscapesMakeSyntaxInPrefix() {
        XCTAssertEqual(
            SysconfigPatch.patchMakefile("prefix=/install\n", realPrefix: "/opt/a$b#c"),
            "prefix=/opt/a$$b\\#c\nPYTHON_BUILD_STANDALONE=1\n")
    }

    func testMutatedMakefileNeverCrashesAndStaysIdempotent() {
        var random = SplitMix64(seed: 42)
        let alphabet = Array("=:?+!\\\t\n\r #/install-isysroot clang".unicodeScalars)
        let base = Array("CC=\tclang -isysroot /s\nprefix=/install\nA:= -L/install/lib \\\n /install\n".unicodeScalars)
        for _ in 0..<2000 {
            var scalars = base
            for _ in 0..<(1 + random.next(below: 6)) {
                let index = random.next(below: scalars.count + 1)
                if random.next(below: 2) == 0, index < scalars.count {
                    scalars.remove(at: index)
                } else {
                    scalars.insert(alphabet[random.next(below: alphabet.count)], at: index)
                }
            }
            let text = String(String.UnicodeScalarView(scalars))
            let once = SysconfigPatch.patchMakefile(text, realPrefix: "/p")
            XCTAssertEqual(SysconfigPatch.patchMakefile(once, realPrefix: "/p"), once, "input: \(text.debugDescription)")
        }
    }

    // MARK: - pkg-config

    func testPatchPkgConfig() {
        let pc = """
        # See: man pkg-config, built for /install
        prefix=/install
        exec_prefix=${prefix}
        libdir=${exec_prefix}/lib
        includedir=${prefix}/include

        Name: Python
        Libs: -L/install/lib -lpython3.13
        Cflags: -I${includedir}/python3.13 -I/usr/install/include
        """
        let expected = """
        # See: man pkg-config, built for /install
        prefix=/real/py
        exec_prefix=${prefix}
        libdir=${exec_prefix}/lib
        includedir=${prefix}/include

        Name: Python
        Libs: -L/real/py/lib -lpython3.13
        Cflags: -I${includedir}/python3.13 -I/usr/install/include
        """
        let once = SysconfigPatch.patchPkgConfig(pc, realPrefix: "/real/py")
        XCTAssertEqual(once, expected)
        XCTAssertEqual(SysconfigPatch.patchPkgConfig(once, realPrefix: "/real/py"), once)
    }

    func testRelocatablePkgConfigIsUnchanged() {
        let pc = "prefix=${pcfiledir}/../..\nexec_prefix=${prefix}\n"
        XCTAssertEqual(SysconfigPatch.patchPkgConfig(pc, realPrefix: "/real/py"), pc)
    }

    func testPkgConfigEscapesDollarInPrefix() {
        XCTAssertEqual(SysconfigPatch.patchPkgConfig("prefix=/install\n", realPrefix: "/a$b"), "prefix=/a$$b\n")
    }

    // MARK: - _sysconfig_vars_*.json

    func testPatchSysconfigVarsJSON() throws {
        let json = #"""
        {
          "prefix": "/install",
          "CC": "clang -pthread",
          "CONFIG_ARGS": "'--prefix=/install'",
          "Py_GIL_DISABLED": 1,
          "ratio": -1.5e3,
          "flag": true,
          "nothing": null,
          "list": [1, "/install", {"k": []}],
          "text": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \t",
          "LIBDIR": "/install/lib",
          "prefix": "/install/dup"
        }
        """#
        let patched = try SysconfigPatch.patchSysconfigVarsJSON(Data(json.utf8), realPrefix: "/real/py")
        let expected = #"""
        {
          "prefix": "/real/py/dup",
          "CC": "cc -pthread",
          "CONFIG_ARGS": "'--prefix=/install'",
          "Py_GIL_DISABLED": 1,
          "ratio": -1.5e3,
          "flag": true,
          "nothing": null,
          "list": [1, "/install", {"k": []}],
          "text": "caf\u00e9 \ud83d\ude00 \"q\" \\ / \t",
          "LIBDIR": "/real/py/lib",
          "PYTHON_BUILD_STANDALONE": 1
        }

        """#
        // The duplicate "prefix" is folded into the first, as Python's json module does.
        XCTAssertEqual(String(decoding: patched, as: UTF8.self), expected)
        XCTAssertEqual(try SysconfigPatch.patchSysconfigVarsJSON(patched, realPrefix: "/real/py"), patched)

        // Foundation agrees it is valid JSON with the decoded values we meant.
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: patched) as? [String: Any])
        XCTAssertEqual(object["text"] as? String, "caf\u{e9} \u{1F600} \"q\" \\ / \t")
        XCTAssertEqual(object["PYTHON_BUILD_STANDALONE"] as? Int, 1)
    }

    func testMalformedJSONReportsPosition() {
        let cases: [(String, String)] = [
            ("{\n  \"a\": \"x\",\n  \"b\" 1\n}", "3:7: JSON: unexpected '1', expected ':' after the key"),
            ("{\"a\": \"x", "1:7: JSON: unterminated string"),
            ("[1]", "1:1: JSON: unexpected '[', expected '{' to open the JSON object"),
            ("{\"a\": tru}", "1:7: JSON: invalid literal, expected true"),
            ("{\"a\": 1} x", "1:10: JSON: unexpected 'x' after the JSON value"),
            ("{\"a\": \"\\ud800\"}", "1:7: JSON: string contains an unpaired surrogate"),
            ("{\"a\": 01}", "1:8: JSON: unexpected '1', expected ',' or '}'"),
            ("{\"a\": [1, {\"b\" 2}]}", "1:16: JSON: unexpected '2', expected ':' after the key"),
            ("{\"é\": \"\\q\"}", "1:8: JSON: invalid escape"),
            ("{\"a\": \"x\"", "1:10: JSON: unexpected end of data, expected ',' or '}'"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try SysconfigPatch.patchSysconfigVarsJSON(Data(json.utf8), realPrefix: "/p"), json) {
                XCTAssertEqual(($0 as? SysconfigError)?.description, message, json)
            }
        }
        XCTAssertThrowsError(try SysconfigPatch.patchSysconfigVarsJSON(Data([0xFF, 0xFE]), realPrefix: "/p"))
    }
}
