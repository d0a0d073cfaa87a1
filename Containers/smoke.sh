#!/usr/bin/env bash
# Container smoke test (`make container-smoke`): builds docs/docker.md's Dockerfiles for real with an
# OCI image builder, buildah (Debian's package, 1.28; no daemon), and runs the images it built.
#
#   bash Containers/smoke.sh [DIST [DIST_AARCH64]]   # as root; `make release`'s prefix tree (default dist/)
#                                                    # and `make release ARCH=aarch64`'s (dist-aarch64/),
#                                                    # or the paths of the two pyman binaries
#
# - The Dockerfiles are the files in Containers/dockerfiles/, which docs/docker.md shows verbatim; the
#   first check is that every ```dockerfile block of the page is byte for byte one of them.
# - `COPY --from=ghcr.io/pyman-dev/pyman:<version>` is the image that Containers/image.sh makes from the
#   two binaries (one manifest list, linux/amd64 and linux/arm64), made in this run and tagged with the
#   name the Dockerfiles use, which must name the binary's version.
# - `FROM debian:bookworm-slim` is, as on Docker Hub, a manifest list of two local images, amd64's and
#   arm64's, each made once from a root that `debootstrap --variant=minbase [--arch=arm64] bookworm`
#   plus libcurl4 libarchive13 ca-certificates built (the same userland as Docker Hub's image;
#   network: deb.debian.org; arm64's programs run under qemu-user through binfmt_misc), cached in
#   $PYMAN_CONTAINER_CACHE (default ~/.cache/pyman-container) and rebuilt when the recipe changes.
# - The plain Dockerfile and the TARGETARCH fragment are also built with `--platform linux/arm64` and
#   run under qemu: COPY --from takes the arm64 pyman, which installs the aarch64 CPython fixture.
# - buildah keeps its images in a storage of this script's own ($CACHE/buildah, driver vfs), never the
#   system's. Every image and container of a run, and the cache mounts (buildah keeps them under its
#   TMPDIR, here run.<pid>/tmp), are removed on every exit path; only the base images stay. That is
#   checked after the cleanup, and what a killed run left is removed at the next start.
# - Each variant is one `buildah bud --isolation chroot --network host` (inside `unshare --net` for
#   the offline ones: a network namespace with nothing in it), then checks with `buildah run`.
#   Bounded: each build and each check has a timeout. Logs: $PYMAN_CONTAINER_CACHE/logs/.
# - Prints one line per variant and `container-smoke: PASS` or `container-smoke: FAIL`; exit 0 or 1.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIST=${1:-$REPO/dist}
DIST_ARM64=${2:-$REPO/dist-aarch64}
CACHE=${PYMAN_CONTAINER_CACHE:-$HOME/.cache/pyman-container}
FIXTURES=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
DOCKERFILES=$REPO/Containers/dockerfiles
DOC=$REPO/docs/docker.md
SUITE=bookworm
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
RUNTIME_PACKAGES="libcurl4 libarchive13 ca-certificates"
# Bump IMAGE_RECIPE when the way the base images are made from the roots changes (the roots' own recipe
# is root-helpers.sh's root_recipe): what it describes is then rebuilt.
IMAGE_RECIPE=image=1
# The manifest list the Dockerfiles' FROM names, and its images, named like Docker Hub's per-architecture
# repositories.
BASE_IMAGE=localhost/debian:bookworm-slim
declare -A BASE_OF=([amd64]=localhost/amd64/debian:bookworm-slim [arm64]=localhost/arm64v8/debian:bookworm-slim)
# What the Dockerfiles COPY pyman from: Containers/image.sh's list, tagged with this name.
PUBLIC_IMAGE=ghcr.io/pyman-dev/pyman
# Images of a run are named after this; the cleanup removes every image but the base anyway.
IMG=localhost/pyman-smoke
STEP_TIMEOUT=${PYMAN_SMOKE_STEP_TIMEOUT:-180}
BUILD_TIMEOUT=${PYMAN_SMOKE_BUILD_TIMEOUT:-600}
BOOTSTRAP_TIMEOUT=${PYMAN_SMOKE_BOOTSTRAP_TIMEOUT:-1200}
BUILD=20250723
TRIPLE=x86_64-unknown-linux-gnu
ARCHIVE=cpython-3.13.5+$BUILD-$TRIPLE-install_only_stripped.tar.gz
ARCHIVE_311=cpython-3.11.2+$BUILD-$TRIPLE-install_only_stripped.tar.gz
ARCHIVE_ARM64=cpython-3.13.5+$BUILD-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz
APP_UID=1000
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'container-smoke: %s\n' "$*" >&2; }
die() { printf 'container-smoke: FAIL: %s\n' "$*" >&2; exit 1; }
# mounts_under, inside, kill_inside, teardown, waitable, mount_container_fs, root_recipe, ensure_root
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
if [[ -d $DIST_ARM64 ]]; then ARM64_BINARY=$(cd "$DIST_ARM64" && pwd)/bin/pyman; else ARM64_BINARY=$(readlink -f "$DIST_ARM64"); fi
[[ -x $ARM64_BINARY ]] || die "$ARM64_BINARY is missing; run \`make release ARCH=aarch64\` first"
# The version the binary prints ("0.1.0", or "pyman 0.1.0 (abc1234 2026-12-07)"): the image's tag.
PYMAN_VERSION=$("$BINARY" --version 2>/dev/null | grep -oE '(^| )[0-9][A-Za-z0-9_.+-]*' | head -n 1 | tr -d ' ') || true
[[ -n $PYMAN_VERSION ]] || die "$BINARY --version printed no version"
for f in "mirror/$BUILD/$ARCHIVE" "mirror/$BUILD/$ARCHIVE_311" download-metadata.json SHA256SUMS \
    "mirror/$BUILD/$ARCHIVE_ARM64" download-metadata-aarch64.json SHA256SUMS-aarch64; do
    [[ -s $FIXTURES/$f ]] || die "fixture $FIXTURES/$f is missing; run \`make fixtures fixtures-aarch64\` first"
