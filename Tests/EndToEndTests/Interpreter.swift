import Foundation
import XCTest

/// The fixture Pythons, and proof that an interpreter really is the pyman install it claims to be.
struct FixturePython {
    var version: String
    /// The python-build-standalone release tag its archive is named with.
    var build = Fixture.build
    /// libpython linked into `bin/python3.X`, as python-build-standalone builds it since April 2025:
    /// the interpreter maps no libpython.so.
    var isStatic = false
    var minor: String { version.split(separator: ".").prefix(2).joined(separator: ".") }
    var key: String { "cpython-\(version)-linux-x86_64-gnu" }
    var minorLink: String { "cpython-\(minor)-linux-x86_64-gnu" }
    var executable: String { "python\(minor)" }
    var archive: String { "cpython-\(version)+\(build)-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz" }
    /// `3.13.15`, `3.13.15-static`: tells two builds of one version apart in messages and folder names.
    var name: String { version + (isStatic ? "-static" : "") }

    /// The two installed together by `InstalledWorld.sandbox()`, which most tests share.
    static let all = [FixturePython(version: "3.11.2"), FixturePython(version: "3.13.5")]
    /// Every CPython fixture (make fixtures), each installed alone by `InstalledWorld.sandbox(for:)`:
    /// 3.9 (which no getpath of python-build-standalone resolves), and 3.13.15 built both ways.
    static let matrix = [FixturePython(version: "3.9.2")] + all
        + [FixturePython(version: "3.13.15"), FixturePython(version: "3.13.15", build: "20251217", isStatic: true)]
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
    if fixture.isStatic {
        XCTAssertTrue(lines[2].isEmpty, "\(python) maps \(lines[2]), though its libpython is linked in", file: file, line: line)
    } else {
        XCTAssertFalse(lines[2].isEmpty, "\(python) maps no libpython: it is not a shared standalone build", file: file, line: line)
    }
    let allowed = (libraryFolder?.resolvingSymlinksInPath().path ?? real + "/lib") + "/"
    for library in lines[2].split(separator: ":") {
        XCTAssertTrue(library.hasPrefix(allowed), "\(python) loaded \(library), not \(allowed)'s", file: file, line: line)
    }
}

/// One sandbox with both fixture Pythons installed, shared by the read-only tests of a test class.
final class InstalledWorld: @unchecked Sendable {
    static let shared = InstalledWorld()
    private var result: Result<Sandbox, Error>?
    private var alone: [String: Result<Sandbox, Error>] = [:]
    private let lock = NSLock()

    /// A sandbox with `fixture` alone installed, from a catalogue of its archive only.
    func sandbox(for fixture: FixturePython) throws -> Sandbox {
        lock.lock()
        defer { lock.unlock() }
        if alone[fixture.name] == nil {
            alone[fixture.name] = Result {
                let sandbox = try Sandbox()
                sandbox.environment["PYMAN_DOWNLOADS_JSON"] = try sandbox.catalogue([(fixture.key, fixture.archive, try Fixture.sha256(fixture.archive))]).path
                let install = try sandbox.pyman("install", fixture.version)
                guard install.status == 0 else { throw XCTSkipError("installing the fixture \(fixture.name) failed: \(install.summary)") }
                return sandbox
            }
        }
        return try alone[fixture.name]!.get()
    }

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

/// The C extension the sysconfig and PyPy tests compile: module `spam`, whose `answer()` is 42.
enum CExtension {
    static func write(into folder: URL) throws {
        try """
        #include <Python.h>
        static PyObject *answer(PyObject *self, PyObject *args) { return PyLong_FromLong(42); }
        static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
        static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spam", NULL, -1, methods};
        PyMODINIT_FUNC PyInit_spam(void) { return PyModule_Create(&module); }
        """.write(to: folder.appendingPathComponent("spam.c"), atomically: true, encoding: .utf8)
    }
}
