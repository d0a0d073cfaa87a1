#!/usr/bin/env bash
# The glibc floor, proven (`make container-smoke`, after smoke.sh's bookworm run): the release binary in
# minimal debootstrapped Debian 11 (bullseye, glibc 2.31) and Debian 13 (trixie, glibc 2.41) roots,
# entered with chroot like a container (own /proc, /dev, /tmp; env -i; root and a uid-1000 user),
# against the fixture mirror served on the host's 127.0.0.1.
#
#   sudo bash Containers/glibc-floor.sh [DIST]   # DIST: `make release`'s tree (default dist/) or a binary
#   sudo PYMAN_GLIBC_FLOOR_ARCH=aarch64 bash Containers/glibc-floor.sh dist-aarch64
#
# aarch64 (`make glibc-floor-aarch64`): the same steps with the cross-built binary in arm64 roots
# (`debootstrap --arch=arm64`, run under qemu-user through binfmt_misc, cached as <suite>-arm64), against
# the aarch64 CPython fixture (Fixtures/build-aarch64.sh, built on bookworm like the x86-64 ones).
#
# - bullseye: the fixture CPythons are built on bookworm and need glibc 2.34+, so they do not run there;
#   pyman's own work does: start, `install 3.13 --default` (libcurl and libarchive dlopen()ed from the
#   root's libcurl4 and libarchive13), find, list, `pyman venv` (which starts no Python), a non-root
#   user's find and venv, uninstall. A Python that runs there is bullseye's own python3.9 (in this root
#   only): `pyman find 3.9` queries it, `pyman venv --python` makes venvs (root's, app's) whose Python runs.
# - trixie: all of it, with Python: install --default, `python3 -m venv` + pip install (a local
#   wheel), `pyman venv --seed`, the non-root user's find and venvs, uninstall. The runtime packages
#   are asked for as libcurl4 and libarchive13; apt selects trixie's libcurl4t64 and libarchive13t64.
# - Roots are cached in $PYMAN_GLIBC_FLOOR_CACHE (default ~/.cache/pyman-glibc-floor/<suite>):
#   `debootstrap --variant=minbase` plus the runtime packages, made once (network: deb.debian.org),
#   rebuilt when the recipe stamp changes; each run overlays them (or copies) in run.<pid>/ and
#   deletes that. Every mount is undone on every exit path (trap), leftovers of a killed run are
#   cleared at the next start. Each step has a timeout (PYMAN_SMOKE_STEP_TIMEOUT, 180 s).
# - Prints one line per step and `glibc-floor: PASS` or `glibc-floor: FAIL`; exit 0 or 1.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$REPO/dist}
CACHE=${PYMAN_GLIBC_FLOOR_CACHE:-$HOME/.cache/pyman-glibc-floor}
FIXTURES=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
SUITES=${PYMAN_GLIBC_FLOOR_SUITES:-bullseye trixie}
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
RUNTIME_PACKAGES="libcurl4 libarchive13 ca-certificates"
STEP_TIMEOUT=${PYMAN_SMOKE_STEP_TIMEOUT:-180}
BOOTSTRAP_TIMEOUT=${PYMAN_SMOKE_BOOTSTRAP_TIMEOUT:-1200}
BUILD=20250723
ARCH=${PYMAN_GLIBC_FLOOR_ARCH:-x86_64}
case $ARCH in
    x86_64) DEB_ARCH=amd64 CATALOGUE_FILE=download-metadata.json SUMS_FILE=SHA256SUMS ;;
    aarch64) DEB_ARCH=arm64 CATALOGUE_FILE=download-metadata-aarch64.json SUMS_FILE=SHA256SUMS-aarch64 ;;
    *) echo "glibc-floor: FAIL: PYMAN_GLIBC_FLOOR_ARCH is x86_64 or aarch64, not $ARCH" >&2; exit 1 ;;
