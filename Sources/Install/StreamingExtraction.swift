import Core
import Dispatch
import Download
import Extract
import FoundationEssentials
import SystemPackage

/// One pass from the network to the disk: libcurl writes the body into a pipe on its own thread
/// (hashing it as it goes); `Extractor` reads the other end, decompressing on a thread of its own and
/// writing files on this one. Download, decompression and writing overlap, and the archive never
/// touches the disk or sits whole in memory.
enum StreamingExtraction {
    static func run(url: String, into folder: String, options: DownloadOptions,
                    progress: ((Int64, Int64) -> Void)?) throws -> DownloadResult {
        let (readEnd, writeEnd) = try Pipe.make(bufferSize: 1 << 20)

        let downloaded = DownloadOutcome()
        BackgroundThread.start {
            downloaded.result = Result {
                // A closed read end (extraction failed) makes write() fail with EPIPE: stop the transfer.
                try Downloader.stream(url: url, options: options, progress: progress) { chunk in
                    (try? writeEnd.writeAll(chunk)) != nil
                }
            }
            try? writeEnd.close()
            downloaded.done.signal()
        }

        var extractionError: Error?
        do {
            _ = try Extractor.extract(fd: readEnd, into: folder)
            // Tar padding after the last entry still belongs to the hashed body.
            try? readEnd.readChunks(path: "the download pipe") { _ in }
        } catch {
            extractionError = error
        }
        try? readEnd.close()
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

    final class DownloadOutcome: @unchecked Sendable {
        var result: Result<DownloadResult, Error>?
        let done = DispatchSemaphore(value: 0)
    }
}
