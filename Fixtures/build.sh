#!/usr/bin/env bash
# Build genuine CPython fixtures for pyman's tests, packed like
# python-build-standalone (pbs) release assets, plus a PyPy in its upstream
# portable layout, Debian's venv module of newer CPythons, and uv-format
# catalogues.
#
#   bash Fixtures/build.sh        # prints the cache directory on stdout
#
# Everything lives outside the repository, in
#   ${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
# and a finished cache makes this script exit at once. Delete the cache (or
# bump one of the *_VERSION knobs below) to rebuild. See README.md.
set -euo pipefail

# Bump when the packed outputs (archives, catalogues, stdlib files) change.
FIXTURES_VERSION=2
# Bump when the way a CPython is built or post-processed changes.
STAGE_VERSION=1
# Bump when the way the PyPy tree is assembled from Debian's packages changes.
PYPY_STAGE_VERSION=2
# Bump when the way archives are packed changes (all are packed again).
PACK_VERSION=1
# .complete holds all of them: bumping any one leaves the fast path, and then
# only what that knob covers is redone.
COMPLETE_STAMP="FIXTURES_VERSION=$FIXTURES_VERSION STAGE_VERSION=$STAGE_VERSION PYPY_STAGE_VERSION=$PYPY_STAGE_VERSION PACK_VERSION=$PACK_VERSION"

BUILD_TAG=20250723
TRIPLE=x86_64-unknown-linux-gnu
# Shared-libpython builds, packed under $BUILD_TAG, in build order.
VERSIONS=(3.9.2 3.11.2 3.13.5 3.13.15)
# download-metadata.json lists only these (existing tests rely on it).
CATALOGUE_VERSIONS=(3.11.2 3.13.5)
FULL_VERSIONS=(3.13.5)               # versions that also get a -full.tar.zst
# Static-libpython builds ("<version>-static" stages), packed under their own
# build tag; they are in SHA256SUMS but in no catalogue.
STATIC_VERSIONS=(3.13.15)
STATIC_TAG=20251217
# venv/__init__.py of these, from Debian forky's libpython3.X-stdlib.
STDLIB_VENV=(3.14 3.15)
# PyPy from Debian bookworm's pypy3 packages, repacked like upstream's tarball.
PYPY_VERSION=7.3.11
PYPY_PYTHON=3.9.16
PYPY_MM=3.9
PYPY_NAME=pypy$PYPY_MM-v$PYPY_VERSION-linux64
PYPY_URL_PREFIX=https://downloads.python.org/pypy
ZSTD_LEVEL=${PYMAN_FIXTURES_ZSTD_LEVEL:-19}
PACK_FORMATS=(gz zst)                # install_only_stripped archives
WITH_PYPY=1

FIXTURES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=fixtures
source "$FIXTURES_DIR/script-lib.sh"   # log, die, run_logged, clean_build_environment

# PYMAN_FIXTURES_SET=demo: only what `make demo` serves, 3.13.5's .tar.gz and a catalogue naming it, so
# a newcomer's first demo waits for one CPython build instead of five and PyPy (about 23 minutes on 2
# cores). `make test` builds the rest later, reusing that build (stages are cached one by one).
FIXTURES_SET=${PYMAN_FIXTURES_SET:-all}
case $FIXTURES_SET in
    all) STAMP_FILE=.complete ;;
    demo)
        VERSIONS=(3.13.5) CATALOGUE_VERSIONS=(3.13.5) FULL_VERSIONS=() STATIC_VERSIONS=() STDLIB_VENV=()
        PACK_FORMATS=(gz) WITH_PYPY=0 STAMP_FILE=.complete-demo ;;
    *) die "PYMAN_FIXTURES_SET is '$FIXTURES_SET'; use all or demo" ;;
esac
JOBS=${PYMAN_FIXTURES_JOBS:-2}
URL_PREFIX=https://github.com/astral-sh/python-build-standalone/releases/download

CACHE=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)
MIRROR=$CACHE/mirror/$BUILD_TAG

# stage ids: "3.11.2" (shared libpython) or "3.13.15-static"
stage_ids() {
    local v
    for v in "${VERSIONS[@]}"; do echo "$v"; done
    for v in "${STATIC_VERSIONS[@]}"; do echo "$v-static"; done
}
id_version() { echo "${1%-static}"; }
id_kind() { if [[ $1 == *-static ]]; then echo static; else echo shared; fi; }
id_tag() { if [[ $1 == *-static ]]; then echo "$STATIC_TAG"; else echo "$BUILD_TAG"; fi; }

# Every archive, relative to $CACHE/mirror (the layout of the upstream URLs).
archive_names() {
    local id v tag f
    while read -r id; do
        v=$(id_version "$id") tag=$(id_tag "$id")
        for f in "${PACK_FORMATS[@]}"; do echo "$tag/cpython-$v+$tag-$TRIPLE-install_only_stripped.tar.$f"; done
    done < <(stage_ids)
    for v in "${FULL_VERSIONS[@]}"; do
        echo "$BUILD_TAG/cpython-$v+$BUILD_TAG-$TRIPLE-full.tar.zst"
    done
    ((WITH_PYPY)) || return 0
    echo "pypy/$PYPY_NAME.tar.bz2"
    echo "pypy/$PYPY_NAME.tar.gz"
}

# Every other output, relative to $CACHE.
other_outputs() {
    local mm
    echo SHA256SUMS
    echo download-metadata.json
    if ((WITH_PYPY)); then echo download-metadata-all.json; fi
    for mm in "${STDLIB_VENV[@]}"; do
        echo "stdlib/$mm/venv/__init__.py"
        echo "stdlib/$mm/venv/scripts/common/activate"
        echo "stdlib/$mm/SOURCE"
    done
}

outputs_complete() {
    # A finished whole set holds the demo's outputs too (checked below, as a subset).
    local stamp
    for stamp in "$STAMP_FILE" .complete; do
        [[ -f $CACHE/$stamp && "$(cat "$CACHE/$stamp")" == "$COMPLETE_STAMP" ]] && break
        [[ $stamp == .complete ]] && return 1
    done
    local f
    while read -r f; do
        [[ -s $CACHE/$f ]] || return 1
    done < <(other_outputs)
    while read -r f; do
        [[ -s $CACHE/mirror/$f ]] || return 1
        grep -qF "  $f" "$CACHE/SHA256SUMS" || return 1
    done < <(archive_names)
}

# ---------------------------------------------------------------- fast path
if outputs_complete; then
    echo "$CACHE"
    exit 0
fi

# Serialise concurrent runs on the same cache, then look again.
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
    log "another build holds $CACHE/.lock; waiting"
    flock 9
fi
if outputs_complete; then
    echo "$CACHE"
    exit 0
fi
rm -f "$CACHE/$STAMP_FILE"

SRC=$CACHE/src
LOGS=$CACHE/logs
WORK=$CACHE/work
STAGES=$CACHE/stage
mkdir -p "$SRC" "$LOGS" "$WORK" "$STAGES" "$MIRROR"

clean_build_environment

# ---------------------------------------------------------------- apt
APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update"
        run_logged "$LOGS/apt-update.log" apt-get update
        APT_UPDATED=1
    fi
}

BUILD_DEPS=(build-essential gcc make pkg-config libssl-dev zlib1g-dev libffi-dev
    libsqlite3-dev libbz2-dev liblzma-dev libreadline-dev libncurses-dev uuid-dev
    libexpat1-dev libgdbm-dev libgdbm-compat-dev tk-dev zstd xz-utils dpkg-dev
    binutils patchelf bzip2 patch)

