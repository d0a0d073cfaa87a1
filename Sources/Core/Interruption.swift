#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// SIGINT and SIGTERM, caught so that pyman stops the way it stops on any failure: the transfer is
/// aborted, the temporary install folder removed, one line said, and the exit status is 128 + the signal.
/// The handler only records the signal (what a handler may safely do); libcurl's progress callback, lock
/// waits and sleeps look at it. It is installed without SA_RESTART, so a blocking wait returns EINTR
/// and looks too, and with SA_RESETHAND, so a second Ctrl-C ends pyman at once.
public enum Interruption {
    /// The signal received, 0 while none was: the one value a signal handler writes.
    private static let received = Atomic<Int32>(0)

    public static func catchTerminationSignals() {
        _ = received.load(ordering: .relaxed)   // initialised here, never first inside the handler
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            let handler: @convention(c) (Int32) -> Void = { number in Interruption.received.store(number, ordering: .relaxed) }
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)   // 0x80000000: the sign bit
            #else
            action.__sigaction_u.__sa_handler = handler
            action.sa_flags = SA_RESETHAND
            #endif
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// The signal that asked pyman to stop, if one did.
    public static var signal: Int32? {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// `SIGTERM`, `SIGINT`, for messages.
    public static func name(of number: Int32) -> String {
        number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
    }
}
