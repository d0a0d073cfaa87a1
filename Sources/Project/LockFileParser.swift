import Core
import TOML

/// Reads the text of `pyman.lock` line by line over its UTF-8 bytes: first `version = 1`, then
/// `[[python]]` tables, each checked by `LockTable` when it ends. `TOMLLineScanner` reads each line.
struct LockFileParser {
    /// For messages only.
    let path: String

    /// What to do about a lock file that does not read.
    static let rewriteHint = "run `pyman lock` to write it again"

    func parse(_ text: String) throws(PymanError) -> LockFile {
        guard text.utf8.count <= LockFile.sizeLimit else {
            throw PymanError("\(path) is larger than \(LockFile.sizeLimit >> 20) MiB, which no lock file is", hint: LockFileParser.rewriteHint)
        }
        let lock: LockFile?
        do throws(TOMLProblem) {
            lock = try lockFile(Array(text.utf8))
        } catch {
            throw error.error(path: path, defaultHint: Self.rewriteHint)
        }
        guard let lock else { throw PymanError("\(path) is empty", hint: LockFileParser.rewriteHint) }
        return lock
    }

    /// nil when there is nothing but blank lines and comments.
    private func lockFile(_ bytes: [UInt8]) throws(TOMLProblem) -> LockFile? {
        var versionLine: Int?
        var pythons: [LockedPython] = []
        var table: LockTable?
        for (lineNumber, range) in TOMLLines.split(bytes) {
            var scanner = TOMLLineScanner(bytes, range: range, line: lineNumber)
            switch try scanner.scan() {
            case .blank:
                continue
            case .arrayTableHeader(let name):
                guard name == "python" else {
                    throw TOMLProblem(line: lineNumber, "unknown table \(TOMLProblem.quoted("[[\(name)]]")): a lock file has only [[python]] tables")
                }
                guard versionLine != nil else {
                    throw TOMLProblem(line: lineNumber, "no `version = \(LockFile.formatVersion)` before the first [[python]] table")
                }
                if let table { pythons.append(try table.lockedPython()) }
                table = LockTable(line: lineNumber)
            case .assignment(let key, let value) where table != nil:
                try table?.set(key, value, line: lineNumber)
            case .assignment(let key, let value):
                guard key == "version" else {
                    throw TOMLProblem(line: lineNumber, "unknown key \(TOMLProblem.quoted(key)) before the first [[python]] table (only version goes there)")
                }
                if let versionLine {
                    throw TOMLProblem(line: lineNumber, "duplicate key 'version' (it is set on line \(versionLine) already)")
                }
                try Self.checkFormatVersion(value, line: lineNumber)
                versionLine = lineNumber
            }
        }
        if let table { pythons.append(try table.lockedPython()) }
        return versionLine.map { _ in LockFile(pythons: pythons) }
    }

    /// Checked as soon as it is read, so that a newer file's other novelties are not what the user is told.
    private static func checkFormatVersion(_ value: TOMLValue, line: Int) throws(TOMLProblem) {
        guard case .integer(let version) = value else {
            throw TOMLProblem(line: line, "version must be an integer, not \(value.typeName)")
        }
        if version > Int64(LockFile.formatVersion) {
            throw TOMLProblem(line: line, "lock file version \(version) is newer than this pyman reads (\(LockFile.formatVersion))",
                                  hint: "upgrade pyman to install from it, or run `pyman lock` to write it again")
        }
        guard version == Int64(LockFile.formatVersion) else {
            throw TOMLProblem(line: line, "lock file version \(version) is not one pyman writes (\(LockFile.formatVersion))")
        }
    }
}