install_build_deps() {
    local missing=() p
    for p in "${BUILD_DEPS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        [[ $(id -u) == 0 ]] || die "missing packages (${missing[*]}) and not root"
        apt_update_once
        log "apt-get install ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive run_logged "$LOGS/apt-install.log" \
            apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}

DEB_SRC_FILE=/etc/apt/sources.list.d/pyman-deb-src.sources
DEB_SRC_CONTENT='Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm trixie bullseye forky
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'

ensure_deb_src() {
    if [[ ! -f $DEB_SRC_FILE || "$(cat "$DEB_SRC_FILE")" != "$DEB_SRC_CONTENT" ]]; then
        log "adding deb-src entries (bookworm, trixie, bullseye, forky) in $DEB_SRC_FILE"
        printf '%s\n' "$DEB_SRC_CONTENT" >"$DEB_SRC_FILE"
        APT_UPDATED=0
    fi
    apt_update_once
}

# src_package VERSION -> Debian source package and suite holding that upstream
src_package() {
    case $1 in
        3.9.2) echo "python3.9 bullseye" ;;
        3.11.2) echo "python3.11 bookworm" ;;
        3.13.5) echo "python3.13 trixie" ;;
        3.13.15) echo "python3.13 forky" ;;
        *) die "no Debian source known for $1" ;;
    esac
}

# orig_tarball VERSION -> path of the cached upstream tarball (may not exist)
orig_tarball() {
    local v=$1 pkg suite f
    read -r pkg suite < <(src_package "$v")
    for f in "$SRC/${pkg}_$v.orig.tar."*; do
        [[ -f $f && $f != *.asc ]] && { echo "$f"; return; }
    done
    echo ""
}

