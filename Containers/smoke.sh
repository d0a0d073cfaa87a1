#!/usr/bin/env bash
# Container smoke test (`make container-smoke`): builds docs/docker.md's Dockerfiles for real with an
# OCI image builder, buildah (Debian's package, 1.28; no daemon), and runs the images it built.
#
#   bash Containers/smoke.sh [DIST]     # as root; DIST: `make release`'s prefix tree (default dist/),
#                                       # or the path of a pyman binary
#
# - The Dockerfiles are the files in Containers/dockerfiles/, which docs/docker.md shows verbatim; the
#   first check is that every ```dockerfile block of the page is byte for byte one of them.
# - `FROM debian:bookworm-slim` is a local image, localhost/debian:bookworm-slim, made once from a
#   root that `debootstrap --variant=minbase bookworm` plus libcurl4 libarchive13 ca-certificates
#   built (the same userland as Docker Hub's image; network: deb.debian.org), both cached in
#   $PYMAN_CONTAINER_CACHE (default ~/.cache/pyman-container) and rebuilt when the recipe changes.
# - buildah keeps its images in a storage of this script's own ($CACHE/buildah, driver vfs), never the
#   system's. Every image and container of a run, and the cache mounts (buildah keeps them under its
#   TMPDIR, here run.<pid>/tmp), are removed on every exit path; only the base image stays. That is
#   checked after the cleanup, and what a killed run left is removed at the next start.
# - Each variant is one `buildah bud --isolation chroot --network host` (inside `unshare --net` for
#   the offline ones: a network namespace with nothing in it), then checks with `buildah run`.
#   Bounded: each build and each check has a timeout. Logs: $PYMAN_CONTAINER_CACHE/logs/.
# - Prints one line per variant and `container-smoke: PASS` or `container-smoke: FAIL`; exit 0 or 1.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$REPO/dist}
CACHE=${PYMAN_CONTAINER_CACHE:-$HOME/.cache/pyman-container}
FIXTURES=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
DOCKERFILES=$REPO/Containers/dockerfiles
DOC=$REPO/docs/docker.md
SUITE=bookworm
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
RUNTIME_PACKAGES="libcurl4 libarchive13 ca-certificates"
# Bump ROOTFS_RECIPE when the way the root is made changes, IMAGE_RECIPE when the way the base image is
# made from it changes: what they describe is then rebuilt.
ROOTFS_RECIPE="recipe=1 suite=$SUITE variant=minbase packages=$RUNTIME_PACKAGES"
IMAGE_RECIPE="$ROOTFS_RECIPE image=1"
BASE_IMAGE=localhost/debian:bookworm-slim
# Images of a run are named after this; the cleanup removes every image but the base anyway.
IMG=localhost/pyman-smoke
STEP_TIMEOUT=${PYMAN_SMOKE_STEP_TIMEOUT:-180}
BUILD_TIMEOUT=${PYMAN_SMOKE_BUILD_TIMEOUT:-600}
BOOTSTRAP_TIMEOUT=${PYMAN_SMOKE_BOOTSTRAP_TIMEOUT:-1200}
BUILD=20250723
TRIPLE=x86_64-unknown-linux-gnu
ARCHIVE=cpython-3.13.5+$BUILD-$TRIPLE-install_only_stripped.tar.gz
ARCHIVE_311=cpython-3.11.2+$BUILD-$TRIPLE-install_only_stripped.tar.gz
APP_UID=1000
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'container-smoke: %s\n' "$*" >&2; }
die() { printf 'container-smoke: FAIL: %s\n' "$*" >&2; exit 1; }
# mounts_under, inside, kill_inside, teardown, waitable, mount_container_fs
source "$REPO/Containers/root-helpers.sh"

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, buildah's chroot isolation); run it as root"
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
for tool in chroot unshare timeout mount umount flock python3 readlink tar; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for pkg in debootstrap buildah; do
    command -v "$pkg" >/dev/null && continue
    log "installing $pkg"
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null; } \
        || die "cannot install $pkg with apt-get"
done

mkdir -p "$CACHE/logs"
CACHE=$(cd "$CACHE" && pwd -P)
LOGS=$CACHE/logs
ROOTFS=$CACHE/rootfs
STORE=$CACHE/buildah           # buildah's storage (--root, --runroot): the base image's layers live here
RUN=$CACHE/run.$$              # this run: build contexts, buildah's TMPDIR (cache mounts), the mirror
W=$RUN/work                    # the last command's stdout/stderr, snapshots
SERVER_PID=
CHILD_PID=
STEPS_PASSED=0
T_START=$SECONDS

# buildah, always on this script's storage and TMPDIR (where `RUN --mount=type=cache` folders are kept),
# with the system's registries and policy (nothing is pulled: every FROM names a local image).
BUILDAH=(buildah --root "$STORE/storage" --runroot "$STORE/runroot" --storage-driver vfs)
bh() { TMPDIR=$RUN/tmp "${BUILDAH[@]}" "$@"; }

# The base image's ID, or nothing when it is missing or not made by this recipe.
base_id() {
    local label
    label=$(bh inspect --type image --format '{{index .OCIv1.Config.Labels "org.pyman.smoke.recipe"}}' "$BASE_IMAGE" 2>/dev/null) || return 0
    [[ $label == "$IMAGE_RECIPE" ]] || return 0
    bh inspect --type image --format '{{.FromImageID}}' "$BASE_IMAGE" 2>/dev/null || true
}

