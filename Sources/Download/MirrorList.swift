import Core

/// The URLs one file may come from, in the order tried, and the one loop that tries them (install,
/// `lock`'s size check and `lock --fetch` all go through it): each mirror once, the next when one fails;
/// the last mirror also with the retries of transient failures, when the caller wants retries; then the
/// last resort, the catalogue's own URL after a list the user set, once, with a short connect timeout.
/// Offline, the first URL only: it is refused in one line unless it is a file, no list of refusals.
/// In Download, beside `DownloadError` and `DownloadOptions`, since it decides by their fields alone
/// (transient, ends the list, starts over) and knows nothing of catalogues.
public struct MirrorList: Sendable {
    public struct Candidate: Sendable, Equatable {
        public var url: String
        /// The catalogue's own URL after a user's mirrors: one attempt, `lastResortConnectTimeout`.
        public var isLastResort: Bool
    }

    /// Seconds the last resort may take to connect (DNS, TCP, TLS). Its host (GitHub) answers at once
    /// when it is reachable at all; behind a firewall that drops packets, the user's mirrors have already
    /// failed, and 10 s rather than `DownloadOptions.connectTimeout`'s 30 s is what the error then costs.
    public static let lastResortConnectTimeout = 10

    public let candidates: [Candidate]

    /// `url`, then `fallbacks` in order, then `lastResort` (nil for none); offline, `url` alone.
    public init(_ url: String, then fallbacks: [String] = [], lastResort: String? = nil, offline: Bool) {
        var candidates = ([url] + (offline ? [] : fallbacks)).map { Candidate(url: $0, isLastResort: false) }
        if let lastResort, !offline { candidates.append(Candidate(url: lastResort, isLastResort: true)) }
        self.candidates = candidates
    }

    /// What the loop tells its caller (for notes) before it tries again.
    public enum Event: Sendable {
        /// A server that would not resume a broken transfer still has the file: the same URL again
        /// from byte 0, once per candidate, not counted as an attempt.
        case startingOver(DownloadError)
        /// A transient failure on the mirror that keeps the retries: attempt `attempt` of `of` follows.
        case retrying(DownloadError, attempt: Int, of: Int)
        /// The file passes from a failed candidate to `to`.
        case passing(DownloadError, to: Candidate)
    }

    /// `options` for `candidate`: the last resort's connect timeout is short.
    public func options(for candidate: Candidate, _ options: DownloadOptions) -> DownloadOptions {
        guard candidate.isLastResort else { return options }
        var shorter = options
        shorter.connectTimeout = min(options.connectTimeout, Self.lastResortConnectTimeout)
        return shorter
    }

    /// Calls `body` with each candidate's URL (and its options) in turn until one returns. A
    /// `DownloadError` passes the file to the next candidate, unless it ends the list (401/403, an
    /// exposed netrc: `DownloadError.endsTheMirrorList`), the consumer stopped the transfer (its own
    /// error is the real one) or pyman was asked to stop: those are thrown as they are, as is any other
    /// error (a checksum mismatch). With `retrying`, the last mirror (not the last resort) gets `options.attempts`
    /// attempts at transient failures, 0.5 s apart, doubling. When every candidate failed, throws
    /// `MirrorListFailure`, naming each and what it said.
    public func first<T>(options: DownloadOptions, retrying: Bool, events: (Event) -> Void = { _ in },
                         _ body: (String, DownloadOptions) throws -> T) throws -> T {
        let keepsRetries = candidates.lastIndex { !$0.isLastResort }
        var failures: [MirrorListFailure.Failure] = []
        for (index, candidate) in candidates.enumerated() {
            let attempts = retrying && index == keepsRetries ? max(1, options.attempts) : 1
            let options = self.options(for: candidate, options)
            var attempt = 1
            var startedOver = false
            while true {
                do {
                    return try body(candidate.url, options)
                } catch let error as DownloadError where error.endsTheMirrorList || error.abortedByConsumer || Interruption.signal != nil {
                    // Credentials refused or exposed, the consumer's own failure, or pyman asked to stop
                    // (SIGINT, SIGTERM): no other URL either.
                    throw error
                } catch let error as DownloadError where error.startsOver && !startedOver {
                    startedOver = true
                    events(.startingOver(error))
                } catch let error as DownloadError where error.isTransient && attempt < attempts {
                    attempt += 1
                    events(.retrying(error, attempt: attempt, of: attempts))
                    BackgroundThread.sleep(seconds: options.retryDelay * Double(1 << (attempt - 2)))
                } catch let error as DownloadError {
                    failures.append(MirrorListFailure.Failure(error: error, attempts: attempt))
                    if index + 1 < candidates.count { events(.passing(error, to: candidates[index + 1])) }
                    break
                }
            }
        }
        throw MirrorListFailure(failures: failures)
    }
}

/// Every candidate of a `MirrorList` failed: each, in the order tried, with what it said.
public struct MirrorListFailure: Error, CustomStringConvertible, Sendable {
    public struct Failure: Sendable {
        public var error: DownloadError
        /// Attempts made at its URL (more than 1 only for the mirror that keeps the retries).
        public var attempts: Int
    }

    public var failures: [Failure]

    /// The last candidate's failure: the only one when the list had one URL.
    public var last: Failure { failures[failures.count - 1] }

    /// Each URL and what it said, in the order tried, with the attempts where there were several:
    /// `download failed with HTTP 503 (http://a/…) after 3 attempts; download failed: … (https://github.com/…)`.
    public var summary: String {
        failures.map { $0.error.description + ($0.attempts > 1 ? " after \($0.attempts) attempts" : "") }.joined(separator: "; ")
    }

    /// One URL's failure as it is; several under `no mirror gave the archive:`.
    public var description: String {
        failures.count == 1 ? last.error.description : "no mirror gave the archive: \(summary)"
    }
}
