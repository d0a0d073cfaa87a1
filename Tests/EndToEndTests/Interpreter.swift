import Foundation
import XCTest

/// The fixture Pythons, and proof that an interpreter really is the pyman install it claims to be.
struct FixturePython {
    var version: String
    var minor: String { version.split(separator: ".").prefix(2).joined(separator: ".") }
    var key: String { "cpython-\(version)-linux-x86_64-gnu" }
    var minorLink: String { "cpython-\(minor)-linux-x86_64-gnu" }
    var executable: String { "python\(minor)" }

    static let all = [FixturePython(version: "3.11.2"), FixturePython(version: "3.13.5")]
}

/// Checks that `python` starts, is `fixture`'s version, and runs from `install` — its base_prefix and every
/// libpython it maps resolve into that folder. This is what catches Debian's own python3.11 and its
/// libpython3.11.so in /usr/lib loading in place of the install under test.
/// `libraryFolder` is where libpython must come from when not the install's lib/ (a venv made with copies).
func assertRunsFromInstall(_ python: String, _ fixture: FixturePython, install: URL, imports: String = "encodings",
                           libraryFolder: URL? = nil, sandbox: Sandbox, file: StaticString = #filePath, line: UInt = #line) throws {
    let script = """
    import os, sys, \(imports)
    maps = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'libpython' in l})
    print(os.path.realpath(sys.base_prefix))
    print('%d.%d.%d' % sys.version_info[:3])
    print(':'.join(os.path.realpath(m) for m in maps))
    """
    let result = try sandbox.exec(python, ["-c", script])
    XCTAssertEqual(result.status, 0, result.summary, file: file, line: line)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.count >= 3 else { return XCTFail("unexpected output: \(result.summary)", file: file, line: line) }
    let real = install.resolvingSymlinksInPath().path
    XCTAssertEqual(lines[0], real, "sys.base_prefix of \(python)", file: file, line: line)
    XCTAssertEqual(lines[1], fixture.version, file: file, line: line)
    XCTAssertFalse(lines[2].isEmpty, "\(python) maps no libpython: it is not a shared standalone build", file: file, line: line)
    let allowed = (libraryFolder?.resolvingSymlinksInPath().path ?? real + "/lib") + "/"
    for library in lines[2].split(separator: ":") {
        XCTAssertTrue(library.hasPrefix(allowed), "\(python) loaded \(library), not \(allowed)'s", file: file, line: line)
    }
}

/// One sandbox with both fixture Pythons installed, shared by the read-only tests of a test class.
final class InstalledWorld: @unchecked Sendable {
    static let shared = InstalledWorld()
    private var result: Result<Sandbox, Error>?
    private let lock = NSLock()

    func sandbox() throws -> Sandbox {
        lock.lock()
        defer { lock.unlock() }
        if result == nil {
            result = Result {
                let sandbox = try Sandbox()
                let install = try sandbox.pyman("install", "3.11", "3.13")
                guard install.status == 0 else { throw XCTSkipError("installing the fixtures failed: \(install.summary)") }
                return sandbox
            }
        }
        return try result!.get()
    }
}
