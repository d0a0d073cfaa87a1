#!/usr/bin/env bash
# The aarch64 release artefact (`make release ARCH=aarch64`), cross-built on this x86_64 machine:
# dist-aarch64/ laid out like release.sh's dist/ (bin/pyman for aarch64 Linux, completions, man page),
# with the same guarantees, checked here: Swift runtime and FoundationEssentials linked statically,
# no Foundation, NEEDED only glibc's libraries, no RUNPATH, no glibc symbol version above 2.28.
#
#   sudo bash Containers/cross-build.sh      # → dist-aarch64/ (override with PYMAN_DIST)
#
# How (Containers/aarch64-toolchain.sh builds and caches the pieces in ~/.cache/pyman-aarch64):
#  - The compiler is Debian sid's Swift 6.2.3 (the host's 6.3.1 has no aarch64 stdlib), run in a sid
#    chroot with the repository bound at /src, the arm64 sysroot at /sysroot, the SDK bundle at /sdk and
#    the machine's Swift package copies (git's url.<copies>.insteadOf, as on the host) read-only, so the
#    packages resolve offline. Every mount is undone on every exit path (trap).
#  - The link is release.sh's: glibc 2.28 stubs and start files from zig (aarch64-linux-gnu.2.28),
#    GCC's libstdc++.a through a linker-script stub, -static-libgcc, CGlibcCompat with PYMAN_GLIBC_FLOOR,
#    and PYMAN_GLIBC_238 for the glibc 2.38 names (__isoc23_*, strlcpy) sid's archives call.
#  - lld, not gold (deprecated for aarch64 in sid). lld takes the first archive that defines a symbol,
#    and swift-crypto's autolink entries name Foundation before FoundationEssentials: without
#    -disable-autolink-library for Foundation and the libraries it brings, all of Foundation and ICU
#    is linked in (61 MB instead of 19).
#  - The build folder is .build-aarch64 (gitignored), so it never fights the host's .build.
#  - Completions come from running the binary under qemu-aarch64-static (no binfmt_misc needed), the man
#    page from swift-argument-parser's generate-manual (built by the host's Swift) over that same binary.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SCRATCH=.build-aarch64
DIST=${PYMAN_DIST:-dist-aarch64}
GLIBC_FLOOR=2.28
TRIPLE=aarch64-unknown-linux-gnu
SDK_NAME=pyman-aarch64
HOST_SWIFT=${SWIFT:-swift}
TOOLS=${PYMAN_RELEASE_TOOLS:-$HOME/.cache/pyman-release}
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[release-aarch64] %s\n' "$*" >&2; }
die() { printf '[release-aarch64] ERROR: %s\n' "$*" >&2; exit 1; }
source Containers/root-helpers.sh   # mounts_under, kill_inside, waitable, mount_container_fs
source Containers/glibc-stubs.sh    # fetch_zig, glibc_stubs, above_floor

[[ $(id -u) == 0 ]] || die "needs root (chroot, mount); run it with sudo"
command -v qemu-aarch64-static >/dev/null || die "qemu-aarch64-static is missing (to run the binary for its completions): apt-get install qemu-user-static"
command -v readelf >/dev/null || die "readelf is missing: apt-get install binutils"

T0=$SECONDS
CACHE=$(bash Containers/aarch64-toolchain.sh) || die "the aarch64 toolchain could not be built (see above)"
ROOT=$CACHE/chroot
SYSROOT=$CACHE/sysroot
CHILD_PID=
LOGS=$CACHE/logs

