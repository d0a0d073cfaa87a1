import Core

/// One clause of `>=3.12,<3.14`: typed in a request (`init(parsing:)`), or from a pyproject.toml's
/// requires-python (`requiresPython(_:)`, PEP 440 to the letter). Both compare as PEP 440 does, with two
/// differences:
/// - a request's `==3.12` and `!=3.12` are about every 3.12 release, as `==3.12.*` is; pyman has always
///   read them so, and a user typing `==3.12` means that. requires-python's `==3.12` is 3.12.0 alone.
/// - requires-python without a pre-release in it compares a Python's release numbers only, as pip and uv
///   do, so that 3.14.0rc1 satisfies `>=3.14` (PEP 440 orders it before 3.14.0). A request compares the
///   whole version; either way `PythonRequest.best` prefers a final release.
public struct VersionSpecifier: Equatable, Sendable {
    public enum Operator: String, CaseIterable, Sendable {
        // Longest first, so that `>=` is not read as `>`, nor `===` as `==`.
        case arbitrary = "===", compatible = "~=", equal = "==", notEqual = "!=", greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<"
    }

    public var op: Operator
    /// The version on the right. For `===` only `operand` counts; this is what it reads as, if anything.
    public var version: PEP440Version
    /// `==3.12.*`, `!=3.12.*`: the release numbers of `version` are a prefix.
    public var isWildcard: Bool
    /// The text on the right, lower-cased: what `===` compares a version's text with.
    public var operand: String
    /// Whether a Python is compared by its release numbers only (3.14.0rc1 as 3.14.0).
    public var comparesReleaseOnly: Bool

    public init(op: Operator, version: PEP440Version, isWildcard: Bool, operand: String, comparesReleaseOnly: Bool) {
        self.op = op
        self.version = version
        self.isWildcard = isWildcard
        self.operand = operand
        self.comparesReleaseOnly = comparesReleaseOnly
    }

    /// One clause of a request, with the release numbers requests use (`3`, `3.13`, `3.13.5`, `3.15.0rc1`).
    public init(parsing raw: String) throws {
        let text = raw.trimmingBlanks()
        guard let op = Operator.allCases.first(where: { text.hasPrefix($0.rawValue) }) else {
            throw PymanError("invalid version specifier '\(raw.cutForMessage())': start it with one of >=, <=, >, <, ==, !=, ~=, ===")
        }
        var versionText = text.dropFirst(op.rawValue.count).trimmingBlanks()
        if op == .arbitrary {
            guard !versionText.isEmpty, !versionText.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw PymanError("invalid version specifier '\(raw.cutForMessage())': === takes one version, compared as text")
            }
            self.init(op: op, version: PEP440Version(release: [0]), isWildcard: false, operand: versionText.lowercased(), comparesReleaseOnly: false)
            return
        }
        let isWildcard = versionText.hasSuffix(".*")
        if isWildcard {
            guard op == .equal || op == .notEqual else {
                throw PymanError("invalid version specifier '\(raw.cutForMessage())': '.*' goes only with == and !=")
            }
            versionText.removeLast(2)
        }
        guard let (release, pre) = Self.parseRelease(versionText), !(isWildcard && pre != nil) else {
            throw PymanError("invalid version '\(versionText.cutForMessage())' in specifier '\(raw.cutForMessage())': use numbers like 3.12 or 3.12.4")
        }
        var version = PEP440Version(release: release)
        if let pre, let (rank, number) = PEP440Version.pythonPreRelease(pre) { version.pre = PEP440Version.Pre(rank: rank, number: number) }
        // A request's `==3.12` is every 3.12 release (see above); `==3.15.0rc1` is that release alone.
        let isPrefix = isWildcard || ((op == .equal || op == .notEqual) && pre == nil)
        self.init(op: op, version: version, isWildcard: isPrefix, operand: versionText.lowercased(), comparesReleaseOnly: false)
    }

    /// `3`, `3.13`, `3.13.5`, `3.15.0rc1` → ([3, 15, 0], "rc1"); nil if malformed.
    public static func parseRelease(_ text: String) -> ([Int], String?)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        var pre: String?
        for (i, part) in parts.enumerated() {
            let digits = part.prefix(while: \.isNumber)
            guard !digits.isEmpty, digits.count <= 6, let n = Int(digits) else { return nil }
            numbers.append(n)
            let tail = String(part.dropFirst(digits.count))
            if !tail.isEmpty {
                guard i == 2, PEP440Version.pythonPreRelease(tail) != nil else { return nil }
                pre = tail
            }
        }
        return (numbers, pre)
    }

    /// The release numbers the specifier names (`[3, 12]` for `>=3.12`): what "nearest" is measured from.
    public var release: [Int] { version.release }

    /// Whether the Python release `release` (`[3, 13, 5]`) with the pre-release tag `preRelease` (`rc1`,
    /// or "" for a final release) is admitted.
    public func admits(pythonRelease release: [Int], preRelease: String) -> Bool {
        let candidate = PEP440Version(pythonRelease: release, preRelease: preRelease, releaseOnly: comparesReleaseOnly)
        switch op {
        case .arbitrary:
            let numbers = release.map(String.init).joined(separator: ".")
            let text = comparesReleaseOnly ? numbers : numbers + preRelease
            return text.lowercased() == operand
        case .equal:
            return isEqual(candidate)
        case .notEqual:
            return !isEqual(candidate)
        case .greaterOrEqual:
            return candidate.compare(version) >= 0
        case .lessOrEqual:
            // PEP 440: `<=3.12` is up to 3.12.0, so 3.12.5 is not below it.
            return candidate.compare(version) <= 0
        case .greater:
            // PEP 440 also keeps V's post-releases and local versions out of `>V`; a Python has neither.
            return candidate.compare(version) > 0
        case .less:
            // PEP 440: `<3.13` does not let in 3.13's own pre-releases, though they order before 3.13.0.
            let isPrereleaseOfBound = candidate.isPrerelease && !version.isPrerelease && candidate.hasSameRelease(as: version)
            return candidate.compare(version) < 0 && !isPrereleaseOfBound
        case .compatible:
            // `~=3.12` is `>=3.12, ==3.*`; `~=3.12.4` is `>=3.12.4, ==3.12.*`.
            return candidate.compare(version) >= 0 && candidate.startsWith(epoch: version.epoch, release: version.release.dropLast())
        }
    }

    private func isEqual(_ candidate: PEP440Version) -> Bool {
        if isWildcard { return candidate.startsWith(epoch: version.epoch, release: version.release[...]) }
        // A version with a local label (`==3.12.0+ubuntu1`) is matched only by that label, which no Python has.
        guard version.local == nil else { return false }
        return candidate.compare(version) == 0
    }
}
