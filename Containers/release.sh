#!/usr/bin/env bash
# The release artefact (`make release`): pyman with the Swift runtime and FoundationEssentials linked in, so a
# machine or image needs only Debian's libcurl4, libarchive13 and ca-certificates to run it.
#
#   bash Containers/release.sh        # → dist/ (override with PYMAN_DIST)
#
# dist/ is laid out like an install prefix, so `cp -r dist/. /usr/local/` (or the Dockerfile's
# `COPY --from=build /src/dist/ /usr/local/`) installs everything:
#
#   dist/bin/pyman                                    stripped, Swift stdlib + FoundationEssentials static
#   dist/share/bash-completion/completions/pyman      from `pyman --generate-completion-script bash`
#   dist/share/zsh/site-functions/_pyman              … zsh
#   dist/share/fish/vendor_completions.d/pyman.fish   … fish
#   dist/share/man/man1/pyman.1                       swift-argument-parser's generate-manual tool
#
# The build uses its own scratch path (.build-static) so it never fights `swift build` over .build.
# It fails when the binary needs a library outside the allowed set below, or a glibc symbol version
# newer than GLIBC_FLOOR (2.28): one binary for Debian 11+, Ubuntu 20.04+, RHEL/Rocky/Alma 8+, Amazon
# Linux 2023 (see "glibc floor" below for how).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
STRIP=${STRIP:-strip}
SCRATCH=${PYMAN_RELEASE_SCRATCH:-.build-static}
DIST=${PYMAN_DIST:-dist}

log() { printf '[release] %s\n' "$*" >&2; }
die() { printf '[release] ERROR: %s\n' "$*" >&2; exit 1; }

# --static-swift-stdlib links libswiftCore, FoundationEssentials, Dispatch and the
# concurrency runtime from the toolchain's swift_static/ archives. --disable-local-rpath drops
# SwiftPM's RUNPATH $ORIGIN: an installed binary must not load libraries from the folder it sits in.

# ------------------------------------------------------------------------------------------ glibc floor
# A program linked on this machine asks for the symbol versions of glibc 2.36 (bookworm): pthread_*,
# dlopen and __libc_start_main at GLIBC_2.34 (when libpthread and libdl were merged into libc), the stat
# family at 2.33, _dl_find_object at 2.35, arc4random at 2.36, so it would not start on Ubuntu 22.04
# (2.35), Debian 11 or Ubuntu 20.04 (2.31), RHEL 8 (2.28) or 9 (2.34). The version a reference gets is
# decided at link time by the libc.so the linker reads, so the link reads glibc 2.28's instead:
#
#  - zig (pinned, from PyPI, cached in $TOOLS) generates them, the way cargo-zigbuild uses it: for
#    `-target x86_64-linux-gnu.2.28` it writes stub libc.so.6, libm, libpthread, libdl, librt and
#    ld-linux .so files that carry exactly glibc 2.28's symbols and versions (from its abilists), and
#    compiles glibc 2.28's own start files (Scrt1.o, crti.o, crtn.o) and libc_nonshared.a. Only those
#    files are used; the compile and link stay Swift's clang and gold. (`.symver` pins instead would
#    have to name each of the ~45 references one by one and follow every toolchain update; an old
#    glibc sysroot would need 2.28's libc6-dev, i.e. Debian 10's archive, which is not reachable here.)
#  - The link finds the stubs first (-L, ahead of the system directories) and the start files through
#    clang's -B. The old Scrt1.o matters: it passes __libc_csu_init (libc_nonshared.a) to
#    __libc_start_main@GLIBC_2.2.5; glibc 2.34's Scrt1.o passes NULL, and glibc before 2.34 would then
#    never run the binary's constructors. Newer glibc calls a non-NULL init itself, so both work.
#  - libpthread.so.0 and libdl.so.2 become NEEDED (pthread_* and dl* were there before 2.34); every
#    glibc has them, as empty compatibility libraries since 2.34. libc_nonshared.a brings 2.28's
#    stat/fstat/lstat/fstatat, wrappers over __xstat & co (still exported by new glibc for old binaries).
#  - What the static archives (compiled against 2.36 headers) use that 2.28 lacks entirely,
#    __libc_single_threaded, _dl_find_object and arc4random, is defined in Sources/CGlibcCompat, only
#    when PYMAN_GLIBC_FLOOR is defined (here); a symbol still missing fails the link.
#  - Then the binary is checked: no symbol version above GLIBC_FLOOR.
#  Cost, measured side by side on this (busy) machine: 24 bytes (21,115,440 → 21,115,464), and at start
#  the two more libraries to map (libpthread.so.0 and libdl.so.2, empty on glibc 2.34+): ~90 µs per
#  exec for a C program linked with them or not; `pyman --version` 4.03 → 4.11 ms (+1.9%, medians of
#  1,000 alternating runs; an earlier 300-run pair on a quieter machine gave 2.64 → 2.61 ms). Every
#  glibc before 2.34 needs those two libraries for pthread_* and dl*, so one binary cannot avoid them.
GLIBC_FLOOR=2.28
TOOLS=${PYMAN_RELEASE_TOOLS:-$HOME/.cache/pyman-release}
[[ $(uname -m) == x86_64 ]] || die "the release build is x86_64-only (glibc $GLIBC_FLOOR stubs for x86_64-linux-gnu)"
# fetch_zig, glibc_stubs, above_floor (shared with the aarch64 cross build, Containers/cross-build.sh)
source Containers/glibc-stubs.sh
fetch_zig "$TOOLS"
glibc=$(mkdir -p "$SCRATCH/glibc-$GLIBC_FLOOR" && cd "$SCRATCH/glibc-$GLIBC_FLOOR" && pwd)
glibc_stubs x86_64-linux-gnu ld-linux-x86-64.so.2 "$glibc"

