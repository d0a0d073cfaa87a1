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
    public static func output(of executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: [UInt8]) {
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
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 { output += buffer[0..<n]; continue }
            if n < 0, errno == EINTR { continue }
            break
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0, errno == EINTR {}
        let exited = waitStatus & 0x7f == 0
        return (exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f), output)
    }
}
