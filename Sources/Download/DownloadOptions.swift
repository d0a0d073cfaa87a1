import Core

/// How downloads behave; built by the CLI from flags and environment and passed down.
public struct DownloadOptions: Sendable {
    /// Attempts for transient failures (connection reset, HTTP 5xx), including the first.
    public var attempts: Int = 3
    /// Abort when fewer than `lowSpeedBytes` arrive per second for this many seconds.
    public var lowSpeedTimeout: Int = 30
    public var lowSpeedBytes: Int = 1
    public var connectTimeout: Int = 30
    /// Seconds a whole transfer may take; nil for no limit (an archive takes as long as it takes).
    public var totalTimeout: Int?
    /// Only file: URLs are read (PYMAN_OFFLINE, `--offline`); anything else fails before a connection.
    public var offline = false
    /// CA bundle and folder, read from `SSL_CERT_FILE`/`CURL_CA_BUNDLE` and `SSL_CERT_DIR` as the curl tool does.
    public var caBundle: String?
    public var caDirectory: String?
    /// Seconds before the first retry; doubled for each following one.
    public var retryDelay: Double = 0.5
    /// The netrc file libcurl may take credentials from (`$NETRC`, else `~/.netrc`); nil for none.
    public var netrcFile: String?
    /// How many times one transfer that broke after bytes arrived goes on from the byte it reached (an
    /// HTTP Range request) before it fails; none when only one attempt is allowed.
    public var resumptions: Int { attempts > 1 ? 5 : 0 }

    public init() {}

    /// Reads the variables the curl command-line tool honours; libcurl itself reads the proxy variables.
    public init(environment: [String: String]) {
        self.init()
        caBundle = environment["SSL_CERT_FILE"] ?? environment["CURL_CA_BUNDLE"]
        caDirectory = environment["SSL_CERT_DIR"]
        if let value = environment["PYMAN_HTTP_RETRIES"], let n = Int(value), n >= 0 { attempts = n + 1 }
        if let value = environment["PYMAN_HTTP_TIMEOUT"], let n = Int(value), n > 0 { lowSpeedTimeout = n }
        offline = Self.isOn(environment["PYMAN_OFFLINE"])
        if let netrc = environment["NETRC"], !netrc.isEmpty {
            netrcFile = netrc
        } else if let home = environment["HOME"], !home.isEmpty {
            netrcFile = home + "/.netrc"
        }
    }

    /// Whether `url` may be read with these options: offline, only a file: URL.
    public func allows(_ url: String) -> Bool {
        !offline || url.isFileURL
    }

    /// A boolean variable as uv reads them: 1, true, yes, on (any case) are on; unset, empty and anything else off.
    public static func isOn(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "true", "yes", "on"].contains(value.lowercased())
    }
}
