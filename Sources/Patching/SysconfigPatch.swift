import FoundationEssentials

/// Patches the sysconfig files of a python-build-standalone install so that building C
/// extensions works in the install's real location. Every function here is idempotent.
public enum SysconfigPatch {
    /// The marker uv and python-build-standalone tooling look for.
    static let standaloneKey = "PYTHON_BUILD_STANDALONE"

    // MARK: - _sysconfigdata_*.py

    /// Rewrites every string value (see `SysconfigRewrite`), adds
    /// `'PYTHON_BUILD_STANDALONE': 1` if absent, and renders the module canonically.
    public static func patchSysconfigData(_ text: String, realPrefix: String) throws -> String {
        var data = try SysconfigData.parse(text)
        let rewriter = SysconfigRewrite(realPrefix: realPrefix)
        for index in data.entries.indices {
            if case .string(let value) = data.entries[index].value {
                let key = data.entries[index].key
                data.entries[index].value = .string(rewriter.rewrite(key: key, value: value))
            }
        }
        if data[standaloneKey] == nil {
            data[standaloneKey] = .int(1)
        }
        return data.render()
    }

    /// Keys (other than CONFIG_ARGS) whose string value still contains a `/install` path:
    /// empty for a fully patched module. Throws if `text` does not parse.
    public static func unpatchedValues(in text: String) throws -> [String] {
        try SysconfigData.parse(text).entries.compactMap { entry in
            guard entry.key != SysconfigRewrite.configArgsKey,
                  case .string(let value) = entry.value,
                  SysconfigRewrite.containsBuildPrefix(value)
            else { return nil }
            return entry.key
        }
    }

    // MARK: - _sysconfig_vars_*.json

    /// The JSON twin of `patchSysconfigData` (Python 3.14+). Key order is preserved,
    /// non-string values are kept verbatim, and the output uses `json.dump(indent=2)` layout.
    public static func patchSysconfigVarsJSON(_ data: Data, realPrefix: String) throws -> Data {
        guard let text = String(data: data, encoding: .utf8) else {
            throw SysconfigError("JSON: file is not valid UTF-8")
        }
        var object = try SysconfigJSONObject.parse(text)
        let rewriter = SysconfigRewrite(realPrefix: realPrefix)
        for index in object.members.indices {
            if case .string(let value) = object.members[index].value {
                let key = object.members[index].key
                object.members[index].value = .string(rewriter.rewrite(key: key, value: value))
            }
        }
        if !object.members.contains(where: { $0.key == standaloneKey }) {
            object.members.append((key: standaloneKey, value: .raw("1")))
        }
        return Data(object.render().utf8)
    }

    // MARK: - config-X.Y-*/Makefile

    /// Rewrites the value of each variable assignment (`NAME=v`, `NAME = v`, `NAME:= v`,
    /// `NAME?=`, `NAME+=`, `NAME::=`, `NAME!=`, including backslash-continued lines) and keeps
    /// every other byte as is. Adds `PYTHON_BUILD_STANDALONE=1` after the first assignment
    /// (or at the end if there is none) unless the variable is already assigned.
    public static func patchMakefile(_ text: String, realPrefix: String) -> String {
        // make expands `$` and treats `#` as a comment even inside a value.
        let rewriter = SysconfigRewrite(realPrefix: realPrefix).escapingPrefix {
            $0.replacing("$", with: "$$").replacing("#", with: "\\#")
        }
        var lines = TextLines(text)
        var continuation: Continuation = .none
        var endOfFirstAssignment: Int?
        var hasStandaloneMarker = false

        for index in lines.lines.indices {
            let line = lines.lines[index]
            switch continuation {
            case .assignment(let key):
                lines.lines[index] = rewriter.rewrite(key: key, value: line, replaceTool: false)
            case .other:
                break
            case .none:
                if let assignment = MakefileAssignment(line) {
                    lines.lines[index] = assignment.head + rewriter.rewrite(key: assignment.name, value: assignment.value)
                    continuation = .assignment(assignment.name)
                    if assignment.name == standaloneKey { hasStandaloneMarker = true }
                }
            }
            let continues = line.hasSuffix("\\")
            if !continues {
                if case .assignment = continuation, endOfFirstAssignment == nil {
                    endOfFirstAssignment = index
                }
                continuation = .none
            } else if case .none = continuation {
                continuation = .other
            }
        }

        if !hasStandaloneMarker {
            if endOfFirstAssignment == nil && continuation.isOpen {
                // The file ends inside a continued line: end it first, or the marker would
                // become part of that line.
                lines.insert("", after: nil)
            }
            lines.insert("\(standaloneKey)=1", after: endOfFirstAssignment)
        }
        return lines.joined
    }

