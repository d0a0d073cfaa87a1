#!/bin/sh
# pyman's installer: downloads the release tarball for this machine and SHA256SUMS, checks the
# tarball's SHA-256 against it, and puts the binary in ~/.local/bin (or $PYMAN_INSTALL_BIN).
#
#   curl -fsSL <base>/install.sh | sh
#   sh install.sh [--update-shell]
#
# Environment:
#   PYMAN_INSTALL_BASE     where the release files are: an http(s) or file URL, or a local folder
#   PYMAN_INSTALL_BIN      where pyman goes (default: ~/.local/bin)
#   PYMAN_INSTALL_VERSION  which version, when SHA256SUMS lists more than one
#   PYMAN_INSTALL_UPDATE_SHELL=1  the same as --update-shell: run `pyman update-shell` afterwards, which
#                          puts the bin folder on PATH in the shells' startup files
#
# Nothing is written outside a temporary folder until the checksum matches; that folder is removed
# on every exit. Needs curl or wget (for URLs), tar, gzip and sha256sum (or shasum, or openssl).
set -eu

# A release's install.sh names its own base here (Packaging/dist.sh, PYMAN_RELEASE_URL).
DEFAULT_BASE=""

die() {
    printf 'pyman installer: error: %s\n' "$1" >&2
    exit 1
}
say() {
    printf 'pyman installer: %s\n' "$1" >&2
}

update_shell=${PYMAN_INSTALL_UPDATE_SHELL:-0}
for arg in "$@"; do
    case $arg in
        --update-shell) update_shell=1 ;;
        -h | --help)
            cat <<'HELP'
usage: sh install.sh [--update-shell]
Installs pyman from PYMAN_INSTALL_BASE (a URL or folder with SHA256SUMS and the tarballs) into
PYMAN_INSTALL_BIN (default ~/.local/bin), after checking the tarball's SHA-256. --update-shell (or
PYMAN_INSTALL_UPDATE_SHELL=1) then runs `pyman update-shell` to put that folder on PATH.
PYMAN_INSTALL_VERSION picks a version when SHA256SUMS lists several.
HELP
            exit 0 ;;
        *) die "unknown argument '$arg' (use --update-shell, or --help)" ;;
    esac
done
case $update_shell in
    0 | 1) ;;
    *) die "PYMAN_INSTALL_UPDATE_SHELL is 0 or 1, not '$update_shell'" ;;
esac

base=${PYMAN_INSTALL_BASE:-$DEFAULT_BASE}
[ -n "$base" ] || die "set PYMAN_INSTALL_BASE to the release's URL or folder (where SHA256SUMS and the tarballs are)"
base=${base%/}

case $(uname -s) in
    Linux) ;;
    *) die "pyman is built for Linux only, not $(uname -s)" ;;
esac
case $(uname -m) in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no pyman build for this machine's $(uname -m) (there are x86_64 and aarch64 builds)" ;;
esac

if [ -n "${PYMAN_INSTALL_BIN:-}" ]; then
    bin_dir=$PYMAN_INSTALL_BIN
else
    [ -n "${HOME:-}" ] || die "HOME is not set; set PYMAN_INSTALL_BIN to the folder pyman should go to"
    bin_dir=$HOME/.local/bin
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pyman-install.XXXXXX") || die "cannot make a temporary folder in ${TMPDIR:-/tmp}"
cleanup() {
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

fetch() {  # NAME: $base/NAME into $tmp/NAME
    case $base in
        http://* | https://*)
            # An https base is never followed to plain http (a redirect could otherwise downgrade it).
            case $base in https://*) proto='=https' ;; *) proto='=http,https' ;; esac
            if command -v curl >/dev/null 2>&1; then
                curl -fsSL --proto "$proto" --proto-redir "$proto" --retry 2 -o "$tmp/$1" "$base/$1" 2>"$tmp/fetch.err" \
                    || die "cannot download $base/$1: $(tail -n 1 "$tmp/fetch.err")"
            elif command -v wget >/dev/null 2>&1; then
                wget -q -O "$tmp/$1" "$base/$1" 2>"$tmp/fetch.err" \
                    || die "cannot download $base/$1 (wget failed; is the URL right?)"
            else
                die "neither curl nor wget is installed; install one of them"
            fi ;;
        file://*)
            cp "${base#file://}/$1" "$tmp/$1" 2>/dev/null || die "cannot read ${base#file://}/$1" ;;
        *://*)
            die "PYMAN_INSTALL_BASE must be an http(s) or file URL or a folder, not $base" ;;
        *)
            cp "$base/$1" "$tmp/$1" 2>/dev/null || die "cannot read $base/$1" ;;
    esac
}

