#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension FileDescriptor {
    /// Blocks until this descriptor has input (or its end) or `wake` becomes readable or hung up, and
    /// returns whether `wake` did: a thread reading a slow source (a stalled download) is stopped by
    /// another closing the write end of a pipe whose read end is `wake`. Retried after a signal.
    /// The two `pollfd`s live on the stack: this runs once per chunk read.
    public func waitForInput(orWake wake: FileDescriptor) throws(Errno) -> Bool {
        // The closure returns a Result rather than throwing: Swift 6.2's withUnsafeTemporaryAllocation
        // rethrows untyped (`any Error`), 6.3's keeps the closure's error type; Result.get() is typed on both.
        let outcome = withUnsafeTemporaryAllocation(of: pollfd.self, capacity: 2) { fds -> Result<Bool, Errno> in
            fds[0] = pollfd(fd: rawValue, events: Int16(POLLIN), revents: 0)
            fds[1] = pollfd(fd: wake.rawValue, events: Int16(POLLIN), revents: 0)
            while poll(fds.baseAddress, 2, -1) < 0 {
                guard errno == EINTR else { return .failure(lastErrno) }
            }
            return .success(fds[1].revents != 0)
        }
        return try outcome.get()
    }
}
