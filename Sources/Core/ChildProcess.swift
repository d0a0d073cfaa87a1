#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Runs programs and collects their standard output (Foundation's Process is not in FoundationEssentials).
public enum ChildProcess {
    /// An exit status (or 128 + signal) and everything written to stdout.
    public typealias Output = (status: Int32, stdout: [UInt8])

    /// Runs `executable` with `arguments` (argv[0] is the executable), stdin and stderr on /dev/null,
    /// and returns its exit status (or 128 + signal) and everything it wrote to stdout.
    /// Bounded, since the executable may be anything found on PATH: one that has not finished within
    /// `timeout` seconds, or writes more than `limit` bytes, is killed and the call throws.
    public static func output(of executable: String, _ arguments: [String], timeout: Double = 10,
                              limit: Int = 1 << 20) throws -> Output {
        try outputs(of: [(executable, arguments)], timeout: timeout, limit: limit)[0].get()
    }

    /// As `output(of:)`, with stderr going where stdout goes (`2>&1`), for a program whose errors are
    /// the point (pip's).
    public static func combinedOutput(of executable: String, _ arguments: [String], timeout: Double,
                                      limit: Int = 1 << 20) throws -> Output {
        var outcome: Result<Output, PymanError>?
        each(of: [(executable, arguments)], timeout: timeout, limit: limit, mergingStandardError: true) { _, result in
            outcome = result
            return true
        }
        return try (outcome ?? .failure(PymanError("\(executable) was not run"))).get()
    }

    /// Runs every command at once and waits for them all, each bounded as `output(of:)` is but under one
    /// deadline for the whole batch: `timeout` seconds after the start, whatever is still running is
    /// killed. So a batch of programs that each hang costs `timeout`, not `timeout` per program.
    /// One result per command, in order.
    public static func outputs(of commands: [(executable: String, arguments: [String])], timeout: Double = 10,
                               limit: Int = 1 << 20) -> [Result<Output, PymanError>] {
        var results: [Result<Output, PymanError>] = []
        each(of: commands, timeout: timeout, limit: limit) { _, result in
            results.append(result ?? .failure(PymanError("not run")))  // with no stagger, all are started
            return true
        }
        return results
    }

    /// Runs `commands` under one deadline, handing each outcome to `body` in the commands' order as soon
    /// as it and those before it are known; when `body` returns false, whatever still runs is killed and
    /// nothing more is started. Command i + 1 starts when none is running, or `stagger` seconds after
    /// command i started: so a first command that answers quickly is the only one run when `body` is
    /// content with it, while commands that hang delay the next by `stagger` only. Once `timeout` has
    /// passed, running commands are killed (their outcome says so) and those not started yet are handed
    /// over as nil.
    public static func each(of commands: [(executable: String, arguments: [String])], timeout: Double = 10,
                            stagger: Double = 0, limit: Int = 1 << 20, mergingStandardError: Bool = false,
                            _ body: (Int, Result<Output, PymanError>?) -> Bool) {
        var outcomes = [Result<Output, PymanError>??](repeating: nil, count: commands.count)
        var running: [Running] = []
        defer { for child in running { stop(child) } }
        var next = 0, delivered = 0
        var lastStart = -Double.infinity
        let deadline = monotonicSeconds() + timeout
        let late = "did not finish within \(Int(timeout.rounded(.up))) s"
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            while delivered < commands.count, let outcome = outcomes[delivered] {
                if !body(delivered, outcome) { return }
                delivered += 1
            }
            if delivered == commands.count { return }
            var now = monotonicSeconds()
            if now >= deadline {
                for child in running {
                    stop(child)
                    outcomes[child.index] = .some(.failure(PymanError("\(child.executable) \(child.stopped ?? late); stopped it")))
                }
                running = []
                while next < commands.count { outcomes[next] = .some(nil); next += 1 }
                continue
            }
            while next < commands.count, running.isEmpty || now >= lastStart + stagger {
                do {
                    running.append(try spawn(commands[next].executable, commands[next].arguments, index: next, mergingStandardError: mergingStandardError))
                } catch {
                    outcomes[next] = .some(.failure(error as? PymanError ?? PymanError("cannot run \(commands[next].executable): \(error)")))
                }
                lastStart = now
                next += 1
                now = monotonicSeconds()
            }
            if outcomes[delivered] != nil { continue }  // one that could not start is handed over at once
            // Sleep until output arrives, the next start, the deadline, or (when a child has closed its
            // stdout but not exited yet) a few milliseconds.
            var wake = deadline
            if next < commands.count { wake = min(wake, lastStart + stagger) }
            if running.contains(where: { !$0.open }) { wake = min(wake, now + 0.005) }
            let open = running.indices.filter { running[$0].open }
            var fds = open.map { pollfd(fd: running[$0].fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(max(0, min(wake - now, 60) * 1000).rounded(.up)))
            if ready > 0 {
                for (slot, index) in open.enumerated() where fds[slot].revents != 0 {
                    let n = read(running[index].fd, &buffer, buffer.count)
                    if n > 0 {
                        running[index].output += buffer[0..<n]
                        if running[index].output.count > limit {
                            running[index].stopped = "wrote more than \(limit >> 10) KiB"
                            running[index].open = false
                        }
                    } else if !(n < 0 && errno == EINTR) {
                        running[index].open = false
                    }
                }
            }
            // Collect those whose stdout is closed and that have exited (or were stopped for their output).
            running.removeAll { child in
                guard !child.open else { return false }
                if let stopped = child.stopped {
                    stop(child)
                    outcomes[child.index] = .some(.failure(PymanError("\(child.executable) \(stopped); stopped it")))
                    return true
                }
                var waitStatus: Int32 = 0
                guard waitpid(child.pid, &waitStatus, WNOHANG) == child.pid else { return false }
                close(child.fd)
                let exited = waitStatus & 0x7f == 0
                outcomes[child.index] = .some(.success((exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f), child.output)))
                return true
            }
        }
    }

    /// Kills a child still running (or already exited: the kill is then harmless) and reaps it.
    static func stop(_ child: Running) {
        close(child.fd)
        kill(child.pid, SIGKILL)
        var ignored: Int32 = 0
        while waitpid(child.pid, &ignored, 0) < 0, errno == EINTR {}
    }

    /// One started child: the read end of its stdout pipe and what came through it so far.
    struct Running {
        var index: Int
        var executable: String
        var pid: pid_t
        var fd: Int32
        var output: [UInt8] = []
        var open = true
        /// Why it was killed: too slow, or too much output.
        var stopped: String?
    }

    static func spawn(_ executable: String, _ arguments: [String], index: Int, mergingStandardError: Bool = false) throws -> Running {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw PymanError.system("create", "a pipe", lastErrno) }
        // Close-on-exec, so children started in the same batch do not hold each other's pipes open
        // (dup2 onto stdout clears the flag for the child's own).
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        if mergingStandardError {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw PymanError.system("run", executable, Errno(rawValue: status))
        }
        return Running(index: index, executable: executable, pid: pid, fd: fds[0])
    }

    /// CLOCK_MONOTONIC in seconds: unaffected by changes of the wall clock.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
