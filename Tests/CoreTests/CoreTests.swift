import Dispatch
import CLazyLoad
import FoundationEssentials
@testable import Core
import Synchronization
import XCTest

final class PathTests: XCTestCase {
    func testParentAndLastComponentFollowNSStringSemantics() {
        XCTAssertEqual(Path.parent("/a/b/c"), "/a/b")
        XCTAssertEqual(Path.parent("/a/b/c/"), "/a/b")
        XCTAssertEqual(Path.parent("/a"), "/")
        XCTAssertEqual(Path.parent("/"), "/")
        XCTAssertEqual(Path.parent("a"), "")
        XCTAssertEqual(Path.parent("a/b"), "a")
        XCTAssertEqual(Path.lastComponent("/a/b/c"), "c")
        XCTAssertEqual(Path.lastComponent("/a/b/c//"), "c")
        XCTAssertEqual(Path.lastComponent("/"), "/")
        XCTAssertEqual(Path.lastComponent("name"), "name")
    }

    func testJoinAndAbsoluteAreWhatURLGaveForFilePaths() {
        XCTAssertEqual(Path.join("/a", "b/c"), "/a/b/c")
        XCTAssertEqual(Path.join("/", "b"), "/b")
        XCTAssertEqual(Path.absolute("py", in: "/work/project"), "/work/project/py")
        XCTAssertEqual(Path.absolute("./a/../py/", in: "/work/project"), "/work/project/py")
        XCTAssertEqual(Path.absolute("../../../x", in: "/work/project"), "/x")
        XCTAssertEqual(Path.absolute("/opt//py/.", in: "/work"), "/opt/py")
        XCTAssertEqual(Path.absolute("/", in: "/work"), "/")
        for (path, folder) in [("py", "/work/project"), ("./a/../py/", "/w"), ("../x", "/a/b"), ("/opt//py/.", "/w")] {
            XCTAssertEqual(Path.absolute(path, in: folder),
                           URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: folder, isDirectory: true)).standardizedFileURL.path, path)
        }
        XCTAssertEqual(systemReason(PymanError.system("remove", "/x", .permissionDenied)), "Permission denied")
    }

    func testSystemReasonNamesTheErrno() {
        XCTAssertThrowsError(try Data(contentsOf: URL(fileURLWithPath: "/nonexistent-pyman/x"))) { error in
            XCTAssertEqual(systemReason(error), "No such file or directory")
        }
    }
}

final class TextTests: XCTestCase {
    func testTrimming() {
        XCTAssertEqual(" \t3.13 \t".trimmingBlanks(), "3.13")
        XCTAssertEqual("3.13\n".trimmingBlanks(), "3.13\n", "blanks are spaces and tabs only")
        XCTAssertEqual(" \n x y \r\n".trimmingWhitespace(), "x y")
        XCTAssertEqual("   ".trimmingBlanks(), "")
        XCTAssertEqual("".trimmingWhitespace(), "")
    }

    func testByteWiseSearch() {
        XCTAssertTrue("CFLAGS=-isysroot /sdk".containsBytes("-isysroot"))
        XCTAssertFalse("CFLAGS=-isysro".containsBytes("-isysroot"))
        XCTAssertTrue("abc".containsBytes(""))
        XCTAssertTrue("x-linux-gnu-ar"[...].containsBytes("-linux-"))
        XCTAssertEqual("aXbXXc".countOccurrences(of: "X"), 3)
        XCTAssertEqual("aaaa".countOccurrences(of: "aa"), 2, "without overlapping")
        XCTAssertEqual("déjà vu déjà".countOccurrences(of: "déjà"), 2)
        XCTAssertEqual("abc".countOccurrences(of: "abcd"), 0)
        XCTAssertEqual("aab".countOccurrences(of: "ab"), 1)
    }

    func testHexAndMebibytes() {
        XCTAssertEqual([0x00, 0x0a, 0xff, 0x10].hexString(), "000aff10")
        XCTAssertEqual(mebibytes(0), "0.0")
        XCTAssertEqual(mebibytes(1_048_576), "1.0")
        XCTAssertEqual(mebibytes(13_002_342), "12.4")
    }
}

final class ThreadTests: XCTestCase {
    func testBackgroundThreadsRunSideBySide() {
        let counter = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            BackgroundThread.start {
                for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
                done.signal()
            }
        }
        for _ in 0..<4 { done.wait() }
        XCTAssertEqual(counter.withLock { $0 }, 40_000)
    }
}