# The C++ runtime the Swift runtime needs is linked statically too: loading libstdc++.so.6 and
# libgcc_s.so.1 cost ~1 ms of every start (measured: a C program linked to them takes twice as long
# as one that is not). The toolchain's link line asks for `-lstdc++` itself, so a linker script named
# libstdc++.so, found first on the library path, hands the linker GCC's libstdc++.a instead; the
# static-stdlib link hides archive symbols (--exclude-libs ALL), so a libstdc++.so.6 that a dlopen()ed
# library brings along later does not clash with it. The GCC Runtime Library Exception allows this.
mkdir -p "$SCRATCH/static-cxx"
static_cxx=$(cd "$SCRATCH/static-cxx" && pwd)  # absolute, whether SCRATCH is relative or not
libstdcxx=$(${CC:-gcc} -print-file-name=libstdc++.a)
[[ -f $libstdcxx ]] || die "GCC's static C++ runtime (libstdc++.a) is missing; install it: apt-get install libstdc++-12-dev"
printf 'INPUT(%s)\n' "$libstdcxx" >"$static_cxx/libstdc++.so"
flags=(-c release --static-swift-stdlib --disable-local-rpath --scratch-path "$SCRATCH"
    -Xswiftc "-L$static_cxx" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc
    -Xswiftc "-L$glibc/lib" -Xswiftc -Xclang-linker -Xswiftc "-B$glibc/crt" -Xcc -DPYMAN_GLIBC_FLOOR)

log "swift build ${flags[*]}"
"$SWIFT" build "${flags[@]}" --product pyman
# swift-argument-parser's man page generator (the tool behind its generate-manual plugin), built from
# the already resolved dependency: no network, and it reads `pyman --experimental-dump-help`. It runs
# only here, links Foundation (which needs glibc 2.29+) and not CGlibcCompat, so it is built without
# the glibc floor, in a scratch path of its own (the same flags in one would rebuild every module),
# and as a debug build: 29 s from scratch here against 58 s for a release one.
tool_flags=(-c debug --scratch-path "$SCRATCH/host-tools")
"$SWIFT" build "${tool_flags[@]}" --product generate-manual
tools_bin=$("$SWIFT" build "${tool_flags[@]}" --show-bin-path)
bin=$("$SWIFT" build "${flags[@]}" --show-bin-path)

