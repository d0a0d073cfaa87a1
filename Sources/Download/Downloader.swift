import CCurl
import Crypto
import Core
import FoundationEssentials

/// What a finished transfer delivered.
public struct DownloadResult: Sendable {
    public var bytes: Int
    /// Lower-case hex SHA-256 of the body, computed while it streamed.
    public var sha256: String
    /// The HTTP status of the last response (0 for a file: URL).
    public var status: Int = 0
    /// The ETag and Last-Modified of the last response.
    public var validators = CacheValidators()
    /// The size the server announced (Content-Length, or a file's size), when it announced one.
    public var announcedSize: Int64?
}

/// Streams URLs (http, https, file) through libcurl, hashing the body on the fly.
public enum Downloader {
    /// libcurl wants one global initialisation before any thread uses it; a static let runs it once.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Hands each chunk of the body to `sink` as it arrives; `sink` returns false to stop the transfer.
    /// `progress` gets (received, total) bytes; total is 0 while unknown. One attempt: callers that
    /// consume the stream decide whether to start over.
    public static func stream(
        url: String,
        options: DownloadOptions,
        requestHeaders: [String] = [],
        headOnly: Bool = false,
        progress: ((Int64, Int64) -> Void)? = nil,
        sink: @escaping (UnsafeRawBufferPointer) -> Bool
    ) throws -> DownloadResult {
        if let failure = pyman_curl_load() {
            throw DownloadError(url: url, message: String(cString: failure), isTransient: false)
        }
        guard options.allows(url) else {
            throw DownloadError(url: url, message: "not downloaded: pyman is offline (PYMAN_OFFLINE or --offline)", isTransient: false)
        }
        // libcurl reads a file: URL to its end: a device (/dev/zero) or a FIFO would never end.
        if url.isFileURL, let path = URL(string: url)?.path, FileSystem.exists(path),
           !FileSystem.isRegularFile(path, followingLinks: true) {
            throw DownloadError(url: url, message: "cannot read \(path): not a regular file", isTransient: false)
        }
        _ = globalInit
        guard let handle = curl_easy_init() else {
            throw DownloadError(url: url, message: "could not start libcurl", isTransient: false)
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in requestHeaders { headerList = curl_slist_append(headerList, header) }
        defer { if let headerList { curl_slist_free_all(headerList) } }
        let transfer = Transfer(sink: sink, progress: progress)
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            set(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress!)
            set(handle, CURLOPT_URL, url)
            set(handle, CURLOPT_FOLLOWLOCATION, 1)
            restrictProtocols(handle, offline: options.offline)
            if let headerList { set(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)) }
            set(handle, CURLOPT_HEADERDATA, context)
            curl_easy_setopt_header(handle, headerCallback)
            set(handle, CURLOPT_FAILONERROR, 1)
            if headOnly { set(handle, CURLOPT_NOBODY, 1) }
            set(handle, CURLOPT_NOSIGNAL, 1)
            // The checksum is over the bytes as published: never let a Content-Encoding undo gzip.
            set(handle, CURLOPT_HTTP_CONTENT_DECODING, 0)
            set(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeout)
            set(handle, CURLOPT_LOW_SPEED_TIME, options.lowSpeedTimeout)
            set(handle, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes)
            if let total = options.totalTimeout { set(handle, CURLOPT_TIMEOUT, total) }
            set(handle, CURLOPT_USERAGENT, "pyman")
            set(handle, CURLOPT_BUFFERSIZE, 256 * 1024)
            if let bundle = options.caBundle { set(handle, CURLOPT_CAINFO, bundle) }
            if let folder = options.caDirectory { set(handle, CURLOPT_CAPATH, folder) }
            set(handle, CURLOPT_WRITEDATA, context)
            curl_easy_setopt_write(handle, writeCallback)
            // Always: the callback also ends the transfer when pyman is asked to stop (`Interruption`);
            // libcurl calls it about once a second even while no byte arrives.
            set(handle, CURLOPT_NOPROGRESS, 0)
            set(handle, CURLOPT_XFERINFODATA, context)
            curl_easy_setopt_progress(handle, progressCallback)
            return curl_easy_perform(handle)
        }