final class ChildProcessTests: XCTestCase {
    func testCollectsOutputAndStatus() throws {
        let ok = try ChildProcess.output(of: "/bin/sh", ["-c", "printf 'a\\nb'; echo ignored >&2; exit 3"])
        XCTAssertEqual(ok.status, 3)
        XCTAssertEqual(String(decoding: ok.stdout, as: UTF8.self), "a\nb")
        let big = try ChildProcess.output(of: "/bin/sh", ["-c", "head -c 300000 /dev/zero"])
        XCTAssertEqual(big.stdout.count, 300_000, "more than a pipe buffer must not deadlock")
        let killed = try ChildProcess.output(of: "/bin/sh", ["-c", "kill -9 $$"])
        XCTAssertEqual(killed.status, 128 + 9)
        XCTAssertThrowsError(try ChildProcess.output(of: "/nonexistent/python", []))
    }

    /// Anything found on PATH is run: one that hangs or floods stdout is stopped, not waited for.
    func testAHangingOrFloodingProgramIsStopped() throws {
        let start = ContinuousClock.now
        XCTAssertThrowsError(try ChildProcess.output(of: "/bin/sleep", ["30"], timeout: 0.5)) { error in
            XCTAssertEqual("\(error)", "/bin/sleep did not finish within 1 s; stopped it")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        XCTAssertThrowsError(try ChildProcess.output(of: "/bin/sh", ["-c", "exec cat /dev/zero"])) { error in
            XCTAssertEqual("\(error)", "/bin/sh wrote more than 1024 KiB; stopped it")
        }
        let quick = try ChildProcess.output(of: "/bin/sh", ["-c", "sleep 0.2; echo late"], timeout: 5)
        XCTAssertEqual(String(decoding: quick.stdout, as: UTF8.self), "late\n", "a slow answer within the time is kept")
    }

    /// `each` hands outcomes over in order and stops when told: what comes after is never started; the
    /// next command starts when none runs, or `stagger` after the one before started; one that cannot
    /// start is handed over at once.
    func testEachStopsWhenToldAndStaggersStarts() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-each-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        var seen: [String] = []
        ChildProcess.each(of: [("/bin/sh", ["-c", "echo a"]), ("/bin/sh", ["-c", "touch '\(marker.path)'"])], stagger: 5) { index, outcome in
            seen.append("\(index) \(String(decoding: (try? outcome?.get())?.stdout ?? [], as: UTF8.self))")
            return false
        }
        XCTAssertEqual(seen, ["0 a\n"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "the second was never started")

        let start = ContinuousClock.now
        seen = []
        ChildProcess.each(of: [("/nonexistent/python", []), ("/bin/sleep", ["30"]), ("/bin/sh", ["-c", "echo b"]), ("/bin/sleep", ["30"])],
                          timeout: 1, stagger: 0.3) { index, outcome in
            switch outcome {
            case .success(let output)?: seen.append("\(index) \(String(decoding: output.stdout, as: UTF8.self))")
            case .failure(let error)?: seen.append("\(index) \(error)")
            case nil: seen.append("\(index) not started")
            }
            return true
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1.5))
        XCTAssertEqual(seen, ["0 cannot run /nonexistent/python: No such file or directory", "1 /bin/sleep did not finish within 1 s; stopped it",
                              "2 b\n", "3 /bin/sleep did not finish within 1 s; stopped it"])
        let quick = ContinuousClock.now
        XCTAssertThrowsError(try ChildProcess.output(of: "/nonexistent/python", []))
        XCTAssertLessThan(ContinuousClock.now - quick, .seconds(0.5))
    }

    /// A batch shares one deadline: three programs that hang cost it once, a program that closes its
    /// stdout and goes on running is killed at it too, and the quick ones' answers are kept.
    func testABatchOfHangingProgramsCostsOneDeadline() throws {
        let start = ContinuousClock.now
        let results = ChildProcess.outputs(of: [
            ("/bin/sleep", ["30"]), ("/bin/sh", ["-c", "echo quick"]), ("/bin/sleep", ["30"]),
            ("/bin/sh", ["-c", "exec >&-; exec sleep 30"]), ("/bin/sleep", ["30"]), ("/nonexistent/python", []),
        ], timeout: 1)
        let elapsed = ContinuousClock.now - start
        XCTAssertLessThan(elapsed, .seconds(2.5), "one deadline for the batch, not one per program")
        XCTAssertGreaterThanOrEqual(elapsed, .seconds(1))
        let texts = results.map { result in
            switch result {
            case .success(let output): return "\(output.status) \(String(decoding: output.stdout, as: UTF8.self))"
            case .failure(let error): return "\(error)"
            }
        }
        XCTAssertEqual(texts, [
            "/bin/sleep did not finish within 1 s; stopped it", "0 quick\n", "/bin/sleep did not finish within 1 s; stopped it",
            "/bin/sh did not finish within 1 s; stopped it", "/bin/sleep did not finish within 1 s; stopped it",
            "cannot run /nonexistent/python: No such file or directory",
        ])
    }
}