# Stops the buildah processes on this storage (their command line names it) that an interrupted step
# or a killed run left: killing a step's shell does not stop the `timeout … buildah` it started.
stop_buildahs() {
    local p pids
    for _ in $(seq 20); do
        pids=
        for p in /proc/[0-9]*; do
            { tr '\0' '\n' <"$p/cmdline"; } 2>/dev/null | grep -qxF -- "$STORE/storage" && pids+=" ${p#/proc/}"
        done
        [[ -n $pids ]] || return 0
        # TERM first, so buildah can remove its working container; then KILL.
        if ((_ < 10)); then kill -TERM $pids 2>/dev/null || true; else kill -KILL $pids 2>/dev/null || true; fi
        sleep 0.5
    done
    log "buildah processes still running:$pids"
    return 1
}

# Removes every container and every image but the base from the storage; returns 1 if some remain.
clear_storage() {
    local keep left=0
    [[ -d $STORE/storage ]] || return 0
    stop_buildahs || left=1
    kill_inside "$STORE" || left=1
    mkdir -p "$RUN/tmp"
    bh rm --all >/dev/null 2>&1 || true
    keep=$(base_id)
    # All at once (each buildah call loads the whole storage); a second round for what the first left.
    local ids
    for _ in 1 2; do
        ids=$(bh images --all --quiet --no-trunc 2>/dev/null | sed 's/^sha256://' | sort -u | grep -vx "${keep:-none}" || true)
        [[ -n $ids ]] || break
        bh rmi --force $ids >/dev/null 2>&1 || true
    done
    if [[ -n $(bh containers --quiet 2>/dev/null) ]]; then log "containers left in $STORE: $(bh containers --quiet | tr '\n' ' ')"; left=1; fi
    ids=$(bh images --all --quiet --no-trunc 2>/dev/null | sed 's/^sha256://' | sort -u | grep -vx "${keep:-none}" || true)
    if [[ -n $ids ]]; then log "images left in $STORE besides the base: $(echo $ids)"; left=1; fi
    return "$left"
}

