import Core
import Dispatch
import Download
import Extract
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One pass from the network to the disk: libcurl writes the body into a pipe on its own thread
/// (hashing it as it goes), libarchive reads the other end and writes files. Download and decompression
/// overlap on two cores, and the archive never touches the disk or sits whole in memory.
enum StreamingExtraction {
    static func run(url: String, into folder: String, options: DownloadOptions,
                    progress: ((Int64, Int64) -> Void)?) throws -> DownloadResult {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw InstallError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(writeEnd, linuxSetPipeSize, 1 << 20)  // fewer wake-ups between the two threads

        let downloaded = DownloadOutcome()
        BackgroundThread.start {
            downloaded.result = Result {
                // A closed read end (extraction failed) makes write() fail with EPIPE: stop the transfer.
                try Downloader.stream(url: url, options: options, progress: progress) { writeAll(writeEnd, $0) }
            }
            close(writeEnd)
            downloaded.done.signal()
        }

        var extractionError: Error?
        do {
            _ = try Extractor.extract(fd: readEnd, into: folder)
            drain(readEnd)  // tar padding after the last entry still belongs to the hashed body
        } catch {
            extractionError = error
        }
        close(readEnd)
        downloaded.done.wait()

        switch downloaded.result! {
        case .failure(let error as DownloadError) where !error.abortedByConsumer:
            throw error  // the root cause; a truncated stream also upsets libarchive
        case .failure(let error):
            throw extractionError ?? error
        case .success(let result):
            if let extractionError { throw extractionError }
            return result
        }
    }

    /// F_SETPIPE_SZ, which Glibc's module does not export (it needs _GNU_SOURCE).
    static let linuxSetPipeSize: Int32 = 1031

    final class DownloadOutcome: @unchecked Sendable {
        var result: Result<DownloadResult, Error>?
        let done = DispatchSemaphore(value: 0)
    }

    static func writeAll(_ fd: Int32, _ chunk: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < chunk.count {
            let n = write(fd, chunk.baseAddress! + offset, chunk.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    static func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { continue }
            if n < 0, errno == EINTR { continue }
            return
        }
    }
}

public struct InstallError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
