import CArchive
import Core
import Dispatch
import SystemPackage

/// Decompresses on a thread of its own, so inflating (a third of an install's CPU time) overlaps with
/// writing files on the calling thread, as `curl | tar xz` overlaps gzip and tar in two processes.
///
/// ISA-L (`GzipInflater`) inflates gzip when libisal is installed; otherwise a libarchive reader with
/// every filter (gzip, zstd, xz, … stacked as deep as the input is) and the "raw" format turns the
/// compressed input into the plain tar stream, which reaches the tar reader through
/// a `ChunkQueue` (`open(_:)`). Stopping works both ways: when decompression ends or fails, the queue ends
/// and the tar side sees the end of its input; when the tar side gives up (`stop()`), a producer waiting
/// for a free chunk returns at once, and so does one waiting for input from a stalled download, because it
/// polls its input together with a wake-up pipe whose write end `stop()` closes.
final class DecompressionStage: @unchecked Sendable {
    private let input: FileDescriptor
    private let chunks = ChunkQueue()
    private let wakeRead: FileDescriptor
    /// nil once `stop()` has closed it.
    private var wakeWrite: FileDescriptor?
    private let buffer: UnsafeMutableRawPointer
    static let inputSize = 256 * 1024
    /// Written by the thread before `done` is signalled, read after waiting on it.
    private var failure: PymanError?
    private var stopped = false
    private var readFailure: Errno?
    /// Input read before the decompressor was chosen, for libarchive's first read.
    private var pending: Int?
    /// Compressed bytes read and plain bytes handed on, for `ArchiveLimits` (this thread's only).
    private var compressedBytes = 0
    private var plainBytes = 0
    /// How many bytes of `buffer` the last read filled.
    private var lastCount = 0
    /// Why the stage stopped itself: the archive broke a limit.
    private var limitFailure: PymanError?
    private let done = DispatchSemaphore(value: 0)

