import Core

/// The console scripts a wheel's entry_points.txt asks for, written as pip's installer writes them.
enum ConsoleScript {
    /// `module:function` of the `[console_scripts]` entry `name` in entry_points.txt (extras ignored).
    static func entryPoint(_ name: String, in text: String) -> (module: String, function: String)? {
        var section = ""
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingBlanks()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = line.dropFirst().dropLast().trimmingBlanks()
                continue
            }
            guard section == "console_scripts", let equals = line.firstIndex(of: "="),
                  line[..<equals].trimmingBlanks() == name else { continue }
            var value = Substring(line[line.index(after: equals)...])
            if let bracket = value.firstIndex(of: "[") { value = value[..<bracket] }
            let parts = value.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let module = parts[0].trimmingBlanks()
            let function = parts[1].trimmingBlanks()
            guard isDottedIdentifier(module), isDottedIdentifier(function) else { return nil }
            return (module, function)
        }
        return nil
    }

    static func isDottedIdentifier(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        }
    }

    /// `#!<python>` as distlib (and so pip) writes it; when that line would be longer than 127 bytes (the
    /// historic kernel limit) or the path has blanks, the `/bin/sh` trampoline that re-execs the interpreter.
    static func shebang(python: String) throws -> String {
        let simple = "#!\(python)\n"
        if simple.utf8.count <= 127 && !python.contains(where: { $0 == " " || $0 == "\t" }) { return simple }
        // The trampoline line is shell (inside double quotes) and a Python string literal at once.
        guard !python.contains("$"), !python.contains("`"), !python.contains("'''") else {
            throw PymanError.oneLine("the venv interpreter path '\(python)' needs a /bin/sh launcher but contains $, ` or '''",
                                     hint: "create the venv at a path without them")
        }
        let quoted = python.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "#!/bin/sh\n'''exec' \"\(quoted)\" \"$0\" \"$@\"\n' '''\n"
    }

    /// The console script pip's installer (distlib's ScriptMaker) writes.
    static func text(shebang: String, module: String, function: String) -> String {
        let importName = function.split(separator: ".")[0]
        return shebang + #"""
            # -*- coding: utf-8 -*-
            import re
            import sys
            from \#(module) import \#(importName)
            if __name__ == "__main__":
                sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
                sys.exit(\#(function)())

            """#
    }
}