        guard code == CURLE_OK else {
            var status = 0
            curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            let detail = String(cString: errorBuffer).trimmingWhitespace()
            if let signal = Interruption.signal {
                throw DownloadError(url: url, message: "interrupted by \(Interruption.name(of: signal))", isTransient: false)
            }
            throw classify(code: code, status: status, detail: detail, url: url, stoppedByConsumer: transfer.stoppedByConsumer)
        }
        var status = 0
        curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var length: curl_off_t = -1
        curl_easy_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        return DownloadResult(bytes: transfer.bytes, sha256: transfer.hasher.finalize().hexString(), status: status,
                              validators: transfer.validators, announcedSize: length >= 0 ? Int64(length) : nil)
    }

    /// The size of what `url` names, from a HEAD request (a file's size for a file: URL), without its body.
    public static func size(of url: String, options: DownloadOptions) throws -> Int64 {
        let result = try stream(url: url, options: options, headOnly: true) { _ in true }
        guard let size = result.announcedSize else {
            throw DownloadError(url: url, message: "the server did not say how large it is", isTransient: false)
        }
        return size
    }

    /// Fetches a small document (a catalogue) into memory.
    /// The whole body, held in memory: at most `limit` bytes, beyond which the transfer stops with a
    /// (permanent) failure rather than growing without end.
    public static func fetch(url: String, options: DownloadOptions, limit: Int) throws -> Data {
        switch try fetch(url: url, options: options, limit: limit, unlessMatching: CacheValidators()) {
        case .changed(let data, _): return data
        case .notModified: preconditionFailure("a request without validators never reports 304")
        }
    }

    /// Fetches a small document unless the copy `validators` came from is still current (HTTP 304).
    /// Transient failures are tried again, up to `options.attempts` in all.
    public static func fetch(url: String, options: DownloadOptions, limit: Int, unlessMatching validators: CacheValidators) throws -> FetchedDocument {
        var data = Data()
        var lastError: DownloadError?
        for attempt in 0..<max(1, options.attempts) {
            data.removeAll(keepingCapacity: true)
            var tooLarge = false
            do {
                let result = try stream(url: url, options: options, requestHeaders: validators.requestHeaders) { chunk in
                    guard data.count + chunk.count <= limit else {
                        tooLarge = true
                        return false
                    }
                    data.append(contentsOf: chunk)
                    return true
                }
                if result.status == 304 {
                    guard !validators.isEmpty else {
                        throw DownloadError(url: url, message: "the server answered 304 Not Modified to a request that named no copy", isTransient: false)
                    }
                    return .notModified
                }
                return .changed(data, result.validators)
            } catch let error as DownloadError where tooLarge {
                throw DownloadError(url: error.url, message: "the response is larger than the \(limit / 1_048_576) MiB allowed", isTransient: false)
            } catch let error as DownloadError where error.isTransient {
                lastError = error
                BackgroundThread.sleep(seconds: options.retryDelay * Double(1 << attempt))
            }
        }
        throw lastError!
    }

    static func classify(code: CURLcode, status: Int, detail: String, url: String, stoppedByConsumer: Bool) -> DownloadError {
        if stoppedByConsumer {
            return DownloadError(url: url, message: "transfer stopped", isTransient: false, abortedByConsumer: true)
        }
        if code == CURLE_HTTP_RETURNED_ERROR {
            return DownloadError(url: url, message: "download failed with HTTP \(status)", isTransient: status >= 500 || status == 429, status: status)
        }
        let transient: Set<UInt32> = [
            CURLE_COULDNT_CONNECT.rawValue, CURLE_RECV_ERROR.rawValue, CURLE_SEND_ERROR.rawValue,
            CURLE_GOT_NOTHING.rawValue, CURLE_PARTIAL_FILE.rawValue, CURLE_OPERATION_TIMEDOUT.rawValue,
            CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_HTTP2.rawValue, CURLE_HTTP2_STREAM.rawValue,
        ]
        let what = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        var message = "download failed: \(what)"
        if code == CURLE_OPERATION_TIMEDOUT { message += "; the server stalled (raise PYMAN_HTTP_TIMEOUT to wait longer)" }
        if code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE {
            message += "; set SSL_CERT_FILE or SSL_CERT_DIR to your CA certificates"
        }
        if code == CURLE_READ_ERROR || code == CURLE_FILE_COULDNT_READ_FILE { message = "cannot read \(url): \(what)" }
        return DownloadError(url: url, message: message, isTransient: transient.contains(code.rawValue))
    }

    // MARK: libcurl plumbing

    /// State shared with the C callbacks of one transfer.
    final class Transfer {
        let sink: (UnsafeRawBufferPointer) -> Bool
        let progress: ((Int64, Int64) -> Void)?
        var hasher = SHA256()
        var bytes = 0
        var stoppedByConsumer = false
        var validators = CacheValidators()

        init(sink: @escaping (UnsafeRawBufferPointer) -> Bool, progress: ((Int64, Int64) -> Void)?) {
            self.sink = sink
            self.progress = progress
        }
    }

    private static let writeCallback: curl_write_callback = { pointer, size, count, context in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        let chunk = UnsafeRawBufferPointer(start: pointer, count: length)
        transfer.hasher.update(bufferPointer: chunk)
        transfer.bytes += length
        guard transfer.sink(chunk) else {
            transfer.stoppedByConsumer = true
            return 0  // any other count than `length` makes libcurl abort with CURLE_WRITE_ERROR
        }
        return length
    }

    private static let headerCallback: curl_write_callback = { pointer, size, count, context in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        transfer.validators.take(headerLine: UnsafeRawBufferPointer(start: pointer, count: size * count))
        return size * count
    }

    private static let progressCallback: curl_xferinfo_callback = { context, total, now, _, _ in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        if Interruption.signal != nil { return 1 }   // any non-zero value aborts the transfer
        transfer.progress?(Int64(now), Int64(total))
        return 0
    }

    /// Only what pyman means: http, https and file URLs, and redirects to http or https only. A catalogue
    /// or a redirect naming `gopher:`, `dict:`, `ftp:` or `file:` is refused by libcurl itself.
    /// libcurl before 7.85 has no `*_PROTOCOLS_STR`; there the bitmask options (181 and 182) do the same.
    /// Offline, file: alone.
    private static func restrictProtocols(_ handle: UnsafeMutableRawPointer, offline: Bool) {
        let (http, https, file) = (1 << 0, 1 << 1, 1 << 10)   // CURLPROTO_HTTP, _HTTPS, _FILE
        if set(handle, CURLOPT_PROTOCOLS_STR, offline ? "file" : "http,https,file") != CURLE_OK {
            set(handle, CURLoption(rawValue: 181), offline ? file : http | https | file)
        }
        if set(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK {
            set(handle, CURLoption(rawValue: 182), http | https)
        }
    }

    @discardableResult
    private static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) -> CURLcode {
        curl_easy_setopt_long(handle, option, value)
    }

    @discardableResult
    private static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) -> CURLcode {
        curl_easy_setopt_string(handle, option, value)
    }

    private static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: UnsafeMutableRawPointer) {
        curl_easy_setopt_pointer(handle, option, value)
    }
}
