#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// What pyman asks the system about its own process and machine.
public enum ProcessEnvironment {
    public static var processID: Int32 { getpid() }

    /// The user whose rights pyman runs with (what owns the files it creates).
    public static var effectiveUserID: UInt32 { UInt32(geteuid()) }

    /// The home folder from the password database, for a process started without HOME.
    public static func passwordHome() -> String {
        guard let entry = getpwuid(getuid()), let home = entry.pointee.pw_dir else { return "/" }
        return String(cString: home)
    }

    /// Whether standard error is a terminal (progress bars are drawn only then).
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// A write to a closed pipe must come back as EPIPE (the writer stops), not kill pyman.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Ends the process at once with `status`.
    public static func exit(_ status: Int32) -> Never {
        CLibrary.exit(status)
    }

    /// The operating system as python-build-standalone names it: `linux` or `darwin`.
    public static var operatingSystem: String {
        #if os(macOS)
        "darwin"
        #else
        "linux"
        #endif
    }

    /// The C library pyman itself is linked against, which is the host's: `gnu`, `musl`, or `none` on macOS.
    public static var cLibrary: String {
        #if os(macOS)
        "none"
        #elseif canImport(Musl)
        "musl"
        #else
        "gnu"
        #endif
    }

    /// The start of /proc/cpuinfo, up to the end of its first `flags` line (the first processor's
    /// block, ~2.6 KB): what the CPU can run. Empty where there is no such file (macOS). The kernel
    /// takes ~60 µs to produce that block (the whole file of a 64-core machine is over 100 KB), and
    /// reading it with its parsing costs a start ~0.45 ms, so it is read only when needed (`CPULevelProbe`).
    public static func cpuInfo() -> String {
        guard let file = try? FileDescriptor.open("/proc/cpuinfo", .readOnly, options: [.closeOnExec]) else { return "" }
        defer { try? file.close() }
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while text.count < 64 * 1024 {
            let count = (try? chunk.withUnsafeMutableBytes { try file.read(into: $0) }) ?? 0
            if count == 0 { break }
            text += chunk[..<count]
            if let flags = text.firstRange(of: Array("\nflags".utf8)), text[flags.upperBound...].contains(0x0A) { break }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The machine's hardware name from uname(2) (`x86_64`, `aarch64`, `arm64`).
    public static var machine: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
