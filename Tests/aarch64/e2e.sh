#!/usr/bin/env bash
# End-to-end tests of the aarch64 release binary (`make test-aarch64`, part of `make test`), run on this
# x86_64 machine under qemu-user through binfmt_misc, against the aarch64 CPython 3.13.5 fixture
# (Fixtures/build-aarch64.sh) served by Fixtures/serve.py. Few and whole, since emulation is slow:
#
#  1 platform: with no override, the aarch64 pyman lists the catalogue's aarch64 key, and no x86-64 one
#  2 install:  `pyman install 3.13` (download, sha256, extraction, patches: sysconfig names the install)
#  3 find, list
#  4 the symlink case: `python -m venv` through a link to the install, then `import pip`, with
#    sys.base_prefix resolving inside the install (not the host's Python) and platform.machine() aarch64
#  5 `pyman venv --seed`: pip from the bundled wheel works in it
#  6 uninstall
#  7 an x86-64 archive under an aarch64 key is refused by the aarch64 pyman (the ELF check)
#  8 and the reverse: the x86-64 pyman ($PYMAN_BINARY, else dist/bin/pyman) refuses the aarch64 archive
#
#   bash Tests/aarch64/e2e.sh [AARCH64_PYMAN]    # default dist-aarch64/bin/pyman
#
# Without binfmt_misc (or qemu-user-static), it says what it skipped and why, and exits 0; under CI
# (CI=true) that is a failure. aarch64 programs find their libraries (glibc, libcurl, libarchive,
# Python's) in the fixture's arm64 tree through QEMU_LD_PREFIX. Each step's commands and output are kept
# in .build/aarch64-e2e/N.log. Last line: "aarch64 e2e: N passed, N failed".
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PYMAN=$(readlink -f "${1:-$REPO/dist-aarch64/bin/pyman}")
HOST_PYMAN=${PYMAN_BINARY:-$REPO/dist/bin/pyman}
FIXTURES=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
STEP_TIMEOUT=${PYMAN_AARCH64_STEP_TIMEOUT:-600}
KEY=cpython-3.13.5-linux-aarch64-gnu
X86_KEY=cpython-3.13.5-linux-x86_64-gnu
BUILD=20250723
AARCH64_ARCHIVE=$BUILD/cpython-3.13.5+$BUILD-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz
X86_ARCHIVE=$BUILD/cpython-3.13.5+$BUILD-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz

say() { printf 'aarch64 e2e: %s\n' "$*"; }
source "$REPO/Fixtures/aarch64-env.sh"
if ! why=$(aarch64_binfmt_ready); then
    if [[ ${CI:-} == true ]]; then say "FAIL: cannot run aarch64 programs here: $why"; exit 1; fi
    say "SKIPPED all 8 tests (aarch64 pyman under qemu): $why"
    exit 0
