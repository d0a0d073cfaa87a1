import Core

/// Reads the text of `pyman.lock` line by line over its UTF-8 bytes: first `version = 1`, then
/// `[[python]]` tables, each checked by `LockTable` when it ends. `TOMLLineScanner` reads each line.
struct LockFileParser {
    /// For messages only.
    let path: String

    func parse(_ text: String) throws(PymanError) -> LockFile {
        guard text.utf8.count <= LockFile.sizeLimit else {
            throw PymanError("\(path) is larger than \(LockFile.sizeLimit >> 20) MiB, which no lock file is", hint: LockFileProblem.rewriteHint)
        }
        let lock: LockFile?
        do throws(LockFileProblem) {
            lock = try lockFile(Array(text.utf8))
        } catch {
            throw error.error(path: path)
        }
        guard let lock else { throw PymanError("\(path) is empty", hint: LockFileProblem.rewriteHint) }
        return lock
    }

    /// nil when there is nothing but blank lines and comments.
    private func lockFile(_ bytes: [UInt8]) throws(LockFileProblem) -> LockFile? {
        var versionLine: Int?
        var pythons: [LockedPython] = []
        var table: LockTable?
        for (lineNumber, range) in Self.lines(of: bytes) {
            var scanner = TOMLLineScanner(bytes, range: range, line: lineNumber)
            switch try scanner.scan() {
            case .blank:
                continue
            case .arrayTableHeader(let name):
                guard name == "python" else {
                    throw LockFileProblem(line: lineNumber, "unknown table \(LockFileProblem.quoted("[[\(name)]]")): a lock file has only [[python]] tables")
                }
                guard versionLine != nil else {
                    throw LockFileProblem(line: lineNumber, "no `version = \(LockFile.formatVersion)` before the first [[python]] table")
                }
                if let table { pythons.append(try table.lockedPython()) }
                table = LockTable(line: lineNumber)
            case .assignment(let key, let value) where table != nil:
                try table?.set(key, value, line: lineNumber)
            case .assignment(let key, let value):
                guard key == "version" else {
                    throw LockFileProblem(line: lineNumber, "unknown key \(LockFileProblem.quoted(key)) before the first [[python]] table (only version goes there)")
                }
                if let versionLine {
                    throw LockFileProblem(line: lineNumber, "duplicate key 'version' (it is set on line \(versionLine) already)")
                }
                try Self.checkFormatVersion(value, line: lineNumber)
                versionLine = lineNumber
            }
        }
        if let table { pythons.append(try table.lockedPython()) }
        return versionLine.map { _ in LockFile(pythons: pythons) }
    }

    /// Each line's number (from 1) and bytes without its LF or CRLF. A CR elsewhere stays, for the scanner
    /// to refuse as TOML does.
    static func lines(of bytes: [UInt8]) -> [(number: Int, range: Range<Int>)] {
        var lines: [(number: Int, range: Range<Int>)] = []
        // An editor may have put a byte order mark first; it is not content.
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            let lineFeed = bytes[start...].firstIndex(of: 0x0A)
            var end = lineFeed ?? bytes.count
            if lineFeed != nil, end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append((lines.count + 1, start..<end))
            start = (lineFeed ?? bytes.count) + 1
        }
        return lines
    }

    /// Checked as soon as it is read, so that a newer file's other novelties are not what the user is told.
    private static func checkFormatVersion(_ value: TOMLValue, line: Int) throws(LockFileProblem) {
        guard case .integer(let version) = value else {
            throw LockFileProblem(line: line, "version must be an integer, not \(value.typeName)")
        }
        if version > Int64(LockFile.formatVersion) {
            throw LockFileProblem(line: line, "lock file version \(version) is newer than this pyman reads (\(LockFile.formatVersion))",
                                  hint: "upgrade pyman to install from it, or run `pyman lock` to write it again")
        }
        guard version == Int64(LockFile.formatVersion) else {
            throw LockFileProblem(line: line, "lock file version \(version) is not one pyman writes (\(LockFile.formatVersion))")
        }
    }
}