esac
ARCHIVE=cpython-3.13.5+$BUILD-$ARCH-unknown-linux-gnu-install_only_stripped.tar.gz
INSTALLED=cpython-3.13.5-linux-$ARCH-gnu
MINOR_LINK=cpython-3.13-linux-$ARCH-gnu
# Built by `make release` beside pyman's glibc stubs (Containers/glibc-floor-probe.cc says what it checks).
# (Containers/cross-build.sh builds the aarch64 one in .build-aarch64.)
probe_scratch=${PYMAN_RELEASE_SCRATCH:-.build-static}
[[ $ARCH == x86_64 ]] || probe_scratch=.build-aarch64
PROBE=${PYMAN_GLIBC_FLOOR_PROBE:-$REPO/$probe_scratch/glibc-2.28/glibc-floor-probe}
APP_UID=1000
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'glibc-floor: %s\n' "$*" >&2; }
die() { printf 'glibc-floor: FAIL: %s\n' "$*" >&2; exit 1; }
# mounts_under, inside, kill_inside, teardown, waitable, mount_container_fs, ensure_root, overlay_root, begin_run/end_run,
# and the steps' run/expect/out_has/err_has/fail
source "$REPO/Containers/root-helpers.sh"

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, mount, chroot)"
if [[ -d $DIST ]]; then DIST=$(cd "$DIST" && pwd); BINARY=$DIST/bin/pyman; else BINARY=$(readlink -f "$DIST"); DIST=; fi
[[ -x $BINARY ]] || die "$BINARY is missing; run \`make release\` first"
[[ -x $PROBE ]] || die "$PROBE is missing; run \`make release\` first"
for f in "mirror/$BUILD/$ARCHIVE" "$CATALOGUE_FILE" "$SUMS_FILE"; do
    [[ -s $FIXTURES/$f ]] || die "fixture $FIXTURES/$f is missing; run \`make fixtures\` (and \`make fixtures-aarch64\` for aarch64) first"
done
if [[ $ARCH == aarch64 && $(uname -m) != aarch64 ]]; then
    source "$REPO/Fixtures/aarch64-env.sh"
    why=$(aarch64_binfmt_ready) || die "cannot run arm64 roots here: $why"
fi
for tool in chroot timeout mount umount flock python3 debootstrap; do
    command -v "$tool" >/dev/null || die "$tool is not installed (debootstrap: apt-get install debootstrap)"
done

