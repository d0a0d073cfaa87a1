import XCTest
@testable import Patching

final class SysconfigRewriteTests: XCTestCase {
    private let rewriter = SysconfigRewrite(realPrefix: "/opt/py")

    private func assertRewrite(
        _ key: String, _ value: String, _ expected: String, prefix: String = "/opt/py",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let result = SysconfigRewrite(realPrefix: prefix).rewrite(key: key, value: value)
        XCTAssertEqual(result, expected, "\(key)=\(value)", file: file, line: line)
    }

    func testPrefixIsReplacedWhereItIsAPath() {
        let cases: [(String, String)] = [
            ("/install", "/opt/py"),
            ("/install/lib/python3.13", "/opt/py/lib/python3.13"),
            ("/install /install/lib", "/opt/py /opt/py/lib"),
            ("-I/install/include/python3.13", "-I/opt/py/include/python3.13"),
            ("-L/install/lib -lpython3.13", "-L/opt/py/lib -lpython3.13"),
            ("-Wl,-rpath,/install/lib", "-Wl,-rpath,/opt/py/lib"),
            ("-isystem/install/include", "-isystem/opt/py/include"),
            ("--prefix=/install", "--prefix=/opt/py"),
            ("'/install'", "'/opt/py'"),
            ("\"/install/bin\"", "\"/opt/py/bin\""),
            ("/a:/install/bin:/b", "/a:/opt/py/bin:/b"),
            ("x;/install;y", "x;/opt/py;y"),
            ("(/install)", "(/opt/py)"),
            ("/install,/install", "/opt/py,/opt/py"),
            ("\t/install\n", "\t/opt/py\n"),
        ]
        for (value, expected) in cases {
            assertRewrite("LIBDIR", value, expected)
        }
    }

    func testPrefixStaysWhereItIsNotThePrefix() {
        for value in [
            "/usr/install/x", "/x/installer", "/installer", "/install_dir", "/install.d/x", "./install",
            "./install/lib/python3.12/os.py", "foo/install", "$(prefix)/install", "${prefix}/install",
            "-L/usr/install/lib", "/usr/bin/install -c", "make install", "-install",
        ] {
            assertRewrite("LIBDIR", value, value)
        }
    }

    func testContainsBuildPrefixUsesTheSameRule() {
        XCTAssertTrue(SysconfigRewrite.containsBuildPrefix("-I/install/include"))
        XCTAssertTrue(SysconfigRewrite.containsBuildPrefix("a /install"))
        XCTAssertFalse(SysconfigRewrite.containsBuildPrefix("/usr/install /installer ./install"))
        XCTAssertFalse(SysconfigRewrite.containsBuildPrefix(""))
    }

    func testRealPrefixNormalization() {
        assertRewrite("LIBDIR", "/install/lib", "/opt/py/lib", prefix: "/opt/py///")
        // The root as prefix must not produce "//lib" or an empty path.
        assertRewrite("LIBDIR", "/install/lib /install", "/lib /", prefix: "/")
    }

    func testRealPrefixUnderInstallIsIdempotent() {
        let prefix = "/install/pythons/3.13"
        let once = SysconfigRewrite(realPrefix: prefix).rewrite(key: "LIBDIR", value: "-L/install/lib /install")
        XCTAssertEqual(once, "-L/install/pythons/3.13/lib /install/pythons/3.13")
        XCTAssertEqual(SysconfigRewrite(realPrefix: prefix).rewrite(key: "LIBDIR", value: once), once)
    }

    func testRealPrefixWithInstallInsideIsIdempotent() {
        // "/opt/install" ends in "/install" but is the tail of a longer path: left alone.
        let once = SysconfigRewrite(realPrefix: "/opt/install").rewrite(key: "LIBDIR", value: "/install/lib")
        XCTAssertEqual(once, "/opt/install/lib")
        XCTAssertEqual(SysconfigRewrite(realPrefix: "/opt/install").rewrite(key: "LIBDIR", value: once), once)
    }

