#!/usr/bin/env bash
# The aarch64 cross toolchain (`make release ARCH=aarch64` runs it first; cached, so a second run costs
# a few stamp checks): Debian sid's Swift 6.2.3 in a sid chroot, an arm64 sysroot from Debian's arm64
# packages of the same Swift, and a Swift SDK bundle that points the chroot's compiler at it.
#
#   sudo bash Containers/aarch64-toolchain.sh     # prints the cache folder on stdout
#
# Why sid: the host's Swift 6.3.1 has no aarch64 standard library, and the compiler and the stdlib it
# links must be the same release; sid packages `swiftlang` 6.2.3 for amd64 and arm64 alike. sid's amd64
# compiler needs sid's glibc, hence the chroot. Nothing of sid ever reaches the host's apt sources.
#
# In $PYMAN_AARCH64_CACHE (default ~/.cache/pyman-aarch64), each part rebuilt when its recipe stamp changes:
#   chroot/    debootstrap --variant=minbase sid + swiftlang, git (amd64): the compiler
#   sysroot/   the closure of swiftlang:arm64, libc6-dev:arm64, libstdc++-dev:arm64, libcurl and libarchive
#              -dev:arm64, unpacked with dpkg -x (merged-usr links, swift_static link), host tools pruned
#   sdk/       pyman-aarch64.artifactbundle (swift-sdk.json schema 4.0 + toolset.json: -use-ld=lld), for
#              `swift build --swift-sdks-path /sdk --swift-sdk pyman-aarch64` in the chroot, where
#              cross-build.sh mounts the sysroot at /sysroot and the bundle at /sdk
#   logs/      one log per step, named when the step fails
# Mounts made while building the chroot are undone on every exit path (trap).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PYMAN_AARCH64_CACHE:-$HOME/.cache/pyman-aarch64}
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# libc6-dev: SwiftPM compiles and links Package.swift for x86_64 (the Glibc module needs its headers).
CHROOT_PACKAGES="swiftlang git ca-certificates libc6-dev"
# What the arm64 link needs: Swift's aarch64 runtime (static and shared), glibc, GCC's runtime, and the
# headers of the libraries pyman dlopen()s (CCurl, CArchive, CIsal). libstdc++-GCC-dev: GCC's libstdc++.a of
# the GCC release sid's libstdc++6 comes from (libstdc++-dev is virtual, which apt-get download refuses).
SYSROOT_PACKAGES="swiftlang libc6-dev libstdc++-GCC-dev libgcc-s1 linux-libc-dev libcurl4-openssl-dev libarchive-dev libisal-dev"
CHROOT_RECIPE="recipe=1 suite=sid variant=minbase packages=$CHROOT_PACKAGES"
SDK_NAME=pyman-aarch64
SDK_RECIPE="recipe=4 name=$SDK_NAME triple=aarch64-unknown-linux-gnu linker=lld"
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[aarch64-toolchain] %s\n' "$*" >&2; }
die() { printf '[aarch64-toolchain] ERROR: %s\n' "$*" >&2; exit 1; }
# mounts_under, inside, kill_inside, teardown, waitable, mount_container_fs
source "$REPO/Containers/root-helpers.sh"

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, mount, chroot); run it with sudo"
[[ $(uname -m) == x86_64 ]] || die "the aarch64 cross toolchain runs on x86_64 hosts only (sid's swiftlang for amd64)"
command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install debootstrap"
mkdir -p "$CACHE/logs"
CACHE=$(cd "$CACHE" && pwd -P)
LOGS=$CACHE/logs
CHILD_PID=

on_exit() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ -n $CHILD_PID ]]; then kill "$CHILD_PID" 2>/dev/null || true; fi
    for d in "$CACHE/chroot.build" "$CACHE/chroot"; do
        [[ -e $d ]] || continue
        kill_inside "$d" || status=1
        for m in $(mounts_under "$d"); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
        if [[ -n $(mounts_under "$d") ]]; then log "still mounted under $d:"; mounts_under "$d" >&2; status=1; fi
    done
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
exec 8>"$CACHE/.lock"
flock -w 3600 8 || die "another run holds $CACHE/.lock"

