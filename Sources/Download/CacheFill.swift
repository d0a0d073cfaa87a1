import Core
import SystemPackage

/// One archive being stored in the download cache while it streams: the same bytes the extraction
/// reads, written to `.tmp-<sha256>-<pid>-<random>` beside the entry (created O_EXCL|O_NOFOLLOW) and
/// renamed to `<sha256>` by `finish` only when the whole body hashed to it. A failure to store (a full
/// disk, a folder removed by `pyman cache clean`) never fails the install: the fill stops, and `finish`
/// says why. Used by the download thread, then by the thread that waited for it.
public final class CacheFill: @unchecked Sendable {
    public let entry: String
    let sha256: String
    let temporary: String
    private var file: FileDescriptor?
    public private(set) var problem: PymanError?

    init(folder: String, sha256: String) throws {
        self.sha256 = sha256
        entry = folder + "/" + sha256
        temporary = folder + "/.tmp-\(sha256)-\(ProcessEnvironment.processID)-\(UInt32.random(in: 0 ... .max))"
        file = try FileDescriptor.createNew(temporary, permissions: [.ownerReadWrite, .groupRead, .otherRead])
    }

    /// Appends a chunk of the body; after a failure, nothing more is written.
    public func write(_ chunk: UnsafeRawBufferPointer) {
        guard let file else { return }
        do {
            try file.writeAll(chunk, path: temporary)
        } catch {
            problem = (error as? PymanError) ?? PymanError("cannot write \(temporary): \(error)")
            discard()
        }
    }

    /// Stores the entry when the body's hash is the expected one (an entry another process stored
    /// meanwhile is replaced by an identical file), else removes the temporary file. Returns why nothing
    /// was stored when the body was right but storing failed.
    @discardableResult
    public func finish(bodySHA256: String?) -> PymanError? {
        guard let file else { return problem }
        self.file = nil
        do {
            try file.close()
        } catch {
            problem = PymanError("cannot write \(temporary): \(error)")
        }
        guard problem == nil, bodySHA256 == sha256 else {
            _ = try? FileSystem.removeFileIfPresent(temporary)
            return problem
        }
        do {
            try FileSystem.rename(temporary, to: entry)
        } catch {
            _ = try? FileSystem.removeFileIfPresent(temporary)
            problem = error as? PymanError
        }
        return problem
    }

    /// Drops what was written (a failed or restarted transfer).
    public func discard() {
        if let file { try? file.close() }
        file = nil
        _ = try? FileSystem.removeFileIfPresent(temporary)
    }

    deinit { discard() }
}