mkdir -p "$CACHE/logs"
CACHE=$(cd "$CACHE" && pwd -P)
LOGS=$CACHE/logs
RUN=$CACHE/run.$$
PASS_DETAIL="$ARCH: $SUITES"
begin_run glibc-floor   # traps (end_run on exit), the cache's lock
for stale in "$CACHE"/run.* "$CACHE"/*/rootfs.build; do
    [[ -e $stale ]] || continue
    log "clearing leftovers of an earlier run: $stale"
    teardown "$stale" || die "cannot clear $stale"
done



# ------------------------------------------------------------------------------------ fixture mirror
rm -f "$LOGS"/*-step-*.log
mkdir -p "$RUN/mirror/$BUILD" "$RUN/wheels"
cp "$FIXTURES/mirror/$BUILD/$ARCHIVE" "$RUN/mirror/$BUILD/"
cp "$FIXTURES/$CATALOGUE_FILE" "$RUN/mirror/download-metadata.json"
cp "$FIXTURES/$SUMS_FILE" "$RUN/mirror/SHA256SUMS"
python3 "$REPO/Containers/smoke-wheel.py" "$RUN/wheels"
python3 "$REPO/Fixtures/serve.py" "$RUN/mirror" >"$RUN/port" 2>"$LOGS/server.log" 5>&- 6>&- 8>&- &
SERVER_PIDS=($!)
echo "$!" >"$RUN/server.pid"
for _ in $(seq 50); do [[ -s $RUN/port ]] && break; sleep 0.1; done
PORT=$(head -n 1 "$RUN/port")
[[ $PORT =~ ^[0-9]+$ ]] || die "the fixture server did not start (log: $LOGS/server.log)"
MIRROR=http://127.0.0.1:$PORT

# ------------------------------------------------------------------------------------------- in a root
IMAGE_ENV=(PATH=$PATH_IN_ROOT LANG=C.UTF-8 PYMAN_INSTALL_DIR=/opt/python PYMAN_BIN_DIR=/usr/local/bin)
LOCAL_CATALOGUE=(PYMAN_DOWNLOADS_JSON=$MIRROR/download-metadata.json PYMAN_PYTHON_MIRROR=$MIRROR)
as_root() { timeout -k 5 "$STEP_TIMEOUT" chroot "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" HOME=/root USER=root "$@"; }
as_app() {
    timeout -k 5 "$STEP_TIMEOUT" chroot --userspec=$APP_UID:$APP_UID --groups=$APP_UID "$R" \
        /usr/bin/env -i "${IMAGE_ENV[@]}" HOME=/home/app USER=app "$@"
}
# fail, run, expect, out_has, err_has, out_lacks over $W/out and $W/err (W: the step's folder, set per root);
# run_steps
source "$REPO/Containers/assert-helpers.sh"

step_start() {  # the root's glibc is the one meant; pyman starts, nothing missing
    expect 0 as_root getconf GNU_LIBC_VERSION
    out_has "glibc $WANT_GLIBC"
    expect 0 as_root pyman --version
    out_has "pyman $(cat "$REPO/VERSION") ("
    expect 0 as_root ldd /usr/local/bin/pyman
    if grep -q 'not found' "$W/out"; then fail "a library is missing in the root"; fi
    expect 0 as_root pyman list --only-installed
    expect 0 as_root /srv/glibc-floor-probe
    out_has "glibc-floor-probe: ok (glibc $WANT_GLIBC"
}

step_install() {  # pyman install 3.13 --default: download (libcurl) and unpack (libarchive) in this root
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" pyman install 3.13 --default
    err_has "Installed $INSTALLED in /opt/python/$INSTALLED"
    [[ $(readlink "$R/usr/local/bin/python3") == /opt/python/$MINOR_LINK/bin/python3.13 ]] \
        || fail "/usr/local/bin/python3 is not a link through the minor link"
    expect 0 as_root pyman find 3.13
    out_has "/opt/python/$INSTALLED/bin/python3.13"
    expect 0 as_root pyman list --only-installed
    out_has "$INSTALLED"
}

step_venv_no_python() {  # pyman venv writes the venv itself, starting no Python
    # Why no Python runs here: the fixture interpreter (built on bookworm) is what needs a newer glibc.
    run as_root python3 --version
    [[ $RC != 0 ]] || fail "the fixture Python ran on glibc $WANT_GLIBC"
    grep -qE "version .GLIBC_2\.3[2-9]' not found" "$W/err" || fail "python3 failed for another reason than glibc"
    expect 0 as_root pyman venv /opt/venv
    grep -qx "home = /opt/python/$MINOR_LINK/bin" "$R/opt/venv/pyvenv.cfg" \
        || fail "pyvenv.cfg home is not the install's bin: $(cat "$R/opt/venv/pyvenv.cfg")"
    [[ -L $R/opt/venv/bin/python && -f $R/opt/venv/bin/activate ]] || fail "the venv lacks bin/python or bin/activate"
}

step_system_python() {  # bullseye's own python3.9: found, queried, a venv whose Python runs
    expect 0 as_root pyman find 3.9
    out_has /usr/bin/python3.9
    expect 0 as_root pyman venv /opt/system-venv --python /usr/bin/python3.9
    expect 0 as_root /opt/system-venv/bin/python -c 'import sys, encodings; print(sys.prefix, sys.base_prefix, sys.version_info[:2])'
    out_has "/opt/system-venv /usr (3, 9)"
    expect 0 as_app pyman venv /tmp/system-venv --python 3.9
    expect 0 as_app /tmp/system-venv/bin/python -c 'import sys; print(sys.prefix)'
    out_has /tmp/system-venv
    # Debian's Python has no ensurepip/_bundled wheel, nor (without python3-pip-whl) /usr/share/python-wheels: a clean refusal.
    expect 1 as_root pyman venv /opt/seeded --python /usr/bin/python3.9 --seed
    err_has "no bundled pip wheel"
}

step_python() {  # python3 -m venv + pip install; pyman venv --seed
    expect 0 as_root python3 --version
    out_has "Python 3.13.5"
    expect 0 as_root python3 -m venv /opt/venv
    expect 0 as_root /opt/venv/bin/python -m pip install --no-index --no-cache-dir --disable-pip-version-check \
        /srv/wheels/pyman_smoke-1.0-py3-none-any.whl
    expect 0 as_root /opt/venv/bin/python -c 'import pyman_smoke; print(pyman_smoke.VALUE)'
    out_has 42
    expect 0 as_root pyman venv /opt/seeded --seed
    expect 0 as_root /opt/seeded/bin/python -m pip --version
    out_has "(python 3.13)"
}

add_app_user() {
    echo "app:x:$APP_UID:$APP_UID::/home/app:/bin/sh" >>"$R/etc/passwd"
    echo "app:x:$APP_UID:" >>"$R/etc/group"
    mkdir -p "$R/home/app" && chown $APP_UID:$APP_UID "$R/home/app"
}

step_nonroot() {  # USER app: find and venv over root's install
    expect 0 as_app id -u
    [[ $(cat "$W/out") == "$APP_UID" ]] || fail "not running as uid $APP_UID"
    expect 0 as_app pyman find 3.13
    out_has "/opt/python/$INSTALLED/bin/python3.13"
    expect 0 as_app pyman venv /tmp/v
    grep -q '^home = /opt/python/' "$R/tmp/v/pyvenv.cfg" || fail "app's venv has no home in /opt/python"
    [[ $(stat -c %u "$R/tmp/v/pyvenv.cfg") == "$APP_UID" ]] || fail "app's venv is not app's"
    if [[ $RUNS_PYTHON == 1 ]]; then
        expect 0 as_app /tmp/v/bin/python -c 'import sys; print(sys.prefix, sys.version)'
        out_has "/tmp/v 3.13.5"
        expect 0 as_app pyman venv /tmp/vs --seed -q
        expect 0 as_app /tmp/vs/bin/python -m pip --version
    fi
}

step_uninstall() {
    # root's venvs made above use it: refused, naming them, until --force.
    expect 1 as_root pyman uninstall 3.13
    err_has "refusing to uninstall"
    expect 0 as_root pyman uninstall 3.13 --force
    [[ ! -e $R/opt/python/$INSTALLED ]] || fail "/opt/python/$INSTALLED is still there"
    expect 1 as_root pyman find 3.13
}

for SUITE in $SUITES; do
    case $SUITE in
        bullseye) WANT_GLIBC=2.31 RUNS_PYTHON=0 PACKAGES="$RUNTIME_PACKAGES python3.9" ;;
        trixie) WANT_GLIBC=2.41 RUNS_PYTHON=1 PACKAGES=$RUNTIME_PACKAGES ;;
        *) die "unknown suite $SUITE (bullseye or trixie)" ;;
    esac
    ensure_root --arch "$DEB_ARCH" "$SUITE" "$PACKAGES"   # sets ROOTFS
    t0=$SECONDS
    S=$RUN/$SUITE
    R=$S/root
    W=$S/work
    mkdir -p "$W"
    overlay_root "$ROOTFS" "$S"   # R, the root; HOW, overlay or copy
    if [[ -n $DIST ]]; then cp -r "$DIST/." "$R/usr/local/"; else install -m 755 "$BINARY" "$R/usr/local/bin/pyman"; fi
    add_app_user
    mkdir -p "$R/srv/wheels" && cp "$RUN/wheels/"*.whl "$R/srv/wheels/" && install -m 755 "$PROBE" "$R/srv/glibc-floor-probe"
    log "$SUITE: root ready ($HOW) in $((SECONDS - t0))s; fixture server on $MIRROR"
    steps=("glibc $WANT_GLIBC; pyman starts, no library missing:step_start"
        "pyman install 3.13 --default, find, list:step_install")
    if [[ $RUNS_PYTHON == 1 ]]; then
        steps+=("python3 -m venv + pip install; pyman venv --seed:step_python")
    else
        steps+=("pyman venv (no Python started; the fixture CPython needs glibc 2.34+):step_venv_no_python"
            "Debian's python3.9: find, venv --python (root, app), Python runs:step_system_python")
    fi
    steps+=("non-root find and venv:step_nonroot" "pyman uninstall 3.13:step_uninstall")
    run_steps glibc-floor 8 "$SUITE" "${steps[@]}" || exit 1
    teardown "$S" || die "cannot tear down the $SUITE root"
    log "$SUITE: done in $((SECONDS - t0))s"
done
PASSED=1
