import Core

/// The block `pyman update-shell` writes into a startup file: the marker line by which a later run
/// recognises it, then lines that put one folder in front of PATH unless PATH already holds it (so a
/// file sourced twice, or a login file that also sources .bashrc, adds it once).
///
/// sh, bash and zsh (`~/.profile`, `~/.bashrc`, `~/.zshenv`):
///
///     # added by pyman update-shell
///     case ":${PATH-}:" in
///         *:'/root/.local/bin':*) ;;
///         *) export PATH='/root/.local/bin'"${PATH:+:${PATH}}" ;;
///     esac
///
/// fish (`conf.d/pyman.fish`; a guard rather than `fish_add_path`, which is missing before fish 3.2,
/// skips a folder that does not exist yet and, without flags, changes a universal variable):
///
///     # added by pyman update-shell
///     if not contains -- '/root/.local/bin' $PATH
///         set -gx PATH '/root/.local/bin' $PATH
///     end
///
/// The folder is written literally, single-quoted as the activation scripts quote paths
/// (`ShellQuoting`): nothing in it is expanded, whatever it holds (spaces, `$`, quotes,
/// backslashes, `*`), in the case pattern too. Control characters (a newline would end the line) and `:`
/// (PATH's separator) are refused before anything is written.
public enum ShellSnippet {
    public static let marker = "# added by pyman update-shell"

    /// The two languages the block is written in.
    public enum Syntax: Sendable, Equatable {
        /// POSIX sh, which bash and zsh read too.
        case posix
        case fish
    }

    /// The block's lines for `folder`, the marker first.
    public static func lines(for folder: String, syntax: Syntax) -> [String] {
        switch syntax {
        case .posix:
            let quoted = ShellQuoting.sh(folder)
            return [marker,
                    "case \":${PATH-}:\" in",
                    "    *:\(quoted):*) ;;",
                    "    *) export PATH=\(quoted)\"${PATH:+:${PATH}}\" ;;",
                    "esac"]
        case .fish:
            let quoted = ShellQuoting.fish(folder)
            return [marker,
                    "if not contains -- \(quoted) $PATH",
                    "    set -gx PATH \(quoted) $PATH",
                    "end"]
        }
    }

    /// Why `folder` cannot go into a startup file, if it cannot.
    public static func problem(with folder: String) -> PymanError? {
        if folder.containsControlCharacters {
            return PymanError("the bin dir \(folder.escapingControlCharacters()) contains a control character, which pyman does not write into a shell's startup file",
                              hint: "set PYMAN_BIN_DIR to a path without one")
        }
        if folder.contains(":") {
            return PymanError("the bin dir \(folder) contains ':', which separates the folders of PATH, so no PATH can hold it",
                              hint: "set PYMAN_BIN_DIR to a path without one")
        }
        return nil
    }

    /// Whether `text` (a startup file's content) holds the block for `folder`: its lines one after the
    /// other, each compared without trailing blanks or a carriage return (an editor's changes).
    public static func isPresent(for folder: String, syntax: Syntax, in text: [UInt8]) -> Bool {
        let wanted = lines(for: folder, syntax: syntax)
        // Split on bytes: as Characters, "\r\n" is one, and no "\n".
        let present = text.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.reversed().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }.reversed(), as: UTF8.self)
        }
        guard present.count >= wanted.count else { return false }
        for start in 0...(present.count - wanted.count) where present[start] == wanted[0] {
            if zip(present[start...], wanted).allSatisfy({ $0 == $1 }) { return true }
        }
        return false
    }
}
