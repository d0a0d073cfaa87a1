#!/usr/bin/env bash
# The OCI image that a Dockerfile copies pyman from (`make image`): `FROM scratch` with nothing but
# /pyman, for linux/amd64 and linux/arm64 under one manifest list, built with buildah (no daemon):
#
#   bash Containers/image.sh [--archive DIR] [AMD64 [ARM64]]
#       AMD64, ARM64: a release tree (default dist/ and dist-aarch64/, from `make release` and
#       `make release ARCH=aarch64`) or the path of a pyman binary
#
#   localhost/pyman:<version>          the manifest list; `COPY --from=` it picks the build's platform
#   localhost/pyman:<version>-amd64    its linux/amd64 image (/pyman is AMD64's bin/pyman)
#   localhost/pyman:<version>-arm64    its linux/arm64/v8 image (/pyman is ARM64's bin/pyman)
#   DIR/pyman-<version>.oci.tar        with --archive: the list and both images as an OCI image layout
#                                      in one tar (`buildah manifest push --all --format oci`)
#
# <version> is the one line of VERSION, or "dev" in a tree without that file. The images carry no
# licence file: the repository has none yet (a LICENSE or COPYING at its top would go in as /LICENSE).
# They cannot be run (no libc, no shell, no entrypoint): they are only a source for COPY --from.
# Reproducible: the creation time and every file's time are the commit's (SOURCE_DATE_EPOCH), so the
# same binaries make the same digests. Each binary's ELF machine is checked against its slot, and the
# x86-64 one must print the version the image is tagged with.
#
# Storage: buildah's default (as root /var/lib/containers/storage, where `buildah push` and podman find
# the images), or PYMAN_IMAGE_STORAGE=DIR: DIR/storage and DIR/runroot with the vfs driver (the
# container smoke test's own storage). The images of an earlier run with the same version are replaced.
# Every buildah step has a timeout; the working containers are removed on every exit path.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
ARCHIVE_DIR=
if [[ ${1:-} == --archive ]]; then ARCHIVE_DIR=${2:?--archive needs a folder}; shift 2; fi
AMD64=${1:-$REPO/dist}
ARM64=${2:-$REPO/dist-aarch64}
NAME=${PYMAN_IMAGE_NAME:-localhost/pyman}
STEP_TIMEOUT=${PYMAN_IMAGE_STEP_TIMEOUT:-300}

log() { printf '[image] %s\n' "$*" >&2; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

command -v buildah >/dev/null || die "buildah is missing (apt-get install buildah)"
BUILDAH=(buildah)
if [[ -n ${PYMAN_IMAGE_STORAGE:-} ]]; then
    BUILDAH+=(--root "$PYMAN_IMAGE_STORAGE/storage" --runroot "$PYMAN_IMAGE_STORAGE/runroot" --storage-driver vfs)
fi
bh() { timeout -k 10 "$STEP_TIMEOUT" "${BUILDAH[@]}" "$@"; }

VERSION=dev
if [[ -f $REPO/VERSION ]]; then
    VERSION=$(tr -d ' \n\r\t' <"$REPO/VERSION")
    # A tag allows [A-Za-z0-9_.-]; VERSION's own rule (Plugins/BuildInfo) also allows '+'.
    [[ $VERSION =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$ ]] || die "VERSION holds '$VERSION', which cannot be an image tag"
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || date +%s)}
REVISION=$(git -C "$REPO" log -1 --format=%H 2>/dev/null || echo unknown)

# binary_of TREE-OR-BINARY: the binary's path.
binary_of() { if [[ -d $1 ]]; then echo "$1/bin/pyman"; else echo "$1"; fi; }
# The ELF machine (e_machine, little-endian at offset 18) of FILE: 62 is x86-64, 183 is AArch64.
elf_machine() {
    [[ $(head -c 4 "$1" | od -An -c | tr -d ' ') == '177ELF' ]] || { echo none; return; }
    od -An -tu2 -j18 -N2 "$1" | tr -d ' '
}
AMD64_BIN=$(binary_of "$AMD64") ARM64_BIN=$(binary_of "$ARM64")
[[ -x $AMD64_BIN ]] || die "$AMD64_BIN is missing; run \`make release\`"
[[ -x $ARM64_BIN ]] || die "$ARM64_BIN is missing; run \`make release ARCH=aarch64\`"
[[ $(elf_machine "$AMD64_BIN") == 62 ]] || die "$AMD64_BIN is not an x86-64 program (ELF machine $(elf_machine "$AMD64_BIN")), so it cannot be the linux/amd64 image's"
[[ $(elf_machine "$ARM64_BIN") == 183 ]] || die "$ARM64_BIN is not an aarch64 program (ELF machine $(elf_machine "$ARM64_BIN")), so it cannot be the linux/arm64 image's"
if [[ $VERSION != dev ]]; then
    # `pyman --version` prints "0.1.0", or "pyman 0.1.0 (abc1234 2026-12-07)": the first word that
    # starts with a digit is the version.
    printed=$("$AMD64_BIN" --version 2>/dev/null | grep -oE '(^| )[0-9][A-Za-z0-9_.+-]*' | head -n 1 | tr -d ' ') || true
    [[ $printed == "$VERSION" ]] || die "$AMD64_BIN prints version '$printed', VERSION says '$VERSION'; run \`make release\` again"
