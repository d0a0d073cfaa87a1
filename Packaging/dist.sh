#!/usr/bin/env bash
# `make dist`: the release artefacts, for every architecture built, into one folder (dist-packages/):
#
#   pyman-<version>-<arch>-unknown-linux-gnu.tar.gz   the release tree (bin/pyman, share/…) in a folder of that name
#   pyman-<version>-py3-none-manylinux_2_28_<arch>.whl   the binary as a script, completions and man page as data
#   pyman_<version>_<amd64|arm64>.deb                 /usr/bin/pyman, completions and man page in Debian's places
#   install.sh                                        the installer (the repository's own)
#   SHA256SUMS                                        sha256sum's format, of all of the above
#
#   bash Packaging/dist.sh        # from dist/ (x86_64, `make release`) and dist-aarch64/ (`make release ARCH=aarch64`)
#
# PYMAN_RELEASE_URL, when set, becomes install.sh's default base (docs/release.md). PYMAN_DIST_ARCHS
# picks the architectures (default: x86_64 aarch64), PYMAN_DIST_PACKAGES the folder.
# Every artefact is checked before it is kept: the binary in each tree prints this VERSION (aarch64
# under qemu-aarch64-static, with the cross build's sysroot), `auditwheel show` (PyPI's, pinned, in a venv cached in
# ~/.cache/pyman-release) reads each wheel's binary and must find it consistent with manylinux_2_28 or
# lower, and lintian finds no error in each .deb (docs/release.md explains its warnings). Reproducible:
# timestamps are the commit's (SOURCE_DATE_EPOCH), owners root, entries sorted.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
OUT=${PYMAN_DIST_PACKAGES:-dist-packages}
ARCHS=${PYMAN_DIST_ARCHS:-x86_64 aarch64}
TOOLS=${PYMAN_RELEASE_TOOLS:-$HOME/.cache/pyman-release}
AUDITWHEEL_VERSION=6.8.2
MAINTAINER=${PYMAN_DEB_MAINTAINER:-pyman developers <pyman@users.noreply.example.org>}
SUMMARY="Install standalone CPython builds and create virtual environments"

log() { printf '[dist] %s\n' "$*" >&2; }
die() { printf '[dist] ERROR: %s\n' "$*" >&2; exit 1; }