on_exit() {
    local status=$? m
    trap - EXIT INT TERM HUP
    if [[ -n $CHILD_PID ]]; then kill "$CHILD_PID" 2>/dev/null || true; fi
    kill_inside "$ROOT" || status=1
    for m in $(mounts_under "$ROOT"); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
    if [[ -n $(mounts_under "$ROOT") ]]; then log "still mounted under $ROOT:"; mounts_under "$ROOT" >&2; status=1; fi
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
exec 8>"$CACHE/.build-lock"
flock -w 3600 8 || die "another aarch64 build holds $CACHE/.build-lock"
# A killed run's mounts (the trap could not run) are cleared first.
for m in $(mounts_under "$ROOT"); do umount "$m" 2>/dev/null || umount -l "$m"; done

# ------------------------------------------------------------------------------------ glibc 2.28 stubs
fetch_zig "$TOOLS"
mkdir -p "$SCRATCH"
glibc=$(mkdir -p "$SCRATCH/glibc-$GLIBC_FLOOR" && cd "$SCRATCH/glibc-$GLIBC_FLOOR" && pwd)
glibc_stubs aarch64-linux-gnu ld-linux-aarch64.so.1 "$glibc" "/src/$SCRATCH/glibc-$GLIBC_FLOOR"
libstdcxx=$(ls "$SYSROOT"/usr/lib/gcc/aarch64-linux-gnu/*/libstdc++.a 2>/dev/null | sort -V | tail -n 1)
[[ -n $libstdcxx ]] || die "the sysroot has no libstdc++.a (usr/lib/gcc/aarch64-linux-gnu/*/); delete $CACHE/sysroot.stamp to rebuild it"
mkdir -p "$SCRATCH/static-cxx"
printf 'INPUT(/sysroot%s)\n' "${libstdcxx#"$SYSROOT"}" >"$SCRATCH/static-cxx/libstdc++.so"

# ---------------------------------------------------------------------------------- into the chroot
mount_container_fs "$ROOT"
mkdir -p "$ROOT/src" "$ROOT/sysroot" "$ROOT/sdk"
mount --bind "$REPO" "$ROOT/src"
mount --bind -o ro "$SYSROOT" "$ROOT/sysroot"
mount --bind -o ro "$CACHE/sdk" "$ROOT/sdk"
# The host's git URL rewrites (GitHub → local package copies), and the copies, read-only.
: >"$ROOT/root/.gitconfig"
while read -r key target; do
    url=${key#url.}; url=${url%.insteadof}
    git config --file "$ROOT/root/.gitconfig" --add "url.$url.insteadOf" "$target"
    dir=${url%/}
    if [[ $dir == /* && -d $dir && -z $(mounts_under "$ROOT$dir") ]]; then
        mkdir -p "$ROOT$dir" && mount --bind -o ro "$dir" "$ROOT$dir"
    fi
done < <(git config --get-regexp '^url\..*\.insteadof$' || true)
git config --file "$ROOT/root/.gitconfig" --add safe.directory '*'
in_root() {
    chroot "$ROOT" /usr/bin/env -i PATH=$PATH_IN_ROOT HOME=/root LANG=C.UTF-8 TMPDIR=/tmp "$@"
}

undef=(Foundation CoreFoundation _FoundationICU FoundationInternationalization)
flags=(-c release --swift-sdks-path /sdk --swift-sdk "$SDK_NAME" --static-swift-stdlib --disable-local-rpath
    --scratch-path "/src/$SCRATCH"
    -Xswiftc "-L/src/$SCRATCH/static-cxx" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc
    -Xswiftc "-L/src/$SCRATCH/glibc-$GLIBC_FLOOR/lib" -Xswiftc -Xclang-linker -Xswiftc "-B/src/$SCRATCH/glibc-$GLIBC_FLOOR/crt"
    -Xcc -DPYMAN_GLIBC_FLOOR -Xcc -DPYMAN_GLIBC_238)
for lib in "${undef[@]}"; do flags+=(-Xswiftc -Xfrontend -Xswiftc -disable-autolink-library -Xswiftc -Xfrontend -Xswiftc "$lib"); done
log "swift build ${flags[*]} (sid's $(in_root swift --version 2>/dev/null | grep -o 'Swift version [0-9.]*'), log $LOGS/cross-build.log)"
t1=$SECONDS
waitable in_root sh -c 'cd /src && swift build "$@" --product pyman' sh "${flags[@]}" >"$LOGS/cross-build.log" 2>&1 \
    || { grep -E 'error|undefined' "$LOGS/cross-build.log" | head -n 30 >&2; tail -n 15 "$LOGS/cross-build.log" >&2
        die "the aarch64 build failed (log: $LOGS/cross-build.log)"; }
build_seconds=$((SECONDS - t1))
bin=$REPO/$SCRATCH/$TRIPLE/release/pyman
[[ -x $bin ]] || die "swift build left no $bin"

# ------------------------------------------------------------------------------------------ the checks
readelf -h "$bin" | grep -q 'Machine:.*AArch64' || die "$bin is not an AArch64 ELF file"
allowed='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|ld-linux-aarch64\.so\.1)$'
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
unexpected=$(grep -Ev "$allowed" <<<"$needed" || true)
[[ -z $unexpected ]] || die "pyman needs libraries outside the allowed set: $(tr '\n' ' ' <<<"$unexpected")"
# Each dynamic symbol's version (readelf reads any architecture): name@GLIBC_x.y.
too_new=$(readelf -W --dyn-syms "$bin" | sed -n 's/.* \([^ @]*\)@\(GLIBC_[0-9.]*\).*/\1 \2/p' | above_floor)
[[ -z $too_new ]] || die "pyman needs glibc symbols newer than $GLIBC_FLOOR:"$'\n'"$too_new"
too_new=$(readelf -V "$bin" | grep -o 'Name: GLIBC_[0-9.]*' | above_floor)
[[ -z $too_new ]] || die "pyman's version needs go above GLIBC_$GLIBC_FLOOR: $(tr '\n' ' ' <<<"$too_new")"
glibc_max=$(readelf -W --dyn-syms "$bin" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
if readelf -W -s "$bin" | grep -q '$s10Foundation'; then
    die "Foundation (not just FoundationEssentials) is linked in: an autolink entry the -disable-autolink-library list misses, or a call into Foundation proper"
fi
if readelf -d "$bin" | grep -qE '\((RPATH|RUNPATH)\)'; then
    die "pyman has an RPATH/RUNPATH: $(readelf -d "$bin" | grep -E 'RPATH|RUNPATH')"
fi

# What pyman's commands do not exercise of the floor: Containers/glibc-floor-probe.cc linked as pyman is
# (same start files, stubs, CGlibcCompat, static C++ runtime, lld), run here under qemu and, by
# Containers/glibc-floor.sh, in arm64 Debian 11 and 13 roots.
probe=$glibc/glibc-floor-probe
cc=(/usr/libexec/swift/bin/clang --target=aarch64-linux-gnu --sysroot=/sysroot -O2 -DPYMAN_GLIBC_FLOOR -DPYMAN_GLIBC_238)
waitable in_root sh -c 'cd /src && "$@"' sh "${cc[@]}" -fPIC -c Sources/CGlibcCompat/CGlibcCompat.c \
    -o "$SCRATCH/glibc-$GLIBC_FLOOR/CGlibcCompat.o" >"$LOGS/probe.log" 2>&1 \
    && waitable in_root sh -c 'cd /src && "$@"' sh "${cc[@]}" -x c++ -fPIE -pie -fuse-ld=lld \
        "-B/src/$SCRATCH/glibc-$GLIBC_FLOOR/crt" "-L/src/$SCRATCH/static-cxx" "-L/src/$SCRATCH/glibc-$GLIBC_FLOOR/lib" -static-libgcc \
        Containers/glibc-floor-probe.cc -x none "$SCRATCH/glibc-$GLIBC_FLOOR/CGlibcCompat.o" -lstdc++ -lpthread -ldl \
        -o "$SCRATCH/glibc-$GLIBC_FLOOR/glibc-floor-probe" >>"$LOGS/probe.log" 2>&1 \
    || { tail -n 20 "$LOGS/probe.log" >&2; die "cannot link Containers/glibc-floor-probe.cc for aarch64 against glibc $GLIBC_FLOOR (log: $LOGS/probe.log)"; }
too_new=$(readelf -W --dyn-syms "$probe" | sed -n 's/.* \([^ @]*\)@\(GLIBC_[0-9.]*\).*/\1 \2/p' | above_floor)
[[ -z $too_new ]] || die "the probe needs glibc symbols newer than $GLIBC_FLOOR:"$'\n'"$too_new"
qemu-aarch64-static -L "$SYSROOT" "$probe" >&2 || die "$probe failed under qemu-aarch64-static -L $SYSROOT"

# ---------------------------------------------------------------------------------------- dist-aarch64
rm -rf "$DIST"
mkdir -p "$DIST/bin" "$DIST/share/bash-completion/completions" "$DIST/share/zsh/site-functions" \
    "$DIST/share/fish/vendor_completions.d" "$DIST/share/man/man1"
# (sid's strip is x86_64's; llvm-objcopy, from the Swift toolchain, strips any architecture.)
in_root /usr/libexec/swift/bin/llvm-objcopy --strip-all "/src/${bin#"$REPO/"}" "/src/$DIST/bin/pyman" \
    || die "cannot strip $bin (llvm-objcopy --strip-all in the chroot)"
chmod 755 "$DIST/bin/pyman"
pyman=$REPO/$DIST/bin/pyman
# Run under qemu-user with the sysroot as its root for libraries (no binfmt_misc needed).
runner=$REPO/$SCRATCH/pyman-under-qemu
printf '#!/bin/sh\nexec qemu-aarch64-static -L %s %s "$@"\n' "$SYSROOT" "$pyman" >"$runner"
chmod 755 "$runner"
version=$("$runner" --version) || die "$pyman does not run under qemu-aarch64-static -L $SYSROOT"
"$runner" --generate-completion-script bash >"$DIST/share/bash-completion/completions/pyman"
"$runner" --generate-completion-script zsh >"$DIST/share/zsh/site-functions/_pyman"
"$runner" --generate-completion-script fish >"$DIST/share/fish/vendor_completions.d/pyman.fish"
tool_flags=(-c debug --scratch-path "$SCRATCH/host-tools")
"$HOST_SWIFT" build "${tool_flags[@]}" --product generate-manual >"$LOGS/generate-manual-build.log" 2>&1 \
    || { tail -n 20 "$LOGS/generate-manual-build.log" >&2; die "building generate-manual failed (log: $LOGS/generate-manual-build.log)"; }
tools_bin=$("$HOST_SWIFT" build "${tool_flags[@]}" --show-bin-path)
if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
    date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
else
    date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
fi
"$tools_bin/generate-manual" "$runner" --date "$date" --section 1 --output-directory "$DIST/share/man/man1" >/dev/null
# generate-manual names the page after the program it ran.
[[ -s $DIST/share/man/man1/pyman-under-qemu.1 ]] && mv "$DIST/share/man/man1/pyman-under-qemu.1" "$DIST/share/man/man1/pyman.1"
[[ -s $DIST/share/man/man1/pyman.1 ]] || die "generate-manual wrote no pyman.1"
find "$DIST/share" -type f -exec chmod 644 {} +

size=$(stat -c %s "$pyman")
echo "release-aarch64: $DIST/bin/pyman $version, $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }')), highest glibc symbol version $glibc_max (floor GLIBC_$GLIBC_FLOOR); swift build ${build_seconds}s, all $((SECONDS - T0))s"
echo "NEEDED: $(tr '\n' ' ' <<<"$needed")"
echo "files:"
(cd "$DIST" && find . -type f | sort | sed 's|^\./|  |')
