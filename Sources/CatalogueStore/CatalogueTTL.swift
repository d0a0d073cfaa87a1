import Core

/// How old a fetched catalogue may grow before install and upgrade fetch it again
/// (PYMAN_CATALOGUE_TTL): a number of seconds, or `never` (only `pyman catalogue update` fetches).
public enum CatalogueTTL: Equatable, Sendable {
    case seconds(Int)
    case never

    /// A day, as a release of python-build-standalone comes every few weeks and a stale catalogue only
    /// hides the newest one.
    public static let standard = CatalogueTTL.seconds(24 * 3600)

    /// `3600`, `90s`, `30m`, `24h`, `7d`, `0` (every time) or `never`; unset or empty is the standard day.
    public init(parsing text: String?) throws {
        guard let text = text?.trimmingWhitespace().lowercased(), !text.isEmpty else {
            self = Self.standard
            return
        }
        if text == "never" {
            self = .never
            return
        }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text)
        var unit = 1
        if let last = text.last, let size = units[last] {
            unit = size
            digits = digits.dropLast()
        }
        // At most 9 digits: no overflow, and a century fits in seconds.
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let number = Int(digits), number >= 0 else {
            throw PymanError("PYMAN_CATALOGUE_TTL=\(text) is not a duration",
                             hint: "give seconds (3600), a number with s, m, h or d (24h), 0 to fetch every time, or never")
        }
        self = .seconds(number * unit)
    }

    /// Whether a catalogue fetched at `fetched` (seconds since 1970) is due for a fetch at `now`. One
    /// fetched in the future (a clock set back) is due too: its age cannot be told.
    public func isDue(fetched: Int, now: Int) -> Bool {
        switch self {
        case .never: return false
        case .seconds(let limit): return fetched > now || now - fetched >= limit
        }
    }
}
