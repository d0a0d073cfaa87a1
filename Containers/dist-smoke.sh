#!/usr/bin/env bash
# `make dist-smoke`: make dist's artefacts (dist-packages/, Packaging/dist.sh) installed the way users
# install them and run, in Debian roots entered with chroot like containers (Containers/root-helpers.sh:
# own /proc, /dev, /tmp; env -i), against the fixture mirror served on the host's 127.0.0.1:
#
#   sudo bash Containers/dist-smoke.sh [dist-packages]
#
# - wheel, Debian 11 (bullseye, x86_64): `pip install`ed into a venv of Debian's python3 (python3-venv,
#   which seeds its own pip 20.3.4; no PyPI), the script has its exec bit, prints VERSION; `pyman install 3.13`, `pyman venv` (whose home is the install; the fixture CPython needs
#   glibc 2.34+, so no Python starts here), completions and man page under the venv's share/, and
#   `pip uninstall` removes what RECORD lists.
# - wheel, Debian 13 (trixie, x86_64): the same in a venv of the fixture CPython unpacked as the
#   machine's Python (its pip installing into the venv), and the venv pyman makes runs, its sys.base_prefix inside the install.
# - .deb, Debian 13 minbase with nothing else: `apt-get install ./pyman_<v>_amd64.deb`, which fetches
#   libcurl and libarchive from deb.debian.org; then /usr/bin/pyman installs 3.13, makes a venv whose
#   Python runs from the install; the man page and completions are in Debian's places.
# - aarch64 under qemu-user (binfmt_misc), Debian 13 arm64: the aarch64 wheel as on x86_64 (install,
#   venv, sys.base_prefix), the arm64 .deb with apt-get, and install.sh from a local folder choosing
#   the aarch64 tarball.
# - install.sh on the host, from a local HTTP server (Fixtures/serve.py): with curl, with wget only,
#   from a folder, with --update-shell; then with a corrupted tarball: refused in one line, exit 1,
#   nothing written in HOME or the bin folder, no temporary folder left, an earlier pyman untouched.
# Roots are glibc-floor.sh's cached ones (~/.cache/pyman-glibc-floor/<suite>[-arm64], the same recipes)
# plus bullseye-venv (with python3-venv) and trixie-minbase (debootstrap only), made once, overlaid per run in dist-run.<pid>/; the cache's
# lock keeps this and glibc-floor.sh apart. Every mount is undone on every exit path. Each step has a
# timeout (PYMAN_SMOKE_STEP_TIMEOUT, 180 s; apt-get's 300 s). Prints one line per step and
# `dist-smoke: PASS` or `dist-smoke: FAIL`.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PACKAGES=${1:-$REPO/dist-packages}
CACHE=${PYMAN_GLIBC_FLOOR_CACHE:-$HOME/.cache/pyman-glibc-floor}
FIXTURES=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
DEBIAN_MIRROR=${PYMAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
RUNTIME_PACKAGES="libcurl4 libarchive13 ca-certificates"   # glibc-floor.sh's recipe: the same cached roots
STEP_TIMEOUT=${PYMAN_SMOKE_STEP_TIMEOUT:-180}
APT_TIMEOUT=300
BOOTSTRAP_TIMEOUT=${PYMAN_SMOKE_BOOTSTRAP_TIMEOUT:-1200}
BUILD=20250723
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VERSION=$(tr -d ' \n\r\t' <"$REPO/VERSION")

log() { printf 'dist-smoke: %s\n' "$*" >&2; }
die() { printf 'dist-smoke: FAIL: %s\n' "$*" >&2; exit 1; }
# teardown, waitable, ensure_root, overlay_root, begin_run/end_run
source "$REPO/Containers/root-helpers.sh"
# fail, run, expect, out_has, err_has, out_lacks over $W/out and $W/err; run_steps
source "$REPO/Containers/assert-helpers.sh"
source "$REPO/Fixtures/aarch64-env.sh"   # aarch64_binfmt_ready

[[ $(id -u) == 0 ]] || die "needs root (debootstrap, mount, chroot)"
[[ -d $PACKAGES ]] || die "$PACKAGES is missing; run \`make dist\` first"
PACKAGES=$(cd "$PACKAGES" && pwd)
archive() { echo "cpython-3.13.5+$BUILD-$1-unknown-linux-gnu-install_only_stripped.tar.gz"; }
for f in "pyman-$VERSION-py3-none-manylinux_2_28_x86_64.whl" "pyman-$VERSION-py3-none-manylinux_2_28_aarch64.whl" \
    "pyman_${VERSION}_amd64.deb" "pyman_${VERSION}_arm64.deb" "pyman-$VERSION-x86_64-unknown-linux-gnu.tar.gz" \
    "pyman-$VERSION-aarch64-unknown-linux-gnu.tar.gz" SHA256SUMS install.sh; do
    [[ -s $PACKAGES/$f ]] || die "$PACKAGES/$f is missing; run \`make dist\` (VERSION is $VERSION)"
done
for f in "mirror/$BUILD/$(archive x86_64)" "mirror/$BUILD/$(archive aarch64)" download-metadata.json download-metadata-aarch64.json; do
    [[ -s $FIXTURES/$f ]] || die "fixture $FIXTURES/$f is missing; run \`make fixtures fixtures-aarch64\` first"
done
why=$(aarch64_binfmt_ready) || die "cannot run arm64 roots here: $why"
for tool in chroot timeout mount umount flock python3 debootstrap curl wget sha256sum; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

mkdir -p "$CACHE/logs/dist-smoke"
CACHE=$(cd "$CACHE" && pwd -P)
LOGS=$CACHE/logs/dist-smoke
RUN=$CACHE/dist-run.$$
PASS_DETAIL="wheel, .deb and install.sh, x86_64 and aarch64"
begin_run dist-smoke   # traps (end_run on exit), the cache's lock
for stale in "$CACHE"/dist-run.* "$CACHE"/*/rootfs.build; do
    [[ -e $stale ]] || continue
    log "clearing leftovers of an earlier run: $stale"
    teardown "$stale" || die "cannot clear $stale"
done
rm -f "$LOGS"/*.log

# ----------------------------------------------------------------------------------------- servers
serve() {  # DIR: serves it on 127.0.0.1 (Fixtures/serve.py); sets URL
    local dir=$1 port
    python3 "$REPO/Fixtures/serve.py" "$dir" >"$dir.port" 2>>"$LOGS/server.log" 5>&- 6>&- 8>&- &
    SERVER_PIDS+=($!)
    for _ in $(seq 50); do [[ -s $dir.port ]] && break; sleep 0.1; done
    port=$(head -n 1 "$dir.port")
    [[ $port =~ ^[0-9]+$ ]] || die "the server for $dir did not start (log: $LOGS/server.log)"
    URL=http://127.0.0.1:$port
}
mkdir -p "$RUN/mirror/$BUILD" "$RUN/srv"
for arch in x86_64 aarch64; do cp "$FIXTURES/mirror/$BUILD/$(archive "$arch")" "$RUN/mirror/$BUILD/"; done
cp "$FIXTURES/download-metadata.json" "$FIXTURES/download-metadata-aarch64.json" "$RUN/mirror/"
serve "$RUN/mirror"
MIRROR=$URL

# ------------------------------------------------------------------------------------------ in a root
IMAGE_ENV=(PATH=$PATH_IN_ROOT LANG=C.UTF-8 PYMAN_INSTALL_DIR=/opt/python PYMAN_BIN_DIR=/usr/local/bin HOME=/root USER=root)
in_root() { timeout -k 5 "$STEP_TIMEOUT" chroot "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" "$@"; }
mirrored() {  # pyman's catalogue and downloads from the fixture mirror (this root's architecture's catalogue)
    in_root env PYMAN_DOWNLOADS_JSON="$MIRROR/$CATALOGUE" PYMAN_PYTHON_MIRROR="$MIRROR" "$@"
}
INSTALLED() { echo "cpython-3.13.5-linux-$ARCH-gnu"; }
pip_into_venv() {  # pip for /opt/wv: Debian's venv has its own; else the machine's (fixture) CPython's pip
    if [[ $BOOTSTRAP == debian ]]; then in_root /opt/wv/bin/python -m pip "$@"
    else in_root /opt/bootstrap/python/bin/python3 -m pip --python /opt/wv/bin/python "$@"; fi
}

step_wheel_install() {  # pip install the wheel into a venv of the root's Python; the script runs
    local wheel=/srv/pyman-$VERSION-py3-none-manylinux_2_28_$ARCH.whl
    if [[ $BOOTSTRAP == debian ]]; then  # Debian's python3-venv, and the pip it seeds (20.3.4 on Debian 11)
        expect 0 in_root python3 -m venv /opt/wv
    else
        # The machine's pip (the fixture CPython's) installs into the venv (pip --python): ensurepip
        # would install pip again, 3 minutes and more under qemu on a busy machine.
        expect 0 in_root /opt/bootstrap/python/bin/python3 -m venv --without-pip /opt/wv
    fi
    expect 0 pip_into_venv install --no-index --no-cache-dir --disable-pip-version-check "$wheel"
    out_has "Successfully installed pyman-$VERSION"
    [[ $(stat -c %a "$R/opt/wv/bin/pyman") == 755 ]] || fail "the wheel's bin/pyman has mode $(stat -c %a "$R/opt/wv/bin/pyman"), not 755"
    expect 0 in_root /opt/wv/bin/pyman --version
    [[ $(cat "$W/out") =~ ^pyman\ $VERSION\ \([0-9a-f]{7,}\ [0-9-]{10}\)$ ]] || fail "pyman --version says '$(cat "$W/out")'"
    for f in share/man/man1/pyman.1 share/bash-completion/completions/pyman share/zsh/site-functions/_pyman share/fish/vendor_completions.d/pyman.fish; do
        [[ -s $R/opt/wv/$f ]] || fail "the wheel did not install $f into the venv"
    done
}

step_wheel_python() {  # the wheel's pyman installs 3.13 from the mirror and makes a venv over it
    expect 0 mirrored /opt/wv/bin/pyman install 3.13
    err_has "Installed $(INSTALLED) in /opt/python/$(INSTALLED)"
    expect 0 in_root /opt/wv/bin/pyman venv --managed-python /opt/app
    grep -qx "home = /opt/python/cpython-3.13-linux-$ARCH-gnu/bin" "$R/opt/app/pyvenv.cfg" \
        || fail "pyvenv.cfg's home is not the install's: $(cat "$R/opt/app/pyvenv.cfg")"
    if [[ $RUNS_PYTHON == 1 ]]; then
        expect 0 in_root /opt/app/bin/python -c 'import os, sys; print(os.path.realpath(sys.base_prefix), sys.version_info[:2])'
        out_has "/opt/python/$(INSTALLED) (3, 13)"
    fi
}

step_wheel_uninstall() {  # RECORD lists every file: pip uninstall takes them all away
    expect 0 pip_into_venv uninstall -y pyman
    [[ ! -e $R/opt/wv/bin/pyman && ! -e $R/opt/wv/share/man/man1/pyman.1 ]] || fail "pip uninstall left pyman's files"
}

step_deb_install() {  # apt-get install ./pyman_<v>_<arch>.deb; apt brings what it depends on
    local deb=/srv/pyman_${VERSION}_$DEB_ARCH.deb
    if [[ $FETCHES == 1 ]]; then
        run in_root dpkg-query -W -f '${Status}' libcurl4t64 libarchive13t64
        ! grep -q 'install ok installed' "$W/out" || fail "libcurl or libarchive is already in the minimal root"
        expect 0 timeout -k 5 "$APT_TIMEOUT" chroot "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -q
    fi
    expect 0 timeout -k 5 "$APT_TIMEOUT" chroot "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "$deb"
    expect 0 in_root dpkg-query -W -f '${Package} ${Version} ${Status}\n' pyman libcurl4t64 libarchive13t64 ca-certificates
    out_has "pyman $VERSION install ok installed"
    [[ $(grep -c 'install ok installed' "$W/out") == 4 ]] || fail "libcurl4t64, libarchive13t64 or ca-certificates is not installed"
    expect 0 in_root pyman --version
    [[ $(cat "$W/out") =~ ^pyman\ $VERSION\ \( ]] || fail "pyman --version says '$(cat "$W/out")'"
    expect 0 in_root dpkg -L pyman
    for f in /usr/bin/pyman /usr/share/man/man1/pyman.1.gz /usr/share/bash-completion/completions/pyman \
        /usr/share/zsh/vendor-completions/_pyman /usr/share/fish/vendor_completions.d/pyman.fish /usr/share/doc/pyman/copyright; do
        grep -qx "$f" "$W/out" || fail "the .deb has no $f"
        [[ -f $R$f ]] || fail "$f is not installed"
    done
}

step_deb_python() {  # /usr/bin/pyman installs 3.13 and makes a venv whose Python runs from the install
    expect 0 mirrored pyman install 3.13
    err_has "Installed $(INSTALLED) in /opt/python/$(INSTALLED)"
    expect 0 in_root pyman venv --managed-python /opt/deb-app
    expect 0 in_root /opt/deb-app/bin/python -c 'import os, sys; print(os.path.realpath(sys.base_prefix))'
    out_has "/opt/python/$(INSTALLED)"
}

step_installer_folder() {  # install.sh from a local folder picks this machine's (aarch64's) tarball
    expect 0 in_root env PYMAN_INSTALL_BASE=/srv/packages sh /srv/packages/install.sh
    err_has "installed pyman $VERSION"
    err_has "for $ARCH as /root/.local/bin/pyman"
    expect 0 in_root /root/.local/bin/pyman --version
    out_has "pyman $VERSION ("
}

run_case() {  # NAME ROOTFS STEP...: the steps in a fresh overlay of ROOTFS, one line each
    local name=$1 rootfs=$2 t0=$SECONDS
    shift 2
    local S=$RUN/$name
    W=$S/work
    mkdir -p "$W"
    overlay_root "$rootfs" "$S"
    mkdir -p "$R/srv/packages"
    cp "$PACKAGES"/* "$R/srv/"
    cp "$PACKAGES"/* "$R/srv/packages/"
    if [[ $BOOTSTRAP == fixture ]]; then  # the machine's Python: the fixture CPython, unpacked
        mkdir -p "$R/opt/bootstrap" && tar -xzf "$FIXTURES/mirror/$BUILD/$(archive "$ARCH")" -C "$R/opt/bootstrap"
    fi
    log "$name: root ready ($HOW) in $((SECONDS - t0))s"
    run_steps dist-smoke 22 "$name" "$@" || exit 1
    teardown "$S" || die "cannot tear down $S"
    log "$name: done in $((SECONDS - t0))s"
}

# ----------------------------------------------------------------------------------------- the cases
ARCH=x86_64 DEB_ARCH=amd64 CATALOGUE=download-metadata.json
ensure_root --arch "$DEB_ARCH" bullseye "$RUNTIME_PACKAGES python3-venv" bullseye-venv
BOOTSTRAP=debian RUNS_PYTHON=0 run_case wheel-bullseye "$ROOTFS" step_wheel_install step_wheel_python step_wheel_uninstall
ensure_root --arch "$DEB_ARCH" trixie "$RUNTIME_PACKAGES"
BOOTSTRAP=fixture RUNS_PYTHON=1 run_case wheel-trixie "$ROOTFS" step_wheel_install step_wheel_python step_wheel_uninstall
ensure_root --arch "$DEB_ARCH" trixie "" trixie-minbase
BOOTSTRAP=none FETCHES=1 run_case deb-trixie-minbase "$ROOTFS" step_deb_install step_deb_python

ARCH=aarch64 DEB_ARCH=arm64 CATALOGUE=download-metadata-aarch64.json
ensure_root --arch "$DEB_ARCH" trixie "$RUNTIME_PACKAGES"
BOOTSTRAP=fixture RUNS_PYTHON=1 FETCHES=0 run_case aarch64-trixie "$ROOTFS" \
    step_wheel_install step_wheel_python step_deb_install step_installer_folder

# ---------------------------------------------------------------------------------- install.sh, host
# Each run gets env -i, its own HOME and TMPDIR: what it leaves behind is all in sight.
installer() {  # NAME [VAR=VALUE...] -- ARGS...: sh install.sh as a user with HOME=$RUN/NAME/home
    local name=$1 d=$RUN/installer/$1
    shift
    mkdir -p "$d/home" "$d/tmp"
    local env=(PATH="${INSTALLER_PATH:-/usr/bin:/bin}" HOME="$d/home" TMPDIR="$d/tmp" SHELL=/bin/bash)
    while [[ $1 != -- ]]; do env+=("$1"); shift; done
    shift
    timeout -k 5 "$STEP_TIMEOUT" env -i "${env[@]}" sh "$REPO/install.sh" "$@"
}
nothing_left() {  # NAME: the run's TMPDIR is empty again
    [[ -z $(ls -A "$RUN/installer/$1/tmp") ]] || fail "install.sh left $(ls -A "$RUN/installer/$1/tmp") in TMPDIR"
}

step_installer_http() {  # curl, from the server; says how to put ~/.local/bin on PATH
    expect 0 installer curl PYMAN_INSTALL_BASE="$GOOD" -- 
    err_has "installed pyman $VERSION"
    err_has "for x86_64 as $RUN/installer/curl/home/.local/bin/pyman"
    err_has "is not on PATH: run \`$RUN/installer/curl/home/.local/bin/pyman update-shell\`"
    cmp "$RUN/installer/curl/home/.local/bin/pyman" "$REPO/dist/bin/pyman" || fail "the installed pyman is not dist/bin/pyman"
    [[ $(stat -c %a "$RUN/installer/curl/home/.local/bin/pyman") == 755 ]] || fail "the installed pyman is not mode 755"
    nothing_left curl
}

step_installer_wget() {  # no curl on PATH: wget; PYMAN_INSTALL_BIN; --update-shell
    local shim=$RUN/installer/no-curl-bin t
    mkdir -p "$shim"
    for t in sh uname mktemp rm cat wget cp grep sed wc cut sha256sum mkdir tar gzip chmod mv tail env; do ln -sf "$(command -v "$t")" "$shim/$t"; done
    INSTALLER_PATH=$shim expect 0 installer wget PYMAN_INSTALL_BASE="$GOOD/" PYMAN_INSTALL_BIN="$RUN/installer/wget/bin" -- --update-shell
    [[ -x $RUN/installer/wget/bin/pyman ]] || fail "no pyman in PYMAN_INSTALL_BIN"
    grep -qF "$RUN/installer/wget/bin" "$RUN/installer/wget/home/.bashrc" || fail "--update-shell did not put the bin folder in ~/.bashrc"
    nothing_left wget
}

step_installer_folder_host() {  # a folder as the base, PYMAN_INSTALL_UPDATE_SHELL off
    expect 0 installer folder PYMAN_INSTALL_BASE="$PACKAGES" PYMAN_INSTALL_UPDATE_SHELL=0 --
    [[ -x $RUN/installer/folder/home/.local/bin/pyman && ! -e $RUN/installer/folder/home/.bashrc ]] \
        || fail "a folder base did not install, or touched ~/.bashrc"
}

step_installer_corrupt() {  # one byte of the tarball changed: refused, nothing written, nothing replaced
    expect 1 installer corrupt PYMAN_INSTALL_BASE="$BAD" --
    err_has "checksum mismatch for pyman-$VERSION-x86_64-unknown-linux-gnu.tar.gz"
    [[ $(wc -l <"$W/err") == 1 ]] || fail "the refusal is not one line"
    [[ -z $(ls -A "$RUN/installer/corrupt/home") ]] || fail "the refused install left files in HOME: $(find "$RUN/installer/corrupt/home" -mindepth 1)"
    nothing_left corrupt
    # Over the pyman step_installer_http installed: still that one.
    expect 1 installer curl PYMAN_INSTALL_BASE="$BAD" --
    cmp "$RUN/installer/curl/home/.local/bin/pyman" "$REPO/dist/bin/pyman" || fail "a refused install changed the installed pyman"
    [[ -z $(find "$RUN/installer/curl/home/.local/bin" -name '.pyman*') ]] || fail "a refused install left a partial file"
    nothing_left curl
}

mkdir -p "$RUN/good" "$RUN/bad" "$RUN/installer"
cp "$PACKAGES"/*.tar.gz "$PACKAGES/SHA256SUMS" "$RUN/good/"
cp "$PACKAGES"/*.tar.gz "$PACKAGES/SHA256SUMS" "$RUN/bad/"
bad=$RUN/bad/pyman-$VERSION-x86_64-unknown-linux-gnu.tar.gz
printf '\x00' | dd of="$bad" bs=1 seek=$(($(stat -c %s "$bad") / 2)) conv=notrunc status=none
serve "$RUN/good"
GOOD=$URL
serve "$RUN/bad"
BAD=$URL
W=$RUN/installer/work
mkdir -p "$W"
t0=$SECONDS
run_steps dist-smoke 22 installer step_installer_http step_installer_wget step_installer_folder_host step_installer_corrupt || exit 1
log "installer: done in $((SECONDS - t0))s"
PASSED=1