done
# arm64 roots and images run under qemu-user through binfmt_misc.
source "$REPO/Fixtures/aarch64-env.sh"
why=$(aarch64_binfmt_ready) || die "cannot run arm64 images here: $why"
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
STORE=$CACHE/buildah           # buildah's storage (--root, --runroot): the base images' layers live here
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

# ARCH's cached root, and the recipe it and its image were made by (amd64's keeps its old place).
rootfs_of() { if [[ $1 == amd64 ]]; then echo "$CACHE/rootfs"; else echo "$CACHE/rootfs-$1"; fi; }
rootfs_recipe() { root_recipe "$SUITE" "$RUNTIME_PACKAGES" "$1"; }
image_recipe() { echo "$(rootfs_recipe "$1") $IMAGE_RECIPE"; }

# The ID of ARCH's base image, or nothing when it is missing or not made by this recipe.
base_id() {  # ARCH
    local label
    label=$(bh inspect --type image --format '{{index .OCIv1.Config.Labels "org.pyman.smoke.recipe"}}' "${BASE_OF[$1]}" 2>/dev/null) || return 0
    [[ $label == "$(image_recipe "$1")" ]] || return 0
    bh inspect --type image --format '{{.FromImageID}}' "${BASE_OF[$1]}" 2>/dev/null || true
}
# The IDs of the images named NAME:TAG (by ID, since an image's name may be a manifest list's).
ids_named() { bh images --all --no-trunc --format '{{.ID}} {{.Name}}:{{.Tag}}' 2>/dev/null | awk -v n="$1" '$2 == n { sub(/^sha256:/, "", $1); print $1 }'; }
# Whether image ID is a manifest list. `buildah rmi` of a list removes the instance of this machine's
# platform instead (libimage resolves a list to it), so lists are removed with `manifest rm`.
is_list() { bh manifest inspect "$1" >/dev/null 2>&1; }

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

