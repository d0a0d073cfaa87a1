#!/usr/bin/env bash
# The aarch64 test fixture: genuine CPython 3.13.5 for aarch64 Linux, cross-compiled here from the same
# Debian source tarball as the x86-64 3.13.5 fixture, built like python-build-standalone builds it
# (--prefix=/install, --enable-shared, RUNPATH $ORIGIN/../lib) and packed under pbs's name:
#
#   $CACHE/mirror/20250723/cpython-3.13.5+20250723-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz
#   $CACHE/download-metadata-aarch64.json   uv format: cpython-3.13.5-linux-aarch64-gnu, and the x86-64
#                                           3.13.5 and 3.11.2 entries of download-metadata.json
#   $CACHE/SHA256SUMS-aarch64               sha256sum format, relative to mirror/
#   $CACHE/aarch64/root                     bookworm's arm64 libraries (the build's sysroot, and the
#                                           QEMU_LD_PREFIX the tests run aarch64 programs with)
#
#   bash Fixtures/build-aarch64.sh           # prints the cache folder on stdout; after Fixtures/build.sh
#
# A step of its own (`make fixtures-aarch64`), cached beside the other fixtures in
# ${PYMAN_FIXTURES_CACHE:-~/.cache/pyman-fixtures} (stamp .complete-aarch64), so the x86-64 fixtures never
# wait for it. It needs Fixtures/build.sh's 3.13.5 first: its tarball, and its x86-64 interpreter as the
# cross build's --with-build-python. It runs the aarch64 interpreter (ensurepip, post-processing, the
# import checks: a cross build never import-tests its modules itself) through qemu-user and binfmt_misc.
#
# Pieces: bookworm's own cross compiler (gcc-aarch64-linux-gnu, host packages); the arm64 -dev packages
# fetched through a private apt configuration ($CACHE/aarch64/apt: its own sources list, lists, cache and
# status, APT::Architecture arm64; the host's apt is never told about arm64) and unpacked with dpkg -x.
set -euo pipefail

FIXTURES_AARCH64_VERSION=1
COMPLETE_STAMP="FIXTURES_AARCH64_VERSION=$FIXTURES_AARCH64_VERSION"
V=3.13.5
MM=3.13
BUILD_TAG=20250723
TRIPLE=aarch64-unknown-linux-gnu
ARCHIVE=$BUILD_TAG/cpython-$V+$BUILD_TAG-$TRIPLE-install_only_stripped.tar.gz
URL_PREFIX=https://github.com/astral-sh/python-build-standalone/releases/download
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
JOBS=${PYMAN_FIXTURES_JOBS:-2}
HOST_PACKAGES=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static binfmt-support)
# The libraries CPython's modules link (as the x86-64 fixtures have, less tk), and pyman's runtime ones.
ARM64_PACKAGES=(libc6-dev libssl-dev zlib1g-dev libffi-dev libsqlite3-dev libbz2-dev liblzma-dev libreadline-dev
    libncurses-dev uuid-dev libexpat1-dev libgdbm-dev libgdbm-compat-dev libcrypt-dev libnsl-dev libtirpc-dev
    libcurl4 libarchive13)

CACHE=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)
HERE=$(cd "$(dirname "$0")" && pwd)
A=$CACHE/aarch64
TREE=$A/root
LOGS=$CACHE/logs
STAGE=$CACHE/stage/$V-aarch64

LOG_TAG=fixtures-aarch64
source "$HERE/script-lib.sh"   # log, die, run_logged, clean_build_environment

complete() {
    [[ $(cat "$CACHE/.complete-aarch64" 2>/dev/null) == "$COMPLETE_STAMP" && -s $CACHE/mirror/$ARCHIVE \
        && -s $CACHE/download-metadata-aarch64.json && -d $TREE ]] \
        && (cd "$CACHE/mirror" && sha256sum -c --quiet --status "$CACHE/SHA256SUMS-aarch64")
}
if complete; then echo "$CACHE"; exit 0; fi
exec 9>"$CACHE/.lock-aarch64"
flock 9
if complete; then echo "$CACHE"; exit 0; fi
rm -f "$CACHE/.complete-aarch64"
mkdir -p "$A" "$LOGS"
T_START=$SECONDS

clean_build_environment

# ------------------------------------------------------------------------------------ what it needs
BUILD_PY=$CACHE/stage/$V/install/bin/python$MM
TARBALL=$CACHE/src/python3.13_$V.orig.tar.xz
[[ -x $BUILD_PY && -s $TARBALL ]] || die "the x86-64 $V fixture (its tarball and interpreter) is missing; run \`make fixtures\` first"
missing=()
for p in "${HOST_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing host packages: ${missing[*]} (run as root, or apt-get install them)"
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive run_logged "$LOGS/aarch64-host-apt.log" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# binfmt_misc: the kernel starts aarch64 programs through qemu-aarch64 (fixtures/aarch64-env.sh).
source "$HERE/aarch64-env.sh"
why=$(aarch64_binfmt_ready) || die "$why"

