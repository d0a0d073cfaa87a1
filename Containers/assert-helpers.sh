# Sourced by Containers/smoke.sh, glibc-floor.sh, dist-smoke.sh and Tests/aarch64/e2e.sh: a step runs commands
# with run or expect and checks what they printed; a failed check prints one line and ends the step
# (each script runs a step in a subshell, whose log keeps every command with its output). Set first:
#   W            the folder for the last command's stdout and stderr ($W/out, $W/err)
#   RUN_PREFIX   (optional) an array put before each command, e.g. (timeout -k 5 60 env -i …)
#   FAIL_REASON  (optional) a file that receives a failed check's line, for the script's summary

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
