import Dispatch
import FoundationEssentials
@testable import Core
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

    func testHexAndMebibytes() {
        XCTAssertEqual([0x00, 0x0a, 0xff, 0x10].hexString(), "000aff10")
        XCTAssertEqual(mebibytes(0), "0.0")
        XCTAssertEqual(mebibytes(1_048_576), "1.0")
        XCTAssertEqual(mebibytes(13_002_342), "12.4")
    }
}

final class ThreadTests: XCTestCase {
    func testBackgroundThreadRunsAndLockSerialises() {
        final class Counter: @unchecked Sendable { var value = 0; let lock = Lock() }
        let counter = Counter()
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            BackgroundThread.start {
                for _ in 0..<10_000 { counter.lock.withLock { counter.value += 1 } }
                done.signal()
            }
        }
        for _ in 0..<4 { done.wait() }
        XCTAssertEqual(counter.value, 40_000)
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
}
