#!/usr/bin/env bash
# Build genuine CPython fixtures for pyman's tests, packed like
# python-build-standalone (pbs) release assets, plus a uv-format catalogue.
#
#   bash Fixtures/build.sh        # prints the cache directory on stdout
#
# Everything lives outside the repository, in
#   ${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
# and a finished cache makes this script exit at once. Delete the cache (or
# bump FIXTURES_VERSION / STAGE_VERSION below) to rebuild. See README.md.
set -euo pipefail

# Bump when the packed outputs (archives, catalogue) change.
FIXTURES_VERSION=1
# Bump when the way an interpreter is built or post-processed changes.
STAGE_VERSION=1

BUILD_TAG=20250723
TRIPLE=x86_64-unknown-linux-gnu
VERSIONS=(3.11.2 3.13.5)
FULL_VERSIONS=(3.13.5)               # versions that also get a -full.tar.zst
ZSTD_LEVEL=${PYMAN_FIXTURES_ZSTD_LEVEL:-19}
JOBS=${PYMAN_FIXTURES_JOBS:-2}
URL_PREFIX=https://github.com/astral-sh/python-build-standalone/releases/download

CACHE=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)
MIRROR=$CACHE/mirror/$BUILD_TAG

log() { printf '[fixtures] %s\n' "$*" >&2; }
die() { printf '[fixtures] ERROR: %s\n' "$*" >&2; exit 1; }

archive_names() {
    local v
    for v in "${VERSIONS[@]}"; do
        echo "cpython-$v+$BUILD_TAG-$TRIPLE-install_only_stripped.tar.gz"
        echo "cpython-$v+$BUILD_TAG-$TRIPLE-install_only_stripped.tar.zst"
    done
    for v in "${FULL_VERSIONS[@]}"; do
        echo "cpython-$v+$BUILD_TAG-$TRIPLE-full.tar.zst"
    done
}

outputs_complete() {
    [[ -f $CACHE/.complete && "$(cat "$CACHE/.complete")" == "FIXTURES_VERSION=$FIXTURES_VERSION" ]] || return 1
    [[ -s $CACHE/SHA256SUMS && -s $CACHE/download-metadata.json ]] || return 1
    local f
    while read -r f; do
        [[ -s $MIRROR/$f ]] || return 1
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
rm -f "$CACHE/.complete"

SRC=$CACHE/src
LOGS=$CACHE/logs
WORK=$CACHE/work
STAGES=$CACHE/stage
mkdir -p "$SRC" "$LOGS" "$WORK" "$STAGES" "$MIRROR"

# A clean, predictable environment for everything we run.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP PYTHONUSERBASE PYTHONNOUSERSITE \
      PYTHONDONTWRITEBYTECODE VIRTUAL_ENV LD_LIBRARY_PATH LD_PRELOAD \
      CFLAGS CPPFLAGS CXXFLAGS LDFLAGS LIBS CC CXX AR MAKEFLAGS MFLAGS || true
export LC_ALL=C.UTF-8
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

# run_logged LOGFILE CMD... : run quietly; on failure show the log's tail.
run_logged() {
    local logfile=$1; shift
    if ! "$@" >"$logfile" 2>&1; then
        printf '[fixtures] command failed: %s\n[fixtures] last lines of %s:\n' "$*" "$logfile" >&2
        tail -n 60 "$logfile" >&2 || true
        exit 1
    fi
}

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
    binutils)

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
Suites: bookworm trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'

ensure_deb_src() {
    if [[ ! -f $DEB_SRC_FILE || "$(cat "$DEB_SRC_FILE")" != "$DEB_SRC_CONTENT" ]]; then
        log "adding deb-src entries (bookworm, trixie) in $DEB_SRC_FILE"
        printf '%s\n' "$DEB_SRC_CONTENT" >"$DEB_SRC_FILE"
        APT_UPDATED=0
    fi
    apt_update_once
}