    /// What the previous physical line's trailing backslash continues.
    private enum Continuation {
        case none
        case assignment(String)
        case other

        var isOpen: Bool {
            if case .none = self { return false }
            return true
        }
    }

    /// `NAME<op>value` at the start of a line. Recipe lines start with a tab and rules have
    /// `:` not followed by `=`, so neither matches.
    private struct MakefileAssignment {
        let name: String
        /// Everything up to and including the operator, kept byte-identical.
        let head: String
        let value: String

        init?(_ line: String) {
            let scalars = Array(line.unicodeScalars)
            var index = 0
            func isNameScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
                let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
                return first ? isLetter : isLetter || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
            }
            while index < scalars.count, isNameScalar(scalars[index], first: index == 0) { index += 1 }
            guard index > 0 else { return nil }
            let nameEnd = index
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            let operators: [[Unicode.Scalar]] = [["="], [":", "="], [":", ":", "="], ["?", "="], ["+", "="], ["!", "="]]
            guard let op = operators.first(where: { op in
                index + op.count <= scalars.count && scalars[index..<(index + op.count)].elementsEqual(op)
            }) else { return nil }
            index += op.count
            name = String(String.UnicodeScalarView(scalars[0..<nameEnd]))
            head = String(String.UnicodeScalarView(scalars[0..<index]))
            value = String(String.UnicodeScalarView(scalars[index...]))
        }
    }

    // MARK: - lib/pkgconfig/*.pc

    /// Rewrites `/install` paths (notably `prefix=/install`) on every non-comment line.
    /// Files already using `${pcfiledir}` have nothing to rewrite and come back unchanged.
    public static func patchPkgConfig(_ text: String, realPrefix: String) -> String {
        // pkg-config expands `${var}`; `$$` is its literal dollar.
        let rewriter = SysconfigRewrite(realPrefix: realPrefix).escapingPrefix {
            $0.replacing("$", with: "$$")
        }
        var lines = TextLines(text)
        for index in lines.lines.indices where !lines.lines[index].hasPrefix("#") {
            lines.lines[index] = rewriter.replacingBuildPrefix(in: lines.lines[index])
        }
        return lines.joined
    }
}

/// Text split into lines so that joining gives back the exact bytes: the "\n" separators
/// are implied, a "\r" before one is set aside (CRLF files stay CRLF and values never see
/// the "\r"), and a missing final newline stays missing.
private struct TextLines {
    var lines: [String]
    private var carriageReturns: [Bool]

    init(_ text: String) {
        // Split on UTF-8 bytes: as Characters, "\r\n" is one unit and would not split on "\n"; and
        // bytes are much faster than scalars for a 100 kB Makefile ("\n" and "\r" never occur
        // inside a multi-byte sequence).
        let raw = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines = []
        carriageReturns = []
        lines.reserveCapacity(raw.count)
        carriageReturns.reserveCapacity(raw.count)
        for line in raw {
            let hasCR = line.last == UInt8(ascii: "\r")
            lines.append(String(decoding: hasCR ? line.dropLast() : line, as: UTF8.self))
            carriageReturns.append(hasCR)
        }
    }

    var joined: String {
        zip(lines, carriageReturns).map { $1 ? $0 + "\r" : $0 }.joined(separator: "\n")
    }

    /// Inserts a line after line `index`, or at the end (before a final empty line, which is
    /// what a trailing newline looks like here) when `index` is nil.
    mutating func insert(_ line: String, after index: Int?) {
        let position: Int
        if let index {
            position = index + 1
        } else if lines.last == "" {
            position = lines.count - 1
        } else {
            position = lines.count
        }
        let useCR = carriageReturns.first ?? false
        lines.insert(line, at: position)
        carriageReturns.insert(useCR, at: position)
        // Appending after an unterminated last line: that line needs its newline, and the new
        // one is then terminated too, as a text file should be.
        if position == lines.count - 1 {
            lines.append("")
            carriageReturns.append(false)
        }
    }
}