fi
LICENSE=
for f in LICENSE LICENSE.txt LICENSE.md COPYING; do [[ -f $REPO/$f ]] && { LICENSE=$REPO/$f; break; }; done

CTR=   # the working container being made into an image (commit --rm removes it)
on_exit() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ -n $CTR ]]; then bh rm "$CTR" >/dev/null 2>&1 || { log "cannot remove the working container $CTR"; status=1; }; fi
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

LIST=$NAME:$VERSION
# An earlier run's list first: `buildah rmi` of a list's name would remove the instance of this
# machine's platform instead (libimage resolves the name through the list), so lists go with
# `manifest rm`.
if bh manifest inspect "$LIST" >/dev/null 2>&1; then bh manifest rm "$LIST" >/dev/null || die "cannot remove the old $LIST"; fi

# build_one ARCH VARIANT BINARY: the image $LIST-ARCH.
build_one() {
    local arch=$1 variant=$2 binary=$3 ctr=pyman-image-$1-$$
    bh rmi "$LIST-$arch" >/dev/null 2>&1 || true
    CTR=$ctr
    bh from --pull=never --quiet --name "$ctr" scratch >/dev/null || die "buildah from scratch failed"
    bh copy --chmod 0755 --chown 0:0 "$ctr" "$binary" /pyman >/dev/null || die "buildah copy of $binary failed"
    if [[ -n $LICENSE ]]; then bh copy --chmod 0644 --chown 0:0 "$ctr" "$LICENSE" /LICENSE >/dev/null || die "buildah copy of $LICENSE failed"; fi
    local -a cfg=(--os linux --arch "$arch"
        --label org.opencontainers.image.title=pyman
        --label "org.opencontainers.image.description=pyman, the Python distribution manager: COPY --from=this /pyman /usr/local/bin/"
        --label "org.opencontainers.image.version=$VERSION"
        --label "org.opencontainers.image.revision=$REVISION")
    [[ -z $variant ]] || cfg+=(--variant "$variant")
    bh config "${cfg[@]}" "$ctr" || die "buildah config failed"
    bh commit --quiet --rm --format oci --timestamp "$SOURCE_DATE_EPOCH" "$ctr" "$LIST-$arch" >/dev/null \
        || die "buildah commit of $LIST-$arch failed"
    CTR=
}
build_one amd64 "" "$AMD64_BIN"
build_one arm64 v8 "$ARM64_BIN"

bh manifest create "$LIST" >/dev/null || die "buildah manifest create $LIST failed"
for arch in amd64 arm64; do
    # containers-storage: the local image, never a registry's of the same name.
    bh manifest add "$LIST" "containers-storage:$LIST-$arch" >/dev/null || die "buildah manifest add $LIST-$arch failed"
done
sizes=$(bh images --format '{{.Name}}:{{.Tag}} {{.Size}}' | awk -v n="$LIST-" 'index($1, n) == 1 { printf "%s%s %s %s", sep, substr($1, length(n) + 1), $2, $3; sep = ", " }')
log "$LIST: linux/amd64 and linux/arm64/v8 ($sizes uncompressed)"

if [[ -n $ARCHIVE_DIR ]]; then
    mkdir -p "$ARCHIVE_DIR"
    out=$(cd "$ARCHIVE_DIR" && pwd)/pyman-$VERSION.oci.tar
    rm -f "$out"
    bh manifest push --quiet --all --format oci "$LIST" "oci-archive:$out:pyman:$VERSION" >/dev/null \
        || die "buildah manifest push to $out failed"
    log "$out: $(du -h "$out" | cut -f1) (the list and both images, layers gzip-compressed)"
fi
echo "$LIST"
