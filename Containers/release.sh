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
# It fails when the binary needs a library outside the allowed set below.
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
#
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
    -Xswiftc "-L$static_cxx" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)

log "swift build ${flags[*]}"
"$SWIFT" build "${flags[@]}" --product pyman
# swift-argument-parser's man page generator (the tool behind its generate-manual plugin), built from
# the already resolved dependency: no network, and it reads `pyman --experimental-dump-help`.
"$SWIFT" build "${flags[@]}" --product generate-manual
bin=$("$SWIFT" build "${flags[@]}" --show-bin-path)

# Only libc. The C++ runtime is linked in (above); libcurl, libarchive and libisal are opened with
# dlopen on first use (Sources/CLazyLoad), so they must not show up here: linked, they would slow every start.
allowed='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libutil\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$'
needed=$(readelf -d "$bin/pyman" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
unexpected=$(grep -Ev "$allowed" <<<"$needed" || true)
[[ -z $unexpected ]] || die "pyman needs libraries outside the allowed set: $(tr '\n' ' ' <<<"$unexpected")"
# pyman's modules import FoundationEssentials only; one call into Foundation proper (String(format:),
# FileHandle, Process, …) links all of it and its ICU data: +35 MiB and ~1 ms more at every start.
if nm "$bin/pyman" | grep -q '$s10Foundation'; then
    die "Foundation (not just FoundationEssentials) is linked in; find the call with: swift build $(printf '%s ' "${flags[@]}")-Xlinker -Map=/tmp/pyman.map and look for libFoundation.a in the map"
fi
if readelf -d "$bin/pyman" | grep -qE '\((RPATH|RUNPATH)\)'; then
    die "pyman has an RPATH/RUNPATH: $(readelf -d "$bin/pyman" | grep -E 'RPATH|RUNPATH')"
fi

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
"$bin/generate-manual" "$pyman" --date "$date" --section 1 --output-directory "$DIST/share/man/man1" >/dev/null
[[ -s $DIST/share/man/man1/pyman.1 ]] || die "generate-manual wrote no pyman.1"
find "$DIST/share" -type f -exec chmod 644 {} +

size=$(stat -c %s "$pyman")
echo "release: $pyman $("$pyman" --version), $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }'))"
echo "ldd $pyman:"
echo "$ldd_output"
echo "files:"
(cd "$DIST" && find . -type f | sort | sed 's|^\./|  |')