# src_package VERSION -> Debian source package and suite holding that upstream
src_package() {
    case $1 in
        3.11.2) echo "python3.11 bookworm" ;;
        3.13.5) echo "python3.13 trixie" ;;
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

# verify_tree VERSION ROOT LABEL : ROOT holds bin/ lib/ ...; fails loudly.
verify_tree() {
    local v=$1 root=$2 label=$3 mm py out venv
    mm=$(majmin "$v")
    py=$root/bin/python$mm
    [[ -x $py ]] || die "$label: $py missing"

    # RUNPATH must literally be $ORIGIN/../lib.
    out=$(readelf -d "$py" | grep -E 'RUNPATH|RPATH' || true)
    [[ $out == *'[$ORIGIN/../lib]'* ]] || die "$label: bad RUNPATH on $py: ${out:-none}"

    # libpython must come from the tree itself (never /usr/lib/...).
    out=$(ldd "$py")
    local libpy
    libpy=$(awk -v n="libpython$mm.so.1.0" '$1 == n && $2 == "=>" {print $3}' <<<"$out")
    [[ -n $libpy && $(realpath "$libpy") == "$(realpath "$root/lib/libpython$mm.so.1.0")" ]] ||
        die "$label: $py does not load its own libpython:"$'\n'"$out"

    out=$(PYTHONDONTWRITEBYTECODE=1 "$py" -I -B -c '
import sys, ssl, sqlite3, ctypes, zlib, bz2, lzma
import readline, curses, decimal, pyexpat, hashlib, uuid, _uuid, dbm.gnu, _tkinter
ctypes.CDLL(None)
print(sys.version.split()[0], sys.base_prefix, sys.prefix, ssl.OPENSSL_VERSION, sep="|")
') || die "$label: $py failed the import check"
    IFS='|' read -r got_v got_base got_prefix got_ssl <<<"$out"
    [[ $got_v == "$v" ]] || die "$label: version is '$got_v', want $v"
    [[ $(cd "$got_base" && pwd -P) == "$(cd "$root" && pwd -P)" ]] ||
        die "$label: sys.base_prefix is $got_base, want $root"
    [[ $got_prefix == "$got_base" ]] || die "$label: sys.prefix $got_prefix != base_prefix"

    ls "$root/lib/python$mm/ensurepip/_bundled/"pip-*.whl >/dev/null 2>&1 ||
        die "$label: no bundled pip wheel"

    venv=$(mktemp -d "${TMPDIR:-/tmp}/pyman-fixture-venv.XXXXXX")
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/venv-$v-$label.log" "$py" -m venv "$venv/v"
    out=$("$venv/v/bin/python" -m pip --version) || die "$label: pip in a venv failed"
    [[ $out == pip\ * ]] || die "$label: unexpected pip --version: $out"
    rm -rf "$venv"
    [[ -x $root/bin/pip$mm ]] && { "$root/bin/pip$mm" --version >/dev/null || die "$label: bin/pip$mm broken"; }
    find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +
    log "$label $v ok: $got_ssl; $out"
}

# ---------------------------------------------------------------- build
build_version() {
    local v=$1 mm tarball stage src t0 t1 ldflags wheel pipver
    mm=$(majmin "$v")
    stage=$STAGES/$v
    if [[ -f $stage/.ok && "$(cat "$stage/.ok")" == "STAGE_VERSION=$STAGE_VERSION" ]]; then
        log "cpython $v: staged build cached ($stage)"
        return 0
    fi
    fetch_source "$v"
    tarball=$(orig_tarball "$v")

    log "cpython $v: unpacking $(basename "$tarball")"
    rm -rf "$WORK/$v" "$stage"
    mkdir -p "$WORK/$v"
    tar -xf "$tarball" -C "$WORK/$v"
    src=$WORK/$v/Python-$v
    [[ -d $src ]] || die "$(basename "$tarball") has no Python-$v/ top folder"
    grep -qE "^#define PY_VERSION[[:space:]]+\"$v\"" "$src/Include/patchlevel.h" ||
        die "$(basename "$tarball") is not CPython $v: $(grep PY_VERSION "$src/Include/patchlevel.h")"

    # ensurepip needs its wheel; upstream tarballs carry it, fetch it if not.
    if ! ls "$src/Lib/ensurepip/_bundled/"pip-*.whl >/dev/null 2>&1; then
        pipver=$(sed -nE 's/^_PIP_VERSION = "([^"]+)".*/\1/p' "$src/Lib/ensurepip/__init__.py")
        [[ -n $pipver ]] || die "cannot find _PIP_VERSION in Lib/ensurepip/__init__.py"
        log "cpython $v: fetching pip $pipver wheel from PyPI for ensurepip"
        mkdir -p "$SRC/wheels" "$src/Lib/ensurepip/_bundled"
        ls "$SRC/wheels/pip-$pipver-"*.whl >/dev/null 2>&1 ||
            run_logged "$LOGS/pip-download-$pipver.log" python3 -m pip download --no-deps \
                --only-binary=:all: "pip==$pipver" -d "$SRC/wheels"
        cp "$SRC/wheels/pip-$pipver-"*.whl "$src/Lib/ensurepip/_bundled/"
    fi

    t0=$(date +%s)
    # make turns $$ into $, the shell's single quotes keep $ORIGIN literal.
    ldflags="-Wl,-rpath,'\$\$ORIGIN/../lib'"
    log "cpython $v: configure (CC=$FIX_CC, log $LOGS/configure-$v.log)"
    (cd "$src" && run_logged "$LOGS/configure-$v.log" ./configure \
        --prefix=/install --enable-shared --without-ensurepip \
        CC="$FIX_CC" CXX="$FIX_CXX" LDFLAGS="$ldflags")
    log "cpython $v: make -j$JOBS (log $LOGS/make-$v.log)"
    (cd "$src" && run_logged "$LOGS/make-$v.log" make -j"$JOBS")
    log "cpython $v: make install DESTDIR=$stage (log $LOGS/install-$v.log)"
    mkdir -p "$stage"
    (cd "$src" && run_logged "$LOGS/install-$v.log" make install DESTDIR="$stage")
    t1=$(date +%s)
    if grep -E "Failed to build these modules|could not be imported|necessary bits to build these optional modules were not found" \
        -A3 "$LOGS/make-$v.log" >"$LOGS/modules-$v.txt"; then
        log "cpython $v: note, from the make log:"; sed 's/^/    /' "$LOGS/modules-$v.txt" >&2
    fi

    postprocess "$v" "$stage/install"
    verify_tree "$v" "$stage/install" staged

    # Keep what a reader of the report wants to know.
    "$stage/install/bin/python$mm" -I -B -c '
import sysconfig, glob, os, sys
lib = os.path.join(sys.base_prefix, "lib", "python%d.%d" % sys.version_info[:2])
for k in ("CC", "CXX", "AR", "LDSHARED", "LDFLAGS", "CONFIG_ARGS", "LIBPL", "SOABI", "MULTIARCH"):
    print("%s = %r" % (k, sysconfig.get_config_var(k)))
print("sysconfigdata =", [os.path.basename(p) for p in glob.glob(lib + "/_sysconfig*")])
print("config dirs =", [os.path.basename(p) for p in glob.glob(lib + "/config-*")])
print("bin =", sorted(os.listdir(os.path.join(sys.base_prefix, "bin"))))
print("bundled =", sorted(os.listdir(lib + "/ensurepip/_bundled")))
' >"$stage/info.txt" 2>&1
    find "$stage/install" -name __pycache__ -type d -prune -exec rm -rf {} +
    echo "$v configure+make+install: $((t1 - t0))s (CC=$FIX_CC)" >"$stage/timing.txt"
    log "cpython $v: built in $((t1 - t0))s"
    rm -rf "$WORK/$v"
    echo "STAGE_VERSION=$STAGE_VERSION" >"$stage/.ok"
}

# postprocess VERSION ROOT : the pbs-style touches on an installed tree.
postprocess() {
    local v=$1 root=$2 mm py
    mm=$(majmin "$v")
    py=$root/bin/python$mm
    log "cpython $v: post-processing (pip, shebangs, sysconfigdata, pkg-config)"
    # pbs ships bin/python next to python3 and python3.X.
    ln -sfn "python$mm" "$root/bin/python"
    # pbs installs pip (and setuptools up to 3.11) from the bundled wheels.
    PYTHONDONTWRITEBYTECODE=1 run_logged "$LOGS/ensurepip-$v.log" "$py" -I -B -m ensurepip --default-pip
    PYTHONDONTWRITEBYTECODE=1 "$py" -I -B - "$root" "$mm" <<'EOF'
import json, os, sys, sysconfig

root, mm = sys.argv[1], sys.argv[2]
bindir = os.path.join(root, "bin")

# Relocatable launchers, the way pbs rewrites script shebangs.
trampoline = (
    "#!/bin/sh\n"
    "'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")/python%s\" \"$0\" \"$@\"\n"
    "' '''\n" % mm
).encode()
for name in sorted(os.listdir(bindir)):
    path = os.path.join(bindir, name)
    if os.path.islink(path) or not os.path.isfile(path):
        continue
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"#!"):
        continue
    first, _, rest = data.partition(b"\n")
    if b"/bin/sh" in first or b"/bin/bash" in first or b"bin/env" in first:
        continue
    if b"/python" not in first:
        sys.exit("unexpected shebang %r in %s" % (first, path))
    with open(path, "wb") as fh:
        fh.write(trampoline + rest)

