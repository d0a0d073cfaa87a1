// Quoting for each shell: how a venv path or a prompt becomes a literal in each shell's syntax (Venv's
// activation scripts), how the prompt prefix is escaped so that each shell's prompt expansion shows it
// as typed, and how the bin dir is quoted in the PATH lines `pyman update-shell` writes (ShellSnippet).
// Every rule here is exercised against the real shells by ActivatorTests and ShellSetupTests.

public enum ShellQuoting {
    // MARK: String literals

    /// POSIX sh single quotes (bash, zsh, dash): everything inside is literal, including newlines;
    /// a `'` closes the quotes, is escaped and reopens them.
    public static func sh(_ text: String) -> String {
        "'" + text.replacing("'", with: #"'\''"#) + "'"
    }

    /// fish single quotes: only `\\` and `\'` are escapes; `$`, backquotes and newlines are literal.
    public static func fish(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    /// csh/tcsh single quotes: literal except for `!`, which history substitution sees even inside
    /// quotes and even in sourced files (so `\!`), and newline, which needs a backslash. A `'` closes the
    /// quotes, is escaped and reopens them.
    public static func csh(_ text: String) -> String {
        var out = "'"
        for character in text {
            switch character {
            case "'": out += #"'\''"#
            case "!": out += #"\!"#
            case "\n": out += "\\\n"
            default: out.append(character)
            }
        }
        return out + "'"
    }

    /// A nushell double-quoted string: backslash escapes, and no interpolation (that needs `$"…"`), so
    /// `$`, parentheses and backquotes are literal.
    public static func nu(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += #"\""#
            case "\\": out += #"\\"#
            case "\n": out += #"\n"#
            case "\r": out += #"\r"#
            case "\t": out += #"\t"#
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// PowerShell single quotes: literal except the quote, doubled. PowerShell also takes the typographic
    /// single quotes U+2018…U+201B as quotes, so those are doubled too.
    public static func powershell(_ text: String) -> String {
        var out = "'"
        for character in text {
            if "'\u{2018}\u{2019}\u{201A}\u{201B}".contains(character) { out.append(character) }
            out.append(character)
        }
        return out + "'"
    }

    // MARK: Prompt prefixes
    // The prefix "(<prompt>) " goes in front of the shell's own prompt, which the shell expands each time
    // it shows it. These return the text to store so the shell shows the prefix literally.

    /// bash's PS1: backslash escapes are decoded first; then, with `promptvars` (on by default), the
    /// result is expanded like a double-quoted string; in POSIX mode `!` is the history number and `!!`
    /// a literal `!`.
    public static func bashPrompt(_ prefix: String, promptvars: Bool, posixMode: Bool) -> String {
        var out = ""
        for character in prefix {
            switch character {
            case "\\": out += promptvars ? #"\\\\"# : #"\\"#
            case "$" where promptvars: out += #"\\$"#
            case "`" where promptvars: out += #"\\`"#
            case "!" where posixMode: out += "!!"
            default: out.append(character)
            }
        }
        return out
    }

    /// zsh's PS1: `%` escapes always; with `promptsubst` it is first expanded like a double-quoted string;
    /// with `promptbang` `!` is the history number and `!!` a literal `!`.
    public static func zshPrompt(_ prefix: String, promptsubst: Bool, promptbang: Bool) -> String {
        var out = ""
        for character in prefix {
            switch character {
            case "%": out += "%%"
            case "\\" where promptsubst: out += #"\\"#
            case "$" where promptsubst: out += #"\$"#
            case "`" where promptsubst: out += #"\`"#
            case "!" where promptbang: out += "!!"
            default: out.append(character)
            }
        }
        return out
    }

    /// Other POSIX shells (dash, ash, ksh): PS1 is expanded like a double-quoted string.
    public static func posixPrompt(_ prefix: String) -> String {
        var out = ""
        for character in prefix {
            switch character {
            case "\\", "$", "`": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// csh/tcsh's `prompt`: `!` is the history number and `\!` a literal `!` in both; tcsh also has `%`
    /// escapes and decodes backslashes. (The result still goes through `csh(_:)` for the file.)
    public static func cshPrompt(_ prefix: String, tcsh: Bool) -> String {
        var out = ""
        for character in prefix {
            switch character {
            case "!": out += #"\!"#
            case "%" where tcsh: out += "%%"
            case "\\" where tcsh: out += #"\\"#
            default: out.append(character)
            }
        }
        return out
    }

    // MARK: Choosing by shell option at run time

    /// Shell code choosing among texts by conditions tested when the script runs: `make` gets one Bool per
    /// condition and returns the lines for that case. A condition whose value does not change the lines is
    /// not tested, so the usual prompt (letters, digits, dashes) gives a single line.
    public static func choose(
        _ conditions: [String], indent: String, syntax: ConditionalSyntax, make: ([Bool]) -> [String]
    ) -> [String] {
        func lines(_ fixed: [Bool]) -> [String] {
            if fixed.count == conditions.count { return make(fixed) }
            let yes = lines(fixed + [true]), no = lines(fixed + [false])
            if yes == no { return yes }
            let condition = conditions[fixed.count]
            let inner = { (block: [String]) in block.map { "    " + $0 } }
            switch syntax {
            case .sh:
                return ["if \(condition); then"] + inner(yes) + ["else"] + inner(no) + ["fi"]
            case .csh:
                return ["if (\(condition)) then"] + inner(yes) + ["else"] + inner(no) + ["endif"]
            }
        }
        return lines([]).map { indent + $0 }
    }

    public enum ConditionalSyntax { case sh, csh }
}