# ------------------------------------------------------------------------------- bookworm's arm64 tree
APT_DIR=$A/apt
arm64_apt() { APT_CONFIG=$APT_DIR/apt.conf apt-get "$@"; }
tree_recipe="recipe=1 suite=bookworm packages=${ARM64_PACKAGES[*]}"
if [[ ! -d $TREE || $(cat "$A/root.stamp" 2>/dev/null) != "$tree_recipe" ]]; then
    t0=$SECONDS
    rm -rf "$APT_DIR" "$TREE.build"
    mkdir -p "$APT_DIR/state/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/sources.list.d" "$APT_DIR/debs"
    : >"$APT_DIR/state/status"
    echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR bookworm main" >"$APT_DIR/sources.list"
    cat >"$APT_DIR/apt.conf" <<EOF
Dir::Etc::sourcelist "$APT_DIR/sources.list";
Dir::Etc::sourceparts "$APT_DIR/sources.list.d";
Dir::State "$APT_DIR/state";
Dir::State::status "$APT_DIR/state/status";
Dir::Cache "$APT_DIR/cache";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
APT::Sandbox::User "root";
EOF
    log "arm64 packages from bookworm (private apt config $APT_DIR/apt.conf; log $LOGS/aarch64-apt.log)"
    run_logged "$LOGS/aarch64-apt-update.log" arm64_apt update
    closure=$(APT_CONFIG=$APT_DIR/apt.conf apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances "${ARM64_PACKAGES[@]}" | grep -E '^[a-z0-9]' | sed 's/:arm64$//' | sort -u)
    (cd "$APT_DIR/debs" && run_logged "$LOGS/aarch64-apt.log" arm64_apt download $closure)
    mkdir -p "$TREE.build"
    for deb in "$APT_DIR"/debs/*.deb; do dpkg -x "$deb" "$TREE.build" || die "dpkg -x $deb failed"; done
    # merged /usr, as on a bookworm system (the loader is /lib/ld-linux-aarch64.so.1).
    for d in lib bin sbin; do
        if [[ -d $TREE.build/$d && ! -L $TREE.build/$d ]]; then cp -a "$TREE.build/$d/." "$TREE.build/usr/$d/" && rm -rf "$TREE.build/$d"; fi
        ln -sfn "usr/$d" "$TREE.build/$d"
    done
    # The -dev packages' absolute links (libz.so -> /lib/aarch64-linux-gnu/...) made relative: the
    # linker would follow them to the host's x86-64 files.
    while IFS= read -r -d '' l; do
        target=$(readlink "$l")
        [[ $target == /* ]] || continue
        ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$TREE.build$target")" "$l"
    done < <(find "$TREE.build" -type l -print0)
    rm -rf "$TREE.build/usr/share/doc" "$TREE.build/usr/share/man" "$TREE.build/usr/share/locale" "$APT_DIR/debs"
    rm -rf "$TREE"
    mv "$TREE.build" "$TREE"
    echo "$tree_recipe" >"$A/root.stamp"
    log "arm64 tree: $(echo "$closure" | wc -w) packages in $((SECONDS - t0))s ($(du -sh "$TREE" | cut -f1))"
fi
export QEMU_LD_PREFIX=$TREE

# -------------------------------------------------------------------------------------- the build
# Two stamps: .installed after `make install` (the post-processing below can be redone over it), .ok at the end.
if [[ $(cat "$STAGE/.ok" 2>/dev/null) != "$COMPLETE_STAMP" ]]; then
    t0=$SECONDS
    work=$A/work
  if [[ $(cat "$STAGE/.installed" 2>/dev/null) != "$COMPLETE_STAMP" ]]; then
    rm -rf "$work" "$STAGE"
    mkdir -p "$work"
    log "cpython $V aarch64: unpacking $(basename "$TARBALL")"
    tar -xf "$TARBALL" -C "$work"
    src=$work/Python-$V
    grep -qE "^#define PY_VERSION[[:space:]]+\"$V\"" "$src/Include/patchlevel.h" || die "$(basename "$TARBALL") is not CPython $V"
    # What configure cannot find out without running a target program.
    printf '%s\n' ac_cv_file__dev_ptmx=yes ac_cv_file__dev_ptc=no ac_cv_buggy_getaddrinfo=no >"$work/config.site"
    # pkg-config must read the arm64 .pc files with the tree as their root (Debian's libffi.pc says
    # /usr/include; without this, _ctypes links without libffi and fails at import).
    export PKG_CONFIG_LIBDIR=$TREE/usr/lib/aarch64-linux-gnu/pkgconfig:$TREE/usr/share/pkgconfig
    export PKG_CONFIG_SYSROOT_DIR=$TREE
    export PKG_CONFIG_SYSTEM_INCLUDE_PATH=/usr/include:/usr/include/aarch64-linux-gnu
    export PKG_CONFIG_SYSTEM_LIBRARY_PATH=/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu
    cc="aarch64-linux-gnu-gcc --sysroot=$TREE"
    log "cpython $V aarch64: configure --host=aarch64-linux-gnu --enable-shared (log $LOGS/configure-$V-aarch64.log)"
    (cd "$src" && CONFIG_SITE=$work/config.site run_logged "$LOGS/configure-$V-aarch64.log" ./configure \
        --build=x86_64-linux-gnu --host=aarch64-linux-gnu --with-build-python="$BUILD_PY" \
        --prefix=/install --enable-shared --without-ensurepip \
        CC="$cc" CXX="aarch64-linux-gnu-g++ --sysroot=$TREE" READELF=aarch64-linux-gnu-readelf \
        LDFLAGS="-Wl,-rpath,'\$\$ORIGIN/../lib'")
    log "cpython $V aarch64: make -j$JOBS (log $LOGS/make-$V-aarch64.log)"
    (cd "$src" && run_logged "$LOGS/make-$V-aarch64.log" make -j"$JOBS")
    (cd "$src" && run_logged "$LOGS/install-$V-aarch64.log" make install DESTDIR="$STAGE")
    unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_SYSTEM_INCLUDE_PATH PKG_CONFIG_SYSTEM_LIBRARY_PATH
    echo "$((SECONDS - t0))" >"$STAGE/.build-seconds"
    if grep -E "Failed to build these modules|could not be imported|necessary bits to build these optional modules were not found" \
        -A3 "$LOGS/make-$V-aarch64.log" >"$LOGS/modules-$V-aarch64.txt"; then
        log "cpython $V aarch64: note, from the make log:"; sed 's/^/    /' "$LOGS/modules-$V-aarch64.txt" >&2
    fi
    echo "$COMPLETE_STAMP" >"$STAGE/.installed"
  fi
    built=$(cat "$STAGE/.build-seconds")
    root=$STAGE/install
    py=$root/bin/python$MM
    readelf -h "$py" | grep -q 'Machine:.*AArch64' || die "$py is not an AArch64 program"
    [[ $(readelf -d "$py" | grep -E 'RUNPATH') == *'[$ORIGIN/../lib]'* ]] || die "bad RUNPATH on $py"
    # The arm64 tree's path leaks into the shipped sysconfig data, config Makefile and .pc files (CC's
    # --sysroot, pkg-config's -L/-I under PKG_CONFIG_SYSROOT_DIR, CONFIG_ARGS): written as a native
    # build would have them (-L/usr/lib/aarch64-linux-gnu), with no --sysroot.
    while IFS= read -r -d '' f; do
        sed -i -e "s| --sysroot=$TREE||g" -e "s|$TREE||g" "$f"
    done < <(grep -rlIZ -- "$TREE" "$root/lib" || true)  # text files only (-I): binaries keep theirs
    if grep -rq -- "$TREE" "$root/lib/python$MM/_sysconfigdata__linux_aarch64-linux-gnu.py" "$root/lib/python$MM/config-$MM-aarch64-linux-gnu/Makefile"; then
        die "the arm64 tree's path is still in the installed sysconfig data"
    fi
    log "cpython $V aarch64: post-processing under qemu (pip, shebangs, sysconfigdata, pkg-config)"
    ln -sfn "python$MM" "$root/bin/python"
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/ensurepip-$V-aarch64.log" "$py" -I -B -m ensurepip --default-pip
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/postprocess-$V-aarch64.log" "$py" -I -B "$HERE/pbs-touches.py" "$root" "$MM"
    find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +
    echo "$V aarch64 configure+make+install: ${built}s; with post-processing: $((SECONDS - t0))s" >"$STAGE/timing.txt"
    rm -rf "$work"
    echo "$COMPLETE_STAMP" >"$STAGE/.ok"
    log "cpython $V aarch64: built in ${built}s, $((SECONDS - t0))s in all"
fi

# verify ROOT LABEL: under qemu, the interpreter imports every module the x86-64 fixtures check (less
# tkinter: no tk here), and sys.base_prefix is the tree, not the host's.
verify() {
    local root=$1 label=$2 out
    out=$(PYTHONDONTWRITEBYTECODE=1 "$root/bin/python$MM" -I -B -c '
import sys, platform, ssl, sqlite3, ctypes, zlib, bz2, lzma, sysconfig
import readline, curses, decimal, pyexpat, hashlib, uuid, _uuid, dbm.gnu, _ctypes
ctypes.CDLL(None)
assert sqlite3.connect(":memory:").execute("select 1").fetchone() == (1,)
print(sys.version.split()[0], sys.base_prefix, platform.machine(), sysconfig.get_config_var("Py_ENABLE_SHARED"), ssl.OPENSSL_VERSION, sep="|")
') || die "$label: the import check failed under qemu"
    IFS='|' read -r got_v got_base got_machine got_shared got_ssl <<<"$out"
    [[ $got_v == "$V" && $got_machine == aarch64 && $got_shared == 1 ]] || die "$label: says $out"
    [[ $got_base -ef $root ]] || die "$label: sys.base_prefix is $got_base, want $root"
    ls "$root/lib/python$MM/ensurepip/_bundled/"pip-*.whl >/dev/null 2>&1 || die "$label: no bundled pip wheel"
    log "$label ok: $got_v on $got_machine, $got_ssl"
}
verify "$STAGE/install" staged

# ------------------------------------------------------------------------------------------- pack
t0=$SECONDS
pdir=$A/pack
rm -rf "$pdir"; mkdir -p "$pdir"
cp -a "$STAGE/install" "$pdir/python"
root=$pdir/python
for c in test idlelib/idle_test tkinter/test unittest/test lib2to3/tests ctypes/test distutils/tests email/test json/tests sqlite3/test; do
    rm -rf "$root/lib/python$MM/$c"
done
for name in _ctypes_test _testbuffer _testcapi _testexternalinspection _testimportmultiple _testinternalcapi \
    _testlimitedcapi _testmultiphase _testsinglephase; do
    rm -f "$root/lib/python$MM/lib-dynload/$name".cpython-*.so
done
find "$root/lib" -name 'libpython*.a' -delete
while IFS= read -r -d '' f; do
    if [[ ! -L $f && $(head -c 4 "$f" | od -An -c | tr -d ' ') == '177ELF' ]]; then
        chmod u+w "$f"; aarch64-linux-gnu-strip --strip-unneeded "$f"
    fi
done < <(find "$root" -type f \( -path '*/bin/*' -o -name '*.so' -o -name '*.so.*' \) -print0)
mkdir -p "$root/lib/python$MM/lib-dynload" && touch "$root/lib/python$MM/lib-dynload/.empty"
verify "$root" stripped
mkdir -p "$CACHE/mirror/$BUILD_TAG"
tmp=$CACHE/mirror/$BUILD_TAG/.tmp-aarch64.tar.gz
tar -C "$pdir" --owner=0 --group=0 --numeric-owner --sort=name --format=gnu -cf - python | gzip -6 -n >"$tmp"
mv -f "$tmp" "$CACHE/mirror/$ARCHIVE"
rm -rf "$pdir"
(cd "$CACHE/mirror" && sha256sum "$ARCHIVE") >"$CACHE/SHA256SUMS-aarch64"
echo "$V aarch64 pack+verify: $((SECONDS - t0))s" >"$STAGE/timing-pack.txt"
log "wrote $ARCHIVE ($(du -h "$CACHE/mirror/$ARCHIVE" | cut -f1))"

# -------------------------------------------------------------------------------------- catalogue
# The aarch64 entry beside download-metadata.json's x86-64 ones, as uv's file lists every platform.
PYTHONDONTWRITEBYTECODE=1 "$BUILD_PY" -I -B - "$CACHE" "$ARCHIVE" "$URL_PREFIX" "$V" "$BUILD_TAG" <<'EOF' >"$CACHE/.download-metadata-aarch64.json"
import json, sys
cache, archive, prefix, version, tag = sys.argv[1:]
digest = open(cache + "/SHA256SUMS-aarch64").read().split()[0]
major, minor, patch = (int(x) for x in version.split("."))
out = {"cpython-%s-linux-aarch64-gnu" % version: {
    "name": "cpython", "arch": {"family": "aarch64", "variant": None}, "os": "linux", "libc": "gnu",
    "major": major, "minor": minor, "patch": patch, "prerelease": "",
    "url": "%s/%s" % (prefix, archive.replace("+", "%2B")), "sha256": digest, "variant": None, "build": tag}}
try:
    out.update(json.load(open(cache + "/download-metadata.json")))
except FileNotFoundError:
    pass
json.dump(out, sys.stdout, indent=2)
sys.stdout.write("\n")
EOF
mv -f "$CACHE/.download-metadata-aarch64.json" "$CACHE/download-metadata-aarch64.json"
echo "$COMPLETE_STAMP" >"$CACHE/.complete-aarch64"
log "done in $((SECONDS - T_START))s: $(cat "$STAGE/timing.txt" "$STAGE/timing-pack.txt" | tr '\n' ';')"
echo "$CACHE"
