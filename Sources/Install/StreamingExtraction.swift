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
    /// Streams `url` into `folder` and checks the body against `expectedSHA256` (when the catalogue gives
    /// one). A checksum mismatch is what is reported whenever there is one, even when extraction failed
    /// too: a hostile or damaged entry in a download that is not the catalogue's archive is the mismatch's
    /// symptom. So after an extraction failure the rest of the body is still read (within
    /// `ArchiveLimits.compressed`), to finish its hash.
    /// `expectedSize`, when a lock gives it, bounds the body: a longer one is cut off as soon as it is
    /// longer, and a body of any other size is refused before its checksum is compared (so what is
    /// reported is the size, not the sha256 of bytes the lock did not name).
    /// `tee`, when given, gets every byte of the body too (the download cache's copy); it is finished here,
    /// storing the entry only when the body hashed to its name.
    static func run(url: String, into folder: String, expectedSHA256: String?, expectedSize: Int64? = nil, options: DownloadOptions,
                    tee: CacheFill? = nil, progress: ((Int64, Int64) -> Void)?,
                    resumed: ((Downloader.Resumption) -> Void)? = nil) throws -> StreamedArchive {
        let (readEnd, writeEnd) = try Pipe.make(bufferSize: 1 << 20)

        let downloaded = DownloadOutcome()
        BackgroundThread.start {
            downloaded.result = Result {
                // A closed read end (extraction failed) makes write() fail with EPIPE: stop the transfer.
                // A resumed transfer goes on writing the same pipe: the extraction never sees the break.
                try Downloader.stream(url: url, options: options, progress: progress, resumed: resumed) { chunk in
                    downloaded.received += Int64(chunk.count)
                    if let expectedSize, downloaded.received > expectedSize { return false }
                    tee?.write(chunk)
                    return (try? writeEnd.writeAll(chunk)) != nil
                }
            }
            try? writeEnd.close()
            downloaded.done.signal()
        }

        var extractionError: Error?
        var extracted = ExtractSummary()
        do {
            extracted = try Extractor.extract(fd: readEnd, into: folder)
        } catch {
            extractionError = error
        }
        // What follows the compressed stream still belongs to the hashed body: normally nothing, after a
        // failure the rest of the archive. Bounded, so an endless body cannot hold pyman.
        // A full disk is the disk's fault, not the archive's: nothing to learn from the rest of it.
        let diskFull = (extractionError as? PymanError)?.code == .noSpace
        do {
            if !diskFull { try drain(readEnd, limit: extractionError == nil ? ArchiveLimits.afterEnd : ArchiveLimits.compressed) }
        } catch {
            extractionError = extractionError ?? error
        }
        try? readEnd.close()
        downloaded.done.wait()
        let finished = (try? downloaded.result!.get())
        tee?.finish(bodySHA256: finished.map { $0.sha256 })

        if let expectedSize, downloaded.received > expectedSize {
            throw sizeMismatch(url: url, expected: expectedSize, actual: "more than \(expectedSize)")
        }
        switch downloaded.result! {
        case .failure(let error as DownloadError) where !error.abortedByConsumer:
            throw error  // the root cause; a truncated stream also upsets libarchive
        case .failure(let error):
            throw extractionError ?? error
        case .success(let result):
            if let expectedSize, Int64(result.bytes) != expectedSize {
                throw sizeMismatch(url: url, expected: expectedSize, actual: "\(result.bytes)")
            }
            if let expected = expectedSHA256, expected != result.sha256 {
                throw ChecksumMismatch(url: url, expected: expected, actual: result.sha256)
            }
            if let extractionError { throw extractionError }
            return StreamedArchive(download: result, extracted: extracted)
        }
    }

    /// Reads `fd` to its end, refusing more than `limit` bytes.
    static func drain(_ fd: FileDescriptor, limit: Int) throws {
        var count = 0
        try fd.readChunks(path: "the download") { chunk in
            count += chunk.count
            if count > limit {
                throw PymanError("the download goes on for more than \(limit >> 10) KiB after the end of the archive; refusing it",
                                 hint: "check the mirror and the catalogue")
            }
        }
    }

    static func sizeMismatch(url: String, expected: Int64, actual: String) -> PymanError {
        PymanError("size mismatch for \(url): the lock gives \(expected) bytes, the download has \(actual)",
                   hint: "the download or the lock is wrong, nothing was installed")
    }

    final class DownloadOutcome: @unchecked Sendable {
        var result: Result<DownloadResult, Error>?
        /// Bytes of the body so far; written on the download thread only, read once `done` is signalled.
        var received: Int64 = 0
        let done = DispatchSemaphore(value: 0)
    }
}
