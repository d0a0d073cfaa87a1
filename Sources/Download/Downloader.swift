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
    /// `progress` gets (received, total) bytes of the whole body; total is 0 while unknown.
    /// A transfer that breaks after some bytes arrived (reset, truncation, stall) goes on from the byte
    /// it reached with an HTTP Range request, at most `options.resumptions` times: `sink` and the hash
    /// see the whole body once, as if nothing had happened, and `resumed` is told each time. A server
    /// that cannot resume (it answers 200 to the range, or the file's ETag or Last-Modified changed)
    /// fails the transfer with a transient error: the caller starts over from byte 0, as a consumer
    /// of a stream must (an extraction cannot take the file again from its middle). Otherwise one
    /// attempt: callers that consume the stream decide whether to start over.
    public static func stream(
        url: String,
        options: DownloadOptions,
        requestHeaders: [String] = [],
        headOnly: Bool = false,
        progress: ((Int64, Int64) -> Void)? = nil,
        resumed: ((Resumption) -> Void)? = nil,
        sink: @escaping (UnsafeRawBufferPointer) -> Bool
    ) throws -> DownloadResult {
        if let failure = pyman_curl_load() {
            throw DownloadError(url: url, message: String(cString: failure), isTransient: false)
        }
        guard options.allows(url) else {
            throw DownloadError(url: url, message: "not downloaded: pyman is offline (PYMAN_OFFLINE or --offline)", isTransient: false)
        }
        let isLocal = url.isFileURL
        // libcurl reads a file: URL to its end: a device (/dev/zero) or a FIFO would never end.
        if isLocal, let path = URL(string: url)?.path, FileSystem.exists(path),
           !FileSystem.isRegularFile(path, followingLinks: true) {
            throw DownloadError(url: url, message: "cannot read \(path): not a regular file", isTransient: false)
        }
        var netrc: String?
        if !isLocal, let file = options.netrcFile, FileSystem.exists(file) {
            do {
                try NetrcFile.check(file)
            } catch let error as PymanError {
                throw DownloadError(url: url, message: error.description, isTransient: false, refusedLocally: true)
            }
            netrc = file
        }
        _ = globalInit
        let transfer = Transfer(sink: sink, progress: progress)
        while true {
            do {
                return try perform(url: url, options: options, requestHeaders: requestHeaders, headOnly: headOnly, netrc: netrc, transfer: transfer)
            } catch let error as DownloadError where !isLocal && !headOnly && transfer.mayResume(after: error, options: options) {
                transfer.resumptions += 1
                transfer.brokeWith = error.message
                resumed?(Resumption(offset: Int64(transfer.bytes), total: transfer.total, count: transfer.resumptions, reason: error.message))
            }
        }
    }

    /// A transfer going on from where it broke: at byte `offset` of `total` (0 when unknown), the
    /// `count`th time, after `reason`.
    public struct Resumption: Sendable {
        public var offset: Int64
        public var total: Int64
        public var count: Int
        public var reason: String
    }

    /// One request: the whole body, or the rest of it from `transfer.bytes` when bytes arrived before.
    static func perform(url: String, options: DownloadOptions, requestHeaders: [String], headOnly: Bool, netrc: String?,
                        transfer: Transfer) throws -> DownloadResult {
        guard let handle = curl_easy_init() else {
            throw DownloadError(url: url, message: "could not start libcurl", isTransient: false)
        }
        defer { curl_easy_cleanup(handle) }
        transfer.beginAttempt()
        var headers = requestHeaders
        if let condition = transfer.ifRange { headers.append("If-Range: \(condition)") }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in headers { headerList = curl_slist_append(headerList, header) }
        defer { if let headerList { curl_slist_free_all(headerList) } }
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            set(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress!)
            set(handle, CURLOPT_URL, url)
            set(handle, CURLOPT_FOLLOWLOCATION, 1)
            // Credentials (the URL's userinfo, a netrc entry) go to the URL's own host, scheme and port
            // only: a redirect elsewhere is followed without them (libcurl's default, said explicitly).
            set(handle, CURLOPT_UNRESTRICTED_AUTH, 0)
            if let netrc {
                // CURL_NETRC_OPTIONAL, written as its value: an enum case before curl 8.13, a `1L` macro since,
                // which Swift imports as different types (the aarch64 build uses sid's newer headers).
                set(handle, CURLOPT_NETRC, 1)
                set(handle, CURLOPT_NETRC_FILE, netrc)
            }
            // Not CURLOPT_RESUME_FROM_LARGE: libcurl fails that one itself on a 200, before pyman can
            // tell a server that ignores ranges from one whose file changed; the write callback checks.
            if transfer.attemptStart > 0 { set(handle, CURLOPT_RANGE, "\(transfer.attemptStart)-") }
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
            if let why = transfer.restartReason ?? (transfer.attemptStart > 0 && status == 416 ? "it refused the range (HTTP 416)" : nil) {
                let broke = transfer.brokeWith ?? "download failed"
                throw DownloadError(url: url, message: "\(broke) at byte \(transfer.attemptStart), and the server did not resume it: \(why); starting over",
                                    isTransient: true, startsOver: true)
            }
            if status == 401 || status == 403 {
                throw refusal(status: status, url: url, effectiveURL: effectiveURL(handle) ?? url, netrc: netrc)
            }
            // An https_proxy that would not open the tunnel (CONNECT answered 502, 407…): its status, not
            // the server's 0. A 5xx there is the proxy failing to reach the host: transient, as the host's.
            var tunnel = 0
            curl_easy_getinfo_long(handle, CURLINFO_HTTP_CONNECTCODE, &tunnel)
            if status == 0, tunnel >= 300 {
                throw DownloadError(url: url, message: "download failed: the proxy would not connect to \(URLCredentials.host(of: url)) (HTTP \(tunnel) to CONNECT)",
                                    isTransient: tunnel >= 500 || tunnel == 429)
            }
            throw classify(code: code, status: status, detail: detail, url: url, stoppedByConsumer: transfer.stoppedByConsumer)
        }
        var status = 0
        curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var length: curl_off_t = -1
        curl_easy_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        return DownloadResult(bytes: transfer.bytes, sha256: transfer.hasher.finalize().hexString(), status: status,
                              validators: transfer.validators, announcedSize: length >= 0 ? Int64(length) + transfer.attemptStart : nil)
    }

    /// A 401 or 403 in one line naming the host that refused, never the credentials: whether any were
    /// sent there (the URL's, to the URL's own host; a netrc entry for the host) decides what to fix.
    static func refusal(status: Int, url: String, effectiveURL: String, netrc: String?) -> DownloadError {
        let host = URLCredentials.host(of: effectiveURL)
        let sameHost = host == URLCredentials.host(of: url)
        let given = (sameHost && URLCredentials.present(in: url)) || (netrc.map { NetrcFile.names(host: host, in: $0) } ?? false)
        let message = given
            ? "\(host) refused the credentials given (HTTP \(status)); check the user and token in the URL or the netrc file"
            : "\(host) asks for credentials and none were given (HTTP \(status)); put them in the URL (https://user:token@\(host)/…) or in ~/.netrc (NETRC)"
        return DownloadError(url: url, message: message, isTransient: false, status: status)
    }

    static func effectiveURL(_ handle: UnsafeMutableRawPointer) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard curl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
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

    /// State shared with the C callbacks of one transfer, across its resumptions.
    final class Transfer {
        let sink: (UnsafeRawBufferPointer) -> Bool
        let progress: ((Int64, Int64) -> Void)?
        var hasher = SHA256()
        /// Bytes of the body handed to the sink, over every request of the transfer.
        var bytes = 0
        var stoppedByConsumer = false
        /// The validators of the response being read (`CacheValidators.take` starts over at each one).
        var validators = CacheValidators()
        /// The first response's validators: a resumed response must name the same file.
        var original: CacheValidators?
        /// The size of the whole body, from the first response (0 when unknown).
        var total: Int64 = 0
        var resumptions = 0
        /// What broke the request before the current one.
        var brokeWith: String?
        /// Where the current request starts in the body (0, or the Range asked).
        var attemptStart: Int64 = 0
        /// The status and the `Content-Range` start of the response being read.
        var status = 0
        var rangeStart: Int64?
        var contentLength: Int64?
        /// Whether the current response was checked before its first byte went to the sink.
        var checked = false
        /// Why the current response cannot continue the body (a 200 to a range, another file).
        var restartReason: String?

        init(sink: @escaping (UnsafeRawBufferPointer) -> Bool, progress: ((Int64, Int64) -> Void)?) {
            self.sink = sink
            self.progress = progress
        }

        func beginAttempt() {
            attemptStart = Int64(bytes)
            (status, rangeStart, contentLength, checked, restartReason) = (0, nil, nil, false, nil)
            validators = CacheValidators()
        }

        /// `If-Range`: the rest of the file only if it is still the one whose start arrived: its
        /// strong ETag, else its Last-Modified (a weak ETag cannot be used).
        var ifRange: String? {
            guard attemptStart > 0, let original else { return nil }
            if let etag = original.etag, !etag.hasPrefix("W/") { return etag }
            return original.lastModified
        }

        /// Whether a failed request may go on with the rest: it broke (transiently) after bytes of its
        /// own arrived, the consumer did not stop it, the server did not refuse to resume, and
        /// resumptions are left.
        func mayResume(after error: DownloadError, options: DownloadOptions) -> Bool {
            error.isTransient && !error.abortedByConsumer && restartReason == nil && Int64(bytes) > attemptStart
                && resumptions < options.resumptions && Interruption.signal == nil
        }

        /// Before the first byte of a response reaches the sink: the first response sets what the
        /// file is; a resumed one must be its rest (206 from the byte asked) of the same file.
        func checkResponse() -> Bool {
            checked = true
            guard attemptStart > 0 else {
                original = validators
                total = contentLength ?? 0
                return true
            }
            if status != 206 {
                restartReason = "it sent the whole file again (HTTP \(status)): it ignores ranges, or the file changed"
            } else if rangeStart != attemptStart {
                restartReason = "it sent another range than the one asked"
            } else if let original, let etag = original.etag, let now = validators.etag, etag != now {
                restartReason = "the file changed (its ETag is another)"
            } else if let original, let date = original.lastModified, let now = validators.lastModified, date != now {
                restartReason = "the file changed (its Last-Modified is another)"
            }
            return restartReason == nil
        }

        /// Takes in one response header line: status, Content-Length, Content-Range, validators.
        func take(headerLine line: UnsafeRawBufferPointer) {
            validators.take(headerLine: line)
            let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
            if text.hasPrefix("HTTP/") {
                let parts = text.split(separator: " ")
                status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                (rangeStart, contentLength) = (nil, nil)
                return
            }
            guard let colon = text.firstIndex(of: ":") else { return }
            let name = text[..<colon].lowercased()
            let value = text[text.index(after: colon)...].trimmingWhitespace()
            if name == "content-length" { contentLength = Int64(value) }
            if name == "content-range", value.hasPrefix("bytes "), let dash = value.firstIndex(of: "-") {
                rangeStart = Int64(value[value.index(value.startIndex, offsetBy: 6)..<dash])
            }
        }
    }

    private static let writeCallback: curl_write_callback = { pointer, size, count, context in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        if !transfer.checked, !transfer.checkResponse() { return 0 }   // libcurl then ends with CURLE_WRITE_ERROR
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
        transfer.take(headerLine: UnsafeRawBufferPointer(start: pointer, count: size * count))
        return size * count
    }

    private static let progressCallback: curl_xferinfo_callback = { context, total, now, _, _ in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        if Interruption.signal != nil { return 1 }   // any non-zero value aborts the transfer
        let start = transfer.attemptStart
        transfer.progress?(start + Int64(now), total > 0 ? start + Int64(total) : 0)
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
