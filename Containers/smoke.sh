#!/usr/bin/env bash
# Container smoke test (`make container-smoke`): runs what docs/docker.md's Dockerfile runs, for real,
# in a minimal Debian bookworm root made by debootstrap — the same userland as debian:bookworm-slim —
# entered with chroot as a container runtime would (its own /proc, /dev and /tmp, env -i, root and a
# non-root user), against the fixture mirror served on the host's 127.0.0.1.
#
#   sudo bash Containers/smoke.sh [DIST]     # DIST: `make release`'s prefix tree (default dist/),
#                                            # or the path of a pyman binary
#
# - The root is cached outside the repository in $PYMAN_CONTAINER_CACHE (default
#   ~/.cache/pyman-container/rootfs): `debootstrap --variant=minbase bookworm` plus only the runtime
#   libraries (libcurl4 libarchive13 ca-certificates), made once (network: deb.debian.org), rebuilt
#   when the recipe stamp changes. Each run mounts an overlay over it (or, without overlayfs, copies
#   it) in run.<pid>/root, so the cached root is never written to, and deletes that afterwards.
# - Every mount is undone on every exit path (trap), then checked against /proc/self/mountinfo;
#   leftovers of a killed run (mounts, copies, processes inside them) are cleared at the next start.
# - Bounded: each step has a timeout (PYMAN_SMOKE_STEP_TIMEOUT, 180 s), the bootstrap too
#   (PYMAN_SMOKE_BOOTSTRAP_TIMEOUT, 1200 s). Step logs: $PYMAN_CONTAINER_CACHE/logs/.
# - Last, docs/docker.md's locked, cached build: `pyman lock`, `install --locked` with a cache mount (a
#   bind mount of a run.<pid> folder), then the fixture server is stopped and the rebuild must succeed
#   from the cache alone (and fail with --no-cache); then the air-gapped `lock --fetch` mirror.
# - Prints one line per step and `container-smoke: PASS` or `container-smoke: FAIL`; exit 0 or 1.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$REPO/dist}
CACHE=${PYMAN_CONTAINER_CACHE:-$HOME/.cache/pyman-container}
FIXTURES=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
SUITE=bookworm
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
RUNTIME_PACKAGES="libcurl4 libarchive13 ca-certificates"
# Bump ROOTFS_RECIPE when the way the root is made changes: the cached root is then rebuilt.
ROOTFS_RECIPE="recipe=1 suite=$SUITE variant=minbase packages=$RUNTIME_PACKAGES"
STEP_TIMEOUT=${PYMAN_SMOKE_STEP_TIMEOUT:-180}
BOOTSTRAP_TIMEOUT=${PYMAN_SMOKE_BOOTSTRAP_TIMEOUT:-1200}
BUILD=20250723
TRIPLE=x86_64-unknown-linux-gnu
ARCHIVE=cpython-3.13.5+$BUILD-$TRIPLE-install_only_stripped.tar.gz
ARCHIVE_311=cpython-3.11.2+$BUILD-$TRIPLE-install_only_stripped.tar.gz
APP_UID=1000
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'container-smoke: %s\n' "$*" >&2; }
die() { printf 'container-smoke: FAIL: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, mount, chroot); run it as root"
if [[ -d $DIST ]]; then
    [[ -x $DIST/bin/pyman ]] || die "$DIST/bin/pyman is missing; run \`make release\` first"
    DIST=$(cd "$DIST" && pwd)
    BINARY=$DIST/bin/pyman
else
    [[ -x $DIST ]] || die "$DIST is neither a release tree (make release) nor a pyman binary"
    BINARY=$(readlink -f "$DIST")
    DIST=
fi
for f in "mirror/$BUILD/$ARCHIVE" "mirror/$BUILD/$ARCHIVE_311" download-metadata.json SHA256SUMS; do
    [[ -s $FIXTURES/$f ]] || die "fixture $FIXTURES/$f is missing; run \`make fixtures\` first"
done
for tool in chroot unshare timeout mount umount flock python3 readlink; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null \
        || die "cannot install debootstrap with apt-get"
fi

mkdir -p "$CACHE/logs"
CACHE=$(cd "$CACHE" && pwd -P)
LOGS=$CACHE/logs
ROOTFS=$CACHE/rootfs
RUN=$CACHE/run.$$
R=$RUN/root          # the container's root for this run
W=$RUN/work          # host-side scratch: the last command's stdout/stderr, snapshots
SERVER_PID=
CHILD_PID=
STEPS_PASSED=0
T_START=$SECONDS

# ------------------------------------------------------------------------------------------- cleanup
# Mount points at or under $1, deepest first (mountinfo's 5th field; our paths have no spaces).
mounts_under() {
    awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Processes whose root is (inside) $1: whatever a step started in the container and left running.
inside() {
    local p root
    for p in /proc/[0-9]*; do
        root=$(readlink "$p/root" 2>/dev/null) || continue
        root=${root% (deleted)}
        if [[ $root == "$1" || $root == "$1"/* ]]; then echo "${p#/proc/}"; fi
    done
}

# Kills them and waits (5 s at most) until they are gone; returns 1 if some are not.
kill_inside() {
    local pid
    for _ in $(seq 50); do
        pid=$(inside "$1")
        [[ -n $pid ]] || return 0
        kill -KILL $pid 2>/dev/null || true
        sleep 0.1
    done
    log "processes still running in $1: $(inside "$1" | tr '\n' ' ')"
    return 1
}

# Undoes everything under $1: processes, mounts (lazily if busy), files. Returns 1 if a mount stays.
teardown() {
    local dir=$1 m pid
    [[ -e $dir ]] || return 0
    # The fixture server runs outside the root; a killed run left its pid (checked: it serves $dir).
    pid=$(cat "$dir/server.pid" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$dir/root/srv/mirror"; then
        kill "$pid" 2>/dev/null || true
    fi
    kill_inside "$dir" || return 1
    for m in $(mounts_under "$dir"); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if [[ -n $(mounts_under "$dir") ]]; then
        log "still mounted under $dir:"; mounts_under "$dir" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

on_exit() {
    local status=$? left
    trap - EXIT INT TERM HUP
    # A signal may land while a step's output is redirected to its log: report on the script's own.
    exec 1>&5 2>&6
    # A step (or the bootstrap) interrupted by a signal: stop it before taking its root away.
    if [[ -n $CHILD_PID ]]; then
        kill "$CHILD_PID" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$CHILD_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$CHILD_PID" 2>/dev/null || true
    fi
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        if kill -0 "$SERVER_PID" 2>/dev/null; then log "the fixture server $SERVER_PID did not stop"; status=1; fi
    fi
    teardown "$RUN" || status=1
    teardown "$CACHE/rootfs.build" || status=1
    left=$(mount | grep -F "$CACHE/" || true)
    if [[ -n $left ]]; then
        log "mounts left behind:"; echo "$left" >&2
        status=1
    fi
    # The verdict comes after the cleanup, which is part of what is checked.
    if [[ $status == 0 && $STEPS_PASSED == 1 ]]; then
        echo "container-smoke: PASS (no mounts or processes left; $((SECONDS - T_START))s)"
    else
        echo "container-smoke: FAIL"
        [[ $status != 0 ]] || status=1
    fi
    exit "$status"
}
exec 5>&1 6>&2
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# One run at a time per cache; fd 8 is closed in every child so none of them can hold the lock.
exec 8>"$CACHE/.lock"
flock -w 1800 8 || die "another container-smoke holds $CACHE/.lock"
for stale in "$CACHE"/run.* "$CACHE/rootfs.build"; do
    [[ -e $stale ]] || continue
    log "clearing leftovers of an earlier run: $stale"
    teardown "$stale" || die "cannot clear $stale"
done

# Runs "$@" in the background and waits for it, so that INT/TERM are handled at once (bash defers
# traps until a foreground command ends) and on_exit can stop it.
waitable() {
    local rc=0
    "$@" 5>&- 6>&- 8>&- &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=
    return "$rc"
}

# Container-like mounts: procfs, a tmpfs /dev with the usual device nodes, a tmpfs /dev/shm and /tmp.
mount_container_fs() {
    local root=$1 spec name major minor
    mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
    mount -t tmpfs -o nosuid,mode=755,size=65536k dev "$root/dev"
    for spec in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r name major minor <<<"$spec"
        if ! mknod -m 666 "$root/dev/$name" c "$major" "$minor" 2>/dev/null; then
            touch "$root/dev/$name" && mount --bind "/dev/$name" "$root/dev/$name"  # no CAP_MKNOD
        fi
    done
    ln -s /proc/self/fd "$root/dev/fd"
    ln -s /proc/self/fd/0 "$root/dev/stdin"
    ln -s /proc/self/fd/1 "$root/dev/stdout"
    ln -s /proc/self/fd/2 "$root/dev/stderr"
    mkdir -p "$root/dev/shm" "$root/dev/pts"
    mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
    mount -t tmpfs -o nosuid,nodev,mode=1777 tmp "$root/tmp"
}

# ---------------------------------------------------------------------------------------------- root
build_rootfs() {
    local build=$CACHE/rootfs.build
    log "debootstrap --variant=minbase $SUITE from $DEBIAN_MIRROR (once; cached in $ROOTFS)"
    waitable timeout -k 10 "$BOOTSTRAP_TIMEOUT" debootstrap --variant=minbase "$SUITE" "$build" "$DEBIAN_MIRROR" \
        >"$LOGS/debootstrap.log" 2>&1 8>&- \
        || { tail -n 20 "$LOGS/debootstrap.log" >&2; die "debootstrap failed (log: $LOGS/debootstrap.log)"; }
    # debootstrap undoes its own mounts on success; make sure, then mount what apt needs.
    local m; for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    cp -L /etc/resolv.conf "$build/etc/resolv.conf"
    mount_container_fs "$build"
    log "installing the runtime libraries: $RUNTIME_PACKAGES"
    waitable timeout -k 10 "$BOOTSTRAP_TIMEOUT" chroot "$build" /usr/bin/env -i PATH=$PATH_IN_ROOT HOME=/root \
        DEBIAN_FRONTEND=noninteractive sh -ec "apt-get update -q && apt-get install -y -q --no-install-recommends $RUNTIME_PACKAGES && apt-get clean && rm -rf /var/lib/apt/lists/*" \
        >"$LOGS/apt.log" 2>&1 8>&- \
        || { tail -n 20 "$LOGS/apt.log" >&2; die "apt-get install in the root failed (log: $LOGS/apt.log)"; }
    for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    [[ -z $(mounts_under "$build") ]] || die "cannot unmount $build"
    rm -rf "$ROOTFS"
    mv "$build" "$ROOTFS"
    echo "$ROOTFS_RECIPE" >"$CACHE/rootfs.stamp"
}

rm -f "$LOGS"/step-*.log
t_start=$SECONDS
if [[ ! -d $ROOTFS || "$(cat "$CACHE/rootfs.stamp" 2>/dev/null)" != "$ROOTFS_RECIPE" ]]; then
    build_rootfs
    log "cached root built in $((SECONDS - t_start))s ($(du -sh "$ROOTFS" | cut -f1))"
fi

t_copy=$SECONDS
mkdir -p "$RUN/root" "$RUN/upper" "$RUN/overlay-work" "$W"
# Like a container runtime: the cached root as the read-only lower layer of an overlay, this run's
# changes in run.<pid>/upper. Where overlayfs is unavailable, a plain copy does the same job.
if mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$RUN/upper,workdir=$RUN/overlay-work" "$R" 2>/dev/null; then
    how=overlay
else
    rmdir "$R" && cp -a "$ROOTFS" "$R"
    how=copy
fi
mount_container_fs "$R"

# What the Dockerfile COPYs: the release tree into /usr/local (or the bare binary), and for the
# offline variant an archive; plus the fixture mirror (served from the host) and a local wheel.
if [[ -n $DIST ]]; then cp -r "$DIST/." "$R/usr/local/"; else install -m 755 "$BINARY" "$R/usr/local/bin/pyman"; fi
mkdir -p "$R/srv/mirror/$BUILD" "$R/srv/wheels" "$R/app"
cp "$FIXTURES/mirror/$BUILD/$ARCHIVE" "$FIXTURES/mirror/$BUILD/$ARCHIVE_311" "$R/srv/mirror/$BUILD/"
cp "$FIXTURES/download-metadata.json" "$FIXTURES/SHA256SUMS" "$R/srv/mirror/"
cp "$FIXTURES/mirror/$BUILD/$ARCHIVE" "$R/app/"
# A tiny pure-Python wheel for `pip install` (the build has no network but PyPI's, and CI may have none).
python3 - "$R/srv/wheels" <<'EOF'
import base64, hashlib, sys, zipfile
files = {
    "pyman_smoke/__init__.py": "VALUE = 42\n",
    "pyman_smoke-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: pyman-smoke\nVersion: 1.0\n",
    "pyman_smoke-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: pyman-smoke\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = [f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},{len(text.encode())}"
          for name, text in files.items()]
files["pyman_smoke-1.0.dist-info/RECORD"] = "\n".join(record + ["pyman_smoke-1.0.dist-info/RECORD,,"]) + "\n"
with zipfile.ZipFile(sys.argv[1] + "/pyman_smoke-1.0-py3-none-any.whl", "w") as wheel:
    for name, text in files.items():
        wheel.writestr(name, text)
EOF

python3 "$REPO/Fixtures/serve.py" "$R/srv/mirror" >"$W/port" 2>"$LOGS/server.log" 5>&- 6>&- 8>&- &
SERVER_PID=$!
echo "$SERVER_PID" >"$RUN/server.pid"
for _ in $(seq 50); do [[ -s $W/port ]] && break; sleep 0.1; done
PORT=$(head -n 1 "$W/port")
[[ $PORT =~ ^[0-9]+$ ]] || die "the fixture server did not start (log: $LOGS/server.log)"
MIRROR=http://127.0.0.1:$PORT
log "root ready ($how of the cached root, mounts) in $((SECONDS - t_copy))s; fixture server on $MIRROR"

# ---------------------------------------------------------------------------------------- in the root
# The image's environment (ENV in the Dockerfile), for root and for the non-root user.
IMAGE_ENV=(PATH=$PATH_IN_ROOT LANG=C.UTF-8 PYMAN_INSTALL_DIR=/opt/python PYMAN_BIN_DIR=/usr/local/bin)
LOCAL_CATALOGUE=(PYMAN_DOWNLOADS_JSON=$MIRROR/download-metadata.json PYMAN_PYTHON_MIRROR=$MIRROR)

as_root() { timeout -k 5 "$STEP_TIMEOUT" chroot "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" HOME=/root USER=root "$@" 8>&-; }
as_app() {
    timeout -k 5 "$STEP_TIMEOUT" chroot --userspec=$APP_UID:$APP_UID --groups=$APP_UID "$R" \
        /usr/bin/env -i "${IMAGE_ENV[@]}" HOME=/home/app USER=app "$@" 8>&-
}
# No network at all: a fresh network namespace has only a downed loopback.
as_root_offline() { timeout -k 5 "$STEP_TIMEOUT" unshare --net chroot "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" HOME=/root "$@" 8>&-; }

fail() { echo "ASSERTION FAILED: $*"; exit 1; }
# Runs a command, keeping stdout in $W/out and stderr in $W/err, and logs all of it; RC is its status.
run() {
    "$@" >"$W/out" 2>"$W/err" && RC=0 || RC=$?
    printf '$ %s\n' "$*"
    sed 's/^/  | /' "$W/out"
    sed 's/^/  ! /' "$W/err"
    echo "  exit $RC"
}
expect() { local want=$1; shift; run "$@"; [[ $RC == "$want" ]] || fail "exit $RC, expected $want: $*"; }
out_has() { grep -qF -- "$1" "$W/out" || fail "stdout lacks '$1'"; }
err_has() { grep -qF -- "$1" "$W/err" || fail "stderr lacks '$1'"; }
# Not a terminal: no progress bar (carriage returns), no colours or cursor moves (ESC), no prompts.
plain_err() { if LC_ALL=C grep -q $'[\r\033]' "$W/err"; then fail "stderr has terminal control characters"; fi; }
silent() { [[ ! -s $W/out && ! -s $W/err ]] || fail "expected no output at all"; }
snapshot() { (cd "$R" && find opt/python usr/local/bin -printf '%p|%y|%m|%U:%G|%s|%T@|%l\n' | LC_ALL=C sort); }

step_binary() {
    expect 0 as_root pyman --version
    out_has 0.1.0
    expect 0 as_root ldd /usr/local/bin/pyman
    if grep -q 'not found' "$W/out"; then fail "a library is missing in the root"; fi
    if grep -qE 'libswift|libFoundation|lib_Foundation|libdispatch' "$W/out"; then fail "Swift libraries linked dynamically"; fi
    if [[ -n $DIST ]]; then  # the rest of the release tree, copied to /usr/local
        expect 0 as_root bash -c 'source /usr/local/share/bash-completion/completions/pyman && complete -p pyman'
        out_has "-F _pyman pyman"
        local f
        for f in share/man/man1/pyman.1 share/zsh/site-functions/_pyman share/fish/vendor_completions.d/pyman.fish; do
            [[ -s $R/usr/local/$f ]] || fail "/usr/local/$f is missing"
        done
    fi
}

step_install() {  # RUN pyman install 3.13 --default
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" pyman install 3.13 --default
    plain_err
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /opt/python/cpython-3.13.5-linux-x86_64-gnu"
    local name
    for name in python3.13 python3 python; do
        [[ $(readlink "$R/usr/local/bin/$name") == /opt/python/cpython-3.13-linux-x86_64-gnu/bin/python3.13 ]] \
            || fail "/usr/local/bin/$name is not a link through the minor link"
        err_has "linked /usr/local/bin/$name"
    done
    expect 0 as_root python3 --version
    out_has "Python 3.13.5"
    # The fixture Pythons are built from Debian's sources against Debian's shared libraries; unlike
    # python-build-standalone's, their sqlite3, curses, dbm, readline and tkinter modules need
    # libraries this minimal root lacks. Import only modules whose libraries a slim image has.
    expect 0 as_root python -c 'import ssl, ctypes, zlib, lzma, bz2, hashlib, decimal, json; print("modules ok")'
    out_has "modules ok"
}

step_venv() {  # RUN python3 -m venv /opt/venv (python3 is the /usr/local/bin symlink)
    expect 0 as_root python3 -m venv /opt/venv
    grep -qx 'home = /opt/python/cpython-3.13-linux-x86_64-gnu/bin' "$R/opt/venv/pyvenv.cfg" \
        || fail "pyvenv.cfg home is not the install's bin: $(grep home "$R/opt/venv/pyvenv.cfg")"
    expect 0 as_root /opt/venv/bin/python -c 'import sys, encodings; print(sys.prefix, sys.base_prefix)'
    out_has "/opt/venv /opt/python/cpython-3.13-linux-x86_64-gnu"
    expect 0 as_root /opt/venv/bin/python -m pip --version
    out_has "(python 3.13)"
}

step_pip_install() {  # RUN pip install … (a local wheel instead of PyPI)
    expect 0 as_root /opt/venv/bin/python -m pip install --no-index --no-cache-dir --disable-pip-version-check \
        /srv/wheels/pyman_smoke-1.0-py3-none-any.whl
    expect 0 as_root /opt/venv/bin/python -c 'import pyman_smoke; print(pyman_smoke.VALUE)'
    out_has 42
}

step_output() {  # -q prints nothing; exit 1 for failures, 2 for usage errors
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" pyman install 3.13 -q
    silent
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" pyman install 3.13
    plain_err
    err_has "already installed"
    expect 1 as_root pyman find 3.12
    err_has "error: no Python matches '3.12': none installed by pyman, none found on PATH"
    expect 1 as_root pyman find 3.12 -q
    err_has "error:"
    expect 2 as_root pyman install --no-such-flag
    expect 2 as_root pyman no-such-command
}

step_permissions() {  # a root install is usable by everyone
    local bad
    bad=$(find "$R/opt/python" ! -perm -o+r -printf '%m %p\n' | head)
    [[ -z $bad ]] || fail "not world-readable: $bad"
    bad=$(find "$R/opt/python" -type d ! -perm -o+x -printf '%m %p\n' | head)
    [[ -z $bad ]] || fail "directories not world-searchable: $bad"
    expect 0 as_root useradd --create-home --uid $APP_UID --user-group --shell /bin/sh app
    snapshot >"$W/tree.before"
}

step_nonroot() {  # USER app: find, list, venv — reading the root's install, never writing to it
    expect 0 as_app id -u
    [[ $(cat "$W/out") == "$APP_UID" ]] || fail "not running as uid $APP_UID"
    expect 0 as_app pyman find 3.13
    out_has /opt/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
    expect 0 as_app pyman list --only-installed
    out_has cpython-3.13.5-linux-x86_64-gnu
    [[ ! -s $W/err ]] || fail "list warned"
    expect 0 as_app env "PYMAN_DOWNLOADS_JSON=/srv/mirror/download-metadata.json" pyman list
    out_has cpython-3.11.2-linux-x86_64-gnu
    expect 0 as_app pyman venv /tmp/v
    plain_err
    expect 0 as_app /tmp/v/bin/python -c 'import sys; print(sys.prefix, sys.version)'
    out_has "/tmp/v 3.13.5"
    expect 0 as_app pyman venv /tmp/vs --seed -q
    silent
    expect 0 as_app /tmp/vs/bin/python -m pip --version
    expect 0 as_app python3 -m venv /tmp/v3
    expect 0 as_app /tmp/v3/bin/python -c 'import encodings; print("ok")'
    # A non-root install into the root's dir fails cleanly, touching nothing.
    expect 1 as_app env "${LOCAL_CATALOGUE[@]}" pyman install 3.11
    err_has "not writable"
    snapshot >"$W/tree.after"
    diff "$W/tree.before" "$W/tree.after" || fail "the non-root commands changed /opt/python or /usr/local/bin"
}

step_nonroot_no_index() {  # a missing index is rebuilt in memory, not written, for a reader who cannot write
    mv "$R/opt/python/.pyman-index.json" "$W/index.saved"
    snapshot >"$W/tree.before"
    expect 0 as_app pyman list --only-installed
    out_has cpython-3.13.5-linux-x86_64-gnu
    [[ ! -s $W/err ]] || fail "list warned"
    expect 0 as_app pyman find 3.13
    snapshot >"$W/tree.after"
    mv "$W/index.saved" "$R/opt/python/.pyman-index.json"
    diff "$W/tree.before" "$W/tree.after" || fail "a non-root reader wrote to the install dir"
}

step_pinned() {  # WORKDIR /app; COPY .python-version; RUN pyman install --default; RUN pyman venv /opt/app-venv
    echo 3.11 >"$R/app/.python-version"
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" sh -c 'cd /app && pyman install --default'
    plain_err
    err_has "Installed cpython-3.11.2-linux-x86_64-gnu in /opt/python/cpython-3.11.2-linux-x86_64-gnu"
    expect 0 as_root python3 --version
    out_has "Python 3.11.2"
    expect 0 as_root sh -c 'cd /app && pyman venv /opt/app-venv'
    expect 0 as_root /opt/app-venv/bin/python -c 'import sys; print(sys.version_info[:3])'
    out_has "(3, 11, 2)"
    # The non-root user's own project, pinned to 3.13: find and venv follow its .python-version.
    expect 0 as_root sh -c 'mkdir -p /home/app/proj && echo 3.13 >/home/app/proj/.python-version && chown -R app:app /home/app/proj'
    expect 0 as_app sh -c 'cd /home/app/proj && pyman find && pyman venv'
    out_has /opt/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
    expect 0 as_app /home/app/proj/.venv/bin/python -c 'import sys; print(sys.version_info[:2])'
    out_has "(3, 13)"
}

step_offline() {  # COPY cpython-….tar.gz; RUN pyman install ./cpython-….tar.gz — with no network at all
    expect 0 as_root_offline env PYMAN_INSTALL_DIR=/opt/offline PYMAN_BIN_DIR=/opt/offline/bin \
        sh -c "cd /app && pyman install ./$ARCHIVE --default"
    plain_err
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /opt/offline/cpython-3.13.5-linux-x86_64-gnu"
    expect 0 as_root_offline /opt/offline/bin/python3 -c 'import ssl; print("offline ok")'
    out_has "offline ok"
}

# ------------------------------------------------------------------------ locked, cached rebuilds
# `RUN --mount=type=cache,target=DIR[,uid=U,gid=G]` is a folder of the builder's, bind-mounted at DIR
# for that one RUN and kept from one build to the next; BuildKit creates it 0755, owned by uid:gid
# (root by default), and any missing parent of DIR owned by root. The bind mounts below are the same
# thing; the cleanup undoes them with everything else under run.<pid>.
cache_mount() {  # HOST-DIR TARGET-IN-ROOT UID
    mkdir -p "$1" "$R$2"
    chown "$3:$3" "$1"
    chmod 755 "$1"
    mount --bind "$1" "$R$2" || fail "cannot bind-mount $1 at $2"
}
mirror_up() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# Stops the fixture server (on_exit reaps it) and waits until nothing answers on its port.
stop_mirror() {
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do mirror_up || return 0; sleep 0.1; done
    fail "the fixture server still answers on $MIRROR"
}
SHA=$(awk -v f="$BUILD/$ARCHIVE" '$2 == f { print $1 }' "$FIXTURES/SHA256SUMS")
ROOT_CACHE=$RUN/buildkit-cache-root   # target=/root/.cache/pyman
APP_CACHE=$RUN/buildkit-cache-app     # target=/home/app/.cache/pyman,uid=1000,gid=1000
# Install dirs of their own: /opt/python already has 3.13.5 (step 2), and a build starts without it.
# The mirror is the fixture server even when it is stopped: a rebuild that did not use the cache then
# fails, where the lock's own GitHub URL might succeed on a CI machine with internet.
LOCKED_ROOT=(PYMAN_INSTALL_DIR=/opt/locked PYMAN_BIN_DIR=/opt/locked/bin PYMAN_PYTHON_MIRROR=$MIRROR)
LOCKED_APP=(PYMAN_INSTALL_DIR=/home/app/python PYMAN_BIN_DIR=/home/app/bin PYMAN_PYTHON_MIRROR=$MIRROR)

step_locked_first() {  # pyman lock; COPY pyman.lock .python-version; RUN --mount=type=cache… pyman install --locked
    [[ $SHA =~ ^[0-9a-f]{64}$ ]] || fail "no sha256 for $ARCHIVE in SHA256SUMS"
    cache_mount "$ROOT_CACHE" /root/.cache/pyman 0
    cache_mount "$APP_CACHE" /home/app/.cache/pyman $APP_UID
    # The developer's `pyman lock`, against the catalogue, with the baseline build a CI machine runs.
    mkdir -p "$R/locked"
    echo 3.13 >"$R/locked/.python-version"
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" sh -c 'cd /locked && pyman lock --platform linux-x86_64-gnu'
    err_has "Locked cpython-3.13.5-linux-x86_64-gnu for 3.13"
    grep -qx "sha256 = \"$SHA\"" "$R/locked/pyman.lock" || fail "pyman.lock does not pin sha256 $SHA"
    # The catalogue's URL, not the mirror's: the lock outlives the mirror it was made behind.
    grep -q '^url = "https://github.com/astral-sh/python-build-standalone/releases/download/' "$R/locked/pyman.lock" \
        || fail "pyman.lock's url is not the catalogue's"
    [[ ! -e $ROOT_CACHE/downloads/$SHA ]] || fail "the cache held the archive before the first install"
    # First build: the archive comes from the mirror and is kept in the cache mount.
    expect 0 as_root env "${LOCKED_ROOT[@]}" sh -c 'cd /locked && pyman install --locked --default'
    plain_err
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /opt/locked/cpython-3.13.5-linux-x86_64-gnu"
    [[ -f $ROOT_CACHE/downloads/$SHA ]] || fail "the download was not kept in the cache mount"
    # The same for USER app, with the lock COPY --chown=app'd into its project.
    mkdir -p "$R/home/app/locked"
    cp "$R/locked/pyman.lock" "$R/locked/.python-version" "$R/home/app/locked/" && chown -R $APP_UID:$APP_UID "$R/home/app/locked" \
        || fail "cannot copy the lock into /home/app/locked"
    expect 0 as_app env "${LOCKED_APP[@]}" sh -c 'cd /home/app/locked && pyman install --locked'
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /home/app/python/cpython-3.13.5-linux-x86_64-gnu"
    [[ $(stat -c %u "$APP_CACHE/downloads/$SHA" 2>/dev/null) == "$APP_UID" ]] || fail "app's cache mount does not hold its download"
    # The air-gapped variant's mirror, made beside the lock (from the cache, which holds the archive now).
    expect 0 as_root env "${LOCAL_CATALOGUE[@]}" sh -c 'cd /locked && pyman lock --platform linux-x86_64-gnu --fetch ./python-mirror'
    err_has "Fetched 1 archive into /locked/python-mirror"
    [[ -s $R/locked/python-mirror/$ARCHIVE && -s $R/locked/python-mirror/downloads.json ]] || fail "python-mirror lacks the archive or downloads.json"
}

step_locked_rebuild() {  # the same RUN again, with the mirror gone: the cache mount alone
    stop_mirror
    # A rebuild starts from the layer below: no install, but the same cache mount.
    rm -rf "$R/opt/locked" "$R/home/app/python" "$R/home/app/bin"
    expect 0 as_root env "${LOCKED_ROOT[@]}" sh -c 'cd /locked && pyman install --locked --default'
    plain_err
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /opt/locked/cpython-3.13.5-linux-x86_64-gnu"
    expect 0 as_root /opt/locked/bin/python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    [[ $(cat "$W/out") == /opt/locked/cpython-3.13* ]] || fail "sys.base_prefix is not inside /opt/locked"
    expect 0 as_app env "${LOCKED_APP[@]}" sh -c 'cd /home/app/locked && pyman install --locked'
    expect 0 as_app /home/app/bin/python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    [[ $(cat "$W/out") == /home/app/python/cpython-3.13* ]] || fail "app's sys.base_prefix is not inside /home/app/python"
    # `pyman venv` in the locked folder takes the locked Python, with no network either.
    expect 0 as_root env "${LOCKED_ROOT[@]}" sh -c 'cd /locked && pyman venv /opt/locked-venv'
    grep -qx 'home = /opt/locked/cpython-3.13-linux-x86_64-gnu/bin' "$R/opt/locked-venv/pyvenv.cfg" \
        || fail "the venv's home is not the locked install: $(grep home "$R/opt/locked-venv/pyvenv.cfg")"
    # The proof that the rebuild came from the cache: without it, the same install fails.
    expect 1 as_root env "${LOCKED_ROOT[@]}" sh -c 'cd /locked && pyman install --locked --reinstall --no-cache'
    err_has "Couldn't connect to server"
    # docs/docker.md's offline rebuild: PYMAN_OFFLINE=1, in a network namespace with no network at all.
    expect 0 as_root_offline env "${LOCKED_ROOT[@]}" PYMAN_OFFLINE=1 sh -c 'cd /locked && pyman install --locked --reinstall'
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /opt/locked/cpython-3.13.5-linux-x86_64-gnu"
    expect 0 as_root_offline /opt/locked/bin/python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    [[ $(cat "$W/out") == /opt/locked/cpython-3.13* ]] || fail "sys.base_prefix is not inside /opt/locked"
}

step_airgapped() {  # COPY python-mirror /python-mirror; PYMAN_DOWNLOADS_JSON=… PYMAN_OFFLINE=1 pyman install 3.13
    cp -r "$R/locked/python-mirror" "$R/python-mirror" || fail "cannot copy python-mirror"
    # --no-cache: the cache mount holds this archive too; without it, the copied mirror alone must do.
    expect 0 as_root_offline env PYMAN_INSTALL_DIR=/opt/airgap PYMAN_BIN_DIR=/opt/airgap/bin \
        PYMAN_DOWNLOADS_JSON=/python-mirror/downloads.json PYMAN_OFFLINE=1 pyman install 3.13 --no-cache
    plain_err
    err_has "Installed cpython-3.13.5-linux-x86_64-gnu in /opt/airgap/cpython-3.13.5-linux-x86_64-gnu"
    expect 0 as_root_offline /opt/airgap/bin/python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    [[ $(cat "$W/out") == /opt/airgap/cpython-3.13* ]] || fail "sys.base_prefix is not inside /opt/airgap"
}

run_step() (set -uo pipefail; "$1")

STEPS=(
    "dist/ in /usr/local: pyman runs, no Swift libraries, completions:step_binary"
    "pyman install 3.13 --default (local mirror):step_install"
    "python3 -m venv /opt/venv through the symlink; pip --version:step_venv"
    "pip install into /opt/venv:step_pip_install"
    "-q silent; exit codes 0/1/2; no terminal output:step_output"
    "install world-readable; add user app:step_permissions"
    "non-root find/list/venv leave the install untouched:step_nonroot"
    "non-root list with no index does not write it:step_nonroot_no_index"
    "pinned .python-version:step_pinned"
    "offline install from a copied archive (no network):step_offline"
    "pyman lock; install --locked fills the cache mount (root, app):step_locked_first"
    # Last: these stop the fixture server or need it no more.
    "mirror stopped: install --locked from the cache mount alone; --no-cache fails:step_locked_rebuild"
    "air-gapped: a copied pyman lock --fetch mirror, offline, no cache:step_airgapped"
)

status=PASS
t_steps=$SECONDS
n=0
for entry in "${STEPS[@]}"; do
    n=$((n + 1))
    title=${entry%:*}
    fn=${entry##*:}
    t0=$SECONDS
    if waitable run_step "$fn" >"$LOGS/step-$n.log" 2>&1 8>&-; then
        printf 'container-smoke:   ok    %2d %s (%ds)\n' "$n" "$title" $((SECONDS - t0))
    else
        printf 'container-smoke:   FAIL  %2d %s (%ds); log %s:\n' "$n" "$title" $((SECONDS - t0)) "$LOGS/step-$n.log"
        tail -n 30 "$LOGS/step-$n.log" | sed 's/^/        /'
        status=FAIL
        break
    fi
done
echo "container-smoke: steps took $((SECONDS - t_steps))s"
[[ $status == PASS ]] || exit 1
STEPS_PASSED=1