on_exit() {
    local status=$? left
    trap - EXIT INT TERM HUP
    # A signal may land while a step's output is redirected to its log: report on the script's own.
    exec 1>&5 2>&6
    # A build or check interrupted by a signal: stop it before removing its container.
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
    local t_clean=$SECONDS
    clear_storage || status=1
    teardown "$RUN" || status=1
    teardown "$CACHE/rootfs.build" || status=1
    left=$(mount | grep -F "$CACHE/" || true)
    if [[ -n $left ]]; then
        log "mounts left behind:"; echo "$left" >&2
        status=1
    fi
    # The verdict comes after the cleanup, which is part of what is checked.
    if [[ $status == 0 && $STEPS_PASSED == 1 ]]; then
        echo "container-smoke: cleanup took $((SECONDS - t_clean))s"
        echo "container-smoke: PASS (only the base image is left, no containers, mounts or processes; $((SECONDS - T_START))s)"
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
# A killed run's builds may still be running, in its folder: stop them before removing it.
stop_buildahs || die "cannot stop the buildah processes of an earlier run"
for stale in "$CACHE"/run.* "$CACHE/rootfs.build"; do
    [[ -e $stale ]] || continue
    log "clearing leftovers of an earlier run: $stale"
    teardown "$stale" || die "cannot clear $stale"
done
mkdir -p "$RUN/tmp" "$W"
clear_storage || die "cannot clear the leftovers of an earlier run in $STORE"


# ---------------------------------------------------------------------------------- the base image

build_rootfs() {
    local build=$CACHE/rootfs.build m
    log "debootstrap --variant=minbase $SUITE from $DEBIAN_MIRROR (once; cached in $ROOTFS)"
    waitable timeout -k 10 "$BOOTSTRAP_TIMEOUT" debootstrap --variant=minbase "$SUITE" "$build" "$DEBIAN_MIRROR" \
        >"$LOGS/debootstrap.log" 2>&1 \
        || { tail -n 20 "$LOGS/debootstrap.log" >&2; die "debootstrap failed (log: $LOGS/debootstrap.log)"; }
    # debootstrap undoes its own mounts on success; make sure, then mount what apt needs.
    for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    cp -L /etc/resolv.conf "$build/etc/resolv.conf"
    mount_container_fs "$build"
    log "installing the runtime libraries: $RUNTIME_PACKAGES"
    waitable timeout -k 10 "$BOOTSTRAP_TIMEOUT" chroot "$build" /usr/bin/env -i PATH=$PATH_IN_ROOT HOME=/root \
        DEBIAN_FRONTEND=noninteractive sh -ec "apt-get update -q && apt-get install -y -q --no-install-recommends $RUNTIME_PACKAGES && apt-get clean && rm -rf /var/lib/apt/lists/*" \
        >"$LOGS/apt.log" 2>&1 \
        || { tail -n 20 "$LOGS/apt.log" >&2; die "apt-get install in the root failed (log: $LOGS/apt.log)"; }
    for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    [[ -z $(mounts_under "$build") ]] || die "cannot unmount $build"
    # Docker Hub's image has an empty resolv.conf too: the runtime provides one.
    : >"$build/etc/resolv.conf"
    rm -rf "$ROOTFS"
    mv "$build" "$ROOTFS"
    echo "$ROOTFS_RECIPE" >"$CACHE/rootfs.stamp"
}

# localhost/debian:bookworm-slim: the root as one layer, with Docker Hub's image's PATH and CMD.
build_base_image() {
    local ctr
    bh rmi --force "$BASE_IMAGE" >/dev/null 2>&1 || true
    log "making $BASE_IMAGE from the cached root (once; kept in $STORE)"
    tar -C "$ROOTFS" --numeric-owner --xattrs --acls -cf "$RUN/rootfs.tar" . || die "cannot pack $ROOTFS"
    ctr=$(bh from --pull=never scratch) || die "buildah from scratch failed"
    bh add "$ctr" "$RUN/rootfs.tar" / >/dev/null || die "buildah add of the root failed"
    bh config --env PATH=$PATH_IN_ROOT --cmd bash --label "org.pyman.smoke.recipe=$IMAGE_RECIPE" "$ctr" \
        || die "buildah config failed"
    bh commit --quiet --rm "$ctr" "$BASE_IMAGE" >/dev/null || die "buildah commit of $BASE_IMAGE failed"
    rm -f "$RUN/rootfs.tar"
    [[ -n $(base_id) ]] || die "$BASE_IMAGE was not made"
}

rm -f "$LOGS"/step-*.log "$LOGS"/build-*.log "$LOGS"/build-*.Dockerfile
t_base=$SECONDS
if [[ ! -d $ROOTFS || "$(cat "$CACHE/rootfs.stamp" 2>/dev/null)" != "$ROOTFS_RECIPE" ]]; then
    build_rootfs
    log "cached root built in $((SECONDS - t_base))s ($(du -sh "$ROOTFS" | cut -f1))"
    bh rmi --force "$BASE_IMAGE" >/dev/null 2>&1 || true    # made from the old root
fi
if [[ -z $(base_id) ]]; then
    t_image=$SECONDS
    build_base_image
    log "base image made in $((SECONDS - t_image))s"
fi
log "base image ready in $((SECONDS - t_base))s: $BASE_IMAGE $(base_id | cut -c1-12); $(buildah --version)"

# ----------------------------------------------------------------------------------- build contexts
# The release tree, as the stand-in build stage COPYs it (or a tree around a bare binary).
mkdir -p "$RUN/dist" "$RUN/ctx" "$RUN/mirror/$BUILD" "$RUN/mirror/wheels"
if [[ -n $DIST ]]; then cp -a "$DIST/." "$RUN/dist/"; else install -D -m 755 "$BINARY" "$RUN/dist/bin/pyman"; fi
# The fixture mirror, served on the host's 127.0.0.1 (RUN reaches it through --network host).
cp "$FIXTURES/mirror/$BUILD/$ARCHIVE" "$FIXTURES/mirror/$BUILD/$ARCHIVE_311" "$RUN/mirror/$BUILD/"
cp "$FIXTURES/download-metadata.json" "$FIXTURES/SHA256SUMS" "$RUN/mirror/"
SHA=$(awk -v f="$BUILD/$ARCHIVE" '$2 == f { print $1 }' "$FIXTURES/SHA256SUMS")
[[ $SHA =~ ^[0-9a-f]{64}$ ]] || die "no sha256 for $ARCHIVE in $FIXTURES/SHA256SUMS"
# A tiny pure-Python wheel for the Dockerfile's `pip install -r requirements.txt`, served by the
# mirror: the build needs no PyPI, and CI may have none.
python3 "$REPO/Containers/smoke-wheel.py" "$RUN/mirror/wheels"

python3 "$REPO/Fixtures/serve.py" "$RUN/mirror" >"$W/port" 2>"$LOGS/server.log" 5>&- 6>&- 8>&- &
SERVER_PID=$!
echo "$SERVER_PID" >"$RUN/server.pid"
for _ in $(seq 50); do [[ -s $W/port ]] && break; sleep 0.1; done
PORT=$(head -n 1 "$W/port")
[[ $PORT =~ ^[0-9]+$ ]] || die "the fixture server did not start (log: $LOGS/server.log)"
MIRROR=http://127.0.0.1:$PORT
log "fixture server on $MIRROR"

# ------------------------------------------------------------------------------- helpers for steps
# A step's failure reason, one line, printed by the main loop as `FAIL: variant '…' …`.
fail() { echo "ASSERTION FAILED: $*"; echo "$*" >"$W/reason"; exit 1; }

# Runs a command, keeping stdout in $W/out and stderr in $W/err, and logs all of it; RC is its status.
run() {
    "$@" >"$W/out" 2>"$W/err" && RC=0 || RC=$?
    printf '$ %s\n' "$*"
    sed 's/^/  | /' "$W/out"
    sed 's/^/  ! /' "$W/err"
    echo "  exit $RC"
}
expect() { local want=$1; shift; run "$@"; [[ $RC == "$want" ]] || fail "exit $RC, expected $want: ${*: -1}"; }
out_has() { grep -qF -- "$1" "$W/out" || fail "stdout lacks '$1'"; }
err_has() { grep -qF -- "$1" "$W/err" || fail "stderr lacks '$1'"; }
# Not a terminal: no progress bar (carriage returns), no colours or cursor moves (ESC), no prompts.
plain_err() { if LC_ALL=C grep -q $'[\r\033]' "$W/err"; then fail "stderr has terminal control characters"; fi; }
silent() { [[ ! -s $W/out && ! -s $W/err ]] || fail "expected no output at all"; }

# The lines of a Dockerfile from its second FROM on: the runtime stage of a two-stage file.
second_stage() { awk '/^FROM / { n++ } n >= 2' "$1"; }
# The lines before the first one matching the regular expression $2.
lines_before() { awk -v re="$2" '$0 ~ re { exit } { print }' "$1"; }
# What the docs' `COPY --from=build /src/dist/ /usr/local/` needs, without a Swift toolchain image
# (swift:6.3-bookworm cannot be had here): a build stage holding the release artefact at /src/dist.
standin_build_stage() { printf 'FROM scratch AS build\nCOPY dist/ /src/dist/\n'; }

# A build context: the release tree (hard links to this run's copy) and the files given.
context() {  # NAME FILE...
    local dir=$RUN/ctx/$1; shift
    mkdir -p "$dir"
    cp -al "$RUN/dist" "$dir/dist"
    [[ $# == 0 ]] || cp -a "$@" "$dir/"
    echo "$dir"
}

# Builds the Dockerfile on stdin as image $IMG-VARIANT; a failure names the variant and the step.
# NET: host (RUN reaches the host's 127.0.0.1: the mirror, deb.debian.org) or none (buildah runs in
# a new network namespace with only a downed loopback: buildah 1.28's chroot isolation has no
# --network none, and RUN --network is BuildKit's).
build() {  # VARIANT CONTEXT NET [buildah bud options...]
    local variant=$1 ctx=$2 net=$3; shift 3
    # The Dockerfile as built is kept with the build's log (the run's folder goes with the cleanup).
    local name=build-$variant step err last
    [[ ! -e $LOGS/$name.log ]] || name=build-$variant.2     # the rebuild keeps the first build's log
    local file=$LOGS/$name.Dockerfile blog=$LOGS/$name.log
    local -a cmd=(timeout -k 10 "$BUILD_TIMEOUT")
    cat >"$file"
    [[ $net == none ]] && cmd+=(unshare --net)
    cmd+=(env TMPDIR="$RUN/tmp" "${BUILDAH[@]}" bud --isolation chroot --network host --pull=never
          --file "$file" --tag "$IMG-$variant" "$@" "$ctx")
    echo "\$ ${cmd[*]}"
    sed 's/^/  > /' "$file"
    if "${cmd[@]}" >"$blog" 2>&1; then
        sed 's/^/  | /' "$blog"
        return 0
    fi
    sed 's/^/  | /' "$blog"
    # buildah prints `[stage/stages] STEP n/m: INSTRUCTION` before each step, `Error: …` at the end;
    # the line before buildah's own messages is usually the failing command's last word.
    step=$(grep -E '^(\[[0-9]+/[0-9]+\] )?STEP [0-9]+/[0-9]+: ' "$blog" | tail -n 1 || true)
    err=$(grep -E '^Error: ' "$blog" | tail -n 1 | sed 's/^Error: //' || true)
    last=$(grep -vE '^(\[[0-9]+/[0-9]+\] )?STEP |^Error: |^subprocess exited|^time=|^error running' "$blog" | tail -n 1 || true)
    step=${step#\[*\] }
    fail "build ${step%%: *} (${step#*: }): ${last:+$last; }${err:-buildah failed} (log $blog, Dockerfile $file)"
}

# A working container of image $IMG-VARIANT for `buildah run` checks (removed by the cleanup).
container() { bh from --pull=never --quiet --name "smoke-$1" "$IMG-$1" >/dev/null || fail "buildah from $IMG-$1 failed"; }
# Runs a command in it, as the image's USER and in its WORKDIR with its ENV unless options say
# otherwise: `in_ctr VARIANT [buildah run options] -- COMMAND...`; NET=none for no network at all.
# The command's stdout and stderr are files in a folder bind-mounted for the one run, not buildah's
# pipes: buildah 1.28's chroot `run` now and then loses a quick command's whole output (seen here about
# once in 120 runs, with exit status 0). buildah's own messages (`subprocess exited with status N`,
# `Error: exit status N`) are left out unless buildah failed before the command ran.
in_ctr() {
    local c=$1 io=$W/io rc=0; shift
    local -a opts=() net=()
    while [[ $1 != -- ]]; do opts+=("$1"); shift; done
    shift
    [[ ${NET:-host} == none ]] && net=(unshare --net)
    rm -rf "$io" && mkdir -m 1777 "$io"
    timeout -k 5 "$STEP_TIMEOUT" "${net[@]}" env TMPDIR="$RUN/tmp" "${BUILDAH[@]}" run --isolation chroot \
        --volume "$io:/.smoke-io" "${opts[@]}" "smoke-$c" -- /bin/sh -c 'exec "$@" >/.smoke-io/out 2>/.smoke-io/err' sh "$@" \
        </dev/null >"$W/buildah.out" 2>&1 8>&- || rc=$?
    if [[ -e $io/err ]]; then
        cat "$io/out"; cat "$io/err" >&2
    else
        cat "$W/buildah.out" >&2
    fi
    return "$rc"
}
in_ctr_offline() { NET=none in_ctr "$@"; }

# The install dir and the bin dir, every entry with its type, mode, owner, size, mtime and target.
snapshot() {  # VARIANT
    in_ctr "$1" --user 0:0 -- sh -c 'find /opt/python /usr/local/bin -printf "%p|%y|%m|%U:%G|%s|%T@|%l\n" | LC_ALL=C sort'
}
LOCAL_CATALOGUE=(--build-arg "PYMAN_PYTHON_MIRROR=$MIRROR" --build-arg "PYMAN_CATALOGUE_URL=$MIRROR/download-metadata.json")
# A fragment of the docs (`# … after …`) built on the image of the lines it follows: a FROM naming that
# image, then the ARG lines of that stage (an ARG does not outlive its stage), then the fragment.
fragment() {  # PARENT-VARIANT PARENT-DOCKERFILE FRAGMENT
    echo "FROM $IMG-$1"
    grep -E '^ARG ' "$2" || true
    cat "$3"
}

# ------------------------------------------------------------------------------------------- steps
step_docs() {  # every ```dockerfile block of docs/docker.md is, byte for byte, the file its marker names
    run python3 - "$DOC" "$DOCKERFILES" <<'EOF'
import os, re, sys
doc, folder = sys.argv[1], sys.argv[2]
lines = open(doc, encoding="utf-8").read().split("\n")
shown, problems = [], []
for i, line in enumerate(lines):
    if line != "```dockerfile":
        continue
    m = re.fullmatch(r"<!-- (Containers/dockerfiles/([A-Za-z0-9-]+\.Dockerfile)) -->", lines[i - 1] if i else "")
    if not m:
        problems.append(f"docs/docker.md:{i + 1}: a dockerfile block without a <!-- Containers/dockerfiles/NAME.Dockerfile --> line above it")
        continue
    end = lines.index("```", i + 1)
    block = "\n".join(lines[i + 1:end]) + "\n"
    path = os.path.join(folder, m.group(2))
    if not os.path.isfile(path):
        problems.append(f"docs/docker.md:{i + 1}: {m.group(1)} does not exist")
    elif open(path, "rb").read() != block.encode("utf-8"):
        problems.append(f"docs/docker.md:{i + 1}: the block differs from {m.group(1)}")
    shown.append(m.group(2))
for name in sorted(set(os.listdir(folder)) - set(shown)):
    problems.append(f"Containers/dockerfiles/{name} is not shown in docs/docker.md")
for name in sorted({n for n in shown if shown.count(n) > 1}):
    problems.append(f"Containers/dockerfiles/{name} is shown twice")
print("\n".join(problems) if problems else f"{len(shown)} Dockerfiles, each shown once, byte for byte")
sys.exit(1 if problems else 0)
EOF
    local n; n=$(wc -l <"$W/out")
    [[ $RC == 0 ]] || fail "$(head -n 1 "$W/out")$( ((n > 1)) && echo " (and $((n - 1)) more: log)")"
}

step_runtime() {  # the plain Dockerfile's runtime stage up to its first `RUN pyman`: the parent of fragments
    build runtime "$(context runtime)" host \
        < <({ standin_build_stage; lines_before <(second_stage "$DOCKERFILES/plain.Dockerfile") '^RUN pyman '; })
}

step_plain() {  # docs/docker.md's Dockerfile: its runtime stage, FROM the stand-in build stage
    local ctx; ctx=$(context plain)
    echo "pyman-smoke @ $MIRROR/wheels/pyman_smoke-1.0-py3-none-any.whl" >"$ctx/requirements.txt"
    build plain "$ctx" host "${LOCAL_CATALOGUE[@]}" \
        < <({ standin_build_stage; second_stage "$DOCKERFILES/plain.Dockerfile"; })
    # RUN has no terminal: no progress bars (carriage returns), no colours or cursor moves (ESC).
    if LC_ALL=C grep -q $'[\r\033]' "$LOGS/build-plain.log"; then fail "the build's output has terminal control characters"; fi
    container plain
    # COPY --from=build /src/dist/ /usr/local/: pyman runs, every library is found, no Swift one.
    expect 0 in_ctr plain -- pyman --version
    out_has 0.1.0
    expect 0 in_ctr plain -- ldd /usr/local/bin/pyman
    if grep -q 'not found' "$W/out"; then fail "a library is missing in the image"; fi
    if grep -qE 'libswift|libFoundation|lib_Foundation|libdispatch' "$W/out"; then fail "Swift libraries linked dynamically"; fi
    if [[ -n $DIST ]]; then  # the rest of the release tree (a bare binary has none)
        expect 0 in_ctr plain -- bash -c 'source /usr/local/share/bash-completion/completions/pyman && complete -p pyman'
        out_has "-F _pyman pyman"
        expect 0 in_ctr plain -- ls /usr/local/share/man/man1/pyman.1 /usr/local/share/zsh/site-functions/_pyman /usr/local/share/fish/vendor_completions.d/pyman.fish
    fi
    # RUN pyman install 3.13 --default: three links through the minor link.
    expect 0 in_ctr plain -- readlink /usr/local/bin/python3.13 /usr/local/bin/python3 /usr/local/bin/python
    [[ $(sort -u "$W/out") == /opt/python/cpython-3.13-linux-x86_64-gnu/bin/python3.13 ]] \
        || fail "/usr/local/bin/python{3.13,3,} are not links through the minor link: $(tr '\n' ' ' <"$W/out")"
    expect 0 in_ctr plain -- /usr/local/bin/python3 --version
    out_has "Python 3.13.5"
    # The fixture Pythons are built from Debian's sources against Debian's shared libraries; unlike
    # python-build-standalone's, their sqlite3, curses, dbm, readline and tkinter modules need
    # libraries this minimal root lacks. Import only modules whose libraries a slim image has.
    expect 0 in_ctr plain -- /usr/local/bin/python3 -c 'import ssl, ctypes, zlib, lzma, bz2, hashlib, decimal, json; print("modules ok")'
    # RUN python3 -m venv /opt/venv (through /usr/local/bin/python3), pip inside.
    expect 0 in_ctr plain -- cat /opt/venv/pyvenv.cfg
    out_has 'home = /opt/python/cpython-3.13-linux-x86_64-gnu/bin'
    expect 0 in_ctr plain -- python -c 'import sys, encodings; print(sys.prefix, sys.base_prefix)'
    out_has "/opt/venv /opt/python/cpython-3.13-linux-x86_64-gnu"
    expect 0 in_ctr plain -- pip --version
    out_has "(python 3.13)"
    expect 0 in_ctr plain -- python -c 'import pyman_smoke; print(pyman_smoke.VALUE)'
    out_has 42
    # Output and exit codes: -q prints nothing; 1 for failures, 2 for usage errors.
    expect 0 in_ctr plain -e "PYMAN_CATALOGUE_URL=$MIRROR/download-metadata.json" -e "PYMAN_PYTHON_MIRROR=$MIRROR" -- pyman install 3.13 -q
    silent
    expect 0 in_ctr plain -e "PYMAN_CATALOGUE_URL=$MIRROR/download-metadata.json" -e "PYMAN_PYTHON_MIRROR=$MIRROR" -- pyman install 3.13
    plain_err
    err_has "already installed"
    expect 1 in_ctr plain -- pyman find 3.12
    err_has "error: no Python matches '3.12'"
    expect 2 in_ctr plain -- pyman install --no-such-flag
    expect 2 in_ctr plain -- pyman no-such-command
    # A root install is usable by everyone.
    expect 0 in_ctr plain -- find /opt/python ! -perm -o+r
    [[ ! -s $W/out ]] || fail "not world-readable: $(head -n 3 "$W/out" | tr '\n' ' ')"
    expect 0 in_ctr plain -- find /opt/python -type d ! -perm -o+x
    [[ ! -s $W/out ]] || fail "directories not world-searchable: $(head -n 3 "$W/out" | tr '\n' ' ')"
}

step_nonroot() {  # USER app on the plain image: find, list, venv read the root's install, never write to it
    build nonroot "$(context nonroot)" host "${LOCAL_CATALOGUE[@]}" \
        < <(fragment plain "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/nonroot.Dockerfile")
    container nonroot
    snapshot nonroot >"$W/tree.before" || fail "cannot list /opt/python"
    expect 0 in_ctr nonroot -- id -u
    [[ $(cat "$W/out") == "$APP_UID" ]] || fail "the image's USER is not uid $APP_UID"
    # RUN pyman venv /home/app/venv --seed; ENV PATH=/home/app/venv/bin:$PATH
    expect 0 in_ctr nonroot -- python -c 'import sys; print(sys.prefix, sys.base_prefix)'
    out_has "/home/app/venv /opt/python/cpython-3.13-linux-x86_64-gnu"
    expect 0 in_ctr nonroot -- pip --version
    out_has /home/app/venv
    expect 0 in_ctr nonroot -- pyman find 3.13
    out_has /opt/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
    expect 0 in_ctr nonroot -- pyman list --only-installed
    out_has cpython-3.13.5-linux-x86_64-gnu
    [[ ! -s $W/err ]] || fail "list warned"
    expect 0 in_ctr nonroot -- pyman venv /tmp/v
    plain_err
    expect 0 in_ctr nonroot -- /tmp/v/bin/python -c 'import sys; print(sys.prefix, sys.version)'
    out_has "/tmp/v 3.13.5"
    expect 0 in_ctr nonroot -- pyman venv /tmp/vs --seed -q
    silent
    expect 0 in_ctr nonroot -- /usr/local/bin/python3 -m venv /tmp/v3
    expect 0 in_ctr nonroot -- /tmp/v3/bin/python -c 'import encodings; print("ok")'
    # The user's own project, pinned: find and venv follow its .python-version.
    expect 0 in_ctr nonroot -- sh -c 'mkdir -p ~/proj && echo 3.13 >~/proj/.python-version && cd ~/proj && pyman find && pyman venv'
    out_has /opt/python/cpython-3.13.5-linux-x86_64-gnu/bin/python3.13
    # A non-root install into the root's dir fails cleanly, touching nothing.
    expect 1 in_ctr nonroot -e "PYMAN_CATALOGUE_URL=$MIRROR/download-metadata.json" -e "PYMAN_PYTHON_MIRROR=$MIRROR" -- pyman install 3.11
    err_has "not writable"
    snapshot nonroot >"$W/tree.after" || fail "cannot list /opt/python"
    diff "$W/tree.before" "$W/tree.after" || fail "the non-root commands changed /opt/python or /usr/local/bin"
    # A missing index is rebuilt in memory, not written, for a reader who cannot write.
    expect 0 in_ctr nonroot --user 0:0 -- mv /opt/python/.pyman-index.json /root/index.saved
    snapshot nonroot >"$W/tree.before" || fail "cannot list /opt/python"
    expect 0 in_ctr nonroot -- pyman list --only-installed
    out_has cpython-3.13.5-linux-x86_64-gnu
    [[ ! -s $W/err ]] || fail "list warned"
    expect 0 in_ctr nonroot -- pyman find 3.13
    snapshot nonroot >"$W/tree.after" || fail "cannot list /opt/python"
    diff "$W/tree.before" "$W/tree.after" || fail "a non-root reader wrote to the install dir"
}

step_pinned() {  # WORKDIR /app; COPY .python-version (3.11); RUN pyman install --default; RUN pyman venv /opt/venv
    local ctx; ctx=$(context pinned)
    echo 3.11 >"$ctx/.python-version"
    build pinned "$ctx" host "${LOCAL_CATALOGUE[@]}" \
        < <(fragment runtime "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/pinned.Dockerfile")
    container pinned
    expect 0 in_ctr pinned -- python3 --version
    out_has "Python 3.11.2"
    expect 0 in_ctr pinned -- /opt/venv/bin/python -c 'import sys; print(sys.version_info[:3], sys.base_prefix)'
    out_has "(3, 11, 2) /opt/python/cpython-3.11-linux-x86_64-gnu"
}

step_pinned_catalogue() {  # COPY download-metadata.json; ENV PYMAN_DOWNLOADS_JSON=…; RUN pyman install 3.13.5 --default
    # The mirror still: the fixture catalogue's URLs are GitHub's, its archives are the fixtures'.
    build pinned-catalogue "$(context pinned-catalogue "$FIXTURES/download-metadata.json")" host --build-arg "PYMAN_PYTHON_MIRROR=$MIRROR" \
        < <(fragment runtime "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/pinned-catalogue.Dockerfile")
    container pinned-catalogue
    expect 0 in_ctr pinned-catalogue -- python3 --version
    out_has "Python 3.13.5"
}

step_mirror() {  # ARG PYMAN_PYTHON_MIRROR=…; ARG PYMAN_CATALOGUE_URL=$PYMAN_PYTHON_MIRROR/download-metadata.json
    local before after
    before=$(python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["requests"])' \
        "$MIRROR/__requests?path=/download-metadata.json") || fail "cannot read the server's counters"
    # Only the mirror is given: the catalogue's URL is the Dockerfile's default, made from it.
    build mirror "$(context mirror)" host --build-arg "PYMAN_PYTHON_MIRROR=$MIRROR" \
        < <(fragment runtime "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/mirror.Dockerfile")
    after=$(python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["requests"])' \
        "$MIRROR/__requests?path=/download-metadata.json") || fail "cannot read the server's counters"
    ((after > before)) || fail "the build did not fetch the catalogue from \$PYMAN_PYTHON_MIRROR/download-metadata.json"
    if grep -q 'not refreshed' "$LOGS/build-mirror.log"; then fail "the catalogue was not refreshed from the mirror"; fi
    container mirror
    expect 0 in_ctr mirror -- python3 --version
    out_has "Python 3.13.5"
}

step_build_time_only() {  # RUN --mount=type=bind,from=build,… pyman install: no pyman in the image
    # The parent: the runtime stage without its COPY of dist/ (the fragment mounts pyman instead).
    build no-pyman "$(context no-pyman)" host \
        < <({ standin_build_stage; lines_before <(second_stage "$DOCKERFILES/plain.Dockerfile") '^RUN pyman ' | grep -v '^COPY --from=build '; })
    build build-time-only "$(context build-time-only)" host "${LOCAL_CATALOGUE[@]}" \
        < <({ standin_build_stage; fragment no-pyman "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/build-time-only.Dockerfile"; })
    container build-time-only
    expect 0 in_ctr build-time-only -- sh -c 'command -v pyman || ls -l /usr/local/bin/pyman || echo no pyman'
    out_has "no pyman"
    expect 0 in_ctr build-time-only -- python3 -c 'import sys; print(sys.base_prefix)'
    out_has /opt/python/cpython-3.13-linux-x86_64-gnu
}

step_offline_archive() {  # COPY cpython-….tar.gz; RUN pyman install ./cpython-….tar.gz — no network at all
    build offline-archive "$(context offline-archive "$FIXTURES/mirror/$BUILD/$ARCHIVE")" none \
        < <(fragment runtime "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/offline-archive.Dockerfile")
    container offline-archive
    expect 0 in_ctr_offline offline-archive -- python3 -c 'import ssl, sys; print("offline ok", sys.version.split()[0])'
    out_has "offline ok 3.13.5"
}

# ------------------------------------------------------------------------ locked, cached rebuilds
# buildah keeps a `RUN --mount=type=cache,target=DIR` folder at $TMPDIR/buildah-cache/DIR (the id is
# the target), from one build to the next; this run's TMPDIR starts empty and goes with the run.
ROOT_CACHE=$RUN/tmp/buildah-cache/root/.cache/pyman
APP_CACHE=$RUN/tmp/buildah-cache/home/app/.cache/pyman
LOCK_CTX=$RUN/lock
# The developer's machine: this host, with the release's pyman, a cache of its own and the fixture
# catalogue (the lock keeps the catalogue's GitHub URLs; the builds reach the mirror through
# PYMAN_PYTHON_MIRROR, so a build that did not use the cache fails when the mirror is stopped).
host_pyman() {
    (cd "$LOCK_CTX" && env -i PATH="$PATH" HOME="$RUN/home" PYMAN_CACHE_DIR="$RUN/host-cache" \
        PYMAN_DOWNLOADS_JSON="$MIRROR/download-metadata.json" PYMAN_PYTHON_MIRROR="$MIRROR" \
        timeout -k 5 "$STEP_TIMEOUT" "$RUN/dist/bin/pyman" "$@")
}
LOCKED_ARGS=(--build-arg "PYMAN_PYTHON_MIRROR=$MIRROR")

step_locked_first() {  # pyman lock; the locked Dockerfile, then its non-root fragment: the cache mounts fill
    mkdir -p "$LOCK_CTX" "$RUN/home"
    echo 3.13 >"$LOCK_CTX/.python-version"
    expect 0 host_pyman lock --platform linux-x86_64-gnu
    err_has "Locked cpython-3.13.5-linux-x86_64-gnu for 3.13"
    grep -qx "sha256 = \"$SHA\"" "$LOCK_CTX/pyman.lock" || fail "pyman.lock does not pin sha256 $SHA"
    grep -q '^url = "https://github.com/astral-sh/python-build-standalone/releases/download/' "$LOCK_CTX/pyman.lock" \
        || fail "pyman.lock's url is not the catalogue's"
    [[ ! -e $ROOT_CACHE ]] || fail "the cache mount existed before the first build"
    build locked "$(context locked "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host "${LOCKED_ARGS[@]}" \
        < <({ standin_build_stage; cat "$DOCKERFILES/locked.Dockerfile"; })
    [[ -f $ROOT_CACHE/downloads-v1/$SHA ]] || fail "the download was not kept in the cache mount ($ROOT_CACHE)"
    build locked-nonroot "$(context locked-nonroot "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host "${LOCKED_ARGS[@]}" \
        < <(fragment locked "$DOCKERFILES/locked.Dockerfile" "$DOCKERFILES/locked-nonroot.Dockerfile")
    [[ $(stat -c %u "$APP_CACHE/downloads-v1/$SHA" 2>/dev/null) == "$APP_UID" ]] || fail "app's cache mount does not hold its download"
    # The image holds no archive: the cache mount is not part of a layer.
    container locked
    expect 0 in_ctr locked -- python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    out_has /opt/python/cpython-3.13
    expect 0 in_ctr locked -- sh -c 'ls /root/.cache/pyman/downloads 2>/dev/null | wc -l'
    [[ $(cat "$W/out") == 0 ]] || fail "the image holds the download cache"
    # The air-gapped variant's folder, made beside the lock on the developer's machine.
    expect 0 host_pyman lock --platform linux-x86_64-gnu --fetch ./python-mirror
    err_has "Fetched 1 archive into"
    [[ -s $LOCK_CTX/python-mirror/$ARCHIVE && -s $LOCK_CTX/python-mirror/downloads.json ]] || fail "python-mirror lacks the archive or downloads.json"
    # The offline rebuild's parent: the locked Dockerfile up to its install (it needs deb.debian.org).
    build locked-pre "$(context locked-pre "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host \
        < <({ standin_build_stage; lines_before "$DOCKERFILES/locked.Dockerfile" '^RUN --mount=type=cache'; })
}

mirror_up() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
stop_mirror() {
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do mirror_up || return 0; sleep 0.1; done
    fail "the fixture server still answers on $MIRROR"
}

step_locked_rebuild() {  # the same builds again with the mirror stopped: from the cache mounts alone
    stop_mirror
    bh rm "smoke-locked" >/dev/null || fail "cannot remove the first build's container"
    build locked "$(context locked-2 "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host "${LOCKED_ARGS[@]}" \
        < <({ standin_build_stage; cat "$DOCKERFILES/locked.Dockerfile"; })
    build locked-nonroot "$(context locked-nonroot-2 "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host "${LOCKED_ARGS[@]}" \
        < <(fragment locked "$DOCKERFILES/locked.Dockerfile" "$DOCKERFILES/locked-nonroot.Dockerfile")
    container locked
    container locked-nonroot
    expect 0 in_ctr locked -- python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    out_has /opt/python/cpython-3.13
    # RUN pyman venv /opt/venv in /app: the locked Python.
    expect 0 in_ctr locked -- cat /opt/venv/pyvenv.cfg
    out_has 'home = /opt/python/cpython-3.13-linux-x86_64-gnu/bin'
    expect 0 in_ctr locked-nonroot -- python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    out_has /home/app/python/cpython-3.13
    # The proof that the rebuild came from the cache: without it, the same install fails.
    expect 1 in_ctr locked -e "PYMAN_PYTHON_MIRROR=$MIRROR" -- pyman install --locked --reinstall --no-cache
    err_has "Couldn't connect to server"
}

step_locked_offline() {  # RUN --mount=type=cache,… PYMAN_OFFLINE=1 pyman install --locked — no network at all
    build locked-offline "$(context locked-offline "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" none \
        < <(fragment locked-pre "$DOCKERFILES/locked.Dockerfile" "$DOCKERFILES/locked-offline.Dockerfile")
    container locked-offline
    expect 0 in_ctr_offline locked-offline -- python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    out_has /opt/python/cpython-3.13
}

step_airgapped() {  # COPY python-mirror; PYMAN_DOWNLOADS_JSON=… PYMAN_OFFLINE=1 pyman install 3.13 — no network, no cache
    build airgapped "$(context airgapped "$LOCK_CTX/python-mirror")" none \
        < <(fragment runtime "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/airgapped.Dockerfile")
    container airgapped
    expect 0 in_ctr_offline airgapped -- python3 -c 'import sys, encodings; print(sys.base_prefix)'
    out_has /opt/python/cpython-3.13
}

run_step() (set -uo pipefail; "$1")

STEPS=(
    "docs:docs/docker.md shows Containers/dockerfiles/* byte for byte:step_docs"
    "runtime:parent image: the plain Dockerfile's runtime stage up to pyman install:step_runtime"
    "plain:pyman install 3.13 --default, venv, pip; binary, links, exit codes:step_plain"
    "nonroot:USER app: find/list/venv leave the root's install untouched:step_nonroot"
    "pinned:.python-version pins 3.11:step_pinned"
    "pinned-catalogue:a copied catalogue, pinned 3.13.5:step_pinned_catalogue"
    "mirror:ARG PYMAN_PYTHON_MIRROR, catalogue from the mirror:step_mirror"
    "build-time-only:pyman bind-mounted from the build stage:step_build_time_only"
    "offline-archive:install from a COPY'd archive, no network:step_offline_archive"
    "locked:pyman lock; install --locked fills the cache mounts (root, app):step_locked_first"
    # Last: these stop the fixture server or need no network.
    "locked:rebuilt with the mirror stopped: the cache mounts alone; --no-cache fails:step_locked_rebuild"
    "locked-offline:PYMAN_OFFLINE=1 install --locked from the cache mount, no network:step_locked_offline"
    "airgapped:a COPY'd pyman lock --fetch folder, no network:step_airgapped"
)

status=PASS
t_steps=$SECONDS
n=0
for entry in "${STEPS[@]}"; do
    n=$((n + 1))
    variant=${entry%%:*}
    rest=${entry#*:}
    title=${rest%:*}
    fn=${rest##*:}
    t0=$SECONDS
    rm -f "$W/reason"
    if waitable run_step "$fn" >"$LOGS/step-$n.log" 2>&1; then
        printf 'container-smoke:   ok    %2d %-16s %s (%ds)\n' "$n" "$variant" "$title" $((SECONDS - t0))
    else
        printf 'container-smoke:   FAIL  %2d %-16s %s (%ds); log %s:\n' "$n" "$variant" "$title" $((SECONDS - t0)) "$LOGS/step-$n.log"
        tail -n 30 "$LOGS/step-$n.log" | sed 's/^/        /'
        echo "container-smoke: FAIL: variant '$variant' $(cat "$W/reason" 2>/dev/null || echo "step $n failed")"
        status=FAIL
        break
    fi
done
echo "container-smoke: steps took $((SECONDS - t_steps))s"
[[ $status == PASS ]] || exit 1
STEPS_PASSED=1