sha256() {  # FILE: its SHA-256 in hex
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 "$1" | sed 's/.*= *//'
    else
        die "no sha256sum, shasum or openssl to check the download with; install coreutils"
    fi
}

fetch SHA256SUMS
# sha256sum's lines: "<64 hex>  pyman-<version>-<arch>-unknown-linux-gnu.tar.gz".
suffix=-$arch-unknown-linux-gnu.tar.gz
if [ -n "${PYMAN_INSTALL_VERSION:-}" ]; then
    wanted=pyman-$PYMAN_INSTALL_VERSION$suffix
    line=$(grep -E "^[0-9a-f]{64} [ *]" "$tmp/SHA256SUMS" | while read -r sum name; do
        [ "${name#\*}" = "$wanted" ] && printf '%s %s\n' "$sum" "${name#\*}"; done || true)
    [ -n "$line" ] || die "$base/SHA256SUMS lists no $wanted; check PYMAN_INSTALL_VERSION"
else
    line=$(grep -E "^[0-9a-f]{64} [ *]pyman-[0-9A-Za-z.+~-]+$suffix\$" "$tmp/SHA256SUMS" | sed 's/ [ *]/ /' || true)
    [ -n "$line" ] || die "$base/SHA256SUMS lists no pyman tarball for $arch"
    [ "$(printf '%s\n' "$line" | wc -l)" -eq 1 ] \
        || die "$base/SHA256SUMS lists several versions for $arch; set PYMAN_INSTALL_VERSION to one of them"
fi
expected=${line%% *}
tarball=${line#* }
version=${tarball#pyman-}
version=${version%"$suffix"}

fetch "$tarball"
actual=$(sha256 "$tmp/$tarball")
[ "$actual" = "$expected" ] \
    || die "checksum mismatch for $tarball (SHA256SUMS says $expected, the download is $actual); nothing was installed"

top=${tarball%.tar.gz}
mkdir "$tmp/unpacked"
tar -xzf "$tmp/$tarball" -C "$tmp/unpacked" 2>"$tmp/tar.err" || die "cannot unpack $tarball: $(tail -n 1 "$tmp/tar.err")"
new=$tmp/unpacked/$top/bin/pyman
if [ ! -f "$new" ] || [ ! -x "$new" ]; then die "$tarball holds no $top/bin/pyman"; fi
said=$("$new" --version 2>/dev/null) || die "the downloaded pyman does not run on this machine (needs glibc 2.28+, libcurl4 and libarchive13)"
case $said in
    "pyman $version "*) ;;
    *) die "$tarball holds a pyman that says it is '$said', not $version" ;;
esac

# Copied next to its place, then renamed over it: a running or half-copied pyman is never seen.
mkdir -p "$bin_dir" || die "cannot create $bin_dir; set PYMAN_INSTALL_BIN to a folder you can write"
cp "$new" "$bin_dir/.pyman.install.$$" 2>/dev/null || die "cannot write to $bin_dir; set PYMAN_INSTALL_BIN to a folder you can write"
chmod 755 "$bin_dir/.pyman.install.$$"
mv -f "$bin_dir/.pyman.install.$$" "$bin_dir/pyman" || { rm -f "$bin_dir/.pyman.install.$$"; die "cannot replace $bin_dir/pyman"; }
say "installed $said for $arch as $bin_dir/pyman"

if [ "$update_shell" = 1 ]; then
    # pyman's bin dir is where its Python links go too; pointing it here for this one run puts this
    # folder on PATH.
    PYMAN_BIN_DIR=$bin_dir "$bin_dir/pyman" update-shell || die "pyman update-shell failed (see above)"
else
    case ":${PATH:-}:" in
        *":$bin_dir:"*) ;;
        *) say "$bin_dir is not on PATH: run \`$bin_dir/pyman update-shell\`, or add it to PATH in your shell's startup file" ;;
    esac
fi
