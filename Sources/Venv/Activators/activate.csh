# pyman: activation script for csh and tcsh. Source it into the shell you are using:
#     source bin/activate.csh
# It puts this environment's bin first on PATH, sets VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, unsets
# PYTHONHOME and shows the environment's name before the prompt (unless VIRTUAL_ENV_DISABLE_PROMPT is
# set). `deactivate` puts everything back; `deactivate nondestructive` does too but keeps the alias.

alias deactivate '__PYMAN_DEACTIVATE__'

# Leave whatever environment is active, this one or another, keeping the alias just defined.
deactivate nondestructive

setenv VIRTUAL_ENV __PYMAN_VENV__
setenv VIRTUAL_ENV_PROMPT __PYMAN_PROMPT__

set _OLD_VIRTUAL_PATH = "$PATH:q"
setenv PATH __PYMAN_BIN__:"$PATH:q"

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
__PYMAN_PROMPT_LINES__
endif
unset _pyman_show_prompt

rehash