    /// Starts decompressing `input` (which stays the caller's) on a new thread.
    init(input: FileDescriptor, isal: Bool = true) throws {
        self.input = input
        (wakeRead, wakeWrite) = try Pipe.make()
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.inputSize, alignment: 16)
        BackgroundThread.start { [self] in
            failure = decompress(isal: isal)
            chunks.end()
            done.signal()
        }
    }

    deinit { buffer.deallocate() }

    /// Opens `reader` on the decompressed stream. The stage must outlive the reader.
    func open(_ reader: OpaquePointer) -> Int32 {
        archive_read_open(reader, Unmanaged.passUnretained(chunks).toOpaque(), nil, { _, context, block in
            let chunks = Unmanaged<ChunkQueue>.fromOpaque(context!).takeUnretainedValue()
            guard let chunk = chunks.next() else { return 0 }
            block?.pointee = chunk.baseAddress
            return chunk.count
        }, nil)
    }

    /// Reads the rest of the stream (tar padding after the end of the archive), so the input is read to
    /// its end and must decompress cleanly to its end; more than `ArchiveLimits.afterEnd` bytes there is
    /// no padding but an endless or padded-out stream, and stops the stage (`finish` says why).
    func drain() {
        var after = 0
        while let chunk = chunks.next() {
            after += chunk.count
            if after > ArchiveLimits.afterEnd {
                stop()
                drainFailure = PymanError("the archive goes on for more than \(ArchiveLimits.afterEnd / 1024) KiB after its last entry; refusing it",
                                          hint: "check the mirror and the catalogue")
                return
            }
        }
    }

    /// Set by the tar side's `drain`, read after `finish`.
    private var drainFailure: PymanError?

    /// The tar side has failed: stop decompressing now.
    func stop() {
        chunks.stop()
        try? wakeWrite?.close()
        wakeWrite = nil
    }

    /// Waits for the thread; returns why decompression failed, if it did. A stop asked for by the tar
    /// side is no failure: the tar side knows why it stopped. Call `drain()` or `stop()` first.
    func finish() -> PymanError? {
        done.wait()
        try? wakeWrite?.close()
        wakeWrite = nil
        try? wakeRead.close()
        return limitFailure ?? drainFailure ?? failure
    }

    /// gzip goes to ISA-L when libisal is installed (2-3 times zlib's speed); everything else, and
    /// gzip without it, to libarchive's filters.
    private func decompress(isal: Bool) -> PymanError? {
        let first = readInput()
        if isal, first > 0, GzipInflater.isGzip(UnsafeRawBufferPointer(start: buffer, count: first)), let inflater = GzipInflater() {
            return inflate(with: inflater, firstCount: first)
        }
        pending = first
        return decompressWithLibarchive()
    }

    private func inflate(with inflater: GzipInflater, firstCount: Int) -> PymanError? {
        var count = firstCount
        do {
            while count > 0 {
                guard try inflater.feed(UnsafeRawBufferPointer(start: buffer, count: count), emit: publish) else {
                    return limitFailure  // the tar side has stopped, or a limit was broken
                }
                count = readInput()
            }
            if count < 0 { return limitFailure ?? (stopped ? nil : readError()) }
            try inflater.finish()
            return nil
        } catch {
            return error as? PymanError ?? PymanError("\(error)")
        }
    }

    /// Hands decompressed bytes to the tar side at once (not when a chunk is full): with a slow
    /// download, an entry must be written, or refused, as soon as its bytes have arrived. False when
    /// the tar side has stopped.
    private func publish(_ bytes: UnsafeRawBufferPointer) -> Bool {
        plainBytes += bytes.count
        if let broken = ArchiveLimits.check(compressed: compressedBytes, plain: plainBytes) {
            limitFailure = broken   // the thread ends, the tar side sees the stream end, `finish` says why
            return false
        }
        var done = 0
        while done < bytes.count {
            guard let chunk = chunks.emptyChunk() else { return false }
            let count = min(bytes.count - done, ChunkQueue.chunkSize)
            chunk.copyMemory(from: bytes.baseAddress! + done, byteCount: count)
            chunks.publish(chunk, count: count)
            done += count
        }
        return true
    }

    private func decompressWithLibarchive() -> PymanError? {
        guard let reader = archive_read_new() else { return PymanError(LibArchive.cannotStart) }
        defer { archive_read_free(reader) }
        archive_read_support_filter_all(reader)
        archive_read_support_format_raw(reader)
        let opened = archive_read_open(reader, Unmanaged.passUnretained(self).toOpaque(), nil, { _, context, block in
            let stage = Unmanaged<DecompressionStage>.fromOpaque(context!).takeUnretainedValue()
            let count = stage.pending ?? stage.readInput()
            stage.pending = nil
            stage.lastCount = max(count, 0)
            block?.pointee = UnsafeRawPointer(stage.buffer)
            return count
        }, nil)
        var entry: OpaquePointer?
        guard opened == ARCHIVE_OK, [ARCHIVE_OK, ARCHIVE_WARN].contains(archive_read_next_header(reader, &entry)) else {
            return failure(reader)
        }
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &block, &size, &offset)
            if status == ARCHIVE_EOF { return checkTrailingBytes(after: reader) }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else { return failure(reader) }
            if let block, !publish(UnsafeRawBufferPointer(start: block, count: size)) { return limitFailure }
        }
    }

    /// libarchive's filters stop at the end of the compressed stream and say nothing of what follows it,
    /// so with zlib an archive with anything appended would install where ISA-L's path refuses it: what
    /// the filter did not consume (the end of the last read, then the rest of the input) is checked the
    /// same way (`TrailingBytes`).
    private func checkTrailingBytes(after reader: OpaquePointer) -> PymanError? {
        let unconsumed = compressedBytes - Int(archive_filter_bytes(reader, -1))
        var padding = TrailingBytes()
        do {
            if unconsumed > 0 {
                guard unconsumed <= lastCount else { return TrailingBytes.dataAfterTheStream }
                try padding.accept(UnsafeRawBufferPointer(start: buffer + (lastCount - unconsumed), count: unconsumed))
            }
            while true {
                let count = readInput()
                if count == 0 { return nil }
                if count < 0 { return limitFailure ?? (stopped ? nil : readError()) }
                try padding.accept(UnsafeRawBufferPointer(start: buffer, count: count))
            }
        } catch {
            return error as? PymanError ?? PymanError("\(error)")
        }
    }

    private func failure(_ reader: OpaquePointer) -> PymanError? {
        if let limitFailure { return limitFailure }
        if stopped { return nil }
        if readFailure != nil { return readError() }
        return PymanError("the archive is damaged: \(LibArchive.message(reader))")
    }

    private func readError() -> PymanError {
        let code = readFailure ?? .ioError
        return PymanError("cannot read the archive: \(code)", code: code)
    }

    /// libarchive's read callback: the next chunk of compressed input, 0 at its end, -1 when the tar
    /// side has stopped (so a stalled download cannot hold this thread) or on a read error.
    private func readInput() -> Int {
        while true {
            do {
                if try input.waitForInput(orWake: wakeRead) {
                    stopped = true
                    return -1
                }
                let count = try input.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Self.inputSize))
                compressedBytes += count
                if let broken = ArchiveLimits.check(compressed: compressedBytes, plain: plainBytes) {
                    limitFailure = broken
                    return -1
                }
                return count
            } catch Errno.resourceTemporarilyUnavailable {
                continue
            } catch {
                readFailure = error as? Errno ?? .ioError
                return -1
            }
        }
    }
}