# Removes every container and every image but the base images and their list from the storage;
# returns 1 if some remain.
clear_storage() {
    local keep left=0 id ids lists
    [[ -d $STORE/storage ]] || return 0
    stop_buildahs || left=1
    kill_inside "$STORE" || left=1
    mkdir -p "$RUN/tmp"
    bh rm --all >/dev/null 2>&1 || true
    keep=$(printf '%s\n' "$(base_id amd64)" "$(base_id arm64)" $(ids_named "$BASE_IMAGE") | grep . || echo none)
    others() { bh images --all --quiet --no-trunc 2>/dev/null | sed 's/^sha256://' | sort -u | grep -vxF "$keep" || true; }
    ids=$(others)
    lists=
    for id in $ids; do is_list "$id" && lists+=" $id"; done
    [[ -z $lists ]] || bh manifest rm $lists >/dev/null 2>&1 || true
    # All at once (each buildah call loads the whole storage); a second round for what the first left.
    for _ in 1 2; do
        ids=$(others)
        [[ -n $ids ]] || break
        bh rmi --force $ids >/dev/null 2>&1 || true
    done
    if [[ -n $(bh containers --quiet 2>/dev/null) ]]; then log "containers left in $STORE: $(bh containers --quiet | tr '\n' ' ')"; left=1; fi
    ids=$(others)
    if [[ -n $ids ]]; then log "images left in $STORE besides the base images: $(echo $ids)"; left=1; fi
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
    for b in "$CACHE"/rootfs*.build; do teardown "$b" || status=1; done
    left=$(mount | grep -F "$CACHE/" || true)
    if [[ -n $left ]]; then
        log "mounts left behind:"; echo "$left" >&2
        status=1
    fi
    # The verdict comes after the cleanup, which is part of what is checked.
    if [[ $status == 0 && $STEPS_PASSED == 1 ]]; then
        echo "container-smoke: cleanup took $((SECONDS - t_clean))s"
        echo "container-smoke: PASS (only the base images are left, no containers, mounts or processes; $((SECONDS - T_START))s)"
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
for stale in "$CACHE"/run.* "$CACHE"/rootfs*.build; do
    [[ -e $stale ]] || continue
    log "clearing leftovers of an earlier run: $stale"
    teardown "$stale" || die "cannot clear $stale"
done
mkdir -p "$RUN/tmp" "$W"
clear_storage || die "cannot clear the leftovers of an earlier run in $STORE"


# --------------------------------------------------------------------------------- the base images
# FROM debian:bookworm-slim is, as on Docker Hub, a manifest list with one image per architecture, so
# `buildah bud --platform linux/arm64` takes arm64's. Each image is a cached root, packed once.

# ARCH's base image: its root as one layer, with Docker Hub's image's PATH and CMD.
build_base_image() {  # ARCH
    local arch=$1 name=${BASE_OF[$1]} ctr rootfs
    rootfs=$(rootfs_of "$arch")
    bh rmi --force "$name" >/dev/null 2>&1 || true
    log "making $name from the cached root (once; kept in $STORE)"
    tar -C "$rootfs" --numeric-owner --xattrs --acls -cf "$RUN/rootfs.tar" . || die "cannot pack $rootfs"
    ctr=$(bh from --pull=never scratch) || die "buildah from scratch failed"
    bh add "$ctr" "$RUN/rootfs.tar" / >/dev/null || die "buildah add of the root failed"
    local -a platform=(--os linux --arch "$arch")
    [[ $arch != arm64 ]] || platform+=(--variant v8)
    bh config "${platform[@]}" --env PATH=$PATH_IN_ROOT --cmd bash --label "org.pyman.smoke.recipe=$(image_recipe "$arch")" "$ctr" \
        || die "buildah config failed"
    bh commit --quiet --rm "$ctr" "$name" >/dev/null || die "buildah commit of $name failed"
    rm -f "$RUN/rootfs.tar"
    [[ -n $(base_id "$arch") ]] || die "$name was not made"
}

# The list, made again in every run (it takes a second) so that it names the images of this recipe.
make_base_list() {
    local id arch
    for id in $(ids_named "$BASE_IMAGE"); do
        # What an older version of this script made under the list's name was an image, not a list.
        if is_list "$id"; then bh manifest rm "$id" >/dev/null; else bh rmi --force "$id" >/dev/null; fi \
            || die "cannot remove the old $BASE_IMAGE"
    done
    bh manifest create "$BASE_IMAGE" >/dev/null || die "buildah manifest create $BASE_IMAGE failed"
    for arch in amd64 arm64; do
        # containers-storage: the local image, never a registry's of that name.
        bh manifest add "$BASE_IMAGE" "containers-storage:${BASE_OF[$arch]}" >/dev/null \
            || die "buildah manifest add ${BASE_OF[$arch]} failed"
    done
}

rm -f "$LOGS"/step-*.log "$LOGS"/build-*.log "$LOGS"/build-*.Dockerfile "$LOGS/image.log"
t_base=$SECONDS
for arch in amd64 arm64; do
    # debootstrap (for arm64 under qemu-user), then the runtime libraries with apt.
    ensure_root --arch "$arch" --rootfs "$(rootfs_of "$arch")" --blank-resolv-conf "$SUITE" "$RUNTIME_PACKAGES"
    if [[ $ROOT_MADE == 1 ]]; then
        bh rmi --force "${BASE_OF[$arch]}" >/dev/null 2>&1 || true    # made from the old root
    fi
    if [[ -z $(base_id "$arch") ]]; then
        t0=$SECONDS
        build_base_image "$arch"
        log "$arch base image made in $((SECONDS - t0))s"
    fi
done
make_base_list
log "base images ready in $((SECONDS - t_base))s: $BASE_IMAGE (amd64 $(base_id amd64 | cut -c1-12), arm64 $(base_id arm64 | cut -c1-12)); $(buildah --version)"

# ------------------------------------------------------------------------------------ the pyman image
# Containers/image.sh's list, in this storage, under the name and tag the Dockerfiles use: one tag,
# the binary's version (a Dockerfile pinning another version would copy another release).
tags=$(grep -ohE "$PUBLIC_IMAGE:[^ ,]+" "$DOCKERFILES"/*.Dockerfile | sort -u)
[[ -n $tags ]] || die "no Dockerfile in $DOCKERFILES copies from $PUBLIC_IMAGE"
[[ $tags == "$PUBLIC_IMAGE:$PYMAN_VERSION" ]] \
    || die "the Dockerfiles name $(echo $tags), but the release is $PYMAN_VERSION: name $PUBLIC_IMAGE:$PYMAN_VERSION in Containers/dockerfiles/ and docs/docker.md"
t0=$SECONDS
waitable env PYMAN_IMAGE_STORAGE="$STORE" TMPDIR="$RUN/tmp" bash "$REPO/Containers/image.sh" "$BINARY" "$ARM64_BINARY" \
    >"$W/image" 2>"$LOGS/image.log" || { cat "$LOGS/image.log" >&2; die "Containers/image.sh failed (log: $LOGS/image.log)"; }
bh tag "$(tail -n 1 "$W/image")" "$PUBLIC_IMAGE:$PYMAN_VERSION" || die "cannot tag $(tail -n 1 "$W/image") as $PUBLIC_IMAGE:$PYMAN_VERSION"
log "$PUBLIC_IMAGE:$PYMAN_VERSION made in $((SECONDS - t0))s: $(sed -n 's/^\[image\] [^:]*:[^:]*: //p' "$LOGS/image.log")"

# ----------------------------------------------------------------------------------- build contexts
# The release tree, as the stand-in build stage of the from-source Dockerfile COPYs it (or a tree around
# a bare binary); the host's pyman for `pyman lock`.
mkdir -p "$RUN/dist" "$RUN/ctx" "$RUN/mirror/$BUILD" "$RUN/mirror/wheels"
if [[ -n $DIST ]]; then cp -a "$DIST/." "$RUN/dist/"; else install -D -m 755 "$BINARY" "$RUN/dist/bin/pyman"; fi
# The fixture mirror, served on the host's 127.0.0.1 (RUN reaches it through --network host); the
# aarch64 catalogue lists the aarch64 build beside the x86-64 ones.
cp "$FIXTURES/mirror/$BUILD/$ARCHIVE" "$FIXTURES/mirror/$BUILD/$ARCHIVE_311" "$FIXTURES/mirror/$BUILD/$ARCHIVE_ARM64" "$RUN/mirror/$BUILD/"
cp "$FIXTURES/download-metadata.json" "$FIXTURES/download-metadata-aarch64.json" "$FIXTURES/SHA256SUMS" "$RUN/mirror/"
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
# fail, run, expect, out_has, err_has, out_lacks over $W/out and $W/err; a failed check's line goes to
# $W/reason, which the main loop prints as `FAIL: variant '…' …`.
FAIL_REASON=$W/reason
source "$REPO/Containers/assert-helpers.sh"
# Not a terminal: no progress bar (carriage returns), no colours or cursor moves (ESC), no prompts.
plain_err() { if LC_ALL=C grep -q $'[\r\033]' "$W/err"; then fail "stderr has terminal control characters"; fi; }
silent() { [[ ! -s $W/out && ! -s $W/err ]] || fail "expected no output at all"; }

# The lines of a Dockerfile from its second FROM on: the runtime stage of a two-stage file.
second_stage() { awk '/^FROM / { n++ } n >= 2' "$1"; }
# The lines before the first one matching the regular expression $2.
lines_before() { awk -v re="$2" '$0 ~ re { exit } { print }' "$1"; }
# What the from-source Dockerfile's `COPY --from=build /src/dist/ /usr/local/` needs, without a Swift
# toolchain image (swift:6.3-bookworm cannot be had here): a build stage holding the release artefact
# at /src/dist (the context's dist/).
standin_build_stage() { printf 'FROM scratch AS build\nCOPY dist/ /src/dist/\n'; }

# A build context holding the files given.
context() {  # NAME FILE...
    local dir=$RUN/ctx/$1; shift
    mkdir -p "$dir"
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

# A working container of image $IMG-VARIANT for `buildah run` checks (removed by the cleanup); an
# arm64 image's programs run under qemu-user through binfmt_misc.
container() {  # VARIANT [buildah from options...]
    local c=$1; shift
    bh from --pull=never --quiet --name "smoke-$c" "$@" "$IMG-$c" >/dev/null || fail "buildah from $IMG-$c failed"
}
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
ARM64=(--platform linux/arm64)
ARM64_CATALOGUE=(--build-arg "PYMAN_PYTHON_MIRROR=$MIRROR" --build-arg "PYMAN_CATALOGUE_URL=$MIRROR/download-metadata-aarch64.json")
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
        < <(lines_before "$DOCKERFILES/plain.Dockerfile" '^RUN pyman ')
}

step_plain() {  # docs/docker.md's Dockerfile, pyman copied from the image
    local ctx; ctx=$(context plain)
    echo "pyman-smoke @ $MIRROR/wheels/pyman_smoke-1.0-py3-none-any.whl" >"$ctx/requirements.txt"
    build plain "$ctx" host "${LOCAL_CATALOGUE[@]}" <"$DOCKERFILES/plain.Dockerfile"
    # RUN has no terminal: no progress bars (carriage returns), no colours or cursor moves (ESC).
    if LC_ALL=C grep -q $'[\r\033]' "$LOGS/build-plain.log"; then fail "the build's output has terminal control characters"; fi
    container plain
    # COPY --from=the image /pyman /usr/local/bin/: the amd64 binary, it runs, every library is found.
    expect 0 in_ctr plain -- sha256sum /usr/local/bin/pyman
    out_has "$(sha256sum <"$BINARY" | cut -d' ' -f1)"
    expect 0 in_ctr plain -- pyman --version
    out_has "$PYMAN_VERSION"
    expect 0 in_ctr plain -- ldd /usr/local/bin/pyman
    if grep -q 'not found' "$W/out"; then fail "a library is missing in the image"; fi
    if grep -qE 'libswift|libFoundation|lib_Foundation|libdispatch' "$W/out"; then fail "Swift libraries linked dynamically"; fi
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

step_from_source() {  # the from-source Dockerfile: its runtime stage, FROM the stand-in build stage
    build from-source "$(context from-source "$RUN/dist")" host \
        < <({ standin_build_stage; second_stage "$DOCKERFILES/from-source.Dockerfile"; })
    container from-source
    # COPY --from=build /src/dist/ /usr/local/: pyman runs, every library is found, no Swift one.
    expect 0 in_ctr from-source -- pyman --version
    out_has "$PYMAN_VERSION"
    expect 0 in_ctr from-source -- ldd /usr/local/bin/pyman
    if grep -q 'not found' "$W/out"; then fail "a library is missing in the image"; fi
    if grep -qE 'libswift|libFoundation|lib_Foundation|libdispatch' "$W/out"; then fail "Swift libraries linked dynamically"; fi
    if [[ -n $DIST ]]; then  # the rest of the release tree (a bare binary has none)
        expect 0 in_ctr from-source -- bash -c 'source /usr/local/share/bash-completion/completions/pyman && complete -p pyman'
        out_has "-F _pyman pyman"
        expect 0 in_ctr from-source -- ls /usr/local/share/man/man1/pyman.1 /usr/local/share/zsh/site-functions/_pyman /usr/local/share/fish/vendor_completions.d/pyman.fish
    fi
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

step_build_time_only() {  # RUN --mount=type=bind,from=<the image>,… pyman install: no pyman in the image
    # The parent: the runtime stage without its COPY of dist/ (the fragment mounts pyman instead).
    build no-pyman "$(context no-pyman)" host \
        < <(lines_before "$DOCKERFILES/plain.Dockerfile" '^RUN pyman ' | grep -v "^COPY --from=$PUBLIC_IMAGE:")
    build build-time-only "$(context build-time-only)" host "${LOCAL_CATALOGUE[@]}" \
        < <(fragment no-pyman "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/build-time-only.Dockerfile")
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

# ------------------------------------------------------------------------------ arm64, TARGETARCH
# ARG TARGETARCH; COPY bin/${TARGETARCH}/pyman /usr/local/bin/, on PARENT, for ARCH (buildah sets
# TARGETARCH from --platform, or to this machine's): the image holds that architecture's binary.
local_binaries() {  # VARIANT PARENT ARCH BINARY [buildah bud options...]
    local variant=$1 parent=$2 arch=$3 binary=$4 ctx; shift 4
    ctx=$(context "$variant")
    mkdir -p "$ctx/bin/amd64" "$ctx/bin/arm64"
    cp "$BINARY" "$ctx/bin/amd64/pyman"
    cp "$ARM64_BINARY" "$ctx/bin/arm64/pyman"
    build "$variant" "$ctx" host "$@" < <(fragment "$parent" "$DOCKERFILES/plain.Dockerfile" "$DOCKERFILES/local-binaries.Dockerfile")
    container "$variant" --platform "linux/$arch"
    expect 0 in_ctr "$variant" -- sha256sum /usr/local/bin/pyman
    out_has "$(sha256sum <"$binary" | cut -d' ' -f1)"
    expect 0 in_ctr "$variant" -- pyman --version
    out_has "$PYMAN_VERSION"
}
step_local_binaries() { local_binaries local-binaries no-pyman amd64 "$BINARY"; }
step_local_binaries_arm64() { local_binaries local-binaries-arm64 plain-arm64 arm64 "$ARM64_BINARY" "${ARM64[@]}"; }

step_plain_arm64() {  # the plain Dockerfile for linux/arm64, run under qemu: COPY --from takes arm64's pyman
    local ctx; ctx=$(context plain-arm64)
    echo "pyman-smoke @ $MIRROR/wheels/pyman_smoke-1.0-py3-none-any.whl" >"$ctx/requirements.txt"
    build plain-arm64 "$ctx" host "${ARM64[@]}" "${ARM64_CATALOGUE[@]}" <"$DOCKERFILES/plain.Dockerfile"
    container plain-arm64 --platform linux/arm64
    expect 0 in_ctr plain-arm64 -- uname -m
    [[ $(cat "$W/out") == aarch64 ]] || fail "uname -m in the arm64 image says $(cat "$W/out")"
    # The manifest list's arm64 image: the aarch64 binary, which runs there.
    expect 0 in_ctr plain-arm64 -- sha256sum /usr/local/bin/pyman
    out_has "$(sha256sum <"$ARM64_BINARY" | cut -d' ' -f1)"
    expect 0 in_ctr plain-arm64 -- pyman --version
    out_has "$PYMAN_VERSION"
    # RUN pyman install 3.13 --default: the catalogue's aarch64 build, found by platform detection.
    expect 0 in_ctr plain-arm64 -- pyman list --only-installed
    out_has cpython-3.13.5-linux-aarch64-gnu
    expect 0 in_ctr plain-arm64 -- readlink /usr/local/bin/python3.13 /usr/local/bin/python3 /usr/local/bin/python
    [[ $(sort -u "$W/out") == /opt/python/cpython-3.13-linux-aarch64-gnu/bin/python3.13 ]] \
        || fail "/usr/local/bin/python{3.13,3,} are not links through the minor link: $(tr '\n' ' ' <"$W/out")"
    expect 0 in_ctr plain-arm64 -- python3 -c 'import platform, ssl, sys, zlib; print(platform.machine(), sys.version.split()[0])'
    out_has "aarch64 3.13.5"
    # RUN python3 -m venv /opt/venv, through the /usr/local/bin/python3 link; pip inside; the venv's
    # base is the install (not a Python of the host's, nor of the image's /usr).
    expect 0 in_ctr plain-arm64 -- cat /opt/venv/pyvenv.cfg
    out_has 'home = /opt/python/cpython-3.13-linux-aarch64-gnu/bin'
    expect 0 in_ctr plain-arm64 -- python -c 'import os, sys, encodings; print(sys.prefix, os.path.realpath(sys.base_prefix))'
    out_has "/opt/venv /opt/python/cpython-3.13.5-linux-aarch64-gnu"
    expect 0 in_ctr plain-arm64 -- pip --version
    out_has "(python 3.13)"
    expect 0 in_ctr plain-arm64 -- python -c 'import pyman_smoke; print(pyman_smoke.VALUE)'
    out_has 42
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
        <"$DOCKERFILES/locked.Dockerfile"
    [[ -f $ROOT_CACHE/downloads-v1/$SHA ]] || fail "the download was not kept in the cache mount ($ROOT_CACHE)"
    build locked-nonroot "$(context locked-nonroot "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host "${LOCKED_ARGS[@]}" \
        < <(fragment locked "$DOCKERFILES/locked.Dockerfile" "$DOCKERFILES/locked-nonroot.Dockerfile")
    [[ $(stat -c %u "$APP_CACHE/downloads-v1/$SHA" 2>/dev/null) == "$APP_UID" ]] || fail "app's cache mount does not hold its download"
    # The image holds no archive: the cache mount is not part of a layer.
    container locked
    expect 0 in_ctr locked -- python3.13 -c 'import sys, encodings; print(sys.base_prefix)'
    out_has /opt/python/cpython-3.13
    expect 0 in_ctr locked -- sh -c 'ls /root/.cache/pyman/downloads-v1 2>/dev/null | wc -l'
    [[ $(cat "$W/out") == 0 ]] || fail "the image holds the download cache"
    # The air-gapped variant's folder, made beside the lock on the developer's machine.
    expect 0 host_pyman lock --platform linux-x86_64-gnu --fetch ./python-mirror
    err_has "Fetched 1 archive into"
    [[ -s $LOCK_CTX/python-mirror/$ARCHIVE && -s $LOCK_CTX/python-mirror/downloads.json ]] || fail "python-mirror lacks the archive or downloads.json"
    # The offline rebuild's parent: the locked Dockerfile up to its install (it needs deb.debian.org).
    build locked-pre "$(context locked-pre "$LOCK_CTX/pyman.lock" "$LOCK_CTX/.python-version")" host \
        < <(lines_before "$DOCKERFILES/locked.Dockerfile" '^RUN --mount=type=cache')
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
        <"$DOCKERFILES/locked.Dockerfile"
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

STEPS=(
    "docs:docs/docker.md shows Containers/dockerfiles/* byte for byte:step_docs"
    "runtime:parent image: the plain Dockerfile's runtime stage up to pyman install:step_runtime"
    "plain:pyman from the image; install 3.13 --default, venv, pip; links, exit codes:step_plain"
    "from-source:the Swift build stage's dist/ (a stand-in): binary, completions, man page:step_from_source"
    "nonroot:USER app: find/list/venv leave the root's install untouched:step_nonroot"
    "pinned:.python-version pins 3.11:step_pinned"
    "pinned-catalogue:a copied catalogue, pinned 3.13.5:step_pinned_catalogue"
    "mirror:ARG PYMAN_PYTHON_MIRROR, catalogue from the mirror:step_mirror"
    "build-time-only:pyman bind-mounted from the image for one RUN:step_build_time_only"
    "offline-archive:install from a COPY'd archive, no network:step_offline_archive"
    "local-binaries:COPY bin/\${TARGETARCH}/pyman takes amd64's:step_local_binaries"
    "plain-arm64:--platform linux/arm64 under qemu: arm64's pyman, install, venv via the link, pip:step_plain_arm64"
    "local-binaries-arm64:COPY bin/\${TARGETARCH}/pyman takes arm64's:step_local_binaries_arm64"
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
        printf 'container-smoke:   ok    %2d %-20s %s (%ds)\n' "$n" "$variant" "$title" $((SECONDS - t0))
    else
        printf 'container-smoke:   FAIL  %2d %-20s %s (%ds); log %s:\n' "$n" "$variant" "$title" $((SECONDS - t0)) "$LOGS/step-$n.log"
        tail -n 30 "$LOGS/step-$n.log" | sed 's/^/        /'
        echo "container-smoke: FAIL: variant '$variant' $(cat "$W/reason" 2>/dev/null || echo "step $n failed")"
        status=FAIL
        break
    fi
done
echo "container-smoke: steps took $((SECONDS - t_steps))s"
[[ $status == PASS ]] || exit 1
STEPS_PASSED=1
