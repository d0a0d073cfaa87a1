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

    /// Runs every command at once and waits for them all, each bounded as `output(of:)` is but under one
    /// deadline for the whole batch: `timeout` seconds after the start, whatever is still running is
    /// killed. So a batch of programs that each hang costs `timeout`, not `timeout` per program.
    /// One result per command, in order.
    public static func outputs(of commands: [(executable: String, arguments: [String])], timeout: Double = 10,
                               limit: Int = 1 << 20) -> [Result<Output, PymanError>] {
        var results = [Result<Output, PymanError>?](repeating: nil, count: commands.count)
        var running: [Running] = []
        for (index, command) in commands.enumerated() {
            do {
                running.append(try spawn(command.executable, command.arguments, index: index))
            } catch {
                results[index] = .failure(error as? PymanError ?? PymanError("cannot run \(command.executable): \(error)"))
            }
        }
        let deadline = monotonicSeconds() + timeout
        let late = "did not finish within \(Int(timeout.rounded(.up))) s"
        drain(&running, until: deadline, limit: limit, late: late)
        // Every pipe is closed; reap each child, killing one that has closed its stdout but not exited.
        for index in running.indices { close(running[index].fd) }
        while running.contains(where: { $0.status == nil }) {
            let overdue = monotonicSeconds() >= deadline
            for index in running.indices where running[index].status == nil {
                var waitStatus: Int32 = 0
                if running[index].stopped == nil, waitpid(running[index].pid, &waitStatus, WNOHANG) == running[index].pid {
                    let exited = waitStatus & 0x7f == 0
                    running[index].status = exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
                } else if running[index].stopped != nil || overdue {
                    if running[index].stopped == nil { running[index].stopped = late }
                    kill(running[index].pid, SIGKILL)
                    while waitpid(running[index].pid, &waitStatus, 0) < 0, errno == EINTR {}
                    running[index].status = -1
                }
            }
            if running.contains(where: { $0.status == nil }) { BackgroundThread.sleep(seconds: 0.005) }
        }
        for child in running {
            results[child.index] = child.stopped.map { .failure(PymanError("\(child.executable) \($0); stopped it")) }
                ?? .success((child.status ?? -1, child.output))
        }
        return results.map { $0! }
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
        var status: Int32?
    }

    static func spawn(_ executable: String, _ arguments: [String], index: Int) throws -> Running {
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
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

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

    /// Reads every open pipe until each is at its end, or `deadline` passes, or a child writes more than
    /// `limit` bytes (that child is marked stopped).
    static func drain(_ running: inout [Running], until deadline: Double, limit: Int, late: String) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let open = running.indices.filter { running[$0].open }
            if open.isEmpty { return }
            let left = deadline - monotonicSeconds()
            if left <= 0 {
                for index in open { running[index].stopped = late }
                return
            }
            var fds = open.map { pollfd(fd: running[$0].fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready <= 0 { continue }  // EINTR, or the deadline, which is checked above
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
    }

    /// CLOCK_MONOTONIC in seconds: unaffected by changes of the wall clock.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