fetch_source() {
    local v=$1 pkg suite tmp f
    [[ -n $(orig_tarball "$v") ]] && return 0
    read -r pkg suite < <(src_package "$v")
    ensure_deb_src
    tmp=$SRC/.download-$pkg
    rm -rf "$tmp"; mkdir -p "$tmp"
    log "apt-get source --download-only $pkg/$suite"
    (cd "$tmp" && run_logged "$LOGS/apt-source-$pkg.log" apt-get source --download-only "$pkg/$suite")
    f=$(ls "$tmp/${pkg}_$v.orig.tar."* 2>/dev/null | grep -v '\.asc$' | head -n 1 || true)
    if [[ -z $f ]]; then
        ls -l "$tmp" >&2
        die "$pkg/$suite did not provide upstream $v (expected ${pkg}_$v.orig.tar.*)"
    fi
    mv "$tmp"/*.dsc "$SRC/" 2>/dev/null || true
    mv "$f" "$SRC/"
    rm -rf "$tmp"
}

# ---------------------------------------------------------------- compiler
choose_compiler() {
    local probe=$WORK/cc-probe
    if ! command -v clang >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/clang ]]; then
        export PATH=$PATH:/opt/swift/usr/bin
    fi
    mkdir -p "$probe"
    printf '#include <stdio.h>\n#include <math.h>\nint main(void){printf("%%f\\n", sqrt(2.0));return 0;}\n' >"$probe/t.c"
    printf '#include <string>\nint main(){std::string s("x");return (int)s.size()-1;}\n' >"$probe/t.cc"
    if command -v clang >/dev/null 2>&1 && command -v clang++ >/dev/null 2>&1 &&
       clang -O1 -o "$probe/t" "$probe/t.c" -lm >/dev/null 2>&1 && "$probe/t" >/dev/null 2>&1 &&
       clang++ -o "$probe/tt" "$probe/t.cc" >/dev/null 2>&1 && "$probe/tt"; then
        FIX_CC=clang FIX_CXX=clang++
    else
        FIX_CC=gcc FIX_CXX=g++
    fi
    rm -rf "$probe"
    log "compiler: $FIX_CC ($(command -v "$FIX_CC")) -- $("$FIX_CC" --version | head -n 1)"
}

# ---------------------------------------------------------------- helpers
majmin() { echo "${1%.*}"; }

# is_elf FILE
is_elf() { [[ -f $1 && ! -L $1 && "$(head -c 4 "$1" | od -An -c | tr -d ' ')" == '177ELF' ]]; }

# verify_tree VERSION ROOT LABEL [shared|static] : ROOT holds bin/ lib/ ...;
# fails loudly.
verify_tree() {
    local v=$1 root=$2 label=$3 kind=${4:-shared} mm py out venv
    mm=$(majmin "$v")
    py=$root/bin/python$mm
    [[ -x $py ]] || die "$label: $py missing"

    # RUNPATH must literally be $ORIGIN/../lib.
    out=$(readelf -d "$py" | grep -E 'RUNPATH|RPATH' || true)
    [[ $out == *'[$ORIGIN/../lib]'* ]] || die "$label: bad RUNPATH on $py: ${out:-none}"

    out=$(ldd "$py")
    if [[ $kind == shared ]]; then
        # libpython must come from the tree itself (never /usr/lib/...).
        local libpy
        libpy=$(awk -v n="libpython$mm.so.1.0" '$1 == n && $2 == "=>" {print $3}' <<<"$out")
        [[ -n $libpy && $(realpath "$libpy") == "$(realpath "$root/lib/libpython$mm.so.1.0")" ]] ||
            die "$label: $py does not load its own libpython:"$'\n'"$out"
    else
        # libpython is linked into the executable: neither ldd nor NEEDED may name it.
        if grep -q libpython <<<"$out" || readelf -d "$py" | grep NEEDED | grep -q libpython; then
            die "$label: static $py needs a libpython:"$'\n'"$out"
        fi
    fi
    if grep -q 'not found' <<<"$out"; then die "$label: $py has unresolved libraries:"$'\n'"$out"; fi

    local want_shared=1
    [[ $kind == static ]] && want_shared=0
    out=$(PYTHONDONTWRITEBYTECODE=1 "$py" -I -B -c '
import sys, ssl, sqlite3, ctypes, zlib, bz2, lzma, sysconfig
import readline, curses, decimal, pyexpat, hashlib, uuid, _uuid, dbm.gnu, _tkinter
ctypes.CDLL(None)
print(sys.version.split()[0], sys.base_prefix, sys.prefix, ssl.OPENSSL_VERSION,
      sysconfig.get_config_var("Py_ENABLE_SHARED"), sep="|")
') || die "$label: $py failed the import check"
    IFS='|' read -r got_v got_base got_prefix got_ssl got_shared <<<"$out"
    [[ $got_v == "$v" ]] || die "$label: version is '$got_v', want $v"
    [[ $(cd "$got_base" && pwd -P) == "$(cd "$root" && pwd -P)" ]] ||
        die "$label: sys.base_prefix is $got_base, want $root"
    [[ $got_prefix == "$got_base" ]] || die "$label: sys.prefix $got_prefix != base_prefix"
    [[ $got_shared == "$want_shared" ]] || die "$label: Py_ENABLE_SHARED is $got_shared, want $want_shared"

    ls "$root/lib/python$mm/ensurepip/_bundled/"pip-*.whl >/dev/null 2>&1 ||
        die "$label: no bundled pip wheel"

    venv=$(mktemp -d "${TMPDIR:-/tmp}/pyman-fixture-venv.XXXXXX")
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/venv-$v-$kind-$label.log" "$py" -m venv "$venv/v"
    out=$("$venv/v/bin/python" -m pip --version) || die "$label: pip in a venv failed"
    [[ $out == pip\ * ]] || die "$label: unexpected pip --version: $out"
    rm -rf "$venv"
    [[ -x $root/bin/pip$mm ]] && { "$root/bin/pip$mm" --version >/dev/null || die "$label: bin/pip$mm broken"; }
    if [[ $kind == static && -e $root/lib/libpython$mm.so.1.0 ]]; then
        verify_embedding "$v" "$root" "$label"
    fi
    find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +
    log "$label $v ($kind) ok: $got_ssl; $out"
}

# verify_embedding VERSION ROOT LABEL : a C program linked against the tree's
# lib/libpython3.X.so runs the tree's stdlib, extension modules included.
verify_embedding() {
    local v=$1 root=$2 label=$3 mm dir out
    mm=$(majmin "$v")
    dir=$(mktemp -d "${TMPDIR:-/tmp}/pyman-fixture-embed.XXXXXX")
    cat >"$dir/embed.c" <<'C_EOF'
#include <Python.h>
int main(void) {
    Py_Initialize();
    int rc = PyRun_SimpleString(
        "import sys, _ssl, _ctypes, _sqlite3, math\n"
        "print(sys.version.split()[0], sys.base_prefix, sep='|')\n");
    if (Py_FinalizeEx() < 0) return 120;
    return rc == 0 ? 0 : 1;
}
C_EOF
    run_logged "$LOGS/embed-$v-$label.log" "$FIX_CC" -I"$root/include/python$mm" "$dir/embed.c" \
        -o "$dir/embed" -L"$root/lib" -lpython"$mm" -Wl,-rpath,"$root/lib"
    out=$(ldd "$dir/embed")
    [[ $(awk -v n="libpython$mm.so.1.0" '$1 == n {print $3}' <<<"$out") -ef $root/lib/libpython$mm.so.1.0 ]] ||
        die "$label: the embedding test does not load $root/lib/libpython$mm.so.1.0:"$'\n'"$out"
    out=$(PYTHONHOME=$root PYTHONDONTWRITEBYTECODE=1 "$dir/embed") ||
        die "$label: embedding lib/libpython$mm.so.1.0 failed"
    [[ ${out%%|*} == "$v" && ${out#*|} -ef $root ]] ||
        die "$label: the embedded interpreter says '$out', want $v|$root"
    rm -rf "$dir"
    log "$label $v: lib/libpython$mm.so.1.0 embeds ($out)"
}

# ---------------------------------------------------------------- build
stage_ok() { [[ -f $STAGES/$1/.ok && "$(cat "$STAGES/$1/.ok")" == "STAGE_VERSION=$STAGE_VERSION" ]]; }

# build_stage ID : configure, make, install, post-process and verify one
# interpreter into $STAGES/ID/install.
build_stage() {
    local id=$1 v kind mm tarball stage src t0 t1 ldflags pipver shared_args=() t_start
    v=$(id_version "$id") kind=$(id_kind "$id")
    t_start=$(date +%s)
    mm=$(majmin "$v")
    stage=$STAGES/$id
    if stage_ok "$id"; then
        log "cpython $id: staged build cached ($stage)"
        return 0
    fi
    # The static build ships the shared build's libpython .so (see below).
    if [[ $kind == static ]] && ! stage_ok "$v"; then
        die "cpython $id: the shared stage $v must be built first"
    fi
    fetch_source "$v"
    tarball=$(orig_tarball "$v")

    log "cpython $id: unpacking $(basename "$tarball")"
    rm -rf "$WORK/$id" "$stage"
    mkdir -p "$WORK/$id"
    tar -xf "$tarball" -C "$WORK/$id"
    src=$WORK/$id/Python-$v
    [[ -d $src ]] || die "$(basename "$tarball") has no Python-$v/ top folder"
    grep -qE "^#define PY_VERSION[[:space:]]+\"$v\"" "$src/Include/patchlevel.h" ||
        die "$(basename "$tarball") is not CPython $v: $(grep PY_VERSION "$src/Include/patchlevel.h")"

    # ensurepip needs its wheel; upstream tarballs carry it, fetch it if not.
    if ! ls "$src/Lib/ensurepip/_bundled/"pip-*.whl >/dev/null 2>&1; then
        pipver=$(sed -nE 's/^_PIP_VERSION = "([^"]+)".*/\1/p' "$src/Lib/ensurepip/__init__.py")
        [[ -n $pipver ]] || die "cannot find _PIP_VERSION in Lib/ensurepip/__init__.py"
        log "cpython $id: fetching pip $pipver wheel from PyPI for ensurepip"
        mkdir -p "$SRC/wheels" "$src/Lib/ensurepip/_bundled"
        ls "$SRC/wheels/pip-$pipver-"*.whl >/dev/null 2>&1 ||
            run_logged "$LOGS/pip-download-$pipver.log" python3 -m pip download --no-deps \
                --only-binary=:all: "pip==$pipver" -d "$SRC/wheels"
        cp "$SRC/wheels/pip-$pipver-"*.whl "$src/Lib/ensurepip/_bundled/"
    fi

    t0=$(date +%s)
    # make turns $$ into $, the shell's single quotes keep $ORIGIN literal.
    ldflags="-Wl,-rpath,'\$\$ORIGIN/../lib'"
    # static: no --enable-shared, so libpython is linked into bin/python3.X.
    [[ $kind == shared ]] && shared_args=(--enable-shared)
    log "cpython $id: configure ${shared_args[*]} (CC=$FIX_CC, log $LOGS/configure-$id.log)"
    (cd "$src" && run_logged "$LOGS/configure-$id.log" ./configure \
        --prefix=/install "${shared_args[@]}" --without-ensurepip \
        CC="$FIX_CC" CXX="$FIX_CXX" LDFLAGS="$ldflags")
    log "cpython $id: make -j$JOBS (log $LOGS/make-$id.log)"
    (cd "$src" && run_logged "$LOGS/make-$id.log" make -j"$JOBS")
    log "cpython $id: make install DESTDIR=$stage (log $LOGS/install-$id.log)"
    mkdir -p "$stage"
    (cd "$src" && run_logged "$LOGS/install-$id.log" make install DESTDIR="$stage")
    t1=$(date +%s)
    if grep -E "Failed to build these modules|could not be imported|necessary bits to build these optional modules were not found|following modules found by detect_modules|Could not build the ssl module" \
        -A3 "$LOGS/make-$id.log" >"$LOGS/modules-$id.txt"; then
        log "cpython $id: note, from the make log:"; sed 's/^/    /' "$LOGS/modules-$id.txt" >&2
    fi

    if [[ $kind == static ]]; then
        # Like pbs and Debian's own python3.X packages: the executable links
        # libpython statically, and lib/ still has libpython3.X.so for
        # embedders, taken from the shared build of the same source.
        local f
        for f in "libpython$mm.so.1.0" "libpython$mm.so" libpython3.so; do
            [[ -e $STAGES/$v/install/lib/$f ]] || die "cpython $id: $STAGES/$v/install/lib/$f missing"
            cp -a "$STAGES/$v/install/lib/$f" "$stage/install/lib/$f"
        done
    fi

    postprocess "$v" "$stage/install" "$id"
    verify_tree "$v" "$stage/install" staged "$kind"

    # Keep what a reader of the report wants to know.
    "$stage/install/bin/python$mm" -I -B -c '
import sysconfig, glob, os, sys
lib = os.path.join(sys.base_prefix, "lib", "python%d.%d" % sys.version_info[:2])
for k in ("CC", "CXX", "AR", "LDSHARED", "LDFLAGS", "CONFIG_ARGS", "LIBPL", "SOABI", "MULTIARCH",
          "Py_ENABLE_SHARED", "LDLIBRARY", "LIBRARY"):
    print("%s = %r" % (k, sysconfig.get_config_var(k)))
print("sysconfigdata =", [os.path.basename(p) for p in glob.glob(lib + "/_sysconfig*")])
print("config dirs =", [os.path.basename(p) for p in glob.glob(lib + "/config-*")])
print("bin =", sorted(os.listdir(os.path.join(sys.base_prefix, "bin"))))
print("lib =", sorted(p for p in os.listdir(os.path.join(sys.base_prefix, "lib")) if p.startswith("libpython")))
print("bundled =", sorted(os.listdir(lib + "/ensurepip/_bundled")))
' >"$stage/info.txt" 2>&1
    find "$stage/install" -name __pycache__ -type d -prune -exec rm -rf {} +
    echo "$id configure+make+install: $((t1 - t0))s (CC=$FIX_CC); with download, unpack, post-processing, checks: $(($(date +%s) - t_start))s" >"$stage/timing.txt"
    log "cpython $id: built in $((t1 - t0))s, $(($(date +%s) - t_start))s in all"
    rm -rf "$WORK/$id"
    echo "PACK_VERSION=none" >"$stage/.packed"    # new build: to be packed
    echo "STAGE_VERSION=$STAGE_VERSION" >"$stage/.ok"
}

