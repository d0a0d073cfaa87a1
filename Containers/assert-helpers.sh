# Sourced by Containers/smoke.sh, glibc-floor.sh, dist-smoke.sh and Tests/aarch64/e2e.sh: a step runs commands
# with run or expect and checks what they printed; a failed check prints one line and ends the step
# (each script runs a step in a subshell, run_step, whose log keeps every command with its output;
# glibc-floor.sh and dist-smoke.sh run their steps with run_steps). Set first:
#   W            the folder for the last command's stdout and stderr ($W/out, $W/err)
#   RUN_PREFIX   (optional) an array put before each command, e.g. (timeout -k 5 60 env -i …)
#   FAIL_REASON  (optional) a file that receives a failed check's line, for the script's summary
#   LOGS         (run_steps) the folder of the steps' logs

fail() {
    echo "ASSERTION FAILED: $*"
    if [[ -n ${FAIL_REASON:-} ]]; then echo "$*" >"$FAIL_REASON"; fi
    exit 1
}

# Runs a command, keeping stdout in $W/out and stderr in $W/err, and logs all of it; RC is its status.
run() {
    ${RUN_PREFIX[@]+"${RUN_PREFIX[@]}"} "$@" >"$W/out" 2>"$W/err" && RC=0 || RC=$?
    printf '$ %s\n' "$*"
    sed 's/^/  | /' "$W/out"
    sed 's/^/  ! /' "$W/err"
    echo "  exit $RC"
}
expect() { local want=$1; shift; run "$@"; [[ $RC == "$want" ]] || fail "exit $RC, expected $want: $*"; }
out_has() { grep -qF -- "$1" "$W/out" || fail "stdout lacks '$1'"; }
err_has() { grep -qF -- "$1" "$W/err" || fail "stderr lacks '$1'"; }
out_lacks() { ! grep -qF -- "$1" "$W/out" || fail "stdout has '$1'"; }

# A step in a subshell of its own: a failed check's exit ends the step, not the script.
run_step() (set -uo pipefail; "$1")

# Runs a case's steps in order (glibc-floor.sh, dist-smoke.sh), each through run_step and waitable
# (root-helpers.sh), its commands and output in $LOGS/CASE-step-N.log, and prints one line a step:
# `SCRIPT:   ok    CASE N TITLE (Ns)`, CASE padded to WIDTH. At the first failure: its FAIL line and the
# log's last 30 lines, and status 1. A STEP is TITLE:FUNCTION, or a FUNCTION that is its own title.
run_steps() {  # SCRIPT WIDTH CASE STEP...
    local script=$1 width=$2 name=$3 n=0 entry title fn t0 log
    shift 3
    for entry in "$@"; do
        n=$((n + 1)) title=${entry%:*} fn=${entry##*:} t0=$SECONDS log=$LOGS/$name-step-$n.log
        if waitable run_step "$fn" >"$log" 2>&1; then
            printf '%s:   ok    %-*s %d %s (%ds)\n' "$script" "$width" "$name" "$n" "$title" $((SECONDS - t0))
        else
            printf '%s:   FAIL  %-*s %d %s (%ds); log %s:\n' "$script" "$width" "$name" "$n" "$title" $((SECONDS - t0)) "$log"
            tail -n 30 "$log" | sed 's/^/        /'
            return 1
        fi
    done
}
