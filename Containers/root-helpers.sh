# Sourced by smoke.sh, glibc-floor.sh, dist-smoke.sh and cross-build.sh: what they need to run commands
# in a root of their own and to undo it on every exit path. Each script defines log() and die() (its own
# prefix) first, and keeps CHILD_PID for its on_exit; fds 5, 6 and 8 are its saved stdout/stderr and its lock.

# Mount points at or under $1, deepest first (mountinfo's 5th field; our paths have no spaces).
mounts_under() {
    awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Processes whose root is (inside) $1: whatever a step started in the root and left running.
inside() {
    local p root
    for p in /proc/[0-9]*; do
        root=$(readlink "$p/root" 2>/dev/null) || continue
        root=${root% (deleted)}
        if [[ $root == "$1" || $root == "$1"/* ]]; then echo "${p#/proc/}"; fi
    done
}

# Kills them and waits (5 s at most) until they are gone; returns 1 if some are not.
kill_inside() {
    local pid
    for _ in $(seq 50); do
        pid=$(inside "$1")
        [[ -n $pid ]] || return 0
        kill -KILL $pid 2>/dev/null || true
        sleep 0.1
    done
    log "processes still running in $1: $(inside "$1" | tr '\n' ' ')"
    return 1
}

# Undoes a folder of ours: processes, mounts (lazily if busy), files. Returns 1 if a mount stays.
teardown() {
    local dir=$1 m pid
    [[ -e $dir ]] || return 0
    # The fixture server runs on the host; a killed run left its pid (checked: it serves $dir).
    pid=$(cat "$dir/server.pid" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$dir/mirror"; then
        kill "$pid" 2>/dev/null || true
    fi
    kill_inside "$dir" || return 1
    for m in $(mounts_under "$dir"); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if [[ -n $(mounts_under "$dir") ]]; then
        log "still mounted under $dir:"; mounts_under "$dir" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

# Runs "$@" in the background and waits for it, so that INT/TERM are handled at once (bash defers
# traps until a foreground command ends) and on_exit can stop it.
waitable() {
    local rc=0
    "$@" 5>&- 6>&- 8>&- &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=
    return "$rc"
}

# What a container runtime gives a root: procfs, a tmpfs /dev with the usual device nodes, a tmpfs
# /dev/shm and /tmp (apt-get in a root under construction needs them too).
mount_container_fs() {
    local root=$1 spec name major minor
    mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
    mount -t tmpfs -o nosuid,mode=755,size=65536k dev "$root/dev"
    for spec in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r name major minor <<<"$spec"
        if ! mknod -m 666 "$root/dev/$name" c "$major" "$minor" 2>/dev/null; then
            touch "$root/dev/$name" && mount --bind "/dev/$name" "$root/dev/$name"  # no CAP_MKNOD
        fi
    done
    ln -s /proc/self/fd "$root/dev/fd"
    mkdir -p "$root/dev/shm"
    mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
    mount -t tmpfs -o nosuid,nodev,mode=1777 tmp "$root/tmp"
}

# The recipe of a cached root (SUITE PACKAGES DEB_ARCH), kept in its stamp: a root whose stamp differs is
# made again. Bump recipe= when the way ensure_root makes roots changes. smoke.sh's base images carry it too.
root_recipe() {  # SUITE PACKAGES DEB_ARCH
    local recipe="recipe=1 suite=$1 variant=minbase packages=$2"
    [[ $3 == amd64 ]] || recipe+=" arch=$3"
    echo "$recipe"
}

# The cached Debian root SUITE for DEB_ARCH (--arch, default amd64): debootstrap --variant=minbase, then
# apt-get install PACKAGES, if any. In $CACHE/NAME/rootfs (NAME: SUITE, or SUITE-DEB_ARCH for another
# architecture than amd64), or at --rootfs PATH (smoke.sh's places); its stamp is ROOTFS.stamp, and
# ROOTFS.build the root while it is made. Made once (network: $DEBIAN_MIRROR) and again when the recipe
# (root_recipe) changes. --blank-resolv-conf leaves its /etc/resolv.conf empty, as Docker Hub's images
# have it (the runtime provides one). Sets ROOTFS, and ROOT_MADE (1 when this call made the root, else 0).
# Uses CACHE, LOGS, DEBIAN_MIRROR, BOOTSTRAP_TIMEOUT and PATH_IN_ROOT of the script.
ensure_root() {  # [--arch DEB_ARCH] [--rootfs PATH] [--blank-resolv-conf] SUITE PACKAGES [NAME]
    local arch=amd64 rootfs='' blank=0
    while [[ $1 == --* ]]; do
        case $1 in
            --arch) arch=$2; shift 2 ;;
            --rootfs) rootfs=$2; shift 2 ;;
            --blank-resolv-conf) blank=1; shift ;;
            *) die "ensure_root: unknown option $1" ;;
        esac
    done
    local suite=$1 packages=$2 name=${3:-$1} m t0=$SECONDS
    local recipe
    recipe=$(root_recipe "$suite" "$packages" "$arch")
    [[ $arch == amd64 ]] || name=$name-$arch
    ROOTFS=${rootfs:-$CACHE/$name/rootfs} ROOT_MADE=0
    [[ -d $ROOTFS && $(cat "$ROOTFS.stamp" 2>/dev/null) == "$recipe" ]] && return 0
    local build=$ROOTFS.build
    mkdir -p "$(dirname "$ROOTFS")"
    log "$name: debootstrap --variant=minbase --arch=$arch $suite from $DEBIAN_MIRROR (once; cached in $ROOTFS)"
    waitable timeout -k 10 "$BOOTSTRAP_TIMEOUT" debootstrap --variant=minbase --arch="$arch" "$suite" "$build" "$DEBIAN_MIRROR" \
        >"$LOGS/debootstrap-$name.log" 2>&1 \
        || { tail -n 20 "$LOGS/debootstrap-$name.log" >&2; die "debootstrap $suite failed (log: $LOGS/debootstrap-$name.log)"; }
    # debootstrap undoes its own mounts on success; make sure.
    for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    cp -L /etc/resolv.conf "$build/etc/resolv.conf"
    if [[ -n $packages ]]; then
        mount_container_fs "$build"
        log "$name: apt-get install $packages"
        waitable timeout -k 10 "$BOOTSTRAP_TIMEOUT" chroot "$build" /usr/bin/env -i PATH=$PATH_IN_ROOT HOME=/root \
            DEBIAN_FRONTEND=noninteractive sh -ec "apt-get update -q && apt-get install -y -q --no-install-recommends $packages && apt-get clean && rm -rf /var/lib/apt/lists/*" \
            >"$LOGS/apt-$name.log" 2>&1 \
            || { tail -n 20 "$LOGS/apt-$name.log" >&2; die "apt-get install in the $name root failed (log: $LOGS/apt-$name.log)"; }
        for m in $(mounts_under "$build"); do umount "$m" || umount -l "$m"; done
    else
        chroot "$build" sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/*'
    fi
    [[ -z $(mounts_under "$build") ]] || die "cannot unmount $build"
    if [[ $blank == 1 ]]; then : >"$build/etc/resolv.conf"; fi
    rm -rf "$ROOTFS"
    mv "$build" "$ROOTFS"
    echo "$recipe" >"$ROOTFS.stamp"
    ROOT_MADE=1
    log "$name: cached root built in $((SECONDS - t0))s ($(du -sh "$ROOTFS" | cut -f1))"
}

# A root of this run's own over the cached ROOTFS, in RUNDIR/root: an overlay (writes go to
# RUNDIR/upper), or a copy where overlayfs is unavailable; then procfs, /dev, /tmp as a container has.
# Sets R (the root) and HOW (overlay or copy). teardown RUNDIR undoes it.
overlay_root() {  # ROOTFS RUNDIR
    R=$2/root
    mkdir -p "$R" "$2/upper" "$2/overlay-work"
    if mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/overlay-work" "$R" 2>/dev/null; then
        HOW=overlay
    else
        rmdir "$R" && cp -a "$1" "$R"
        HOW=copy
    fi
    mount_container_fs "$R"
}

# What a run's on_exit undoes (glibc-floor.sh, dist-smoke.sh): the step still running (CHILD_PID), the
# fixture servers (SERVER_PIDS), RUN's mounts and files, a root half-built in CACHE. Returns 1 if a
# mount stays.
undo_run() {
    local status=0 pid b
    if [[ -n $CHILD_PID ]]; then kill "$CHILD_PID" 2>/dev/null || true; sleep 1; kill -KILL "$CHILD_PID" 2>/dev/null || true; fi
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    teardown "$RUN" || status=1
    for b in "$CACHE"/*/rootfs.build; do teardown "$b" || status=1; done
    if mount | grep -qF "$CACHE/"; then log "mounts left behind:"; mount | grep -F "$CACHE/" >&2; status=1; fi
    return "$status"
}

# The frame of a run of glibc-floor.sh or dist-smoke.sh (NAME): on every exit, end_run undoes it
# (undo_run) and prints `NAME: PASS (PASS_DETAIL; …)` when the script got to PASSED=1, else `NAME: FAIL`;
# INT, TERM and HUP exit through it. The cache's lock (fd 8) keeps runs over the same roots apart.
begin_run() {  # NAME
    RUN_NAME=$1 SERVER_PIDS=() CHILD_PID='' PASSED=0 T_START=$SECONDS
    exec 5>&1 6>&2
    trap end_run EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM HUP
    exec 8>"$CACHE/.lock"
    flock -w 1800 8 || die "another run holds $CACHE/.lock"
}
end_run() {
    local status=$?
    trap - EXIT INT TERM HUP
    exec 1>&5 2>&6
    undo_run || status=1
    if [[ $status == 0 && $PASSED == 1 ]]; then
        echo "$RUN_NAME: PASS ($PASS_DETAIL; no mounts or processes left; $((SECONDS - T_START))s)"
    else
        echo "$RUN_NAME: FAIL"
        [[ $status != 0 ]] || status=1
    fi
    exit "$status"
}