# postprocess VERSION ROOT [ID] : the pbs-style touches on an installed tree.
postprocess() {
    local v=$1 root=$2 id=${3:-$1} mm py
    mm=$(majmin "$v")
    py=$root/bin/python$mm
    log "cpython $id: post-processing (pip, shebangs, sysconfigdata, pkg-config)"
    # pbs ships bin/python next to python3 and python3.X.
    ln -sfn "python$mm" "$root/bin/python"
    # pbs installs pip (and setuptools up to 3.11) from the bundled wheels.
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/ensurepip-$id.log" "$py" -I -B -m ensurepip --default-pip
    # (the same script post-processes the aarch64 fixture, Fixtures/build-aarch64.sh)
    PYTHONDONTWRITEBYTECODE=1 "$py" -I -B "$FIXTURES_DIR/pbs-touches.py" "$root" "$mm"
    find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +
    mkdir -p "$root/lib/python$mm/lib-dynload"
    touch "$root/lib/python$mm/lib-dynload/.empty"
}

# ---------------------------------------------------------------- pack
# PYTHON.json for the full archive, computed by the interpreter itself.
write_python_json() {
    local v=$1 root=$2 out=$3 mm
    mm=$(majmin "$v")
    PYTHONDONTWRITEBYTECODE=1 "$root/bin/python$mm" -I -B - "$v" "$TRIPLE" "$root" "$out" <<'EOF'
import codecs, importlib.machinery, importlib.util, json, os, sys, sysconfig

version, triple, root, out = sys.argv[1:5]
mm = "%d.%d" % sys.version_info[:2]
top = os.path.dirname(root)                      # .../python (holds install/)
stdlib = os.path.join(root, "lib", "python" + mm)

vars_ = dict(sysconfig.get_config_vars())
for k in ("base", "installed_base", "platbase", "installed_platbase"):
    vars_[k] = root
paths = {k: os.path.relpath(p, top)
         for k, p in sysconfig.get_paths(scheme="posix_prefix", vars=vars_).items()}

candidates = ["test", "idlelib.idle_test", "tkinter.test", "unittest.test",
              "lib2to3.tests", "ctypes.test", "distutils.tests", "email.test",
              "json.tests", "sqlite3.test"]
tests = [c for c in candidates if os.path.isdir(os.path.join(stdlib, *c.split(".")))]

soabi = sysconfig.get_config_var("SOABI")
doc = {
    "version": "8",
    "target_triple": triple,
    "optimizations": "noopt",
    "build_options": "noopt",
    "python_tag": "cp%d%d" % sys.version_info[:2],
    "python_abi_tag": sys.abiflags,
    "python_version": version,
    "python_major_minor_version": mm,
    "python_implementation_name": sys.implementation.name,
    "python_implementation_cache_tag": sys.implementation.cache_tag,
    "python_implementation_hex_version": sys.implementation.hexversion,
    "python_implementation_version": [str(x) for x in sys.implementation.version],
    "python_platform_tag": sysconfig.get_platform(),
    "python_exe": "install/bin/python" + mm,
    "python_stdlib": "install/lib/python" + mm,
    "python_stdlib_platform_config": "install/lib/python%s/%s" % (
        mm, os.path.basename(sysconfig.get_config_var("LIBPL"))),
    "python_stdlib_test_packages": tests,
    "python_paths": paths,
    "python_paths_abstract": sysconfig.get_paths(scheme="posix_prefix", expand=False),
    "python_suffixes": {
        "bytecode": importlib.machinery.BYTECODE_SUFFIXES,
        "debug_bytecode": importlib.machinery.DEBUG_BYTECODE_SUFFIXES,
        "extension": [".%s.so" % soabi, ".abi3.so", ".so"],
        "optimized_bytecode": importlib.machinery.OPTIMIZED_BYTECODE_SUFFIXES,
        "source": importlib.machinery.SOURCE_SUFFIXES,
    },
    "python_bytecode_magic_number": codecs.encode(importlib.util.MAGIC_NUMBER, "hex").decode(),
    "python_symbol_visibility": "global-default",
    "python_extension_module_loading": ["builtin", "shared-library"],
    "libpython_link_mode": "shared",
    "crt_features": ["glibc-dynamic"],
    "apple_sdk_canonical_name": None,
    "apple_sdk_deployment_target": None,
    "apple_sdk_platform": None,
    "apple_sdk_version": None,
    "build_info": {"core": {"objs": [], "links": []}, "extensions": {}},
    "licenses": ["Python-2.0", "CNRI-Python"],
    "license_path": "install/lib/python%s/LICENSE.txt" % mm,
    "tcl_library_path": None,
    "tcl_library_paths": None,
}
with open(out, "w") as fh:
    json.dump(doc, fh, indent=4, sort_keys=True)
    fh.write("\n")
EOF
}

TAR_FLAGS=(--owner=0 --group=0 --numeric-owner --sort=name --format=gnu)

# pack_dir DIR(containing python/) OUTFILE gz|zst|bz2 [MEMBERS...]
pack_dir() {
    local dir=$1 outfile=$2 kind=$3; shift 3
    local members=("$@") tmp
    ((${#members[@]})) || members=(python)
    tmp=$(dirname "$outfile")/.tmp-$(basename "$outfile")
    rm -f "$tmp"
    case $kind in
        gz)  tar -C "$dir" "${TAR_FLAGS[@]}" -cf - "${members[@]}" | gzip -6 -n >"$tmp" ;;
        zst) tar -C "$dir" "${TAR_FLAGS[@]}" -cf - "${members[@]}" | zstd -q -f -"$ZSTD_LEVEL" -T2 -o "$tmp" ;;
        bz2) tar -C "$dir" "${TAR_FLAGS[@]}" -cf - "${members[@]}" | bzip2 -9 >"$tmp" ;;
        *) die "pack_dir: unknown kind $kind" ;;
    esac
    mv -f "$tmp" "$outfile"
    log "wrote $(basename "$outfile") ($(du -h "$outfile" | cut -f1))"
}

DROP_EXTENSIONS=(_ctypes_test _testbuffer _testcapi _testexternalinspection _testimportmultiple
    _testinternalcapi _testlimitedcapi _testmultiphase _testsinglephase)