# run_logged NAME CMD...: the command's output goes to logs/NAME.log, named (with its tail) on failure.
run_logged() {
    local name=$1; shift
    waitable "$@" >"$LOGS/$name.log" 2>&1 || {
        tail -n 20 "$LOGS/$name.log" >&2
        die "$name failed (log: $LOGS/$name.log)"
    }
}
in_root() {  # ROOT CMD...: a command in the chroot, with a clean environment
    local root=$1; shift
    chroot "$root" /usr/bin/env -i PATH=$PATH_IN_ROOT HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# ----------------------------------------------------------------------------------------- the chroot
ensure_chroot() {
    [[ -d $CACHE/chroot && $(cat "$CACHE/chroot.stamp" 2>/dev/null) == "$CHROOT_RECIPE" ]] && return 0
    local build=$CACHE/chroot.build t0=$SECONDS m
    teardown "$build" || die "cannot clear $build"
    log "debootstrap --variant=minbase sid (once; cached in $CACHE/chroot; log $LOGS/debootstrap.log)"
    run_logged debootstrap debootstrap --variant=minbase sid "$build" "$DEBIAN_MIRROR"
    for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    # sid's Release file is often past its Valid-Until on mirrors; the signature is still checked.
    echo 'Acquire::Check-Valid-Until "false";' >"$build/etc/apt/apt.conf.d/90pyman-no-valid-until"
    cp -L /etc/resolv.conf "$build/etc/resolv.conf"
    mount_container_fs "$build"
    log "apt-get install $CHROOT_PACKAGES in the chroot (log $LOGS/chroot-apt.log)"
    run_logged chroot-apt in_root "$build" sh -ec \
        "apt-get update -q && apt-get install -y -q --no-install-recommends $CHROOT_PACKAGES && apt-get clean"
    # (Swift's RUNPATH $ORIGIN needs /proc/self/exe: with the chroot's /proc still mounted.)
    in_root "$build" swift --version >"$LOGS/chroot-swift-version.txt" 2>&1 || die "swift does not run in the chroot (see $LOGS/chroot-swift-version.txt)"
    for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    [[ -z $(mounts_under "$build") ]] || die "cannot unmount $build"
    rm -rf --one-file-system "$CACHE/chroot"
    mv "$build" "$CACHE/chroot"
    echo "$CHROOT_RECIPE" >"$CACHE/chroot.stamp"
    log "chroot ready in $((SECONDS - t0))s ($(du -sh "$CACHE/chroot" | cut -f1)): $(head -n 1 "$LOGS/chroot-swift-version.txt")"
}

# ---------------------------------------------------------------------------------------- the sysroot
# The arm64 packages are fetched by the chroot's apt (sid, same Swift release) with arm64 as a foreign
# architecture of the chroot only, and unpacked, not installed.
# The sysroot's Swift must be the chroot's release exactly: its version is part of the recipe, and
# swiftlang:arm64 is asked for at that version.
ensure_sysroot() {
    local root=$CACHE/chroot build=$CACHE/sysroot.build t0=$SECONDS debs pkgs=() p swift_version recipe gcc
    swift_version=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' swiftlang) \
        || die "the chroot has no swiftlang package; delete $CACHE/chroot.stamp to rebuild it"
    gcc=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${source:Package}' libstdc++6) \
        || die "the chroot has no libstdc++6 package; delete $CACHE/chroot.stamp to rebuild it"
    recipe="recipe=1 suite=sid arch=arm64 swiftlang=$swift_version packages=$SYSROOT_PACKAGES"
    [[ -d $CACHE/sysroot && $(cat "$CACHE/sysroot.stamp" 2>/dev/null) == "$recipe" ]] && return 0
    rm -rf --one-file-system "$build" "$root/tmp/arm64-debs"
    mkdir -p "$build" "$root/tmp/arm64-debs"
    mount_container_fs "$root"
    for p in $SYSROOT_PACKAGES; do
        case $p in
            swiftlang) pkgs+=("swiftlang:arm64=$swift_version") ;;
            libstdc++-GCC-dev) pkgs+=("libstdc++-${gcc#gcc-}-dev:arm64") ;;
            *) pkgs+=("$p:arm64") ;;
        esac
    done
    log "arm64 packages: the closure of ${pkgs[*]} (log $LOGS/sysroot-apt.log)"
    # /tmp is a tmpfs in the chroot while it is mounted: the .debs go to /var/cache instead.
    run_logged sysroot-apt in_root "$root" sh -ec "
        dpkg --add-architecture arm64
        apt-get update -q
        closure=\$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
            --no-replaces --no-enhances ${pkgs[*]} | grep -E '^[a-z0-9]' | sort -u)
        # arm64 packages, and of the others those that are Architecture: all (linux-libc-dev, tzdata...):
        # a bare name may also be an amd64 tool that satisfies a Multi-Arch: foreign dependency.
        arm64=\$(echo \"\$closure\" | grep ':arm64\$')
        all=\$(apt-cache show --no-all-versions \$(echo \"\$closure\" | grep -v ':') | awk '/^Package:/ { p = \$2 } /^Architecture: all/ { print p }' | sort -u)
        rm -rf /var/cache/pyman-arm64 && mkdir -p /var/cache/pyman-arm64 && cd /var/cache/pyman-arm64
        apt-get download \$arm64 \$all"
    for m in $(mounts_under "$root"); do umount "$m" || umount -l "$m"; done
    debs=$root/var/cache/pyman-arm64
    log "unpacking $(ls "$debs"/*.deb | wc -l) arm64 packages ($(du -sh "$debs" | cut -f1)) into $build"
    for p in "$debs"/*.deb; do dpkg -x "$p" "$build" || die "dpkg -x $p failed"; done
    rm -rf "$debs"
    # merged /usr: the loader is /lib/ld-linux-aarch64.so.1, and -dev links name /lib/...
    for p in lib bin sbin; do
        if [[ -d $build/$p && ! -L $build/$p ]]; then cp -a "$build/$p/." "$build/usr/$p/" && rm -rf "$build/$p"; fi
        ln -sfn "usr/$p" "$build/$p"
    done
    # Absolute links of the -dev packages (libz.so -> /lib/...) would lead the linker to the host's files.
    while IFS= read -r -d '' p; do
        local target
        target=$(readlink "$p")
        [[ $target == /* ]] || continue
        ln -sfn "$(realpath -m --relative-to="$(dirname "$p")" "$build$target")" "$p"
    done < <(find "$build" -type l -print0)
    # The driver looks for swiftrt.o and the static stdlib in usr/lib/swift_static.
    [[ -f $build/usr/libexec/swift/lib/swift_static/linux/static-stdlib-args.lnk ]] \
        || die "the arm64 swiftlang has no usr/libexec/swift/lib/swift_static/linux/static-stdlib-args.lnk"
    ln -sfn ../libexec/swift/lib/swift_static "$build/usr/lib/swift_static"
    ln -sfn ../libexec/swift/lib/swift "$build/usr/lib/swift"
    # arm64 host tools the cross build never runs: the compiler, lldb, sourcekit, the embedded stdlib.
    rm -rf "$build/usr/libexec/swift/bin" "$build/usr/libexec/swift/lib/swift/embedded" \
        "$build/usr/libexec/swift/lib/liblldb"* "$build/usr/libexec/swift/lib/libsourcekitd"* \
        "$build/usr/libexec/swift/lib/lldb" "$build/usr/share/doc" "$build/usr/share/man" "$build/usr/share/locale"
    rm -rf --one-file-system "$CACHE/sysroot"
    mv "$build" "$CACHE/sysroot"
    echo "$recipe" >"$CACHE/sysroot.stamp"
    log "sysroot ready in $((SECONDS - t0))s ($(du -sh "$CACHE/sysroot" | cut -f1))"
}

# -------------------------------------------------------------------------------------- the SDK bundle
ensure_sdk() {
    local bundle=$CACHE/sdk/$SDK_NAME.artifactbundle
    [[ -f $bundle/info.json && $(cat "$CACHE/sdk.stamp" 2>/dev/null) == "$SDK_RECIPE" ]] && return 0
    rm -rf "$CACHE/sdk"
    mkdir -p "$bundle/$SDK_NAME"
    cat >"$bundle/info.json" <<EOF
{
  "schemaVersion": "1.0",
  "artifacts": {
    "$SDK_NAME": {
      "type": "swiftSDK",
      "version": "6.2.3",
      "variants": [{ "path": "$SDK_NAME", "supportedTriples": ["x86_64-pc-linux-gnu", "x86_64-unknown-linux-gnu"] }]
    }
  }
}
EOF
    # Paths as the chroot sees them: cross-build.sh mounts the sysroot at /sysroot. (Debian calls its
    # amd64 host x86_64-pc-linux-gnu.)
    cat >"$bundle/$SDK_NAME/swift-sdk.json" <<'EOF'
{
  "schemaVersion": "4.0",
  "targetTriples": {
    "aarch64-unknown-linux-gnu": {
      "sdkRootPath": "/sysroot",
      "swiftResourcesPath": "/sysroot/usr/libexec/swift/lib/swift",
      "swiftStaticResourcesPath": "/sysroot/usr/libexec/swift/lib/swift_static",
      "toolsetPaths": ["toolset.json"]
    }
  }
}
EOF
    cat >"$bundle/$SDK_NAME/toolset.json" <<'EOF'
{
  "schemaVersion": "1.0",
  "swiftCompiler": { "extraCLIOptions": ["-use-ld=lld"] }
}
EOF
    echo "$SDK_RECIPE" >"$CACHE/sdk.stamp"
    log "Swift SDK bundle written: $bundle"
}

ensure_chroot
ensure_sysroot
ensure_sdk
echo "$CACHE"
