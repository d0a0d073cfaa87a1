"""Timing machinery for `make bench`: run a command, measure it, alternate contenders, summarise.

Every timed run is one child process started with subprocess.Popen and reaped with os.wait4, so the wall
time (perf_counter around spawn and reap), the CPU time (user and system, children included) and the peak
resident set size come from the kernel for exactly that process tree. A run that exits non-zero aborts the
benchmark (BenchError) with the command and the tail of its stderr: failures are never timed.
"""

import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(Exception):
    """Aborts the benchmark with a message meant for the person who ran it."""


_START = time.monotonic()


def log(message):
    elapsed = time.monotonic() - _START
    print(f"[bench {int(elapsed) // 60:2d}:{int(elapsed) % 60:02d}] {message}", file=sys.stderr, flush=True)


@dataclass
class Measurement:
    wall: float          # seconds, spawn to reap
    user: float          # seconds of user CPU, the whole process tree
    sys: float           # seconds of system CPU, the whole process tree
    maxrss_kib: int      # ru_maxrss; NOT the command's own peak: a child forked from the harness inherits
                         # the harness's high-water mark across exec (see run.peak_rss_kib)
    stdout: str = ""
    stderr: str = ""


def tail(text, lines=25):
    rows = text.rstrip().splitlines()
    return "\n".join(rows[-lines:])


