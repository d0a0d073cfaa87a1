#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// The machine's hardware name from uname(2) (`x86_64`, `aarch64`, `arm64`).
    public static var machine: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