# pack_version ID : the stage's install_only_stripped archives (and -full).
pack_version() {
    local id=$1 v kind tag mm stage pdir root name f full=0 t
    v=$(id_version "$id") kind=$(id_kind "$id") tag=$(id_tag "$id")
    mm=$(majmin "$v")
    stage=$STAGES/$id
    if [[ $kind == shared ]]; then
        for f in "${FULL_VERSIONS[@]}"; do [[ $f == "$v" ]] && full=1; done
    fi
    mkdir -p "$CACHE/mirror/$tag"

    # install_only_stripped: install/ tree as python/, minus tests, stripped.
    pdir=$WORK/pack-$id
    rm -rf "$pdir"; mkdir -p "$pdir"
    cp -a "$stage/install" "$pdir/python"
    root=$pdir/python
    PYTHONDONTWRITEBYTECODE=1 "$root/bin/python$mm" -I -B -c '
import os, shutil, sys
stdlib = sys.argv[1]
for c in ["test", "idlelib/idle_test", "tkinter/test", "unittest/test", "lib2to3/tests",
          "ctypes/test", "distutils/tests", "email/test", "json/tests", "sqlite3/test"]:
    p = os.path.join(stdlib, c)
    if os.path.isdir(p):
        shutil.rmtree(p)
' "$root/lib/python$mm"
    for name in "${DROP_EXTENSIONS[@]}"; do
        rm -f "$root/lib/python$mm/lib-dynload/$name".cpython-*.so
    done
    find "$root/lib" -name 'libpython*.a' -delete
    while IFS= read -r -d '' f; do
        if is_elf "$f"; then
            chmod u+w "$f"
            strip --strip-unneeded "$f"
        fi
    done < <(find "$root" -type f \( -path '*/bin/*' -o -name '*.so' -o -name '*.so.*' \) -print0)
    verify_tree "$v" "$root" stripped "$kind"
    for f in "${PACK_FORMATS[@]}"; do
        pack_dir "$pdir" "$CACHE/mirror/$tag/cpython-$v+$tag-$TRIPLE-install_only_stripped.tar.$f" "$f"
    done
    rm -rf "$pdir"

    if ((full)); then
        pdir=$WORK/full-$id
        rm -rf "$pdir"; mkdir -p "$pdir/python"
        cp -a "$stage/install" "$pdir/python/install"
        write_python_json "$v" "$pdir/python/install" "$pdir/python/PYTHON.json"
        find "$pdir" -name __pycache__ -type d -prune -exec rm -rf {} +
        # PYTHON.json first, as pbs does.
        pack_dir "$pdir" "$MIRROR/cpython-$v+$BUILD_TAG-$TRIPLE-full.tar.zst" zst \
            python/PYTHON.json python/install
        rm -rf "$pdir"
    fi
}

# ---------------------------------------------------------------- stdlib venv (forky)
# Debian forky's binary packages come through a sources list of their own
# (never the system's), with their own lists and cache folders.
APT_DIR=$CACHE/apt
FORKY_LIST_CONTENT='deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian forky main'
forky_apt() {
    apt-get -o Dir::Etc::sourcelist="$APT_DIR/forky.list" \
        -o Dir::Etc::sourceparts="$APT_DIR/sources.list.d" \
        -o Dir::State::lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" \
        -o APT::Sandbox::User=root "$@"
}

