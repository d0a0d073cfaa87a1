# Sourced by Fixtures/build-aarch64.sh, Tests/aarch64/e2e.sh and the aarch64 container checks: whether
# this x86_64 kernel can start aarch64 programs (binfmt_misc + qemu-user), made so when it can be.
#
#   why=$(aarch64_binfmt_ready) || echo "skipped: $why"
#
# Returns 0 when /proc/sys/fs/binfmt_misc/qemu-aarch64 is enabled, mounting binfmt_misc and registering
# Debian's qemu-user-static entry (update-binfmts, from binfmt-support) first when root; else prints
# one line saying what is missing and how to get it, and returns 1.
aarch64_binfmt_ready() {
    local dir=/proc/sys/fs/binfmt_misc
    if [[ $(uname -m) == aarch64 ]]; then return 0; fi
    if [[ ! -e $dir/status ]]; then
        if [[ $(id -u) == 0 ]]; then mount -t binfmt_misc binfmt_misc "$dir" 2>/dev/null || true; fi
        [[ -e $dir/status ]] || { echo "binfmt_misc is not mounted and cannot be (mount -t binfmt_misc binfmt_misc $dir, as root, on a kernel with binfmt_misc)"; return 1; }
    fi
    if [[ ! -e $dir/qemu-aarch64 ]]; then
        command -v qemu-aarch64-static >/dev/null || { echo "qemu-user-static is not installed (apt-get install qemu-user-static binfmt-support)"; return 1; }
        if [[ $(id -u) == 0 ]] && command -v update-binfmts >/dev/null; then update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true; fi
        [[ -e $dir/qemu-aarch64 ]] || { echo "qemu-aarch64 is not registered in binfmt_misc (as root: apt-get install binfmt-support && update-binfmts --enable qemu-aarch64)"; return 1; }
    fi
    [[ $(head -n 1 "$dir/qemu-aarch64") == enabled ]] || { echo "binfmt_misc's qemu-aarch64 entry is disabled (update-binfmts --enable qemu-aarch64)"; return 1; }
    # F (fix binary): the interpreter is opened at registration, so it also works inside chroots.
    grep -q '^flags:.*F' "$dir/qemu-aarch64" || { echo "binfmt_misc's qemu-aarch64 entry lacks the F flag (use qemu-user-static's, not qemu-user's)"; return 1; }
    return 0
}
