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

    $env:VIRTUAL_ENV = __PYMAN_VENV__
    $env:VIRTUAL_ENV_PROMPT = __PYMAN_PROMPT__

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
            Write-Host -NoNewline __PYMAN_PREFIX__
            & $global:_OLD_VIRTUAL_PROMPT
        }
    }
}
