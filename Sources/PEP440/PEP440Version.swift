/// A version as PEP 440 writes it, for the right side of a version specifier: `3.12`, `3.12.0rc1`,
/// `1!2.0.post1.dev2+local`. Pythons are only ever `major.minor.patch` with an optional a, b or rc
/// pre-release; epochs, post-releases, dev releases and local labels are read so that any valid
/// requires-python reads, and compare as PEP 440 orders them.
public struct PEP440Version: Equatable, Sendable {
    public struct Pre: Equatable, Sendable {
        /// 0 for a (alpha), 1 for b (beta), 2 for rc (c, pre, preview).
        var rank: Int
        var number: Int
    }

    public var epoch = 0
    public var release: [Int]
    public var pre: Pre?
    public var post: Int?
    public var dev: Int?
    /// `ubuntu.1` of `+ubuntu.1`, lower-cased with `.` between its parts.
    public var local: String?

    public init(epoch: Int = 0, release: [Int], pre: Pre? = nil, post: Int? = nil, dev: Int? = nil, local: String? = nil) {
        self.epoch = epoch
        self.release = release
        self.pre = pre
        self.post = post
        self.dev = dev
        self.local = local
    }

    /// A Python's version (release numbers and a pre-release tag, `rc1`, or "" for a final release), or
    /// only its release numbers (`3.14.0rc1` as `3.14.0`) when `releaseOnly`.
    public init(pythonRelease release: [Int], preRelease: String, releaseOnly: Bool) {
        self.init(release: release)
        if !releaseOnly, let (rank, number) = Self.pythonPreRelease(preRelease), rank < 3 {
            pre = Pre(rank: rank, number: number)
        }
    }

    /// A Python's pre-release tag as a rank and number, in the order `a` < `b` < `rc` < a final release
    /// ("", rank 3); nil for anything else. Python spells only these (no `c`, `pre` or separators).
    public static func pythonPreRelease(_ tag: String) -> (rank: Int, number: Int)? {
        if tag.isEmpty { return (3, 0) }
        for (rank, name) in ["a", "b", "rc"].enumerated() where tag.hasPrefix(name) {
            let digits = tag.dropFirst(name.count)
            if !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) {
                return (rank, number)
            }
        }
        return nil
    }

    /// PEP 440's pre-releases include dev releases.
    public var isPrerelease: Bool { pre != nil || dev != nil }

    /// Negative, zero or positive as `self` comes before, with or after `other` in PEP 440's order. The
    /// release is compared as if padded with zeros (`3.12` is `3.12.0`); a local label does not count.
    public func compare(_ other: PEP440Version) -> Int {
        if epoch != other.epoch { return epoch < other.epoch ? -1 : 1 }
        for position in 0..<max(release.count, other.release.count) {
            let mine = position < release.count ? release[position] : 0
            let theirs = position < other.release.count ? other.release[position] : 0
            if mine != theirs { return mine < theirs ? -1 : 1 }
        }
        if phase != other.phase { return phase < other.phase ? -1 : 1 }
        // No post-release comes before any; no dev release comes after any.
        if post != other.post { return (post ?? -1) < (other.post ?? -1) ? -1 : 1 }
        if dev != other.dev {
            guard let dev else { return 1 }
            guard let otherDev = other.dev else { return -1 }
            return dev < otherDev ? -1 : 1
        }
        return 0
    }

    /// Where the pre-release puts a version among those of the same release: `1.0.dev0` < `1.0a1` <
    /// `1.0b1` < `1.0rc1` < `1.0` (and `1.0.post1`, whose dev release is still after every pre-release).
    private var phase: (Int, Int) {
        if let pre { return (1 + pre.rank, pre.number) }
        return dev != nil && post == nil ? (0, 0) : (4, 0)
    }

    /// Same epoch and release, padded with zeros: `3.12.0rc1` and `3.12` have the same.
    public func hasSameRelease(as other: PEP440Version) -> Bool {
        var bare = self, otherBare = other
        (bare.pre, bare.post, bare.dev, otherBare.pre, otherBare.post, otherBare.dev) = (nil, nil, nil, nil, nil, nil)
        return bare.compare(otherBare) == 0
    }

    /// Whether the release, padded with zeros, starts with `prefix` (and the epochs agree): `3.12.*`.
    public func startsWith(epoch prefixEpoch: Int, release prefix: ArraySlice<Int>) -> Bool {
        guard epoch == prefixEpoch else { return false }
        return prefix.enumerated().allSatisfy { position, number in
            (position < release.count ? release[position] : 0) == number
        }
    }
}
