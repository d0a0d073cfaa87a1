/// A version as PEP 440 writes it, for the right side of a version specifier: `3.12`, `3.12.0rc1`,
/// `1!2.0.post1.dev2+local`. Pythons are only ever `major.minor.patch` with an optional a, b or rc
/// pre-release; epochs, post-releases, dev releases and local labels are read so that any valid
/// requires-python reads, and compare as PEP 440 orders them.
struct PEP440Version: Equatable, Sendable {
    struct Pre: Equatable, Sendable {
        /// 0 for a (alpha), 1 for b (beta), 2 for rc (c, pre, preview).
        var rank: Int
        var number: Int
    }

    var epoch = 0
    var release: [Int]
    var pre: Pre?
    var post: Int?
    var dev: Int?
    /// `ubuntu.1` of `+ubuntu.1`, lower-cased with `.` between its parts.
    var local: String?

    init(epoch: Int = 0, release: [Int], pre: Pre? = nil, post: Int? = nil, dev: Int? = nil, local: String? = nil) {
        self.epoch = epoch
        self.release = release
        self.pre = pre
        self.post = post
        self.dev = dev
        self.local = local
    }

    /// A Python's version, or only its release numbers (`3.14.0rc1` as `3.14.0`) when `releaseOnly`.
    init(_ python: PythonVersion, releaseOnly: Bool) {
        self.init(release: [python.major, python.minor, python.patch])
        if !releaseOnly, let (rank, number) = PythonVersion.preReleaseOrder(python.prerelease), rank < 3 {
            pre = Pre(rank: rank, number: number)
        }
    }

    /// PEP 440's pre-releases include dev releases.
    var isPrerelease: Bool { pre != nil || dev != nil }

    /// Negative, zero or positive as `self` comes before, with or after `other` in PEP 440's order. The
    /// release is compared as if padded with zeros (`3.12` is `3.12.0`); a local label does not count.
    func compare(_ other: PEP440Version) -> Int {
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
    func hasSameRelease(as other: PEP440Version) -> Bool {
        var bare = self, otherBare = other
        (bare.pre, bare.post, bare.dev, otherBare.pre, otherBare.post, otherBare.dev) = (nil, nil, nil, nil, nil, nil)
        return bare.compare(otherBare) == 0
    }

    /// Whether the release, padded with zeros, starts with `prefix` (and the epochs agree): `3.12.*`.
    func startsWith(epoch prefixEpoch: Int, release prefix: ArraySlice<Int>) -> Bool {
        guard epoch == prefixEpoch else { return false }
        return prefix.enumerated().allSatisfy { position, number in
            (position < release.count ? release[position] : 0) == number
        }
    }
}