def run(argv, *, env, cwd, label, check=True, timeout=600, capture_limit=1 << 20):
    """Runs argv once and measures it. Raises BenchError when it cannot start, times out or (with check)
    exits non-zero."""
    argv = [str(a) for a in argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, env=env, cwd=str(cwd), stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as error:
            raise BenchError(f"{label}: cannot start `{shlex.join(argv)}`: {error}") from None
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        watchdog = threading.Timer(timeout, kill)
        watchdog.daemon = True
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read(capture_limit).decode("utf-8", "replace")
        stderr = err.read(capture_limit).decode("utf-8", "replace")
    if timed_out:
        raise BenchError(f"{label}: `{shlex.join(argv)}` did not finish within {timeout} s (killed)")
    if check and proc.returncode != 0:
        raise BenchError(
            f"{label}: `{shlex.join(argv)}` failed with exit status {proc.returncode} (in {cwd})\n"
            f"--- stderr (last lines) ---\n{tail(stderr) or '(empty)'}\n--- stdout (last lines) ---\n{tail(stdout) or '(empty)'}"
        )
    return Measurement(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, stdout, stderr)


def median(values):
    return statistics.median(values) if values else float("nan")


@dataclass
class Contender:
    """One side of a comparison.

    build(run_dir) -> (argv, env, cwd) gives the command for one run; run_dir is a fresh, empty folder of
    its own. check(run_dir, measurement, warmup) raises BenchError when the run did not do what it should
    (wrong interpreter, wrong archive, no venv...). fetches: archive file names the local mirror must serve
    during the run, exactly (None: not checked).
    """
    name: str
    build: object
    check: object = None
    fetches: list = None


@dataclass
class Series:
    """The timed runs of one scenario: runs[name] lists the measurements round by round."""
    contenders: list
    runs: dict = field(default_factory=dict)

    def walls(self, name):
        return [m.wall for m in self.runs[name]]

    def ratios(self, a, b):
        return [x.wall / y.wall for x, y in zip(self.runs[a], self.runs[b])]


def order_for_round(contenders, index):
    """Contenders run one after the other within a round; the first mover changes every round
    (A B, B A, A B ... and A B C, B C A, C A B ... for three), so no contender always runs right after
    another one's writeback or always first on a quiet machine."""
    shift = index % len(contenders)
    return contenders[shift:] + contenders[:shift]


class InodeZones:
    """Where on an ext4 file system a folder's inodes live, to keep clear of recently freed ones.

    ext4 without a journal (this machine) skips inodes freed in the last 60 s (360 s while their inode
    table block is dirty) one by one when it allocates new ones (fs/ext4/ialloc.c, recently_deleted()).
    Right after the previous benchmark's scratch trees (~10^5 inodes) were deleted, every file created in
    the same block groups cost several times more (>50% of a perf profile in find_inode_bit /
    recently_deleted), for every contender alike, which squeezed all ratios towards 1. So the cleanup
    records which zones (flex groups, assumed 16 block groups) its inodes were in, and for a few minutes
    afterwards new folders landing there are made again under another name."""

    GROUPS_PER_ZONE = 16
    WINDOW_SECONDS = 400

    def __init__(self, path):
        self.inodes_per_group = None
        self.avoid = set()
        target = str(Path(path).resolve())
        best = ("", "")
        try:
            with open("/proc/mounts") as mounts:
                for line in mounts:
                    device, mountpoint, fstype = line.split()[:3]
                    if fstype == "ext4" and (target == mountpoint or target.startswith(mountpoint.rstrip("/") + "/")) \
                            and len(mountpoint) >= len(best[1]):
                        best = (device, mountpoint)
            if best[0]:
                with open(f"/proc/fs/ext4/{os.path.basename(best[0])}/mb_groups") as groups:
                    count = sum(1 for line in groups if re.match(r"#\d", line))
                if count:
                    self.inodes_per_group = os.statvfs(target).f_files // count
        except OSError:
            pass

    def zone(self, inode):
        return (inode - 1) // self.inodes_per_group // self.GROUPS_PER_ZONE

    def _read(self, record):
        """{zone: time of the cleanup that last freed inodes there}, only those still inside the window."""
        try:
            data = json.loads(Path(record).read_text())
        except (OSError, ValueError):
            return {}
        if not self.inodes_per_group or data.get("inodes_per_group") != self.inodes_per_group:
            return {}
        now = time.time()
        zones = data.get("zones", {})
        if not isinstance(zones, dict):
            return {}
        return {int(z): t for z, t in zones.items() if now - t < self.WINDOW_SECONDS}

    def load(self, record):
        """Avoid the zones cleanups freed inodes in less than WINDOW_SECONDS ago; returns their count."""
        self.avoid = set(self._read(record))
        return len(self.avoid)

    def record(self, tree, record):
        """Before deleting tree: add the zones of all its inodes to the record (earlier cleanups' zones stay
        while their window lasts)."""
        if not self.inodes_per_group:
            return
        zones = self._read(record)
        now = time.time()
        for folder, dirs, files in os.walk(tree):
            for name in dirs + files:
                try:
                    zones[self.zone(os.lstat(os.path.join(folder, name)).st_ino)] = now
                except OSError:
                    pass
        Path(record).write_text(json.dumps({"inodes_per_group": self.inodes_per_group,
                                            "zones": {str(z): t for z, t in sorted(zones.items())}}) + "\n")


ZONES = None  # set by run.py


def spread_folder(path, topdir=True):
    """Makes a folder outside any zone a recent cleanup freed inodes in (see InodeZones) and returns it:
    path itself, or path-N when path landed in such a zone. With topdir, it gets ext4's TOPDIR flag
    (chattr +T), so the Orlov allocator puts each folder made in it into a fresh block group; folders made
    in those (without the flag) stay near them. So path's parent must be a topdir made here: a new name
    only lands elsewhere when the allocator spreads the parent's children."""
    path.parent.mkdir(parents=True, exist_ok=True)
    attempts = 30
    for attempt in range(attempts):
        candidate = path if attempt == 0 else path.with_name(f"{path.name}-{attempt}")
        if candidate.exists():
            continue
        candidate.mkdir()
        if ZONES is None or not ZONES.avoid or ZONES.zone(candidate.stat().st_ino) not in ZONES.avoid:
            break
        if attempt == attempts - 1:
            log(f"warning: {candidate} is in an ext4 zone the last cleanup freed inodes in; its runs may be slower")
            break
        candidate.rmdir()
    if topdir:
        subprocess.run(["chattr", "+T", str(candidate)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return candidate


def alternate(ctx, scenario_id, contenders, rounds, warmup=1):
    """Runs `warmup` untimed rounds (they also carry the heavier checks), then `rounds` timed rounds,
    each contender once per round in alternating order. Returns a Series.

    Run folders are kept until the whole benchmark ends, and each round's folder is placed in a fresh ext4
    block group (spread_folder): deleting a 3000-file tree would slow the file creation of whichever
    contender runs next."""
    series = Series(contenders, {c.name: [] for c in contenders})
    base = spread_folder(ctx.scratch / scenario_id)
    for index in range(-warmup, rounds):
        is_warmup = index < 0
        round_name = f"warmup{-index}" if is_warmup else f"round{index + 1:02d}"
        parts = []
        round_dir = spread_folder(base / round_name, topdir=False)
        for contender in order_for_round(contenders, max(index, 0) if not is_warmup else 0):
            run_dir = round_dir / re.sub(r"[^A-Za-z0-9._-]+", "_", contender.name).strip("_")
            run_dir.mkdir()
            argv, env, cwd = contender.build(run_dir)
            ctx.server_log.take()  # anything logged before this run is not this run's
            measurement = run(argv, env=env, cwd=cwd, label=f"{scenario_id} ({contender.name}, {round_name})")
            if contender.fetches is not None:
                ctx.server_log.expect(contender.fetches, f"{scenario_id} ({contender.name}, {round_name})")
            if contender.check is not None:
                contender.check(run_dir, measurement, is_warmup)
            # Let the kernel write this run's files back now, outside any timing, instead of during the
            # next contender's run.
            os.sync()
            if not is_warmup:
                series.runs[contender.name].append(measurement)
            parts.append(f"{contender.name} {measurement.wall * 1000:.0f} ms")
        label = "warm-up" if is_warmup else f"{index + 1}/{rounds}"
        log(f"  {scenario_id} {label}: " + ", ".join(parts))
    return series


def repeat(ctx, label, argv_for, env, cwd, times):
    """Runs a single command `times` times (fresh folder each, via argv_for(run_dir)); returns measurements."""
    results = []
    base = spread_folder(ctx.scratch / label)
    for index in range(times):
        run_dir = spread_folder(base / f"run{index + 1:02d}", topdir=False)
        argv = argv_for(run_dir)
        results.append(run(argv, env=env, cwd=cwd, label=f"{label} run {index + 1}"))
        os.sync()
    return results


class ServerLog:
    """Reads what serve.py --verbose logged: one line per request, like
    127.0.0.1 - "GET /20250723/cpython-3.13.5%2B20250723-...tar.gz HTTP/1.1" 200 -"""

    def __init__(self, path):
        self.path = Path(path)
        self.offset = 0

    def take(self):
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            data = handle.read()
        # Only whole lines; a partial last line is read next time.
        cut = data.rfind(b"\n") + 1
        self.offset += cut
        requests = []
        for line in data[:cut].decode("utf-8", "replace").splitlines():
            start = line.find('"')
            end = line.find('"', start + 1)
            if start < 0 or end < 0:
                continue
            request = line[start + 1:end].split()
            status = line[end + 1:].split()
            if len(request) >= 2 and status:
                requests.append((request[0], request[1], status[0]))
        return requests

    def expect(self, names, label):
        from urllib.parse import unquote
        requests = self.take()
        got = sorted(unquote(path).rsplit("/", 1)[-1] for method, path, status in requests if method == "GET" and status == "200")
        bad = [f"{method} {path} -> {status}" for method, path, status in requests if not (method == "GET" and status == "200")]
        if bad or got != sorted(names):
            raise BenchError(
                f"{label}: the local mirror served {got or 'nothing'} (other requests: {bad or 'none'}), "
                f"expected exactly {sorted(names)}; the tool did not install the fixture archive(s) it was meant to"
            )
