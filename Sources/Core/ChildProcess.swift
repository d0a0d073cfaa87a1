#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Runs a program and collects its standard output (Foundation's Process is not in FoundationEssentials).
public enum ChildProcess {
    /// Runs `executable` with `arguments` (argv[0] is the executable), stdin and stderr on /dev/null,
    /// and returns its exit status (or 128 + signal) and everything it wrote to stdout.
    /// Bounded, since the executable may be anything found on PATH: one that has not finished within
    /// `timeout` seconds, or writes more than `limit` bytes, is killed and the call throws.
    public static func output(of executable: String, _ arguments: [String], timeout: Double = 10,
                              limit: Int = 1 << 20) throws -> (status: Int32, stdout: [UInt8]) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw PymanError.system("create", "a pipe", lastErrno) }
        defer { close(fds[0]) }

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
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(fds[1])
        guard status == 0 else { throw PymanError.system("run", executable, Errno(rawValue: status)) }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = monotonicSeconds() + timeout
        var stopped: String?
        while true {
            let left = deadline - monotonicSeconds()
            if left <= 0 { stopped = "did not finish within \(Int(timeout.rounded(.up))) s"; break }
            var fd = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 { continue }  // the deadline is checked above
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 {
                output += buffer[0..<n]
                if output.count > limit { stopped = "wrote more than \(limit >> 10) KiB"; break }
                continue
            }
            if n < 0, errno == EINTR { continue }
            break
        }
        if let stopped {
            kill(pid, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(pid, &ignored, 0) < 0, errno == EINTR {}
            throw PymanError("\(executable) \(stopped); stopped it")
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0, errno == EINTR {}
        let exited = waitStatus & 0x7f == 0
        return (exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f), output)
    }

    /// CLOCK_MONOTONIC in seconds: unaffected by changes of the wall clock.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
