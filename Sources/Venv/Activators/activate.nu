# pyman: activation script for nushell. Use it as an overlay:
#     overlay use bin/activate.nu
# It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, hides
# PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
# set). `deactivate` (`overlay hide activate`) removes the overlay, and with it every change.

export-env {
    let venv = __PYMAN_VENV__
    let name = __PYMAN_PROMPT__
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
