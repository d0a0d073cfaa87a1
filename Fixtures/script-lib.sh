# Sourced by Fixtures/build.sh and Fixtures/build-aarch64.sh: their messages, their quiet commands and the
# clean environment their builds run in. Set LOG_TAG first (`fixtures`, `fixtures-aarch64`): it starts
# every line they print.

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# run_logged LOGFILE CMD... : run quietly; on failure show the log's tail and stop the script.
run_logged() {
    local logfile=$1; shift
    if ! "$@" >"$logfile" 2>&1; then
        printf '[%s] command failed: %s\n[%s] last lines of %s:\n' "$LOG_TAG" "$*" "$LOG_TAG" "$logfile" >&2
        tail -n 60 "$logfile" >&2 || true
        exit 1
    fi
}

# A clean, predictable environment for everything the builds run: no Python, compiler or loader
# settings of the caller's leak into a fixture.
clean_build_environment() {
    unset PYTHONPATH PYTHONHOME PYTHONSTARTUP PYTHONUSERBASE PYTHONNOUSERSITE \
          PYTHONDONTWRITEBYTECODE VIRTUAL_ENV LD_LIBRARY_PATH LD_PRELOAD \
          CFLAGS CPPFLAGS CXXFLAGS LDFLAGS LIBS CC CXX AR MAKEFLAGS MFLAGS || true
    export LC_ALL=C.UTF-8
    export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
}
