import Shell
// The texts of the activation scripts, one per shell family. Every script does the same things in its
// shell's terms: leave any active environment first (so a second activation does not stack PATH
// entries), save PATH, PYTHONHOME and the prompt, set VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, put the venv's
// bin first on PATH, unset PYTHONHOME, prefix the prompt with "(<prompt>) " unless
// VIRTUAL_ENV_DISABLE_PROMPT is non-empty, forget hashed command locations, and define `deactivate`.
//
// The saved values use the names CPython's and virtualenv's scripts use (_OLD_VIRTUAL_PATH, …), so an
// activation of a pyman venv also leaves a venv activated by those scripts cleanly, and the other way
// round. The venv path and the prompt appear only inside quoted literals built by ShellQuoting, never
// in comments (a newline in a path would end the comment).
//
// The texts are the files in Activators/ (real scripts, so shellcheck and editors read them), compiled in
// as `PackageResources` byte arrays; what depends on the venv is computed here and put in place of their
// `__PYMAN_<NAME>__` placeholders by ActivatorTemplate.

enum ActivatorScripts {
    // MARK: bash, zsh, sh

    static func posix(venv: String, prompt: String) -> String {
        let q = ShellQuoting.sh
        let script = venv + "/bin/activate"
        let prefix = "(\(prompt)) "
        let refusal = "pyman: this script changes the shell that reads it, so source it instead of running it: . "
            + q(script)
        // One assignment per way the shell expands its prompt; the usual prompt needs only one.
        func assignment(_ literal: String) -> [String] { ["PS1=\(q(literal))\"${PS1-}\""] }
        let zsh = ShellQuoting.choose(["[[ -o promptsubst ]]", "[[ -o promptbang ]]"], indent: "", syntax: .sh) {
            assignment(ShellQuoting.zshPrompt(prefix, promptsubst: $0[0], promptbang: $0[1]))
        }
        let bash = ShellQuoting.choose(["shopt -q promptvars", "shopt -qo posix"], indent: "", syntax: .sh) {
            assignment(ShellQuoting.bashPrompt(prefix, promptvars: $0[0], posixMode: $0[1]))
        }
        let other = assignment(ShellQuoting.posixPrompt(prefix))
        let setPrompt: [String]
        if zsh == other, bash == other {
            setPrompt = other
        } else {
            setPrompt = ["if [ -n \"${ZSH_VERSION-}\" ]; then"] + zsh.map { "    " + $0 }
                + ["elif [ -n \"${BASH_VERSION-}\" ]; then"] + bash.map { "    " + $0 }
                + ["else"] + other.map { "    " + $0 } + ["fi"]
        }
        let promptLines = setPrompt.map { "    " + $0 }.joined(separator: "\n")

        return ActivatorTemplate.fill(PackageResources.activate, [
            "SCRIPT": q(script),
            "REFUSAL": q(refusal),
            "VENV": q(venv),
            "PROMPT": q(prompt),
            "PROMPT_LINES": promptLines,
        ])
    }

    // MARK: fish

    static func fish(venv: String, prompt: String) -> String {
        let q = ShellQuoting.fish
        return ActivatorTemplate.fill(PackageResources.activate_fish, [
            "VENV": q(venv),
            "PROMPT": q(prompt),
            "PREFIX": q("(\(prompt)) "),
        ])
    }

    // MARK: csh, tcsh

    static func csh(venv: String, prompt: String) -> String {
        let q = ShellQuoting.csh
        let prefix = "(\(prompt)) "
        let setPrompt = ShellQuoting.choose(["$?tcsh"], indent: "    ", syntax: .csh) {
            ["set prompt = \(q(ShellQuoting.cshPrompt(prefix, tcsh: $0[0])))\"$prompt:q\""]
        }.joined(separator: "\n")
        // csh has no functions: deactivate is an alias, one line of commands; `\!:*` stands for its arguments.
        let deactivate = [
            #"test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH:q" && unset _OLD_VIRTUAL_PATH"#,
            #"test $?_OLD_VIRTUAL_PYTHONHOME != 0 && setenv PYTHONHOME "$_OLD_VIRTUAL_PYTHONHOME:q" && unset _OLD_VIRTUAL_PYTHONHOME"#,
            #"test $?_OLD_VIRTUAL_PROMPT != 0 && set prompt = "$_OLD_VIRTUAL_PROMPT:q" && unset _OLD_VIRTUAL_PROMPT"#,
            "rehash",
            "unsetenv VIRTUAL_ENV",
            "unsetenv VIRTUAL_ENV_PROMPT",
            #"test "\!:*" != nondestructive && unalias deactivate"#,
        ].joined(separator: "; ")
        return ActivatorTemplate.fill(PackageResources.activate_csh, [
            "DEACTIVATE": deactivate,
            "VENV": q(venv),
            "PROMPT": q(prompt),
            "BIN": q(venv + "/bin"),
            "PROMPT_LINES": setPrompt,
        ])
    }

    // MARK: nushell

    static func nushell(venv: String, prompt: String) -> String {
        let q = ShellQuoting.nu
        return ActivatorTemplate.fill(PackageResources.activate_nu, [
            "VENV": q(venv),
            "PROMPT": q(prompt),
        ])
    }

    // MARK: PowerShell

    static func powershell(venv: String, prompt: String) -> String {
        let q = ShellQuoting.powershell
        return ActivatorTemplate.fill(PackageResources.activate_ps1, [
            "VENV": q(venv),
            "PROMPT": q(prompt),
            "PREFIX": q("(\(prompt)) "),
        ])
    }
}
