/// What names one version of a document to its server, its `ETag` and `Last-Modified` headers: sent
/// back with the next request (`If-None-Match`, `If-Modified-Since`), they let an unchanged document be
/// answered 304 Not Modified, without its body.
public struct CacheValidators: Codable, Equatable, Sendable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }

    /// The request headers that make a request conditional on the document having changed.
    var requestHeaders: [String] {
        [etag.map { "If-None-Match: \($0)" }, lastModified.map { "If-Modified-Since: \($0)" }].compactMap { $0 }
    }

    /// The longest header value kept: real ETags and dates are under 100 bytes.
    static let maximumLength = 512

    /// Takes in one response header line; a status line (`HTTP/…`) starts a new response (after a
    /// redirect), whose headers replace those of the one before. A value with a control character or of
    /// over `maximumLength` bytes is dropped: it is sent back as a header later, where a CR or LF would
    /// smuggle in headers of the server's choosing.
    mutating func take(headerLine line: UnsafeRawBufferPointer) {
        let bytes = Array(line)
        if bytes.starts(with: Array("HTTP/".utf8)) {
            self = CacheValidators()
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard name == "etag" || name == "last-modified" else { return }
        var value = bytes[(colon + 1)...]
        while let last = value.last, last == 0x0D || last == 0x0A || last == 0x20 || last == 0x09 { value = value.dropLast() }
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        guard !value.isEmpty, value.count <= Self.maximumLength, value.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return }
        let text = String(decoding: value, as: UTF8.self)
        if name == "etag" { etag = text } else { lastModified = text }
    }
}
