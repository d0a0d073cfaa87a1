import Core
import TOML

/// requires-python's specifiers, read as PEP 440 writes them (pip's and uv's reading): `>=3.11`,
/// `>= 3.9, != 3.9.1, < 4`, `==3.12.*`, `~=3.11.2`, `===3.12.0`, and PEP 440's full version syntax.
extension VersionSpecifier {
    /// The comma-separated specifiers of `text`; none when it is blank (it then allows any Python).
    public static func requiresPython(_ text: String) throws(VersionSpecifierProblem) -> [VersionSpecifier] {
        guard !text.allSatisfy(\.isWhitespace) else { return [] }
        var specifiers: [VersionSpecifier] = []
        // Clause by clause, so that a long text is refused at its first bad clause without being cut up first.
        var rest = text[...]
        while true {
            let comma = rest.firstIndex(of: ",")
            specifiers.append(try VersionSpecifier(requiresPython: rest[..<(comma ?? rest.endIndex)]))
            guard let comma else { break }
            rest = rest[rest.index(after: comma)...]
        }
        // PEP 440 lets pre-releases in when a specifier names one. Otherwise a Python is compared by its
        // release numbers, as pip and uv compare the running one, so 3.14.0rc1 counts as 3.14.0.
        let namesPrerelease = specifiers.contains { $0.version.isPrerelease }
        for index in specifiers.indices { specifiers[index].comparesReleaseOnly = !namesPrerelease }
        return specifiers
    }

    /// One specifier: an operator, maybe blanks, a version.
    public init(requiresPython clause: Substring) throws(VersionSpecifierProblem) {
        let text = clause.trimmingWhitespace()
        guard !text.isEmpty else { throw VersionSpecifierProblem("there is an empty specifier between commas") }
        let shown = TOMLProblem.quoted(text)
        guard let op = Operator.allCases.first(where: { text.hasPrefix($0.rawValue) }) else {
            if text.hasPrefix("^") || text.hasPrefix("~") {
                throw VersionSpecifierProblem("\(shown) is Poetry's syntax, not PEP 440's: write e.g. >=3.11,<4 or ~=3.11")
            }
            if text.first?.isNumber == true {
                throw VersionSpecifierProblem("\(shown) has no operator: write e.g. >=\(TOMLProblem.shown(text)) or ==\(TOMLProblem.shown(text)).*")
            }
            throw VersionSpecifierProblem("\(shown) does not start with one of >=, <=, >, <, ==, !=, ~=, ===")
        }
        let operand = text.dropFirst(op.rawValue.count).trimmingWhitespace()
        guard !operand.isEmpty else { throw VersionSpecifierProblem("\(shown) has no version after its \(op.rawValue)") }
        guard !operand.contains(where: \.isWhitespace) else {
            throw VersionSpecifierProblem("\(shown) holds more than one version: separate specifiers with commas")
        }
        if op == .arbitrary {
            // Arbitrary equality compares text, whatever it is; what it reads as only says if it is a pre-release.
            let version = (try? PEP440Version(parsing: operand[...])) ?? PEP440Version(release: [0])
            self.init(op: op, version: version, isWildcard: false, operand: operand.lowercased(), comparesReleaseOnly: false)
            return
        }
        let isWildcard = operand.hasSuffix(".*")
        let version = try PEP440Version(parsing: isWildcard ? operand.dropLast(2) : operand[...])
        if isWildcard {
            guard op == .equal || op == .notEqual else { throw VersionSpecifierProblem("\(shown): '.*' goes only with == and !=") }
            guard !version.isPrerelease, version.post == nil, version.local == nil else {
                throw VersionSpecifierProblem("\(shown): '.*' follows release numbers only, as in ==3.12.*")
            }
        }
        guard version.local == nil || op == .equal || op == .notEqual else {
            throw VersionSpecifierProblem("\(shown): a local version (+…) goes only with == and !=")
        }
        guard op != .compatible || version.release.count >= 2 else {
            throw VersionSpecifierProblem("\(shown): ~= needs two numbers or more (~=3.11 means >=3.11,==3.*)")
        }
        self.init(op: op, version: version, isWildcard: isWildcard, operand: operand.lowercased(), comparesReleaseOnly: false)
    }
}