    func testCompilerReplacement() {
        let cases: [(String, String, String)] = [
            ("CC", "clang -pthread", "cc -pthread"),
            ("CXX", "clang++ -pthread", "c++ -pthread"),
            ("CPP", "clang -E", "cc -E"),
            ("MAINCC", "clang", "cc"),
            ("LINKCC", "/tools/llvm/bin/clang -pthread", "cc -pthread"),
            ("LDSHARED", "clang -pthread -shared -L/install/lib", "cc -pthread -shared -L/opt/py/lib"),
            ("BLDSHARED", "musl-clang -shared", "cc -shared"),
            ("LDCXXSHARED", "/tools/llvm/bin/clang++ -shared", "c++ -shared"),
            ("CC", "clang-18 -pthread", "cc -pthread"),
            ("CC", "x86_64-linux-gnu-gcc -pthread", "cc -pthread"),
            ("CC", "/usr/bin/aarch64-linux-gnu-gcc", "cc"),
            ("CXX", "aarch64-linux-gnu-g++ -pthread", "c++ -pthread"),
            ("CXX", "/usr/bin/x86_64-linux-gnu-g++", "c++"),
            ("AR", "/tools/llvm/bin/llvm-ar", "ar"),
            ("AR", "llvm-ar", "ar"),
            ("AR", "x86_64-linux-gnu-ar", "ar"),
            // Whitespace around and between words is kept exactly (Makefile alignment).
            ("CC", "\t\tclang  -pthread ", "\t\tcc  -pthread "),
        ]
        for (key, value, expected) in cases {
            assertRewrite(key, value, expected)
        }
    }

    func testCompilerReplacementLeavesOtherValuesAlone() {
        let cases: [(String, String)] = [
            ("CC", "gcc -pthread"),          // already a tool the user has
            ("CC", "cc"),
            ("CC", "ccache clang"),          // only the first word is the tool
            ("CC", "$(CC) -shared"),
            ("CC", ""),
            ("AR", "ar"),
            ("AR", "clang"),                 // not an archiver
            ("CFLAGS", "clang -O2"),         // not a tool variable
            ("LLVM_PROF_MERGER", "/tools/llvm/bin/llvm-profdata merge"),
            ("CC", "clangd"),
            ("CC", "clang-tidy"),
        ]
        for (key, value) in cases {
            assertRewrite(key, value, value)
        }
    }

    func testIsysrootRemoval() {
        let cases: [(String, String, String)] = [
            ("CFLAGS", "-O2 -isysroot /Applications/Xcode.app/SDKs/MacOSX.sdk -Wall", "-O2 -Wall"),
            ("CFLAGS", "-isysroot=/sdk -O2", "-O2"),
            ("CFLAGS", "-O2 -isysroot/sdk", "-O2"),
            ("CFLAGS", "\t-isysroot /sdk -O2", "\t-O2"),
            ("CFLAGS", "-O2 -isysroot", "-O2"),
            ("CFLAGS", "-isysroot /a -isysroot /b", ""),
            ("CFLAGS", "-O2 -isysroot \\", "-O2 \\"),  // a Makefile continuation is not a path
            ("LDSHARED", "clang -bundle -undefined dynamic_lookup -isysroot /sdk", "cc -bundle -undefined dynamic_lookup"),
            ("CFLAGS", "-O2 -isysrootless", "-O2"),
            ("CFLAGS", "-DISYSROOT -O2", "-DISYSROOT -O2"),
        ]
        for (key, value, expected) in cases {
            assertRewrite(key, value, expected)
        }
    }

    func testConfigArgsIsUntouched() {
        let value = "'--prefix=/install' 'CC=clang' 'CFLAGS=-isysroot /sdk' '-I/install/include'"
        assertRewrite("CONFIG_ARGS", value, value)
        // The same value under another key does change, so the exception is what keeps it.
        XCTAssertNotEqual(rewriter.rewrite(key: "OTHER", value: value), value)
    }

    func testRewriteIsIdempotent() {
        for (key, value) in [
            ("LDSHARED", "/tools/llvm/bin/clang -shared -isysroot /sdk -L/install/lib -Wl,-rpath,/install/lib"),
            ("AR", "llvm-ar"), ("prefix", "/install"), ("CC", "aarch64-linux-gnu-gcc"),
        ] {
            let once = rewriter.rewrite(key: key, value: value)
            XCTAssertNotEqual(once, value)
            XCTAssertEqual(rewriter.rewrite(key: key, value: once), once, key)
        }
    }
}