final class AtomicFileTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-atomic-\(UInt32.random(in: 0 ... .max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        chmod(folder, 0o755)
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testReplacesWithModeWhateverTheUmaskAndLeavesNoTemporary() throws {
        let path = folder + "/file"
        let old = umask(0o077)
        defer { umask(old) }
        for durable in [false, true] {
            try AtomicFile.write("one \(durable)", to: path, mode: 0o644, durable: durable)
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "one \(durable)")
            XCTAssertEqual(try AtomicFile.permissions(of: path), 0o644)
        }
        try AtomicFile.write([UInt8](), to: path, mode: 0o755)
        XCTAssertEqual(try AtomicFile.permissions(of: path), 0o755)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["file"])
    }

    func testReplacesASymlinkRatherThanWritingThroughIt() throws {
        let victim = folder + "/victim", link = folder + "/link"
        try AtomicFile.write("precious", to: victim)
        XCTAssertEqual(symlink(victim, link), 0)
        try AtomicFile.write("new", to: link)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")
        XCTAssertEqual(try String(contentsOfFile: link, encoding: .utf8), "new")
        XCTAssertThrowsError(try FileManager.default.destinationOfSymbolicLink(atPath: link), "link is now a file")
    }

    func testFailureNamesPathAndReason() throws {
        guard getuid() != 0 else {
            // root writes into a 0555 folder anyway; a missing folder fails for everyone.
            XCTAssertThrowsError(try AtomicFile.write("x", to: folder + "/missing/file")) { error in
                XCTAssertEqual("\(error)", "cannot write \(folder)/missing/file: No such file or directory", "names the file, not its temporary")
            }
            return
        }
        chmod(folder, 0o555)
        XCTAssertThrowsError(try AtomicFile.write("x", to: folder + "/file")) { error in
            XCTAssertTrue("\(error)".hasSuffix(": Permission denied"), "\(error)")
        }
    }
}

/// CLazyLoad: how pyman opens libcurl, libarchive and libisal, and what it says when one is missing.
final class LazyLoadTests: XCTestCase {
    func open(_ names: [String]) -> (OpaquePointer?, String) {
        var error = [CChar](repeating: 0, count: 512)
        let cNames = names.map { strdup($0) } + [nil]
        defer { cNames.forEach { free($0) } }
        let handle = cNames.withUnsafeBufferPointer { list in
            list.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: list.count) {
                pyman_lazy_open($0, "libnothing", "libnothing9", &error, error.count)
            }
        }
        return (handle.map(OpaquePointer.init), String(cString: error))
    }

    func testMissingLibraryIsOneLineNamingThePackage() {
        let (handle, message) = open(["libpyman-does-not-exist.so.9", "libpyman-nor-this.so"])
        XCTAssertNil(handle)
        XCTAssertEqual(message, "cannot load libnothing (libpyman-does-not-exist.so.9: cannot open shared object file: No such file or directory); install it (Debian/Ubuntu: apt-get install libnothing9)")
    }

    func testFirstLoadableNameWinsAndSymbolsResolve() throws {
        let (handle, _) = open(["libpyman-does-not-exist.so.9", "libc.so.6"])
        let library = try XCTUnwrap(handle)
        var error = [CChar](repeating: 0, count: 512)
        XCTAssertNotNil(pyman_lazy_symbol(UnsafeMutableRawPointer(library), "getpid", "libc", &error, error.count))
        XCTAssertNil(pyman_lazy_symbol(UnsafeMutableRawPointer(library), "pyman_no_such_symbol", "libc", &error, error.count))
        XCTAssertEqual(String(cString: error), "libc has no pyman_no_such_symbol: it is too old for pyman; upgrade it")
    }
}
