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

set -gx VIRTUAL_ENV __PYMAN_VENV__
set -gx VIRTUAL_ENV_PROMPT __PYMAN_PROMPT__

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
        printf '%s' __PYMAN_PREFIX__
        if functions -q _old_fish_prompt
            # The old prompt may show the last command's status: give it that status back.
            echo "exit $last_status" | source
            _old_fish_prompt
        end
    end
    set -g _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
end
