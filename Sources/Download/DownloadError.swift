/// A failed transfer, with the URL and what went wrong in one line.
public struct DownloadError: Error, CustomStringConvertible, Sendable {
    public var url: String
    public var message: String
    /// Worth another attempt: the connection broke or the server said 5xx.
    public var isTransient: Bool
    /// The consumer stopped the transfer (for example extraction failed); its error is the real one.
    public var abortedByConsumer: Bool = false
    /// The HTTP status of a refused request (404, 503…); 0 otherwise.
    public var status: Int = 0

    public var description: String { "\(message) (\(url))" }
}