fetch_stdlib_venv() {
    local mm missing=() pkgs=() dir deb ver out t0
    for mm in "${STDLIB_VENV[@]}"; do
        [[ -s $CACHE/stdlib/$mm/SOURCE && -s $CACHE/stdlib/$mm/venv/__init__.py ]] || missing+=("$mm")
    done
    ((${#missing[@]})) || return 0
    t0=$(date +%s)
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/sources.list.d"
    printf '%s\n' "$FORKY_LIST_CONTENT" >"$APT_DIR/forky.list"
    log "apt-get update (forky binaries, $APT_DIR/forky.list only)"
    run_logged "$LOGS/apt-forky-update.log" forky_apt update
    for mm in "${missing[@]}"; do pkgs+=("libpython$mm-stdlib"); done
    dir=$WORK/stdlib-debs
    rm -rf "$dir"; mkdir -p "$dir"
    log "apt-get download ${pkgs[*]} (forky)"
    (cd "$dir" && run_logged "$LOGS/apt-forky-download.log" forky_apt download "${pkgs[@]}")
    for mm in "${missing[@]}"; do
        deb=$(ls "$dir/libpython$mm-stdlib_"*.deb 2>/dev/null | head -n 1 || true)
        [[ -n $deb ]] || die "no libpython$mm-stdlib .deb was downloaded"
        ver=$(dpkg-deb -f "$deb" Version)
        rm -rf "$dir/x"; mkdir -p "$dir/x"
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir/x" --wildcards "./usr/lib/python$mm/venv/*"
        out=$CACHE/stdlib/.tmp-$mm
        rm -rf "$out"; mkdir -p "$out"
        cp -a "$dir/x/usr/lib/python$mm/venv" "$out/venv"
        find "$out" -name __pycache__ -type d -prune -exec rm -rf {} +
        [[ -s $out/venv/__init__.py && -s $out/venv/scripts/common/activate ]] ||
            die "libpython$mm-stdlib $ver has no venv/__init__.py or venv/scripts/common/activate"
        grep -q "^class EnvBuilder" "$out/venv/__init__.py" || die "libpython$mm-stdlib: venv/__init__.py has no EnvBuilder"
        {
            echo "package: libpython$mm-stdlib"
            echo "version: $ver"
            echo "source: $(dpkg-deb -f "$deb" Source)"
            echo "suite: forky (http://deb.debian.org/debian)"
            echo "deb: $(basename "$deb")"
            echo "sha256: $(sha256sum "$deb" | cut -d' ' -f1)"
            echo "extracted: usr/lib/python$mm/venv/ -> venv/"
            (cd "$out" && find venv -type f | sort | sed 's/^/  /')
        } >"$out/SOURCE"
        rm -rf "$CACHE/stdlib/$mm"
        mv "$out" "$CACHE/stdlib/$mm"
        log "stdlib $mm: venv/ from libpython$mm-stdlib $ver"
    done
    rm -rf "$dir"
    echo "stdlib venv (${missing[*]}): $(($(date +%s) - t0))s" >"$LOGS/timing-stdlib.txt"
}

# ---------------------------------------------------------------- PyPy
# Debian's pypy3 packages repacked in the layout of upstream's portable
# tarball (pypy/tool/release/package.py): bin/pypy3.9 + bin/libpypy3.9-c.so,
# lib/pypy3.9/ (stdlib and lib_pypy in one), include/pypy3.9/.
# pypy3-dev has the headers (Python.h ...), pypy3-tk _tkinter: upstream's
# tarball has both.
PYPY_DEBS=(pypy3 pypy3-lib pypy3-dev pypy3-tk)
PYPY_STAGE=$STAGES/$PYPY_NAME
pypy_stage_ok() { [[ -f $PYPY_STAGE/.ok && "$(cat "$PYPY_STAGE/.ok")" == "PYPY_STAGE_VERSION=$PYPY_STAGE_VERSION" ]]; }

fetch_pypy_debs() {
    local dir=$SRC/pypy tmp p f ver="" v line url name hash srcver
    if [[ -s $dir/.complete && "$(head -n 1 "$dir/.complete")" == "${PYPY_DEBS[*]}" ]]; then return 0; fi
    tmp=$SRC/.download-pypy
    rm -rf "$tmp"; mkdir -p "$tmp"
    # bookworm is the system's own suite: plain apt-get download.
    ensure_deb_src
    log "apt-get download ${PYPY_DEBS[*]} (bookworm)"
    (cd "$tmp" && run_logged "$LOGS/apt-download-pypy.log" apt-get -o APT::Sandbox::User=root download "${PYPY_DEBS[@]}")
    for p in "${PYPY_DEBS[@]}"; do
        f=$(ls "$tmp/${p}_"*.deb 2>/dev/null | head -n 1 || true)
        [[ -n $f ]] || die "apt-get download $p gave no .deb"
        v=$(dpkg-deb -f "$f" Version)
        [[ $v == "$PYPY_VERSION+dfsg-"* ]] || die "$p is $v, not PyPy $PYPY_VERSION"
        [[ -z $ver || $v == "$ver" ]] || die "pypy3 packages disagree on the version: $v vs $ver"
        ver=$v
    done
    # Debian's patches of the same version, to take back its stdlib policy
    # patches. Only debian.tar.xz is needed (and the orig tarball is gone
    # from the pool), so apt-helper fetches that one file, hash-checked.
    srcver=$(dpkg-deb -f "$tmp/pypy3_"*.deb Source | sed -nE 's/.*\((.*)\).*/\1/p')
    srcver=${srcver:-$ver}
    line=$(apt-get source --print-uris "pypy3=$srcver" 2>/dev/null | grep -F ".debian.tar." | head -n 1 || true)
    [[ -n $line ]] || die "apt-get source --print-uris pypy3=$srcver names no debian.tar.*"
    read -r url name _ hash <<<"$line"
    url=${url//\'/}
    log "fetching $name (Debian's patches of pypy3 $ver)"
    run_logged "$LOGS/apt-helper-pypy.log" /usr/lib/apt/apt-helper -o APT::Sandbox::User=root \
        download-file "$url" "$tmp/$name" "$hash"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    printf '%s\n' "${PYPY_DEBS[*]}" "$ver" >"$dir/.complete"
}

# unpatch_pypy_stdlib PATCHES_DIR STDLIB : reverse Debian's policy patches to
# lib-python/3 (install layout, dist-packages, disabled ensurepip, ...);
# security fixes (CVE-*) and test-only hunks stay.
unpatch_pypy_stdlib() {
    PYTHONDONTWRITEBYTECODE=1 "$HOSTPY" -I -B - "$1" "$2" <<'UNPATCH_EOF'
import os, re, subprocess, sys

patches_dir, stdlib = sys.argv[1:3]
series = [l.split("#")[0].strip() for l in open(os.path.join(patches_dir, "series"))]
series = [p for p in series if p]

def sections(text):
    """Split a patch into per-file sections: [old, new, lines]."""
    out, cur, lines = [], None, text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        l = lines[i]
        if l.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            if cur:
                out.append(cur)
            cur = [l[4:].split("\t")[0].strip(), lines[i + 1][4:].split("\t")[0].strip(), [l, lines[i + 1]]]
            i += 2
            continue
        if cur is not None:
            if l.startswith("diff --git ") or l.startswith("Index: "):
                out.append(cur)
                cur = None
            else:
                cur[2].append(l)
        i += 1
    if cur:
        out.append(cur)
    return out

PREFIX = "lib-python/3/"
for name in reversed(series):
    if name.startswith("CVE-"):
        continue
    text = open(os.path.join(patches_dir, name), encoding="utf-8", errors="surrogateescape").read()
    keep = []
    for old, new, body in sections(text):
        path = new[2:] if new.startswith("b/") else new
        if not path.startswith(PREFIX):
            continue
        rel = path[len(PREFIX):]
        if rel.startswith("test/") or "/test/" in rel or "/tests/" in rel:
            continue
        created = old == "/dev/null"
        if not created and not os.path.exists(os.path.join(stdlib, rel)):
            sys.exit("%s: %s is not in the tree" % (name, rel))
        body = list(body)
        body[0] = "--- %s\n" % ("/dev/null" if created else "a/" + rel)
        body[1] = "+++ b/%s\n" % rel
        keep.append("".join(body))
    if not keep:
        continue
    diff = "".join(keep)
    r = subprocess.run(["patch", "-R", "-p1", "-d", stdlib, "--no-backup-if-mismatch", "-r", "-",
                        "-s", "--force"], input=diff.encode("utf-8", "surrogateescape"),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.stderr.write(r.stdout.decode(errors="replace"))
        sys.exit("reversing Debian's %s failed" % name)
    print("reversed %s: %s" % (name, " ".join(sorted(re.findall(r"^\+\+\+ b/(\S+)", diff, re.M)))))
UNPATCH_EOF
}

build_pypy() {
    local top x t0 t1 f l tarball
    if pypy_stage_ok; then
        log "pypy: staged tree cached ($PYPY_STAGE)"
        return 0
    fi
    t0=$(date +%s)
    fetch_pypy_debs
    fetch_source 3.9.2
    tarball=$(orig_tarball 3.9.2)
    log "pypy: assembling $PYPY_NAME from $(ls "$SRC/pypy/"*.deb | xargs -n1 basename | tr '\n' ' ')"
    x=$WORK/pypy-debs
    rm -rf "$x" "$PYPY_STAGE"
    mkdir -p "$x/root" "$x/debian"
    for f in "$SRC/pypy/"*.deb; do dpkg-deb -x "$f" "$x/root"; done
    tar -xf "$SRC/pypy/"*.debian.tar.* -C "$x/debian"
    [[ -f $x/debian/debian/patches/series ]] || die "pypy3's debian.tar has no patches/series"

    top=$PYPY_STAGE/$PYPY_NAME
    mkdir -p "$top/bin" "$top/lib" "$top/include"
    # bin/: the executable and libpypy next to each other (RUNPATH $ORIGIN/),
    # and upstream's symlinks.
    cp -a "$x/root/usr/bin/pypy$PYPY_MM" "$top/bin/"
    cp -a "$x/root/usr/lib/x86_64-linux-gnu/libpypy$PYPY_MM-c.so" "$top/bin/"
    for l in pypy pypy3 python python3 "python$PYPY_MM"; do ln -s "pypy$PYPY_MM" "$top/bin/$l"; done
    patchelf --set-rpath '$ORIGIN' "$top/bin/libpypy$PYPY_MM-c.so"
    # lib/pypy3.9: Debian has it at /usr/lib/pypy3.9 already (lib-python/3 and
    # lib_pypy merged, the cffi modules beside), minus its own additions.
    cp -a "$x/root/usr/lib/pypy$PYPY_MM" "$top/lib/"
    rm -f "$top/lib/pypy$PYPY_MM/EXTERNALLY-MANAGED"
    # Debian's dist-packages/README is upstream's site-packages/README.
    mv "$top/lib/pypy$PYPY_MM/dist-packages" "$top/lib/pypy$PYPY_MM/site-packages"
    # include/pypy3.9: pypy3 has the generated headers, pypy3-dev the rest.
    cp -a "$x/root/usr/include/pypy$PYPY_MM" "$top/include/"
    [[ -f $top/include/pypy$PYPY_MM/Python.h && -f $top/include/pypy$PYPY_MM/pypy_decl.h ]] ||
        die "pypy: include/pypy$PYPY_MM lacks Python.h or pypy_decl.h"
    unpatch_pypy_stdlib "$x/debian/debian/patches" "$top/lib/pypy$PYPY_MM" >"$LOGS/pypy-unpatch.log" ||
        die "pypy: could not reverse Debian's stdlib patches (see above)"
    sed 's/^/    /' "$LOGS/pypy-unpatch.log" >&2
    find "$top/lib/pypy$PYPY_MM" -depth -type d -empty -delete
    mkdir -p "$top/lib/pypy$PYPY_MM/site-packages"
    # Debian disables ensurepip for system Pythons and drops the wheels:
    # CPython 3.9.2's Lib/ensurepip with its bundled pip and setuptools.
    rm -rf "$top/lib/pypy$PYPY_MM/ensurepip"
    tar -xf "$tarball" -C "$x" Python-3.9.2/Lib/ensurepip
    cp -a "$x/Python-3.9.2/Lib/ensurepip" "$top/lib/pypy$PYPY_MM/ensurepip"
    ls "$top/lib/pypy$PYPY_MM/ensurepip/_bundled/"pip-*.whl "$top/lib/pypy$PYPY_MM/ensurepip/_bundled/"setuptools-*.whl >/dev/null ||
        die "pypy: CPython 3.9.2's ensurepip has no bundled wheels"
    # Upstream's packaging also writes the static _sysconfigdata_*.py (for
    # tools that parse it); the dynamic _sysconfigdata.py stays in use.
    rm -rf "$x/sysconfig"; mkdir -p "$x/sysconfig"
    (cd "$x/sysconfig" && PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/pypy-sysconfig.log" \
        "$top/bin/pypy$PYPY_MM" -I -B -m sysconfig --generate-posix-vars HOST_GNU_TYPE x86_64-pc-linux-gnu)
    f=$(ls "$x/sysconfig/build/"*/_sysconfigdata_*.py 2>/dev/null | head -n 1 || true)
    [[ -n $f ]] || die "pypy: sysconfig --generate-posix-vars wrote no _sysconfigdata_*.py"
    cp "$f" "$top/lib/pypy$PYPY_MM/"
    chmod -R a+rX,go-w "$top"
    t1=$(date +%s)
    verify_pypy "$top" staged
    (cd "$SRC/pypy" && for f in *.deb; do echo "$f $(dpkg-deb -f "$f" Version) sha256:$(sha256sum "$f" | cut -d' ' -f1)"; done) >"$PYPY_STAGE/debian-packages.txt"
    echo "pypy download+assemble: $((t1 - t0))s, checks: $(($(date +%s) - t1))s" >"$PYPY_STAGE/timing.txt"
    rm -rf "$x"
    echo "PACK_VERSION=none" >"$PYPY_STAGE/.packed"    # new tree: to be packed
    echo "PYPY_STAGE_VERSION=$PYPY_STAGE_VERSION" >"$PYPY_STAGE/.ok"
}

# verify_pypy TOP LABEL : the tree runs from where it is; fails loudly.
verify_pypy() {
    local top=$1 label=$2 py out f lib venv dir
    top=$(cd "$top" && pwd -P)
    py=$top/bin/pypy$PYPY_MM
    [[ -x $py && ! -L $py ]] || die "pypy $label: $py missing"
    for l in pypy pypy3 python python3 "python$PYPY_MM"; do
        [[ $(readlink "$top/bin/$l") == "pypy$PYPY_MM" ]] || die "pypy $label: bin/$l is not a symlink to pypy$PYPY_MM"
    done
    out=$(readelf -d "$top/bin/libpypy$PYPY_MM-c.so" | grep -E 'RUNPATH|RPATH' || true)
    [[ $out == *'[$ORIGIN]'* ]] || die "pypy $label: bad RUNPATH on libpypy$PYPY_MM-c.so: ${out:-none}"
    out=$(readelf -d "$py" | grep -E 'RUNPATH|RPATH' || true)
    [[ $out == *'[$ORIGIN'* ]] || die "pypy $label: bad RUNPATH on pypy$PYPY_MM: ${out:-none}"
    # libpypy from the tree, never /usr/lib; nothing unresolved anywhere.
    out=$(ldd "$py")
    lib=$(awk -v n="libpypy$PYPY_MM-c.so" '$1 == n && $2 == "=>" {print $3}' <<<"$out")
    [[ -n $lib && $lib -ef $top/bin/libpypy$PYPY_MM-c.so ]] ||
        die "pypy $label: $py does not load the tree's libpypy:"$'\n'"$out"
    while IFS= read -r -d '' f; do
        if ldd "$f" | grep -q 'not found'; then die "pypy $label: unresolved libraries in $f:"$'\n'"$(ldd "$f")"; fi
    done < <(find "$top" -name '*.so' -type f -print0)

    out=$(PYTHONDONTWRITEBYTECODE=1 "$py" -I -B -c '
import sys, sysconfig, site
import ssl, sqlite3, ctypes, zlib, bz2, lzma, hashlib, decimal, pyexpat, curses, readline, dbm.gnu, uuid, venv, ensurepip
import _tkinter, tkinter
ctypes.CDLL(None)
assert sqlite3.connect(":memory:").execute("select 1").fetchone() == (1,)
print(sys.prefix, sys.base_prefix, sys.implementation.name, "%d.%d.%d" % sys.pypy_version_info[:3],
      sys.version.split()[0], sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"],
      ssl.OPENSSL_VERSION.split()[1], sep="|")
print(sys.version.replace("\n", " "))
') || die "pypy $label: the import check failed"
    local prefix base impl pypyv pyv purelib stdlib sslv
    IFS='|' read -r prefix base impl pypyv pyv purelib stdlib sslv <<<"$(head -n 1 <<<"$out")"
    [[ $prefix -ef $top && $base == "$prefix" ]] || die "pypy $label: sys.prefix $prefix / base_prefix $base, want $top"
    [[ $impl == pypy && $pypyv == "$PYPY_VERSION" && $pyv == "$PYPY_PYTHON" ]] ||
        die "pypy $label: implementation $impl $pypyv, Python $pyv; want pypy $PYPY_VERSION, $PYPY_PYTHON"
    [[ $stdlib -ef $top/lib/pypy$PYPY_MM && $purelib == "$prefix/lib/pypy$PYPY_MM/site-packages" ]] ||
        die "pypy $label: stdlib $stdlib, purelib $purelib (Debian's layout left?)"
    local version_line
    version_line=$(tail -n 1 <<<"$out")

    venv=$(mktemp -d "${TMPDIR:-/tmp}/pyman-fixture-pypy.XXXXXX")
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/venv-pypy-$label.log" "$py" -m venv "$venv/v"
    out=$("$venv/v/bin/python" -m pip --version) || die "pypy $label: pip in a venv failed"
    [[ $out == "pip 20.2.3 from $venv/v/lib/pypy$PYPY_MM/site-packages/pip "* ]] ||
        die "pypy $label: unexpected pip --version: $out"
    local pipv=$out
    # A C extension against include/pypy3.9, built by setuptools in the venv.
    dir=$venv/ext
    mkdir -p "$dir"
    cat >"$dir/hello.c" <<'C_EOF'
#include <Python.h>
static PyObject *answer(PyObject *self, PyObject *args) { return PyLong_FromLong(42); }
static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "fixturehello", NULL, -1, methods};
PyMODINIT_FUNC PyInit_fixturehello(void) { return PyModule_Create(&mod); }
C_EOF
    printf '%s\n' 'from setuptools import setup, Extension' \
        'setup(name="fixturehello", version="1", ext_modules=[Extension("fixturehello", ["hello.c"])])' >"$dir/setup.py"
    (cd "$dir" && PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/pypy-ext-$label.log" "$venv/v/bin/python" setup.py build_ext --inplace)
    out=$(cd "$dir" && "$venv/v/bin/python" -c 'import fixturehello; print(fixturehello.answer(), fixturehello.__file__)') ||
        die "pypy $label: the C extension does not import"
    [[ $out == "42 $dir/fixturehello.pypy${PYPY_MM/./}-pp73-x86_64-linux-gnu.so" ]] || die "pypy $label: C extension says '$out'"
    rm -rf "$venv"
    find "$top" -name __pycache__ -type d -prune -exec rm -rf {} +
    log "pypy $label ok: $version_line; OpenSSL $sslv; $pipv; C extension ok"
}

pack_pypy() {
    local dir=$CACHE/mirror/pypy check
    mkdir -p "$dir"
    pack_dir "$PYPY_STAGE" "$dir/$PYPY_NAME.tar.bz2" bz2 "$PYPY_NAME"
    pack_dir "$PYPY_STAGE" "$dir/$PYPY_NAME.tar.gz" gz "$PYPY_NAME"
    # What a user gets: unpacked somewhere else, it must still work.
    check=$WORK/pypy-unpacked
    rm -rf "$check"; mkdir -p "$check"
    tar -xjf "$dir/$PYPY_NAME.tar.bz2" -C "$check"
    verify_pypy "$check/$PYPY_NAME" unpacked
    rm -rf "$check"
}

# ---------------------------------------------------------------- pack stamps
# stage/<id>/.packed: PACK_VERSION, then the sha256sum lines of the stage's
# archives. Archives are packed again only when missing, changed, or packed
# with another PACK_VERSION: repacking changes mtimes, hence digests, of
# archives the tests already know.
# packed_ok STAGE ARCHIVES... (relative to $CACHE/mirror)
packed_ok() {
    local stage=$1; shift
    local stamp=$stage/.packed f
    if [[ ! -f $stamp && -s $CACHE/SHA256SUMS ]]; then
        # A stage from before the stamps (a new build always has one): adopt
        # its archives if SHA256SUMS vouches for every one of them.
        for f in "$@"; do
            grep -qxF "$(cd "$CACHE/mirror" && sha256sum "$f" 2>/dev/null)" "$CACHE/SHA256SUMS" || return 1
        done
        mark_packed "$stage" "$@"
        log "$(basename "$stage"): adopting the archives SHA256SUMS lists"
        return 0
    fi
    [[ -f $stamp && "$(head -n 1 "$stamp")" == "PACK_VERSION=$PACK_VERSION" ]] || return 1
    [[ "$(tail -n +2 "$stamp" | awk '{print $2}')" == "$(printf '%s\n' "$@")" ]] || return 1
    (cd "$CACHE/mirror" && tail -n +2 "$stamp" | sha256sum -c --quiet --status -) 2>/dev/null
}
mark_packed() {
    local stage=$1; shift
    { echo "PACK_VERSION=$PACK_VERSION"; (cd "$CACHE/mirror" && sha256sum "$@"); } >"$stage/.packed"
}
stage_archives() {
    local id=$1
    archive_names | grep -F "/cpython-$(id_version "$id")+$(id_tag "$id")-"
}

# ---------------------------------------------------------------- catalogues

write_catalogues() {
    local tmp
    (cd "$CACHE/mirror" && archive_names | xargs sha256sum) >"$CACHE/.SHA256SUMS.tmp"
    mv -f "$CACHE/.SHA256SUMS.tmp" "$CACHE/SHA256SUMS"
    tmp=$CACHE/.download-metadata.json.tmp
    write_catalogue_json "" "${CATALOGUE_VERSIONS[@]}" >"$tmp"
    mv -f "$tmp" "$CACHE/download-metadata.json"
    ((WITH_PYPY)) || return 0
    write_catalogue_json "pypy/$PYPY_NAME.tar.bz2" "${VERSIONS[@]}" >"$tmp"
    mv -f "$tmp" "$CACHE/download-metadata-all.json"
}

# write_catalogue_json PYPY_FILE|"" VERSIONS... : a uv-format catalogue on stdout.
write_catalogue_json() {
    local pypy=$1; shift
    PYTHONDONTWRITEBYTECODE=1 "$HOSTPY" -I -B - "$CACHE/SHA256SUMS" "$BUILD_TAG" "$TRIPLE" "$URL_PREFIX" \
        "$pypy" "$PYPY_URL_PREFIX" "$PYPY_PYTHON" "$PYPY_VERSION" "$@" <<'CAT_EOF'
import json, sys
sums_path, tag, triple, prefix, pypy_file, pypy_prefix, pypy_python, pypy_version, *versions = sys.argv[1:]
sums = {}
with open(sums_path) as fh:
    for line in fh:
        digest, name = line.split(None, 1)
        sums[name.strip().lstrip("*")] = digest

def entry(name, version, url, sha256, build):
    major, minor, patch = (int(x) for x in version.split("."))
    return {
        "name": name,
        "arch": {"family": "x86_64", "variant": None},
        "os": "linux",
        "libc": "gnu",
        "major": major,
        "minor": minor,
        "patch": patch,
        "prerelease": "",
        "url": url,
        "sha256": sha256,
        "variant": None,
        "build": build,
    }

out = {}
for v in versions:
    fname = "cpython-%s+%s-%s-install_only_stripped.tar.gz" % (v, tag, triple)
    out["cpython-%s-linux-x86_64-gnu" % v] = entry(
        "cpython", v, "%s/%s/%s" % (prefix, tag, fname.replace("+", "%2B")), sums["%s/%s" % (tag, fname)], tag)
# Newest first, like uv's file.
out = dict(sorted(out.items(), key=lambda kv: (kv[1]["major"], kv[1]["minor"], kv[1]["patch"]), reverse=True))
# uv lists PyPy after CPython; its URL is downloads.python.org/pypy/<file>.
if pypy_file:
    out["pypy-%s-linux-x86_64-gnu" % pypy_python] = entry(
        "pypy", pypy_python, "%s/%s" % (pypy_prefix, pypy_file.split("/", 1)[1]), sums[pypy_file], pypy_version)
json.dump(out, sys.stdout, indent=2)
sys.stdout.write("\n")
CAT_EOF
}

# ---------------------------------------------------------------- main
# All outputs there (the last step before the stamp).
require_outputs() {
    local f
    while read -r f; do [[ -s $CACHE/$f ]] || die "missing output $CACHE/$f"; done < <(other_outputs)
    while read -r f; do [[ -s $CACHE/mirror/$f ]] || die "missing output $CACHE/mirror/$f"; done < <(archive_names)
}

T_START=$(date +%s)
log "cache: $CACHE"
mapfile -t IDS < <(stage_ids)
need_build=0
for id in "${IDS[@]}"; do stage_ok "$id" || need_build=1; done
((!WITH_PYPY)) || pypy_stage_ok || need_build=1
if ((need_build)); then
    install_build_deps
    for v in "${VERSIONS[@]}"; do fetch_source "$v"; done
fi
choose_compiler
for id in "${IDS[@]}"; do
    build_stage "$id"
done
HOSTPY=$STAGES/${VERSIONS[-1]}/install/bin/python$(majmin "${VERSIONS[-1]}")
if ((WITH_PYPY)); then build_pypy; fi
fetch_stdlib_venv
for id in "${IDS[@]}"; do
    mapfile -t names < <(stage_archives "$id")
    if packed_ok "$STAGES/$id" "${names[@]}"; then
        log "cpython $id: archives up to date"
        continue
    fi
    t0=$(date +%s)
    log "cpython $id: packing (${PACK_FORMATS[*]})"
    pack_version "$id"
    mark_packed "$STAGES/$id" "${names[@]}"
    echo "$id pack+verify: $(($(date +%s) - t0))s" >"$STAGES/$id/timing-pack.txt"
done
names=("pypy/$PYPY_NAME.tar.bz2" "pypy/$PYPY_NAME.tar.gz")
if ((WITH_PYPY)) && ! packed_ok "$PYPY_STAGE" "${names[@]}"; then
    t0=$(date +%s)
    log "pypy: packing (bzip2 -9, gzip -6)"
    pack_pypy
    mark_packed "$PYPY_STAGE" "${names[@]}"
    echo "pypy pack+verify: $(($(date +%s) - t0))s" >"$PYPY_STAGE/timing-pack.txt"
fi
write_catalogues
rm -rf "$WORK"
require_outputs
# What each piece took when it was (last) made.
cat "$STAGES"/*/timing.txt "$STAGES"/*/timing-pack.txt "$LOGS/timing-stdlib.txt" 2>/dev/null >"$LOGS/timings.txt" || true
sed 's/^/    /' "$LOGS/timings.txt" >&2
echo "$COMPLETE_STAMP" >"$CACHE/$STAMP_FILE"
log "done in $(($(date +%s) - T_START))s; outputs in $CACHE"
echo "$CACHE"
