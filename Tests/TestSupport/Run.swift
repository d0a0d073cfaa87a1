import Foundation
import XCTest

/// The output of a finished process.
public struct Run: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var command: String

    public init(status: Int32, stdout: String, stderr: String, command: String) {
        (self.status, self.stdout, self.stderr, self.command) = (status, stdout, stderr, command)
    }

    public var summary: String { "`\(command)` exited \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs `executable` with `arguments`, waiting for it, stdin from /dev/null; output is captured through
/// files so a chatty child never blocks on a full pipe. `environment` nil: the test's own. Past `timeout`
/// seconds the program is killed and the test fails, so a hang costs a bounded time, not the whole run.
public func run(_ executable: String, _ arguments: [String], cwd: URL? = nil, environment: [String: String]? = nil,
                timeout: TimeInterval? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Run {
    let started = try StartedProcess(executable, arguments, cwd: cwd, environment: environment)
    started.wait(timeout: timeout, file: file, line: line)
    return started.finished()
}

/// A started program whose stdout and stderr go to files in a scratch folder of its own, read once it
/// ended: `run`'s, and the end-to-end tests' background processes (killed or raced).
public final class StartedProcess {
    public let process = Process()
    public let command: String
    private let scratch: ScratchFolder

    public init(_ executable: String, _ arguments: [String], cwd: URL?, environment: [String: String]?) throws {
        command = ([executable] + arguments).joined(separator: " ")
        scratch = try ScratchFolder("run")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = cwd }
        if let environment { process.environment = environment }
        for name in ["out", "err"] { FileManager.default.createFile(atPath: file(name).path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: file("out"))
        process.standardError = try FileHandle(forWritingTo: file("err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        kill9()
    }

    private func file(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    public func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the exit; past `timeout` seconds (nil: no limit) the process is killed and the test fails.
    public func wait(timeout: TimeInterval?, file: StaticString = #filePath, line: UInt = #line) {
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning {
                XCTFail("`\(command)` still running after \(Int(timeout))s; killed", file: file, line: line)
                kill9()
            }
        }
        process.waitUntilExit()
    }

    /// What the ended process printed, and its status.
    public func finished() -> Run {
        Run(status: process.terminationStatus,
            stdout: (try? String(contentsOf: file("out"), encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: file("err"), encoding: .utf8)) ?? "",
            command: command)
    }
}