# Only glibc's own libraries (libpthread.so.0 and libdl.so.2 because of the glibc floor). The C++ runtime is linked in (above); libcurl, libarchive and libisal are opened with
# dlopen on first use (Sources/CLazyLoad), so they must not show up here: linked, they would slow every start.
allowed='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libutil\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$'
needed=$(readelf -d "$bin/pyman" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
unexpected=$(grep -Ev "$allowed" <<<"$needed" || true)
[[ -z $unexpected ]] || die "pyman needs libraries outside the allowed set: $(tr '\n' ' ' <<<"$unexpected")"
# The floor: no reference to a glibc symbol version above GLIBC_FLOOR (objdump -T lists each dynamic
# symbol's version; readelf -V's version needs are what the loader checks at start).
too_new=$(objdump -T "$bin/pyman" | sed -n 's/.*(\(GLIBC_[0-9.]*\))[[:space:]]*\(.*\)$/\2 \1/p' | above_floor)
[[ -z $too_new ]] || die "pyman needs glibc symbols newer than $GLIBC_FLOOR:"$'\n'"$too_new"
too_new=$(readelf -V "$bin/pyman" | grep -o 'Name: GLIBC_[0-9.]*' | above_floor)
[[ -z $too_new ]] || die "pyman's version needs go above GLIBC_$GLIBC_FLOOR: $(tr '\n' ' ' <<<"$too_new")"
glibc_max=$(objdump -T "$bin/pyman" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
# pyman's modules import FoundationEssentials only; one call into Foundation proper (String(format:),
# FileHandle, Process, …) links all of it and its ICU data: +35 MiB and ~1 ms more at every start.
if nm "$bin/pyman" | grep -q '$s10Foundation'; then
    die "Foundation (not just FoundationEssentials) is linked in; find the call with: swift build $(printf '%s ' "${flags[@]}")-Xlinker -Map=/tmp/pyman.map and look for libFoundation.a in the map"
fi
if readelf -d "$bin/pyman" | grep -qE '\((RPATH|RUNPATH)\)'; then
    die "pyman has an RPATH/RUNPATH: $(readelf -d "$bin/pyman" | grep -E 'RPATH|RUNPATH')"
fi

# What pyman's commands do not exercise of the floor, checked directly: Containers/glibc-floor-probe.cc,
# linked as pyman is (same start files, stubs, CGlibcCompat, static C++ runtime), throws an exception
# through the unwinder, starts a thread, stats, draws random numbers, checks its constructors ran and
# compares CGlibcCompat's dl_iterate_phdr fallback with glibc's _dl_find_object. Run here and, by
# Containers/glibc-floor.sh, in Debian 11 and 13 roots.
probe=$glibc/glibc-floor-probe
clang=$(dirname "$(readlink -f "$(command -v "$SWIFT")")")/clang
"$clang" -O2 -fPIC -DPYMAN_GLIBC_FLOOR -c Sources/CGlibcCompat/CGlibcCompat.c -o "$glibc/CGlibcCompat.o"
"$clang" -x c++ -O2 -fPIE -pie -fuse-ld=gold "-B$glibc/crt" "-L$static_cxx" "-L$glibc/lib" -static-libgcc \
    Containers/glibc-floor-probe.cc -x none "$glibc/CGlibcCompat.o" -lstdc++ -lpthread -ldl -o "$probe" \
    || die "cannot link Containers/glibc-floor-probe.cc against glibc $GLIBC_FLOOR"
too_new=$(objdump -T "$probe" | sed -n 's/.*(\(GLIBC_[0-9.]*\))[[:space:]]*\(.*\)$/\2 \1/p' | above_floor)
[[ -z $too_new ]] || die "the probe needs glibc symbols newer than $GLIBC_FLOOR:"$'\n'"$too_new"
"$probe" >&2 || die "$probe failed"

rm -rf "$DIST"
mkdir -p "$DIST/bin" "$DIST/share/bash-completion/completions" "$DIST/share/zsh/site-functions" \
    "$DIST/share/fish/vendor_completions.d" "$DIST/share/man/man1"
# The build keeps its symbols (for crash backtraces while developing); the artefact does not.
"$STRIP" -o "$DIST/bin/pyman" "$bin/pyman"
chmod 755 "$DIST/bin/pyman"
pyman=$DIST/bin/pyman

"$pyman" --version >/dev/null || die "$pyman does not run"
ldd_output=$(ldd "$pyman")
if grep -q 'not found' <<<"$ldd_output"; then die "missing libraries:"$'\n'"$ldd_output"; fi
if grep -qE 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' <<<"$ldd_output"; then
    die "Swift libraries are still linked dynamically:"$'\n'"$ldd_output"
fi

"$pyman" --generate-completion-script bash >"$DIST/share/bash-completion/completions/pyman"
"$pyman" --generate-completion-script zsh >"$DIST/share/zsh/site-functions/_pyman"
"$pyman" --generate-completion-script fish >"$DIST/share/fish/vendor_completions.d/pyman.fish"

# A reproducible date for the page: SOURCE_DATE_EPOCH, else the last commit, else today.
if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
    date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
else
    date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
fi
"$tools_bin/generate-manual" "$pyman" --date "$date" --section 1 --output-directory "$DIST/share/man/man1" >/dev/null
[[ -s $DIST/share/man/man1/pyman.1 ]] || die "generate-manual wrote no pyman.1"
find "$DIST/share" -type f -exec chmod 644 {} +

size=$(stat -c %s "$pyman")
echo "release: $pyman $("$pyman" --version), $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }')), highest glibc symbol version $glibc_max (floor GLIBC_$GLIBC_FLOOR)"
echo "ldd $pyman:"
echo "$ldd_output"
echo "files:"
(cd "$DIST" && find . -type f | sort | sed 's|^\./|  |')