# pbs rewrites _sysconfigdata as one json.dumps'd dict (no implicit string
# concatenation), sorted by key.
name = sysconfig._get_sysconfigdata_name()
path = os.path.join(root, "lib", "python" + mm, name + ".py")
ns = {}
with open(path, "rb") as fh:
    exec(fh.read(), ns)
with open(path, "wb") as fh:
    fh.write(b"# system configuration generated and used by the sysconfig module\n")
    fh.write(("build_time_vars = %s" % json.dumps(ns["build_time_vars"], indent=4, sort_keys=True)).encode())

# pkg-config files relative to themselves, not to /install.
pcdir = os.path.join(root, "lib", "pkgconfig")
for name in os.listdir(pcdir):
    p = os.path.join(pcdir, name)
    if name.endswith(".pc") and os.path.isfile(p) and not os.path.islink(p):
        with open(p) as fh:
            text = fh.read()
        with open(p, "w") as fh:
            fh.write(text.replace("prefix=/install\n", "prefix=${pcfiledir}/../..\n"))
EOF
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

# pack_dir DIR(containing python/) OUTFILE gz|zst [MEMBERS...]
pack_dir() {
    local dir=$1 outfile=$2 kind=$3; shift 3
    local members=("$@") tmp
    ((${#members[@]})) || members=(python)
    tmp=$(dirname "$outfile")/.tmp-$(basename "$outfile")
    rm -f "$tmp"
    case $kind in
        gz)  tar -C "$dir" "${TAR_FLAGS[@]}" -cf - "${members[@]}" | gzip -6 -n >"$tmp" ;;
        zst) tar -C "$dir" "${TAR_FLAGS[@]}" -cf - "${members[@]}" | zstd -q -f -"$ZSTD_LEVEL" -T2 -o "$tmp" ;;
    esac
    mv -f "$tmp" "$outfile"
    log "wrote $(basename "$outfile") ($(du -h "$outfile" | cut -f1))"
}

DROP_EXTENSIONS=(_ctypes_test _testbuffer _testcapi _testexternalinspection _testimportmultiple
    _testinternalcapi _testlimitedcapi _testmultiphase _testsinglephase)

pack_version() {
    local v=$1 mm stage pdir root name f full=0 t
    mm=$(majmin "$v")
    stage=$STAGES/$v
    for f in "${FULL_VERSIONS[@]}"; do [[ $f == "$v" ]] && full=1; done

    # install_only_stripped: install/ tree as python/, minus tests, stripped.
    pdir=$WORK/pack-$v
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
    verify_tree "$v" "$root" stripped
    pack_dir "$pdir" "$MIRROR/cpython-$v+$BUILD_TAG-$TRIPLE-install_only_stripped.tar.gz" gz
    pack_dir "$pdir" "$MIRROR/cpython-$v+$BUILD_TAG-$TRIPLE-install_only_stripped.tar.zst" zst
    rm -rf "$pdir"

    if ((full)); then
        pdir=$WORK/full-$v
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

write_catalogue() {
    local py=$1 tmp
    (cd "$CACHE/mirror" && archive_names | sed "s|^|$BUILD_TAG/|" | xargs sha256sum) >"$CACHE/.SHA256SUMS.tmp"
    mv -f "$CACHE/.SHA256SUMS.tmp" "$CACHE/SHA256SUMS"
    tmp=$CACHE/.download-metadata.json.tmp
    PYTHONDONTWRITEBYTECODE=1 "$py" -I -B - "$CACHE/SHA256SUMS" "$BUILD_TAG" "$TRIPLE" "$URL_PREFIX" "${VERSIONS[@]}" >"$tmp" <<'EOF'
import json, sys
sums_path, tag, triple, prefix, *versions = sys.argv[1:]
sums = {}
with open(sums_path) as fh:
    for line in fh:
        digest, name = line.split(None, 1)
        sums[name.strip().lstrip("*")] = digest
out = {}
for v in versions:
    major, minor, patch = (int(x) for x in v.split("."))
    fname = "cpython-%s+%s-%s-install_only_stripped.tar.gz" % (v, tag, triple)
    out["cpython-%s-linux-x86_64-gnu" % v] = {
        "name": "cpython",
        "arch": {"family": "x86_64", "variant": None},
        "os": "linux",
        "libc": "gnu",
        "major": major,
        "minor": minor,
        "patch": patch,
        "prerelease": "",
        "url": "%s/%s/%s" % (prefix, tag, fname.replace("+", "%2B")),
        "sha256": sums["%s/%s" % (tag, fname)],
        "variant": None,
        "build": tag,
    }
# Newest first, like uv's file.
out = dict(sorted(out.items(), key=lambda kv: (kv[1]["major"], kv[1]["minor"], kv[1]["patch"]), reverse=True))
json.dump(out, sys.stdout, indent=2)
sys.stdout.write("\n")
EOF
    mv -f "$tmp" "$CACHE/download-metadata.json"
}

# ---------------------------------------------------------------- main
T_START=$(date +%s)
log "cache: $CACHE"
need_build=0
for v in "${VERSIONS[@]}"; do
    [[ -f $STAGES/$v/.ok && "$(cat "$STAGES/$v/.ok")" == "STAGE_VERSION=$STAGE_VERSION" ]] || need_build=1
done
if ((need_build)); then
    install_build_deps
    for v in "${VERSIONS[@]}"; do fetch_source "$v"; done
    choose_compiler
fi
for v in "${VERSIONS[@]}"; do
    build_version "$v"
done
for v in "${VERSIONS[@]}"; do
    log "cpython $v: packing (gzip -6, zstd -$ZSTD_LEVEL -T2)"
    pack_version "$v"
done
write_catalogue "$STAGES/${VERSIONS[-1]}/install/bin/python$(majmin "${VERSIONS[-1]}")"
rm -rf "$WORK"
echo "FIXTURES_VERSION=$FIXTURES_VERSION" >"$CACHE/.complete"
log "done in $(($(date +%s) - T_START))s; outputs in $CACHE"
echo "$CACHE"
