// The texts of the activation scripts, one per shell family. Every script does the same things in its
// shell's terms: leave any active environment first (so a second activation does not stack PATH
// entries), save PATH, PYTHONHOME and the prompt, set VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, put the venv's
// bin first on PATH, unset PYTHONHOME, prefix the prompt with "(<prompt>) " unless
// VIRTUAL_ENV_DISABLE_PROMPT is non-empty, forget hashed command locations, and define `deactivate`.
//
// The saved values use the names CPython's and virtualenv's scripts use (_OLD_VIRTUAL_PATH, …), so an
// activation of a pyman venv also leaves a venv activated by those scripts cleanly, and the other way
// round. The venv path and the prompt appear only inside quoted literals built by ActivatorQuoting, never
// in comments (a newline in a path would end the comment).

enum ActivatorScripts {
    // MARK: bash, zsh, sh

    static func posix(venv: String, prompt: String) -> String {
        let q = ActivatorQuoting.sh
        let script = venv + "/bin/activate"
        let prefix = "(\(prompt)) "
        let refusal = "pyman: this script changes the shell that reads it, so source it instead of running it: . "
            + q(script)
        // One assignment per way the shell expands its prompt; the usual prompt needs only one.
        func assignment(_ literal: String) -> [String] { ["PS1=\(q(literal))\"${PS1-}\""] }
        let zsh = ActivatorQuoting.choose(["[[ -o promptsubst ]]", "[[ -o promptbang ]]"], indent: "", syntax: .sh) {
            assignment(ActivatorQuoting.zshPrompt(prefix, promptsubst: $0[0], promptbang: $0[1]))
        }
        let bash = ActivatorQuoting.choose(["shopt -q promptvars", "shopt -qo posix"], indent: "", syntax: .sh) {
            assignment(ActivatorQuoting.bashPrompt(prefix, promptvars: $0[0], posixMode: $0[1]))
        }
        let other = assignment(ActivatorQuoting.posixPrompt(prefix))
        let setPrompt: [String]
        if zsh == other, bash == other {
            setPrompt = other
        } else {
            setPrompt = ["if [ -n \"${ZSH_VERSION-}\" ]; then"] + zsh.map { "    " + $0 }
                + ["elif [ -n \"${BASH_VERSION-}\" ]; then"] + bash.map { "    " + $0 }
                + ["else"] + other.map { "    " + $0 } + ["fi"]
        }
        let promptLines = setPrompt.map { "    " + $0 }.joined(separator: "\n")

        return #"""
        # pyman: activation script for bash, zsh and POSIX sh (dash).
        #
        # Source it into the shell you are using; running it as a program would change nothing:
        #     . bin/activate        (bash and zsh also take: source bin/activate)
        # It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, unsets
        # PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
        # set). `deactivate` puts everything back; `deactivate nondestructive` does too but keeps the function.

        # Run as a program (`bash bin/activate`), it would activate a shell that exits at once: say so.
        _pyman_run_directly=
        if [ -n "${ZSH_VERSION-}" ]; then
            # zsh calls the context it reads a script file in "toplevel", and a sourced one "...:file".
            if [ "${ZSH_EVAL_CONTEXT-}" = toplevel ]; then _pyman_run_directly=1; fi
        elif [ -n "${BASH_VERSION-}" ]; then
            if [ "${BASH_SOURCE-}" = "$0" ]; then _pyman_run_directly=1; fi
        elif [ "$0" -ef \#(q(script)) ]; then
            _pyman_run_directly=1
        fi
        if [ -n "$_pyman_run_directly" ]; then
            unset _pyman_run_directly
            printf '%s\n' \#(q(refusal)) >&2
            return 1 2>/dev/null || exit 1
        fi
        unset _pyman_run_directly

        deactivate () {
            if [ -n "${_OLD_VIRTUAL_PATH+set}" ]; then
                PATH=$_OLD_VIRTUAL_PATH
                export PATH
                unset _OLD_VIRTUAL_PATH
            fi
            if [ -n "${_OLD_VIRTUAL_PYTHONHOME+set}" ]; then
                PYTHONHOME=$_OLD_VIRTUAL_PYTHONHOME
                export PYTHONHOME
                unset _OLD_VIRTUAL_PYTHONHOME
            fi
            if [ -n "${_OLD_VIRTUAL_PS1+set}" ]; then
                PS1=$_OLD_VIRTUAL_PS1
                unset _OLD_VIRTUAL_PS1
            fi
            # Commands were looked up in the environment's bin: look them up again.
            hash -r 2>/dev/null || true
            unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
            if [ "${1-}" != nondestructive ]; then
                unset -f deactivate
            fi
        }

        # Leave whatever environment is active, this one or another, keeping the function just defined.
        deactivate nondestructive

        VIRTUAL_ENV=\#(q(venv))
        export VIRTUAL_ENV
        VIRTUAL_ENV_PROMPT=\#(q(prompt))
        export VIRTUAL_ENV_PROMPT

        _OLD_VIRTUAL_PATH=${PATH-}
        PATH="$VIRTUAL_ENV/bin${PATH:+:$PATH}"
        export PATH

        # PYTHONHOME would point python at another installation's standard library.
        if [ -n "${PYTHONHOME+set}" ]; then
            _OLD_VIRTUAL_PYTHONHOME=$PYTHONHOME
            unset PYTHONHOME
        fi

        if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT-}" ]; then
            _OLD_VIRTUAL_PS1=${PS1-}
        \#(promptLines)
        fi

        hash -r 2>/dev/null || true

        """#
    }

    // MARK: fish

    static func fish(venv: String, prompt: String) -> String {
        let q = ActivatorQuoting.fish
        return #"""
        # pyman: activation script for fish. Source it into the shell you are using:
        #     source bin/activate.fish
        # It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, erases
        # PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
        # set). `deactivate` puts everything back; `deactivate nondestructive` does too but keeps the function.

        function deactivate --description 'Leave the virtual environment'
            if set -q _OLD_VIRTUAL_PATH
                set -gx PATH $_OLD_VIRTUAL_PATH
                set -e _OLD_VIRTUAL_PATH
            end
            if set -q _OLD_VIRTUAL_PYTHONHOME
                set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
                set -e _OLD_VIRTUAL_PYTHONHOME
            end
            if set -q _OLD_FISH_PROMPT_OVERRIDE
                set -e _OLD_FISH_PROMPT_OVERRIDE
                functions -e fish_prompt
                if functions -q _old_fish_prompt
                    functions -c _old_fish_prompt fish_prompt
                    functions -e _old_fish_prompt
                end
            end
            set -e VIRTUAL_ENV
            set -e VIRTUAL_ENV_PROMPT
            if test "$argv[1]" != nondestructive
                functions -e deactivate
            end
        end

        # Leave whatever environment is active, this one or another, keeping the function just defined.
        deactivate nondestructive

        set -gx VIRTUAL_ENV \#(q(venv))
        set -gx VIRTUAL_ENV_PROMPT \#(q(prompt))

        set -g _OLD_VIRTUAL_PATH $PATH
        set -gx PATH "$VIRTUAL_ENV/bin" $PATH

        # PYTHONHOME would point python at another installation's standard library.
        if set -q PYTHONHOME
            set -g _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
            set -e PYTHONHOME
        end

        if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
            # Keep the prompt in use under another name and show it after the environment's name.
            functions -e _old_fish_prompt
            if functions -q fish_prompt
                functions -c fish_prompt _old_fish_prompt
            end
            function fish_prompt
                set -l last_status $status
                printf '%s' \#(q("(\(prompt)) "))
                if functions -q _old_fish_prompt
                    # The old prompt may show the last command's status: give it that status back.
                    echo "exit $last_status" | source
                    _old_fish_prompt
                end
            end
            set -g _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
        end

        """#
    }

    // MARK: csh, tcsh

    static func csh(venv: String, prompt: String) -> String {
        let q = ActivatorQuoting.csh
        let prefix = "(\(prompt)) "
        let setPrompt = ActivatorQuoting.choose(["$?tcsh"], indent: "    ", syntax: .csh) {
            ["set prompt = \(q(ActivatorQuoting.cshPrompt(prefix, tcsh: $0[0])))\"$prompt:q\""]
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
        return #"""
        # pyman: activation script for csh and tcsh. Source it into the shell you are using:
        #     source bin/activate.csh
        # It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, unsets
        # PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
        # set). `deactivate` puts everything back; `deactivate nondestructive` does too but keeps the alias.

        alias deactivate '\#(deactivate)'

        # Leave whatever environment is active, this one or another, keeping the alias just defined.
        deactivate nondestructive

        setenv VIRTUAL_ENV \#(q(venv))
        setenv VIRTUAL_ENV_PROMPT \#(q(prompt))

        set _OLD_VIRTUAL_PATH = "$PATH:q"
        setenv PATH \#(q(venv + "/bin")):"$PATH:q"

        # PYTHONHOME would point python at another installation's standard library.
        if ($?PYTHONHOME) then
            set _OLD_VIRTUAL_PYTHONHOME = "$PYTHONHOME:q"
            unsetenv PYTHONHOME
        endif

        # Only an interactive shell has a prompt.
        set _pyman_show_prompt = $?prompt
        if ($?VIRTUAL_ENV_DISABLE_PROMPT) then
            if ("$VIRTUAL_ENV_DISABLE_PROMPT:q" != "") set _pyman_show_prompt = 0
        endif
        if ($_pyman_show_prompt) then
            set _OLD_VIRTUAL_PROMPT = "$prompt:q"
        \#(setPrompt)
        endif
        unset _pyman_show_prompt

        rehash

        """#
    }

    // MARK: nushell

    static func nushell(venv: String, prompt: String) -> String {
        let q = ActivatorQuoting.nu
        return #"""
        # pyman: activation script for nushell. Use it as an overlay:
        #     overlay use bin/activate.nu
        # It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, hides
        # PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
        # set). `deactivate` (`overlay hide activate`) removes the overlay, and with it every change.

        export-env {
            let venv = \#(q(venv))
            let name = \#(q(prompt))
            let bin = ($venv + "/bin")

            let old_path = ($env.PATH? | default [])
            let old_path = if ($old_path | describe) == "string" { $old_path | split row (char esep) } else { $old_path }
            # Using the overlay again leaves one entry for this environment, not two.
            let new_path = ($old_path | where {|entry| $entry != $bin } | prepend $bin)

            let show_prompt = ($env.VIRTUAL_ENV_DISABLE_PROMPT? | default "" | into string | is-empty)
            # A second activation starts from the prompt saved by the first.
            let old_prompt = if "_OLD_VIRTUAL_PROMPT_COMMAND" in $env { $env._OLD_VIRTUAL_PROMPT_COMMAND } else { $env.PROMPT_COMMAND? | default "" }
            let old_kind = ($old_prompt | describe)
            let prefix = ("(" + $name + ") ")
            let new_prompt = {||
                let rest = if ($old_kind | str starts-with "closure") { do $old_prompt } else { $old_prompt }
                $prefix + ($rest | into string)
            }

            let changes = { PATH: $new_path, VIRTUAL_ENV: $venv, VIRTUAL_ENV_PROMPT: $name }
            let changes = if $show_prompt { $changes | merge { PROMPT_COMMAND: $new_prompt, _OLD_VIRTUAL_PROMPT_COMMAND: $old_prompt } } else { $changes }
            load-env $changes
            # PYTHONHOME would point python at another installation's standard library.
            hide-env --ignore-errors PYTHONHOME
        }

        export alias deactivate = overlay hide activate

        """#
    }

    // MARK: PowerShell

    static func powershell(venv: String, prompt: String) -> String {
        let q = ActivatorQuoting.powershell
        return #"""
        # pyman: activation script for PowerShell. Dot-source it into the session:
        #     . bin/Activate.ps1
        # It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, removes
        # PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
        # set). `deactivate` puts everything back; `deactivate -NonDestructive` (or `deactivate nondestructive`)
        # does too but keeps the function.

        function global:deactivate {
            param([switch]$NonDestructive)
            if ($args -contains 'nondestructive') { $NonDestructive = $true }
            $saved = Get-Variable -Name _OLD_VIRTUAL_PATH -Scope Global -ErrorAction SilentlyContinue
            if ($saved) {
                $env:PATH = $saved.Value
                Remove-Variable -Name _OLD_VIRTUAL_PATH -Scope Global
            }
            $saved = Get-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope Global -ErrorAction SilentlyContinue
            if ($saved) {
                $env:PYTHONHOME = $saved.Value
                Remove-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope Global
            }
            $saved = Get-Variable -Name _OLD_VIRTUAL_PROMPT -Scope Global -ErrorAction SilentlyContinue
            if ($saved) {
                Set-Item -Path Function:global:prompt -Value $saved.Value
                Remove-Variable -Name _OLD_VIRTUAL_PROMPT -Scope Global
            }
            Remove-Item -Path Env:VIRTUAL_ENV, Env:VIRTUAL_ENV_PROMPT -ErrorAction SilentlyContinue
            if (-not $NonDestructive) {
                Remove-Item -Path Function:deactivate
            }
        }

        # In a script block, so its variables stay out of the session; what it changes is global.
        & {
            # Leave whatever environment is active, this one or another, keeping the function just defined.
            deactivate -NonDestructive

            $env:VIRTUAL_ENV = \#(q(venv))
            $env:VIRTUAL_ENV_PROMPT = \#(q(prompt))

            $global:_OLD_VIRTUAL_PATH = $env:PATH
            $bin = $env:VIRTUAL_ENV + '/bin'
            if ($env:PATH) {
                $env:PATH = $bin + [System.IO.Path]::PathSeparator + $env:PATH
            } else {
                $env:PATH = $bin
            }

            # PYTHONHOME would point python at another installation's standard library.
            if (Test-Path -LiteralPath Env:PYTHONHOME) {
                $global:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
                Remove-Item -LiteralPath Env:PYTHONHOME
            }

            if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
                $old = Get-Command -Name prompt -CommandType Function -ErrorAction SilentlyContinue
                $global:_OLD_VIRTUAL_PROMPT = if ($old) { $old.ScriptBlock } else { { 'PS ' + (Get-Location) + '> ' } }
                function global:prompt {
                    Write-Host -NoNewline \#(q("(\(prompt)) "))
                    & $global:_OLD_VIRTUAL_PROMPT
                }
            }
        }

        """#
    }
}
