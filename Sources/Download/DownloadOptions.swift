/// How downloads behave; built by the CLI from flags and environment and passed down.
public struct DownloadOptions: Sendable {
    /// Attempts for transient failures (connection reset, HTTP 5xx), including the first.
    public var attempts: Int = 3
    /// Abort when fewer than `lowSpeedBytes` arrive per second for this many seconds.
    public var lowSpeedTimeout: Int = 30
    public var lowSpeedBytes: Int = 1
    public var connectTimeout: Int = 30
    /// CA bundle and folder, read from `SSL_CERT_FILE`/`CURL_CA_BUNDLE` and `SSL_CERT_DIR` as the curl tool does.
    public var caBundle: String?
    public var caDirectory: String?
    /// Seconds before the first retry; doubled for each following one.
    public var retryDelay: Double = 0.5

    public init() {}

    /// Reads the variables the curl command-line tool honours; libcurl itself reads the proxy variables.
    public init(environment: [String: String]) {
        self.init()
        caBundle = environment["SSL_CERT_FILE"] ?? environment["CURL_CA_BUNDLE"]
        caDirectory = environment["SSL_CERT_DIR"]
        if let value = environment["PYMAN_HTTP_RETRIES"], let n = Int(value), n >= 0 { attempts = n + 1 }
        if let value = environment["PYMAN_HTTP_TIMEOUT"], let n = Int(value), n > 0 { lowSpeedTimeout = n }
    }
}