VERSION=$(tr -d ' \n\r\t' <VERSION)
[[ $VERSION =~ ^[0-9]+(\.[0-9]+)*([a-z0-9.+~-]*)$ ]] || die "VERSION holds '$VERSION', not a version like 1.2.3"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
COMMIT=$(git log -1 --format=%h 2>/dev/null || echo unknown)
for tool in dpkg-deb lintian python3 sha256sum gzip tar; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dpkg-dev lintian python3; \`make dist\` installs them as root)"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

# ------------------------------------------------------------------------------------------ auditwheel
auditwheel_venv=$TOOLS/auditwheel-$AUDITWHEEL_VERSION
if ! "$auditwheel_venv/bin/auditwheel" --version >/dev/null 2>&1; then
    log "auditwheel $AUDITWHEEL_VERSION from PyPI into $auditwheel_venv (once)"
    rm -rf "$auditwheel_venv"
    python3 -m venv "$auditwheel_venv"
    "$auditwheel_venv/bin/pip" install -q --disable-pip-version-check "auditwheel==$AUDITWHEEL_VERSION" >&2 \
        || { rm -rf "$auditwheel_venv"; die "pip install auditwheel==$AUDITWHEEL_VERSION failed (PyPI reachable?)"; }
fi

# The tag auditwheel reads off the binary's glibc symbol versions must be at or below the wheel's.
check_wheel() {  # WHEEL ARCH
    local wheel=$1 arch=$2 shown consistent
    shown=$("$auditwheel_venv/bin/auditwheel" show "$wheel" 2>&1) || die "auditwheel show $wheel failed:"$'\n'"$shown"
    consistent=$(tr '\n' ' ' <<<"$shown" | grep -oE 'consistent with the following platform tag: *"[^"]*"' | grep -oE '"[^"]*"' | tr -d '"' || true)
    [[ $consistent =~ ^manylinux_2_([0-9]+)_$arch$ ]] || die "auditwheel show did not find $wheel manylinux_*_$arch:"$'\n'"$shown"
    ((BASH_REMATCH[1] <= 28)) || die "auditwheel says $wheel needs $consistent, above the manylinux_2_28 it is tagged with"
    log "auditwheel show: $(basename "$wheel") is consistent with $consistent (tagged manylinux_2_28)"
}

# ------------------------------------------------------------------------------------------------ .deb
# Debian's places: completions for bash, zsh (vendor-completions) and fish, the man page gzipped.
build_deb() {  # TREE DEB_ARCH
    local tree=$1 deb_arch=$2 root=$WORK/deb-$2 deb
    deb=$OUT/pyman_${VERSION}_$deb_arch.deb
    mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/doc/pyman" "$root/usr/share/man/man1" \
        "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d"
    install -m 755 "$tree/bin/pyman" "$root/usr/bin/pyman"
    # bash-completion sources its files: the generator's #!/bin/bash line is noise there (lintian warns).
    sed '1{/^#!/d}' "$tree/share/bash-completion/completions/pyman" >"$root/usr/share/bash-completion/completions/pyman"
    install -m 644 "$tree/share/zsh/site-functions/_pyman" "$root/usr/share/zsh/vendor-completions/_pyman"
    install -m 644 "$tree/share/fish/vendor_completions.d/pyman.fish" "$root/usr/share/fish/vendor_completions.d/pyman.fish"
    gzip -9n <"$tree/share/man/man1/pyman.1" >"$root/usr/share/man/man1/pyman.1.gz"
    install -m 644 Packaging/copyright "$root/usr/share/doc/pyman/copyright"
    # A native package (no Debian revision): its changelog is changelog.gz.
    printf 'pyman (%s) unstable; urgency=medium\n\n  * Release %s, built from commit %s.\n\n -- %s  %s\n' \
        "$VERSION" "$VERSION" "$COMMIT" "$MAINTAINER" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" | gzip -9n >"$root/usr/share/doc/pyman/changelog.gz"
    chmod 644 "$root/usr/share/man/man1/pyman.1.gz" "$root/usr/share/doc/pyman/changelog.gz" "$root/usr/share/bash-completion/completions/pyman"
    cat >"$root/DEBIAN/control" <<CONTROL
Package: pyman
Version: $VERSION
Architecture: $deb_arch
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= 2.28), libcurl4 | libcurl4t64, libarchive13 | libarchive13t64, ca-certificates
Section: devel
Priority: optional
Description: $SUMMARY
 pyman downloads python-build-standalone CPython builds (and PyPy), checks
 their hashes, installs them side by side, finds the Pythons already on the
 machine and makes virtual environments, with a lock file that pins the exact
 build per project. libcurl and libarchive are opened on first use.
CONTROL
    (cd "$root" && find usr -type f -exec md5sum {} + | sort -k 2) >"$root/DEBIAN/md5sums"
    chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
    find "$root" -type d -exec chmod 755 {} +
    find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
    dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
    local report rc=0
    report=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) || rc=$?
    report=$(grep -v 'running with root privileges' <<<"$report" || true)
    [[ $rc == 0 ]] || die "lintian finds errors in $deb (docs/release.md):"$'\n'"$report"
    log "lintian $(basename "$deb"): no errors${report:+; $(grep -c . <<<"$report") notes:}"
    [[ -z $report ]] || sed 's/^/[dist]     /' <<<"$report" >&2
}

# -------------------------------------------------------------------------------------------- per arch
for arch in $ARCHS; do
    case $arch in
        x86_64) tree=dist deb_arch=amd64 machine='X86-64' ;;
        aarch64) tree=dist-aarch64 deb_arch=arm64 machine='AArch64' ;;
        *) die "PYMAN_DIST_ARCHS holds '$arch'; the architectures are x86_64 and aarch64" ;;
    esac
    [[ -x $tree/bin/pyman ]] || die "$tree/bin/pyman is missing; run \`make release$([[ $arch == aarch64 ]] && echo ' ARCH=aarch64')\` first"
    readelf -h "$tree/bin/pyman" | grep -q "Machine:.*$machine" || die "$tree/bin/pyman is not an $arch program"
    run=()  # another architecture's binary runs under qemu-user with the cross build's sysroot
    [[ $arch == "$(uname -m)" ]] || run=(qemu-"$arch"-static -L "${PYMAN_AARCH64_CACHE:-$HOME/.cache/pyman-aarch64}/sysroot")
    said=$("${run[@]}" "$tree/bin/pyman" --version) || die "$tree/bin/pyman --version failed"
    [[ $said == "pyman $VERSION ("* ]] || die "$tree/bin/pyman says '$said', not version $VERSION: rebuild it (make release)"
    [[ $said == *"($COMMIT "* ]] || log "note: $tree/bin/pyman was built from another commit than HEAD ($said)"
    name=pyman-$VERSION-$arch-unknown-linux-gnu
    mkdir -p "$WORK/$name"
    cp -r "$tree/." "$WORK/$name/"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$WORK" -cf - "$name" \
        | gzip -9n >"$OUT/$name.tar.gz"
    wheel=$(python3 Packaging/wheel.py "$tree" "$arch" "$VERSION" README.md "$OUT")
    check_wheel "$wheel" "$arch"
    build_deb "$tree" "$deb_arch"
done
# PYMAN_RELEASE_URL (where this release's files will be published) becomes the installer's default base,
# so `curl -fsSL $PYMAN_RELEASE_URL/install.sh | sh` needs no PYMAN_INSTALL_BASE.
if [[ -n ${PYMAN_RELEASE_URL:-} ]]; then
    [[ $PYMAN_RELEASE_URL =~ ^https?://[^\"\'\`\$|[:space:]]+$ ]] || die "PYMAN_RELEASE_URL must be an http(s) URL, not '$PYMAN_RELEASE_URL'"
    sed "s|^DEFAULT_BASE=\"\"\$|DEFAULT_BASE=\"$PYMAN_RELEASE_URL\"|" install.sh >"$OUT/install.sh"
    grep -qF "DEFAULT_BASE=\"$PYMAN_RELEASE_URL\"" "$OUT/install.sh" || die "install.sh has no DEFAULT_BASE=\"\" line to set"
    chmod 755 "$OUT/install.sh"
else
    install -m 755 install.sh "$OUT/install.sh"
fi
(cd "$OUT" && sha256sum -- * >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
log "$OUT/ (version $VERSION, commit $COMMIT):"
(cd "$OUT" && for f in *; do printf '[dist]   %-52s %s\n' "$f" "$(stat -c %s "$f" | awk '{ printf "%.1f MiB (%d bytes)", $1 / 1048576, $1 }')"; done) >&2