fi
[[ -x $PYMAN ]] || { say "FAIL: $PYMAN is missing; run \`make release ARCH=aarch64\`"; exit 1; }
for f in "mirror/$AARCH64_ARCHIVE" "mirror/$X86_ARCHIVE" download-metadata-aarch64.json SHA256SUMS SHA256SUMS-aarch64 aarch64/root; do
    [[ -e $FIXTURES/$f ]] || { say "FAIL: fixture $FIXTURES/$f is missing; run \`make fixtures fixtures-aarch64\`"; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/pyman-aarch64-e2e.XXXXXX")
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
python3 "$REPO/Fixtures/serve.py" "$FIXTURES/mirror" >"$T/port" 2>"$T/server.log" &
SERVER_PID=$!
for _ in $(seq 50); do [[ -s $T/port ]] && break; sleep 0.1; done
PORT=$(head -n 1 "$T/port")
[[ $PORT =~ ^[0-9]+$ ]] || { say "FAIL: the fixture server did not start ($(cat "$T/server.log"))"; exit 1; }
MIRROR=http://127.0.0.1:$PORT

INSTALL=$T/python BIN=$T/bin
mkdir -p "$INSTALL" "$BIN" "$T/home" "$T/cache"
# A clean environment: no PYMAN_PYTHON_ARCH (the platform must be detected), the arm64 tree for qemu.
run_env=(env -i PATH="$BIN:/usr/bin:/bin" HOME="$T/home" LANG=C.UTF-8 QEMU_LD_PREFIX="$FIXTURES/aarch64/root"
    PYMAN_INSTALL_DIR="$INSTALL" PYMAN_BIN_DIR="$BIN" PYMAN_CACHE_DIR="$T/cache"
    PYMAN_PYTHON_MIRROR="$MIRROR" PYMAN_CATALOGUE_TTL=never)
# The fixture's catalogue: the aarch64 entry beside download-metadata.json's x86-64 ones.
CATALOGUE=(PYMAN_DOWNLOADS_JSON="$FIXTURES/download-metadata-aarch64.json")

# fail, run, expect, out_has, err_has, out_lacks: each command runs bounded, in the clean environment.
W=$T
RUN_PREFIX=(timeout -k 5 "$STEP_TIMEOUT" "${run_env[@]}")
source "$REPO/Containers/assert-helpers.sh"

# A one-entry catalogue FILE naming KEY with the archive at PATH (relative to the mirror).
catalogue_with() {
    local file=$1 key=$2 path=$3 sums=$4
    python3 - "$file" "$key" "$MIRROR/$path" "$(grep -F "  $path" "$FIXTURES/$sums" | cut -d' ' -f1)" <<'EOF'
import json, sys
file, key, url, digest = sys.argv[1:]
_, version, os_, arch, libc = key.split("-")
major, minor, patch = (int(x) for x in version.split("."))
json.dump({key: {"name": "cpython", "arch": {"family": arch, "variant": None}, "os": os_, "libc": libc,
    "major": major, "minor": minor, "patch": patch, "prerelease": "", "url": url, "sha256": digest,
    "variant": None, "build": "20250723"}}, open(file, "w"), indent=2)
EOF
}

step_platform() {
    # The host's x86-64 Pythons on PATH (/usr/bin/python3.11, python3) run here too, through binfmt;
    # discovery checks each candidate's ELF machine and leaves them out, never labelled aarch64.
    expect 0 "${CATALOGUE[@]}" "$PYMAN" --version
    expect 0 "${CATALOGUE[@]}" "$PYMAN" list
    out_has "$KEY"
    out_lacks linux-x86_64
    out_lacks "(PATH)"
    out_lacks "(system)"
}

step_install() {
    expect 0 "${CATALOGUE[@]}" "$PYMAN" install 3.13
    err_has "Installed $KEY in $INSTALL/$KEY"
    [[ -x $INSTALL/$KEY/bin/python3.13 ]] || fail "no bin/python3.13 in the install"
    readelf -h "$INSTALL/$KEY/bin/python3.13" | grep -q 'AArch64' || fail "the installed python3.13 is not an AArch64 program"
    # Patched: sysconfig names the install, not the build's /install.
    expect 0 "$BIN/python3.13" -c 'import sysconfig, platform, sys; print(sysconfig.get_config_var("prefix"), platform.machine(), sys.version.split()[0])'
    out_has "$INSTALL/$KEY aarch64 3.13.5"
}

step_find_list() {
    expect 0 "$PYMAN" find 3.13
    out_has "$INSTALL/$KEY/bin/python3.13"
    expect 0 "$PYMAN" list --only-installed
    out_has "$KEY"
}

step_symlink_venv() {
    mkdir -p "$T/links"
    ln -s "$INSTALL/cpython-3.13-linux-aarch64-gnu/bin/python3.13" "$T/links/python3"
    expect 0 "$T/links/python3" -m venv "$T/v1"
    expect 0 "$T/v1/bin/python" -c 'import os, pip, platform, sys; print(os.path.realpath(sys.base_prefix), platform.machine(), pip.__version__)'
    out_has "$INSTALL/$KEY aarch64"
}

step_seed() {
    expect 0 "$PYMAN" venv "$T/v2" --seed
    expect 0 "$T/v2/bin/python" -m pip --version
    out_has "(python 3.13)"
    expect 0 "$T/v2/bin/python" -c 'import os, sys; print(os.path.realpath(sys.base_prefix), sys.prefix)'
    out_has "$INSTALL/$KEY $T/v2"
}

step_uninstall() {
    # The venvs made above use it: refused, naming them, until --force.
    expect 1 "$PYMAN" uninstall 3.13
    err_has "refusing to uninstall"
    expect 0 "$PYMAN" uninstall 3.13 --force
    [[ ! -e $INSTALL/$KEY ]] || fail "$INSTALL/$KEY is still there"
    expect 0 "$PYMAN" list --only-installed
    out_lacks "$KEY"
}

step_refuse_x86() {
    catalogue_with "$T/x86-as-aarch64.json" "$KEY" "$X86_ARCHIVE" SHA256SUMS
    expect 1 PYMAN_DOWNLOADS_JSON="$T/x86-as-aarch64.json" "$PYMAN" install 3.13
    err_has "built for x86_64 (ELF machine 62), not aarch64"
    [[ ! -e $INSTALL/$KEY ]] || fail "the refused archive was installed"
}

step_refuse_aarch64() {
    [[ -x $HOST_PYMAN ]] || fail "the x86-64 pyman $HOST_PYMAN is missing (set PYMAN_BINARY, or \`make release\`)"
    catalogue_with "$T/aarch64-as-x86.json" "$X86_KEY" "$AARCH64_ARCHIVE" SHA256SUMS-aarch64
    expect 1 PYMAN_DOWNLOADS_JSON="$T/aarch64-as-x86.json" PYMAN_PYTHON_ARCH=x86_64 "$HOST_PYMAN" install 3.13
    err_has "built for aarch64 (ELF machine 183), not x86_64"
    [[ ! -e $INSTALL/$X86_KEY ]] || fail "the refused archive was installed"
}

passed=0 failed=0 n=0
LOGS=$REPO/.build/aarch64-e2e   # each step's commands and output, kept
rm -rf "$LOGS" && mkdir -p "$LOGS"
say "$PYMAN ($(readelf -h "$PYMAN" | sed -n 's/.*Machine:[[:space:]]*//p')) under $(head -n 2 /proc/sys/fs/binfmt_misc/qemu-aarch64 | tail -n 1), fixture server $MIRROR"
for entry in "platform detected: aarch64 keys, no override:step_platform" \
    "pyman install 3.13 (download, sha256, extraction, patches):step_install" \
    "pyman find 3.13, list:step_find_list" \
    "python -m venv through a symlink, import pip, base_prefix in the install:step_symlink_venv" \
    "pyman venv --seed, pip runs:step_seed" \
    "pyman uninstall 3.13:step_uninstall" \
    "an x86-64 archive under an aarch64 key is refused:step_refuse_x86" \
    "an aarch64 archive under an x86-64 key is refused (x86-64 pyman):step_refuse_aarch64"; do
    n=$((n + 1)) title=${entry%:*} fn=${entry##*:} t0=$SECONDS
    log=$LOGS/$n.log
    if run_step "$fn" >"$log" 2>&1; then
        passed=$((passed + 1))
        say "ok    $n $title ($((SECONDS - t0))s)"
    else
        failed=$((failed + 1))
        say "FAIL  $n $title ($((SECONDS - t0))s); log .build/aarch64-e2e/$n.log:"
        tail -n 25 "$log" | sed 's/^/        /'
    fi
done
echo "aarch64 e2e: $passed passed, $failed failed"
[[ $failed == 0 ]]
