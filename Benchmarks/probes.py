"""What bounds a scenario that missed its goal: measured, not guessed.

For installs: the same archive decompressed and extracted by gzip/zstd and GNU tar without either tool
(floors), CPU split, syscall counts (strace -f -c; counts only, strace's own timing is distorted) and a
perf profile of one pyman run. For venv/find/list: process start-up (pyman --version, static Swift hello
worlds with and without FoundationEssentials, uv --version), the dynamic loader's work (ldd, LD_DEBUG=statistics), syscall
counts, and a perf profile over many runs of the pyman command.
"""

import hashlib
import os
import sys
import re
import shutil
import subprocess
from pathlib import Path

from harness import BenchError, Contender, alternate, log, median, run, spread_folder


def probes_dir(ctx):
    """One folder for the probes' files, made once (spread_folder may pick another name)."""
    if getattr(ctx, "probes_dir", None) is None:
        ctx.probes_dir = spread_folder(ctx.scratch / "probes")
    return ctx.probes_dir


def cell(text):
    """A table cell: a | would end the cell, even inside backticks."""
    return str(text).replace("|", "\\|")


def ms(seconds):
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


# ------------------------------------------------------------------------------------------ floors

_floor_cache = {}


def floors(ctx, archive_id, archives, rounds=5):
    """Median wall/user/sys of download, decompression, extraction of the plain tar, and the pipeline,
    for one fixture archive, all alternating round by round."""
    if archive_id in _floor_cache:
        return _floor_cache[archive_id]
    info = ctx.archives[archive_id]
    path = info["path"]
    tool = "gzip" if path.name.endswith(".gz") else "zstd"
    plain = probes_dir(ctx) / f"{archive_id}.tar"
    with open(plain, "wb") as out:
        if subprocess.run([tool, "-dc", str(path)], stdout=out).returncode != 0:
            raise BenchError(f"{tool} -dc {path} failed")
    entries = len(subprocess.run(["tar", "-tf", str(plain)], stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines())
    url = f"{ctx.mirror_url}/{info['name'].split('+')[1].split('-')[0]}/{info['name'].replace('+', '%2B')}"
    env = ctx.base_env()
    contenders = [
        Contender("download", lambda d: (["curl", "-sSf", url, "-o", "/dev/null"], env, d), None, [info["name"]]),
        Contender("decompress", lambda d: (["bash", "-c", f'{tool} -dc "$1" > /dev/null', "x", path], env, d)),
        Contender("tar-x", lambda d: (["tar", "-xf", plain, "-C", d], env, d)),
        Contender("pipeline", lambda d: (["bash", "-c", f'set -o pipefail; {tool} -dc "$1" | tar -x -C "$2"', "x", path, d], env, d)),
    ]
    log(f"  floors for {info['name']}")
    series = alternate(ctx, f"probe-floors-{archive_id}", contenders, rounds)
    result = {"tool": tool, "entries": entries, "plain_bytes": plain.stat().st_size, "rounds": rounds}
    for c in contenders:
        runs = series.runs[c.name]
        result[c.name] = {k: median([getattr(m, k) for m in runs]) for k in ("wall", "user", "sys")}
    _floor_cache[archive_id] = result
    return result


def floors_table(archive_name, f):
    tool = f["tool"]
    rows = [
        ("download alone: `curl -s URL -o /dev/null`", f["download"]),
        (f"decompression alone: `{tool} -dc ARCHIVE > /dev/null`", f["decompress"]),
        ("extraction alone: `tar -xf` of the already decompressed tar", f["tar-x"]),
        (f"both: `{tool} -dc ARCHIVE | tar -x`", f["pipeline"]),
    ]
    lines = [f"Floors for `{archive_name}` ({f['entries']} entries, {f['plain_bytes'] / 2**20:.0f} MiB uncompressed; "
             f"medians of {f['rounds']} alternating runs, fresh folder each):", "",
             "| step | wall ms | user ms | sys ms |", "|---|---:|---:|---:|"]
    lines += [f"| {cell(label)} | {ms(v['wall'])} | {ms(v['user'])} | {ms(v['sys'])} |" for label, v in rows]
    return "\n".join(lines)


_split_cache = {}


def libarchive_split(ctx, archive_id, rounds=7):
    """The system libarchive (pyman's) on the same archive, through libarchive_probe.py: load only,
    decompress only, extract with pyman's flags, extract with ARCHIVE_EXTRACT_SECURE_SYMLINKS as well."""
    if archive_id in _split_cache:
        return _split_cache[archive_id]
    script = Path(__file__).resolve().with_name("libarchive_probe.py")
    path = ctx.archives[archive_id]["path"]
    env = ctx.base_env()
    modes = ["load", "read", "pyman-flags", "secure-symlinks"]
    contenders = [Contender(mode, lambda d, mode=mode: ([sys.executable, "-S", script, mode, path, d], env, d)) for mode in modes]
    log(f"  libarchive split for {path.name}")
    series = alternate(ctx, f"probe-libarchive-{archive_id}", contenders, rounds)
    result = {"rounds": rounds}
    for mode in modes:
        runs = series.runs[mode]
        result[mode] = {k: median([getattr(m, k) for m in runs]) for k in ("wall", "user", "sys")}

    def paired(a, b, key="wall"):
        # Median of the per-round differences: the modes of one round ran back to back.
        diffs = [getattr(x, key) - getattr(y, key) for x, y in zip(series.runs[a], series.runs[b])]
        return {"median": median(diffs), "min": min(diffs), "max": max(diffs)}

    result["decompress"] = paired("read", "load")
    result["decompress_user"] = paired("read", "load", "user")
    result["write"] = paired("pyman-flags", "read")
    result["secure"] = paired("secure-symlinks", "pyman-flags")
    _split_cache[archive_id] = result
    return result


def split_table(archive_name, split, entries):
    rows = [
        ("load libarchive, open the archive (baseline)", "load"),
        ("decompress and walk all entries, write nothing", "read"),
        ("extract with pyman's flags (TIME, PERM, NODOTDOT, NOABSOLUTEPATHS)", "pyman-flags"),
        ("the same plus ARCHIVE_EXTRACT_SECURE_SYMLINKS (replaced by pyman's in-memory SymlinkGuard)", "secure-symlinks"),
    ]
    lines = [f"pyman's libarchive on `{archive_name}`, driven by `Benchmarks/libarchive_probe.py` (ctypes; medians of "
             f"{split['rounds']} alternating runs):", "", "| libarchive | wall ms | user ms | sys ms |", "|---|---:|---:|---:|"]
    lines += [f"| {label} | {ms(split[k]['wall'])} | {ms(split[k]['user'])} | {ms(split[k]['sys'])} |" for label, k in rows]
    def span(d):
        return f"{ms(d['median'])} ms (per round {ms(d['min'])} to {ms(d['max'])})"

    lines += ["", f"Derived, as medians of the per-round differences: decompression {span(split['decompress'])}; writing the files "
                  f"with pyman's flags {span(split['write'])} on top; libarchive's SECURE_SYMLINKS parent walk, which pyman no longer "
                  f"uses, would add {span(split['secure'])}, {split['secure']['median'] / entries * 1e6:.0f} µs per entry. pyman "
                  f"decompresses gzip with ISA-L when libisal2 is installed, faster than this libarchive/zlib row."]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ strace

def strace_counts(ctx, label, argv, env, cwd):
    if not shutil.which("strace"):
        return None
    out = probes_dir(ctx) / f"strace-{label}.txt"
    run(["strace", "-f", "-c", "-o", out, *argv], env=env, cwd=cwd, label=f"strace {label}")
    counts = {}
    for line in out.read_text().splitlines():
        parts = line.split()
        if len(parts) in (5, 6) and re.fullmatch(r"[\d.]+", parts[0]) and parts[3].isdigit():
            counts[parts[-1]] = int(parts[3])
        elif len(parts) >= 4 and parts[-1] == "total" and parts[3].isdigit():
            counts["total"] = int(parts[3])
    if "total" not in counts:
        counts["total"] = sum(counts.values())
    return counts


def strace_table(label_a, a, label_b, b, top=12):
    if a is None or b is None:
        return "(strace not available: syscall counts not measured)"
    names = sorted((n for n in set(a) | set(b) if n != "total"), key=lambda n: -(a.get(n, 0) + b.get(n, 0)))[:top]
    lines = [f"Syscalls of one run (`strace -f -c`, counts; all threads and child processes):", "",
             f"| syscall | {cell(label_a)} | {cell(label_b)} |", "|---|---:|---:|"]
    lines += [f"| {n} | {a.get(n, 0)} | {b.get(n, 0)} |" for n in names]
    lines.append(f"| **total** | **{a['total']}** | **{b['total']}** |")
    return "\n".join(lines)


def contender_command(ctx, scenario, name, label):
    contender = next(c for c in scenario.contenders if c.name == name)
    run_dir = spread_folder(probes_dir(ctx) / label, topdir=False)
    argv, env, cwd = contender.build(run_dir)
    return argv, env, cwd


# -------------------------------------------------------------------------------------------- perf

def perf_profile(ctx, label, argv, env, cwd, comm=None, top=10):
    """Share of samples per DSO and the top symbols of one `perf record` of argv. With comm, only the
    samples of processes of that name count (shares are then of that process's samples)."""
    if not shutil.which("perf"):
        return None
    data = probes_dir(ctx) / f"perf-{label}.data"
    record = subprocess.run(["perf", "record", "-q", "-F", "4000", "-o", str(data), "--", *map(str, argv)],
                            env=env, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if record.returncode != 0 or not data.exists():
        log(f"  perf record failed for {label}: {record.stderr.strip()[-300:]}")
        return None
    if ctx.server_log is not None:
        ctx.server_log.take()

    def report(sort):
        # Sorting by comm first and filtering here: perf's own --comms filter drops the samples taken
        # while the process was still being loaded (ld.so, page faults).
        proc = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", "comm," + sort],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        rows = []
        for line in proc.stdout.splitlines():
            m = re.match(r"^\s*([\d.]+)%\s+(\S+)\s+(.+?)\s*$", line)
            if m and (comm is None or m.group(2) == comm):
                rows.append((float(m.group(1)), m.group(3)))
        return rows, proc.stdout

    def merge(rows):
        total = sum(share for share, _ in rows) or 1.0
        merged = {}
        for share, key in rows:
            merged[key] = merged.get(key, 0.0) + share * 100.0 / total
        return sorted(((share, key) for key, share in merged.items()), reverse=True)

    dso_rows, text = report("dso")
    dsos = merge(dso_rows)
    symbols = []
    # Libraries without symbols (Debian's libz) show one row per address: count them as one.
    rows = [(share, re.sub(r"\[(.)\]\s+0x[0-9a-f]+$", r"[\1] (no symbols)", rest)) for share, rest in report("dso,sym")[0]]
    for share, rest in merge(rows):
        m = re.match(r"^(\S+)\s+\[(.)\]\s+(.+)$", rest)
        if m:
            symbols.append((share, m.group(1), m.group(3)))
    samples = 0
    m = re.search(r"# Samples: ([\d.]+)([KM]?)\s+of event", text)
    if m:
        samples = int(float(m.group(1)) * {"": 1, "K": 1000, "M": 1000000}[m.group(2)])
    return {"dsos": dsos[:top], "symbols": symbols[:top], "samples": samples, "all_dsos": dsos}
def perf_text(profile, what):
    if profile is None:
        return "(perf not available: no profile)"
    dsos = ", ".join(f"{share:.1f}% {name}" for share, name in profile["dsos"][:8])
    lines = [f"perf profile of {what} (~{profile['samples']} samples in all at 4 kHz), share of samples per library: {dsos}.", "",
             "| share | library | symbol |", "|---:|---|---|"]
    for share, dso, sym in profile["symbols"]:
        sym = sym if len(sym) <= 90 else sym[:87] + "..."
        lines.append(f"| {share:.1f}% | {cell(dso)} | {cell('`' + sym + '`')} |")
    return "\n".join(lines)


def dso_share(profile, *needles):
    if profile is None:
        return 0.0
    return sum(share for share, name in profile["all_dsos"] if any(n in name for n in needles))


# ---------------------------------------------------------------------------------------- start-up

_startup = {}


def hello_binaries(ctx):
    """Swift programs linked like pyman's release binary (static Swift and C++ runtimes): one printing, one
    using FoundationEssentials, and that one linked (not calling) libcurl and libarchive, which pyman
    opens only on first use. Cached by compiler version."""
    swiftc = shutil.which("swiftc")
    if not swiftc:
        return {}
    version = subprocess.run([swiftc, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    # Linked like the release binary (Containers/release.sh): static Swift runtime and C++ runtime.
    libstdcxx = subprocess.run(["gcc", "-print-file-name=libstdc++.a"], stdout=subprocess.PIPE, text=True).stdout.strip()
    essentials = 'import FoundationEssentials\nprint(FileManager.default.currentDirectoryPath)\n'
    sources = {
        "hello-swift": ('print("hello")\n', []),
        "hello-essentials": (essentials, []),
        # The same, also loading (not calling) libcurl and libarchive with their dependency trees.
        "hello-essentials-curl-archive": (essentials, ["-Xlinker", "--no-as-needed", "-lcurl", "-larchive"]),
    }
    key = hashlib.sha256((version + libstdcxx + repr(sorted(sources.items()))).encode()).hexdigest()[:12]
    folder = ctx.cache / "bench-probes" / key
    (folder / "static-cxx").mkdir(parents=True, exist_ok=True)
    (folder / "static-cxx" / "libstdc++.so").write_text(f"INPUT({libstdcxx})\n")
    common = ["-static-stdlib", "-L", str(folder / "static-cxx"), "-Xclang-linker", "-static-libgcc"]
    binaries = {}
    for name, (source, flags) in sources.items():
        binary = folder / name
        if not binary.exists():
            src = folder / f"{name}.swift"
            src.write_text(source)
            log(f"  compiling {name} (swiftc -O, static Swift and C++ runtimes, once)")
            proc = subprocess.run([swiftc, "-O", str(src), "-o", str(binary), *common, *flags], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if proc.returncode != 0:
                log(f"  could not compile {name}: {proc.stdout[-500:]}")
                continue
        binaries[name] = binary
    return binaries


def startup(ctx, rounds=21):
    if _startup:
        return _startup
    env = ctx.base_env()
    cwd = ctx.scratch
    contenders = [
        Contender("pyman --version", lambda d: ([ctx.pyman, "--version"], env, cwd)),
        Contender("uv --version", lambda d: ([ctx.uv, "--version"], env, cwd)),
    ]
    for name, binary in hello_binaries(ctx).items():
        contenders.append(Contender(name, lambda d, b=binary: ([b], env, cwd)))
    contenders.append(Contender("/bin/true", lambda d: (["/bin/true"], env, cwd)))
    log("  start-up probes")
    series = alternate(ctx, "probe-startup", contenders, rounds)
    _startup["wall"] = {c.name: median(series.walls(c.name)) for c in contenders}
    _startup["cpu"] = {c.name: median([m.user + m.sys for m in series.runs[c.name]]) for c in contenders}
    _startup["rounds"] = rounds
    ldd = subprocess.run(["ldd", str(ctx.pyman)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    _startup["libraries"] = len([line for line in ldd.splitlines() if "=>" in line or "ld-linux" in line])
    stats = subprocess.run([str(ctx.pyman), "--version"], env={**env, "LD_DEBUG": "statistics"}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True).stderr
    for key, pattern in (("relocations", r"final number of relocations:\s*(\d+)"),
                         ("relative", r"number of relative relocations:\s*(\d+)")):
        m = re.search(pattern, stats)
        _startup[key] = int(m.group(1)) if m else None
    m = re.search(r"total startup time in dynamic loader:\s*(\d+) cycles", stats)
    m2 = re.search(r"time needed for relocation:\s*(\d+) cycles \(([\d.]+)%\)", stats)
    _startup["ld_cycles"] = int(m.group(1)) if m else None
    _startup["reloc_pct"] = float(m2.group(2)) if m2 else None
    return _startup


def startup_table(s):
    lines = [f"Process start-up (medians of {s['rounds']} alternating runs, wall and user+sys CPU):", "",
             "| program | wall ms | CPU ms |", "|---|---:|---:|"]
    labels = {"hello-swift": "Swift hello world (swiftc -O, static Swift and C++ runtimes)",
              "hello-essentials": "Swift hello world with FoundationEssentials (static)",
              "hello-essentials-curl-archive": "the same, also linked (not calling) libcurl and libarchive"}
    for name, wall in s["wall"].items():
        lines.append(f"| {labels.get(name, '`' + name + '`')} | {wall * 1000:.1f} | {s['cpu'][name] * 1000:.1f} |")
    extra = f"pyman links {s['libraries']} shared objects (ldd)"
    if s.get("relocations") is not None:
        extra += f"; the dynamic loader does {s['relocations']} symbol relocations and {s['relative']} relative relocations"
    if s.get("ld_cycles") is not None:
        extra += f" ({s['ld_cycles'] / 1e6:.1f} M cycles in ld.so, {s['reloc_pct']:.0f}% of them relocating; LD_DEBUG=statistics)"
    lines += ["", extra + "."]
    return "\n".join(lines)


def loop_argv(argv, times):
    return ["bash", "-c", f'for i in $(seq {times}); do "$@" >/dev/null 2>&1 || exit 1; done', "loop", *map(str, argv)]


# ------------------------------------------------------------------------------------------ explain

def cpu_line(scenario):
    s = scenario.series
    parts = []
    for name in ("pyman", scenario.b_name):
        runs = s.runs[name]
        cpu = median([m.user + m.sys for m in runs])
        parts.append(f"{name} {ms(median(s.walls(name)))} ms wall, {ms(median([m.user for m in runs]))} ms user + "
                     f"{ms(median([m.sys for m in runs]))} ms system CPU ({cpu / median(s.walls(name)):.2f} cores busy on average)")
    return "Medians of the timed runs: " + "; ".join(parts) + "."


def explain_install(ctx, scenario, archives):
    archive_ids = {"install-3.11-gz": ["3.11-gz"], "install-3.13-full-zst": ["3.13-full"],
                   "install-3.11+3.13-gz": ["3.11-gz", "3.13-gz"], "install-3.11-vs-curl-tar": ["3.11-gz"],
                   "install-cache-vs-mirror": ["3.11-gz"], "install-cache-vs-uv-cache": ["3.11-gz"]}[scenario.id]
    # The scenarios whose pyman reads its download cache: it fetches nothing.
    cached = next(c for c in scenario.contenders if c.name == "pyman").fetches == []
    scenario.notes.append(cpu_line(scenario))
    pyman_wall = median(scenario.series.walls("pyman"))
    other = scenario.b_name
    other_user = median([m.user for m in scenario.series.runs[other]])
    pyman_user = median([m.user for m in scenario.series.runs["pyman"]])
    for archive_id in archive_ids:
        name = ctx.archives[archive_id]["name"]
        f = floors(ctx, archive_id, archives)
        split = libarchive_split(ctx, archive_id)
        scenario.bounds.append(floors_table(name, f))
        scenario.bounds.append(split_table(name, split, f["entries"]))
        per_entry = f["tar-x"]["wall"] / f["entries"] * 1e6
        scenario.notes.append(
            f"`{name}` ({f['entries']} entries): creating the files costs GNU tar {ms(f['tar-x']['wall'])} ms from an already "
            f"decompressed tar ({per_entry:.0f} µs per entry, mostly system time); pyman's libarchive spends "
            f"{ms(split['decompress']['median'])} ms decompressing ({ms(split['decompress_user']['median'])} ms user) and "
            f"{ms(split['write']['median'])} ms writing with pyman's flags (medians of per-round differences); the two run "
            f"on separate threads in pyman.")
    if len(archive_ids) == 1:
        f = floors(ctx, archive_ids[0], archives)
        split = libarchive_split(ctx, archive_ids[0])
        scenario.notes.append(
            f"pyman's median ({ms(pyman_wall)} ms) is {pyman_wall / f['pipeline']['wall']:.2f}x the local "
            f"`{f['tool']} -dc | tar -x` pipeline and {pyman_wall / f['tar-x']['wall']:.2f}x GNU tar's extraction of the plain tar.")
        if scenario.b_name:
            other_median = median(scenario.series.walls(scenario.b_name))
            goal = scenario.goal * other_median
            startup_ms = startup(ctx)["wall"]["pyman --version"]
            overlapped = max(split["decompress"]["median"], f["tar-x"]["wall"]) + startup_ms
            text = (f"Bound: the goal is {ms(goal)} ms ({scenario.goal} x {scenario.b_name}'s {ms(other_median)} ms). pyman decompresses "
                    f"on one thread and writes files on another, so its floor is start-up ({ms(startup_ms)} ms, `pyman --version`) + "
                    f"the longer of decompression (libarchive's zlib/zstd: {ms(split['decompress']['median'])} ms; ISA-L is faster for "
                    f"gzip) and file creation at GNU tar's speed ({ms(f['tar-x']['wall'])} ms) = {ms(overlapped)} ms, measured after "
                    f"the scenarios.")
            if overlapped > goal:
                text += " That floor is above the goal: this design cannot meet it here."
            else:
                text += (f" That floor is below the goal, so the rest of pyman's {ms(pyman_wall)} ms "
                         f"({'reading the cached archive' if cached else 'download'}, SHA-256, "
                         f"patching, the index, the load of the moment) decides.")
            scenario.notes.append(text)
        if scenario.id == "install-cache-vs-mirror":
            # All a cache hit can save is the transfer; pyman streams it, overlapped with decompression and writing.
            other_median = median(scenario.series.walls(other))
            saved = [y.wall - x.wall for x, y in zip(scenario.series.runs["pyman"], scenario.series.runs[other])]
            scenario.notes.append(
                f"What the cache can save: the transfer from the mirror, which alone takes {ms(f['download']['wall'])} ms "
                f"(`curl -s URL -o /dev/null`, {ms(f['download']['user'] + f['download']['sys'])} ms CPU) and which pyman overlaps "
                f"with decompression and writing. Measured, the cache saved {ms(median(saved))} ms a run (median of the per-pair "
                f"differences, {ms(min(saved))} to {ms(max(saved))}); the goal asks for {ms((1 - scenario.goal) * other_median)} ms "
                f"({1 - scenario.goal:.0%} of {ms(other_median)} ms)."
                + (" That is more than the whole transfer costs on its own, and a cache hit still does all the decompression and "
                   "writing: against a mirror on 127.0.0.1 the goal cannot be met; only a slower network makes the transfer weigh "
                   "that much."
                   if (1 - scenario.goal) * other_median > f["download"]["wall"] else ""))
    if other == "uv":
        scenario.notes.append(
            f"User CPU: pyman {ms(pyman_user)} ms, uv {ms(other_user)} ms for the whole install "
            f"({'cache read' if cached else 'download'}, hash, decompress, write, patch); decompression alone through libarchive "
            f"is in the split below.")
    a = strace_counts(ctx, f"{scenario.id}-pyman", *contender_command(ctx, scenario, "pyman", f"strace-{scenario.id}-pyman"))
    b = strace_counts(ctx, f"{scenario.id}-other", *contender_command(ctx, scenario, other, f"strace-{scenario.id}-other"))
    ctx.server_log.take()
    scenario.bounds.append(strace_table("pyman", a, other, b))
    if a and b:
        opens_a = a.get("openat", 0) + a.get("openat2", 0) + a.get("open", 0)
        opens_b = b.get("openat", 0) + b.get("openat2", 0) + b.get("open", 0)
        note = (f"pyman makes {a['total']} syscalls to {other}'s {b['total']}: {opens_a} opens to {opens_b}, "
                f"{a.get('newfstatat', 0) + a.get('statx', 0) + a.get('lstat', 0)} stats to "
                f"{b.get('newfstatat', 0) + b.get('statx', 0) + b.get('lstat', 0)}, {a.get('umask', 0)} umask, "
                f"{a.get('fcntl', 0)} fcntl, {a.get('utimensat', 0)} utimensat to {b.get('utimensat', 0)}")
        scenario.notes.append(note + ".")
    argv, env, cwd = contender_command(ctx, scenario, "pyman", f"perf-{scenario.id}")
    profile = perf_profile(ctx, scenario.id, argv, env, cwd)
    scenario.bounds.append(perf_text(profile, "one `" + scenario.a_cmd + "`"))
    if profile:
        kernel = dso_share(profile, "kernel")
        inflate = dso_share(profile, "libz.so", "libzstd", "libisal")
        inode = sum(share for share, dso, sym in profile["symbols"]
                    if any(k in sym for k in ("find_inode_bit", "recently_deleted", "find_get_block", "ext4_get_group_desc")))
        note = (f"perf (one pyman run): {kernel:.0f}% of samples in the kernel, {inflate:.0f}% in decompression "
                f"(libisal/libz/libzstd), {dso_share(profile, 'libarchive'):.1f}% in libarchive itself, "
                f"{dso_share(profile, 'pyman'):.1f}% in pyman's binary (its code, the static Swift runtime and "
                f"FoundationEssentials, SHA-256)")
        if inode >= 5:
            note += (f"; {inode:.0f}% in ext4 inode allocation skipping recently freed inodes (find_inode_bit/recently_deleted), "
                     f"a cost of this file system that any extractor pays per file")
        scenario.notes.append(note + ".")


def explain_fast(ctx, scenario):
    scenario.notes.append(cpu_line(scenario))
    s = startup(ctx)
    scenario.bounds.append(startup_table(s))
    pyman_wall = median(scenario.series.walls("pyman"))
    wall = s["wall"]
    version = wall["pyman --version"]
    # The command against its tool's bare start-up, alternating, so the difference is the command's own work.
    pair = [c for c in scenario.contenders]
    env = ctx.base_env()
    pair.append(Contender("pyman --version", lambda d: ([ctx.pyman, "--version"], env, d)))
    if scenario.b_name == "uv":
        pair.append(Contender("uv --version", lambda d: ([ctx.uv, "--version"], env, d)))
    series = alternate(ctx, f"probe-work-{scenario.id}", pair, s["rounds"])

    def work(command, bare):
        diffs = [x.wall - y.wall for x, y in zip(series.runs[command], series.runs[bare])]
        return median(series.walls(bare)), median(diffs)

    p_start, p_work = work("pyman", "pyman --version")
    note = (f"Start-up against work (alternating the command with a bare `--version`, {s['rounds']} rounds): pyman "
            f"{p_start * 1000:.1f} ms start-up + {p_work * 1000:.1f} ms for the command itself")
    if scenario.b_name == "uv":
        u_start, u_work = work("uv", "uv --version")
        note += f"; uv {u_start * 1000:.1f} ms start-up + {u_work * 1000:.1f} ms"
    scenario.notes.append(note + ".")
    if {"hello-swift", "hello-essentials", "hello-essentials-curl-archive"} <= set(wall):
        scenario.notes.append(
            f"pyman's start-up, split by programs that stop earlier (differences of medians, {s['rounds']} alternating rounds): "
            f"exec + Swift runtime {wall['hello-swift'] * 1000:.1f} ms, + FoundationEssentials "
            f"{(wall['hello-essentials'] - wall['hello-swift']) * 1000:.1f} ms, + pyman's own initialisation (argument parser, "
            f"Swift metadata and protocol conformance lookups, its relocations) {(version - wall['hello-essentials']) * 1000:.1f} ms "
            f"= `pyman --version` {version * 1000:.1f} ms. Linking libcurl and libarchive would add "
            f"{(wall['hello-essentials-curl-archive'] - wall['hello-essentials']) * 1000:.1f} ms to every start; pyman opens them "
            f"with dlopen only when it downloads or unpacks. uv's whole start-up is {wall['uv --version'] * 1000:.1f} ms.")
    other = scenario.b_name
    a = strace_counts(ctx, f"{scenario.id}-pyman", *contender_command(ctx, scenario, "pyman", f"strace-{scenario.id}-pyman"))
    b = strace_counts(ctx, f"{scenario.id}-other", *contender_command(ctx, scenario, other, f"strace-{scenario.id}-other"))
    scenario.bounds.append(strace_table("pyman", a, other, b))
    argv, env, cwd = contender_command(ctx, scenario, "pyman", f"perf-{scenario.id}")
    times = 30
    if scenario.id.startswith("venv"):
        # A fresh target per iteration.
        target = argv[-1]
        script = f'for i in $(seq {times}); do "$@" "{target}-$i" >/dev/null 2>&1 || exit 1; done'
        argv = ["bash", "-c", script, "loop", *map(str, argv[:-1])]
    else:
        argv = loop_argv(argv, times)
    profile = perf_profile(ctx, scenario.id, argv, env, cwd, comm="pyman")
    scenario.bounds.append(perf_text(profile, f"{times} runs of `{scenario.a_cmd}` (pyman's samples only)"))
    if profile:
        loader = dso_share(profile, "ld-linux")
        kernel = dso_share(profile, "kernel")
        own = dso_share(profile, "pyman")
        scenario.notes.append(
            f"perf over {times} runs: {loader:.0f}% of pyman's samples in the dynamic loader (ld-linux: relocations of the "
            f"static binary and its {s['libraries']} shared objects), {kernel:.0f}% in the kernel (exec, mmap, page faults, "
            f"the command's own file work), {own:.1f}% in pyman's binary (its code, the static Swift runtime, whose protocol "
            f"conformance lookups at first use of each type dominate, and FoundationEssentials).")


def explain(ctx, missed, scenarios, archives):
    for scenario in missed:
        log(f"  explaining {scenario.id}")
        if scenario.id.startswith("install"):
            explain_install(ctx, scenario, archives)
        else:
            explain_fast(ctx, scenario)
