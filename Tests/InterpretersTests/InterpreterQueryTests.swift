import Foundation
import TestSupport
import XCTest
import Core
@testable import Interpreters

/// The interpreter cache is read only from files nobody else could have written, each field is checked,
/// and the executable is always the path asked about; a rejected entry is asked again, not obeyed.
final class InterpreterQueryTests: XCTestCase {
    var root: URL!
    var query: InterpreterQuery!

    override func setUpWithError() throws {
        root = try scratchFolder("query")
        query = InterpreterQuery(cacheDir: root.appendingPathComponent("cache").path)
    }

    static let answer = #"{"executable": "/somewhere/else", "version": "3.11.2", "versionInfo": "3.11.2.final.0", "implementation": "CPython", "stdlibName": "python3.11", "prefix": "/opt/fake"}"#

    /// A program that counts the times it is run in `<name>.runs` and prints `output` (or sleeps, or fails).
    func fake(_ name: String, printing output: String = answer, exit status: Int = 0, hanging: Bool = false) throws -> String {
        let path = root.appendingPathComponent(name).path
        let script = "#!/bin/sh\necho run >> '\(path).runs'\n" + (hanging ? "exec sleep 30\n" : "printf '%s\\n' '\(output)'\nexit \(status)\n")
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, 0o755), 0)
        return path
    }

    func runs(_ path: String) -> Int {
        ((try? String(contentsOfFile: path + ".runs", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    func failure(_ result: Result<BaseInterpreter, PymanError>?) -> String {
        if case .failure(let error) = result { return "\(error)" }
        return "no failure"
    }

    /// Every outcome, as discovery's search sees them (a Python asked 0.2 s after the one before it
    /// started, if that one has not answered yet).
    func describeAll(_ paths: [String], timeout: Double) -> [Result<BaseInterpreter, PymanError>?] {
        var outcomes = [Result<BaseInterpreter, PymanError>?](repeating: nil, count: paths.count)
        query.describeEach(paths, timeout: timeout, stagger: 0.2) { index, outcome in
            outcomes[index] = outcome
            return true
        }
        return outcomes
    }

    func entryFile(_ path: String) -> String { query.cacheFile(for: path) }

    func base(_ change: (inout BaseInterpreter) -> Void = { _ in }) -> BaseInterpreter {
        var interpreter = BaseInterpreter(executable: "/usr/bin/python3.11", version: "3.11.2", versionInfo: "3.11.2.final.0",
                                          implementation: "CPython", stdlibName: "python3.11", prefix: "/usr")
        change(&interpreter)
        return interpreter
    }

    func testAnswersAreCachedAndTheExecutableIsThePathAsked() throws {
        let python = try fake("python3.11")
        let first = try query.describe(python)
        XCTAssertEqual(first.executable, python, "never the executable the answer names")
        XCTAssertEqual(first.prefix, "/opt/fake")
        XCTAssertEqual(try query.describe(python), first)
        XCTAssertEqual(runs(python), 1, "the second answer came from the cache")
    }

    func testAnEntryOthersCouldWriteIsAskedAgainNotObeyed() throws {
        let python = try fake("python3.11")
        _ = try query.describe(python)
        // Rewrite the entry to name another program, as someone able to write the cache would.
        let file = entryFile(python)
        let planted = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "\\/opt\\/fake", with: "\\/home\\/mallory")
            .replacingOccurrences(of: "/opt/fake", with: "/home/mallory")
        XCTAssertTrue(planted.contains("mallory"), planted)
        try Data(planted.utf8).write(to: URL(fileURLWithPath: file))

        XCTAssertEqual(chmod(file, 0o666), 0)
        XCTAssertEqual(try query.describe(python).prefix, "/opt/fake", "an entry others can write is not read")
        XCTAssertEqual(runs(python), 2)

        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: root.appendingPathComponent("elsewhere.json").path)
        try Data(planted.utf8).write(to: root.appendingPathComponent("elsewhere.json"))
        XCTAssertEqual(try query.describe(python).prefix, "/opt/fake", "a link is not followed")
        XCTAssertEqual(runs(python), 3)
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: file), "the link was replaced by a real entry")
    }

    func testACachedEntryNamingAnotherExecutableOrUnsoundFieldsIsNotObeyed() throws {
        let python = try fake("python3.11")
        let stamp = try InterpreterQuery.stamp(python)
        // An entry in a trusted file whose executable names another program: the path asked is used.
        query.store(.init(path: python, stamp: stamp, interpreter: base { $0.executable = "/tmp/evil" }))
        XCTAssertEqual(try query.describe(python).executable, python)
        XCTAssertEqual(runs(python), 0, "a sound entry is used, its executable field is not")
        // An entry whose stdlib folder climbs out of the venv is asked again.
        query.store(.init(path: python, stamp: stamp, interpreter: base { $0.stdlibName = "../../../../tmp/OUTSIDE" }))
        XCTAssertEqual(try query.describe(python).stdlibName, "python3.11")
        XCTAssertEqual(runs(python), 1)
    }

    func testEveryFieldIsChecked() {
        XCTAssertNil(InterpreterQuery.problem(with: base()))
        XCTAssertNil(InterpreterQuery.problem(with: base { $0.stdlibName = "python3.11t" }))
        XCTAssertNil(InterpreterQuery.problem(with: base { $0.version = "3.14.0rc1"; $0.versionInfo = "3.14.0.candidate.1"; $0.stdlibName = "python3.14" }))
        XCTAssertNil(InterpreterQuery.problem(with: base { $0.version = "3.10.14"; $0.versionInfo = "3.10.14.final.0"; $0.implementation = "PyPy"; $0.stdlibName = "pypy3.10" }))
        XCTAssertNil(InterpreterQuery.problem(with: base { $0.prefix = "/" }))
        let bad: [(String, (inout BaseInterpreter) -> Void)] = [
            ("stdlib folder '../../../../tmp/OUTSIDE' is not python3.11, python3.11t or pypy3.11", { $0.stdlibName = "../../../../tmp/OUTSIDE" }),
            ("stdlib folder 'python3.12' is not python3.11, python3.11t or pypy3.11", { $0.stdlibName = "python3.12" }),
            ("version '3.11.2\\ninclude-system-site-packages = t' is not like 3.13.5 or 3.14.0rc1", { $0.version = "3.11.2\ninclude-system-site-packages = true" }),
            ("version '3.11' is not like 3.13.5 or 3.14.0rc1", { $0.version = "3.11" }),
            ("version_info '3.11.2.final.0\\nx' does not match version 3.11.2", { $0.versionInfo = "3.11.2.final.0\nx" }),
            ("implementation 'C Python' is not a plain name", { $0.implementation = "C Python" }),
            ("prefix 'usr' is not a plain absolute path", { $0.prefix = "usr" }),
            ("prefix '/usr/../home/mallory' is not a plain absolute path", { $0.prefix = "/usr/../home/mallory" }),
            ("prefix '/usr\\n' is not a plain absolute path", { $0.prefix = "/usr\n" }),
        ]
        for (message, change) in bad { XCTAssertEqual(InterpreterQuery.problem(with: base(change)), message) }
    }

    func testAnUnsoundAnswerIsRefusedInOneLine() throws {
        let python = try fake("python3.11", printing: Self.answer.replacingOccurrences(of: "\"python3.11\"", with: "\"../../x\""))
        XCTAssertThrowsError(try query.describe(python)) { error in
            XCTAssertEqual("\(error)", "\(python) did not answer like a Python interpreter: stdlib folder '../../x' is not python3.11, python3.11t or pypy3.11; pass --python a Python 3 executable")
        }
    }

    /// Discovery's batch: failures are remembered by path and file stamp and not run again until the
    /// file changes; those that hang cost one deadline together.
    func testFailuresAreRememberedUntilTheFileChanges() throws {
        let broken = try fake("python3.20", printing: "nope", exit: 1)
        let python = try fake("python3.11")
        let hanging = try (1...3).map { try fake("python3.2\($0)", hanging: true) }
        let start = ContinuousClock.now
        let first = describeAll([broken] + hanging + [python], timeout: 1)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3), "three that hang cost one deadline")
        XCTAssertEqual(first.map { (try? $0?.get())?.executable }, [nil, nil, nil, nil, python], "the one behind them was asked within the deadline")
        XCTAssertEqual(failure(first[1]), "cannot run \(hanging[0]): \(hanging[0]) did not finish within 1 s; stopped it; pass --python a Python interpreter")

        let again = ContinuousClock.now
        let second = describeAll([broken] + hanging + [python], timeout: 1)
        XCTAssertLessThan(ContinuousClock.now - again, .seconds(0.5), "nothing is run again")
        XCTAssertEqual(failure(second[0]), "\(broken) gave no answer when last asked, and has not changed since")
        XCTAssertEqual(([broken] + hanging + [python]).map(runs), [1, 1, 1, 1, 1])

        XCTAssertThrowsError(try query.describe(broken), "given on purpose, it is asked again, not refused from memory")
        XCTAssertEqual(runs(broken), 2)
        _ = try fake("python3.20")  // the file changes: discovery asks it again
        XCTAssertEqual(try describeAll([broken], timeout: 1)[0]?.get().executable, broken)
        XCTAssertEqual(runs(broken), 3)
    }

    /// The search stops at the first Python its caller accepts: those after it are not run, and a
    /// remembered answer before them costs no process.
    func testNothingAfterTheAcceptedPythonIsRun() throws {
        let first = try fake("python3.11"), second = try fake("python3.12"), third = try fake("python3.13", hanging: true)
        var seen: [Int] = []
        query.describeEach([first, second, third], stagger: 0.2) { index, _ in seen.append(index); return index < 0 }
        XCTAssertEqual(seen, [0])
        XCTAssertEqual([first, second, third].map(runs), [1, 0, 0])
        seen = []
        query.describeEach([first, second, third], stagger: 0.2) { index, _ in seen.append(index); return index < 0 }
        XCTAssertEqual([first, second, third].map(runs), [1, 0, 0], "from the cache")
        let start = ContinuousClock.now
        query.describeEach([third, first, second], timeout: 1, stagger: 0.2) { index, outcome in
            seen.append(index)
            return (try? outcome?.get()) == nil
        }
        XCTAssertEqual(seen, [0, 0, 1], "the one that hangs, then the cached one, accepted")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1.5))
        XCTAssertEqual([first, second, third].map(runs), [1, 1, 1], "the next unknown one was started 0.2 s after the one that hangs")
    }

    /// Past the deadline, a Python not yet asked is handed over as nil and not remembered as failed.
    func testAPythonNotAskedBeforeTheDeadlineIsNotRememberedAsFailed() throws {
        let hanging = try (1...3).map { try fake("python3.2\($0)", hanging: true) }
        let python = try fake("python3.11")
        let outcomes = describeAll(hanging + [python], timeout: 0.3)
        XCTAssertNil(outcomes[3], "0.3 s: the fourth was to start at 0.6 s")
        XCTAssertEqual(runs(python), 0)
        XCTAssertEqual(try describeAll([python], timeout: 1)[0]?.get().executable, python, "asked next time")
    }
}
