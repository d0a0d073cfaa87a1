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
    /// A broken transfer the server would not resume (it ignored the range, or the file changed): the
    /// caller starts the whole pass over from byte 0 on the same URL.
    public var startsOver: Bool = false
    /// pyman refused its own setting before any request (an exposed netrc file).
    public var refusedLocally: Bool = false

    /// Not a reason to try the next mirror: the same would happen there (pyman's own netrc refused), or
    /// the mirror asked for credentials it did not get (401/403): a private mirror's users want that
    /// said in one line, not the archive fetched from somewhere else.
    public var endsTheMirrorList: Bool { refusedLocally || status == 401 || status == 403 }

    public var description: String { "\(message) (\(url))" }
}
