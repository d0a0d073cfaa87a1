# Sourced by smoke.sh and glibc-floor.sh: what both need to run commands in a root of their own and to
# undo it on every exit path. Each script defines log() (its own prefix) first,
# and keeps CHILD_PID for its on_exit; fds 5, 6 and 8 are its saved stdout/stderr and its lock.

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
