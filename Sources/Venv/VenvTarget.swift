import Core

/// What a venv's path, prompt and existing folder must be before pyman writes anything there.
enum VenvTarget {
    /// A `:` in the path would split the venv's `bin` in two on PATH (CPython's venv refuses it too);
    /// a control character in the prompt would add lines to pyvenv.cfg and to the activation scripts.
    static func checkNames(path: String, prompt: String?) throws {
        if path.contains(":") {
            throw PymanError("refusing to create a venv in \(path): the path contains ':', the separator of PATH, so activating it would put the wrong folder on PATH",
                             hint: "choose a path without ':'")
        }
        if let prompt, prompt.containsControlCharacters {
            throw PymanError("the prompt \(prompt.escapingControlCharacters()) contains a control character (a newline, a tab, an escape)",
                             hint: "pass a prompt of printable characters")
        }
    }

    /// In an existing venv, the folders pyman writes into must be folders, not links to somewhere else:
    /// whoever could write the venv could otherwise make pyman write (as root, say) where the link points.
    /// `lib64` may only be CPython's own link to `lib`.
    static func checkNoLinks(in venv: String, stdlib: String) throws {
        for relative in ["bin", "include", "lib", "lib/\(stdlib)", "lib/\(stdlib)/site-packages"] {
            let path = venv + "/" + relative
            if FileSystem.isSymlink(path) {
                throw PymanError("\(path) is a symlink; pyman never writes through a link inside a venv", hint: "remove it, or recreate the venv with --clear")
            }
        }
        let lib64 = venv + "/lib64"
        if FileSystem.isSymlink(lib64), FileSystem.symlinkTarget(lib64) != "lib" {
            throw PymanError("\(lib64) is a symlink to \(FileSystem.symlinkTarget(lib64) ?? "?"), not to lib", hint: "remove it, or recreate the venv with --clear")
        }
    }
}
