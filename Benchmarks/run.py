#!/usr/bin/env python3
"""`make bench`: pyman against uv (and against plain curl | tar) on this machine, written to docs/benchmarks.md.

    python3 Benchmarks/run.py [--install-pairs N] [--fast-pairs N] [--stdlib-pairs N] [--quick] [--only IDS] [--output PATH]

One run, nothing hand-timed:
  1. builds pyman's release artefact, the binary users install (`make release`'s Containers/release.sh:
     static Swift runtime, stripped; written to .build/bench-dist/bin/pyman);
  2. installs uv (pinned below) from PyPI into a venv under the fixture cache, once;
  3. serves the fixture mirror with Fixtures/serve.py on 127.0.0.1 and points both tools at the same
     uv-format catalogue (the fixtures' download-metadata.json, or a copy whose 3.13 entry names the
     `full.tar.zst` archive); every install run is checked against the mirror's request log, so each tool
     provably downloaded exactly the fixture archive(s) (or, from its cache, nothing), and both tools are
     also shown to refuse an archive whose sha256 does not match the catalogue;
  4. runs the scenarios, contenders alternating run by run, every install into fresh folders; the cache
     scenarios read download caches filled once beforehand (pyman's, uv's UV_PYTHON_CACHE_DIR), which
     both tools are first shown to install from with the mirror unreachable;
  5. for each scenario that misses its goal, measures what bounds it (decompression and extraction
     floors, syscall counts with strace, a perf profile, process start-up);
  6. writes docs/benchmarks.md.
Progress goes to stderr. Any failing command aborts the benchmark with its stderr.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.dont_write_bytecode = True  # keep Benchmarks/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BenchError, Contender, ServerLog, alternate, log, median, repeat, run, spread_folder  # noqa: E402
import harness  # noqa: E402
import probes  # noqa: E402
import report  # noqa: E402

# The newest uv `pip index versions uv` showed when this was written; pinned so numbers stay comparable.
UV_VERSION = "0.13.9"

BUILD = "20250723"
TRIPLE = "x86_64-unknown-linux-gnu"
ARCHIVES = {
    "3.11-gz": f"cpython-3.11.2+{BUILD}-{TRIPLE}-install_only_stripped.tar.gz",
    "3.13-gz": f"cpython-3.13.5+{BUILD}-{TRIPLE}-install_only_stripped.tar.gz",
    "3.13-full": f"cpython-3.13.5+{BUILD}-{TRIPLE}-full.tar.zst",
}
KEY_313 = "cpython-3.13.5-linux-x86_64-gnu"
KEY_311 = "cpython-3.11.2-linux-x86_64-gnu"
# Every scenario id, in run order, for --only (checked against the scenarios built).
INSTALL_IDS = ("install-3.11-gz", "install-3.13-full-zst", "install-3.11+3.13-gz", "install-3.11-vs-curl-tar",
               "install-cache-vs-mirror", "install-cache-vs-uv-cache")
FAST_IDS = ("venv", "venv-seed-vs-uv", "venv-seed-vs-python", "find", "list")
# pyman's download-cache bucket (Sources/Core/CacheLayout.swift): the harness checks the tee's entries there.
PYMAN_DOWNLOADS = "downloads-v1"
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"  # no pyenv shims or venvs: neither tool may find other Pythons
NETWORK_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                     "NO_PROXY", "ALL_PROXY", "all_proxy")


@dataclass
class Context:
    repo: Path
    cache: Path
    scratch: Path
    pyman: Path = None
    uv: Path = None
    uv_version: str = ""
    mirror_url: str = ""
    server_log: ServerLog = None
    catalogue_gz: Path = None
    catalogue_full: Path = None
    archives: dict = field(default_factory=dict)   # id -> {name, path, size, sha256}
    home: Path = None
    tmp: Path = None
    fast: dict = field(default_factory=dict)       # the fast-command phase: dirs and interpreter paths
    caches: dict = field(default_factory=dict)     # filled download caches: "pyman" and "uv" -> folder
    seeded_pip: dict = field(default_factory=dict)

    def base_env(self):
        return {
            "PATH": CLEAN_PATH, "HOME": str(self.home), "TMPDIR": str(self.tmp),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "dumb",
        }

    def pyman_env(self, root, catalogue, cache_dir=None, no_cache=False, mirror=None):
        """pyman's download cache is on by default. Without cache_dir it is root/cache, fresh and empty for
        each run: pyman downloads and tees the archive into it, as on a first install. cache_dir names a
        filled one (a cache hit); no_cache sets PYMAN_NO_CACHE=1 (neither read nor stored)."""
        env = self.base_env()
        env.update({
            "PYMAN_INSTALL_DIR": str(root / "python"), "PYMAN_BIN_DIR": str(root / "bin"),
            "PYMAN_CACHE_DIR": str(cache_dir or root / "cache"), "PYMAN_DOWNLOADS_JSON": str(catalogue),
            "PYMAN_PYTHON_MIRROR": mirror or self.mirror_url,
        })
        if no_cache:
            env["PYMAN_NO_CACHE"] = "1"
        return env

    def uv_env(self, root, catalogue, python_cache=None, mirror=None):
        """uv keeps no Python archives unless UV_PYTHON_CACHE_DIR is set (python_cache: a filled one)."""
        env = self.base_env()
        env.update({
            "UV_PYTHON_INSTALL_DIR": str(root / "python"), "UV_PYTHON_BIN_DIR": str(root / "bin"),
            "UV_CACHE_DIR": str(root / "cache"), "UV_NO_CONFIG": "1",
            "UV_PYTHON_DOWNLOADS_JSON_URL": str(catalogue), "UV_PYTHON_INSTALL_MIRROR": mirror or self.mirror_url,
            "UV_PYTHON_DOWNLOADS": "manual",  # only `uv python install` downloads
        })
        if python_cache is not None:
            env["UV_PYTHON_CACHE_DIR"] = str(python_cache)
        return env


@dataclass
class Scenario:
    id: str
    title: str
    a_cmd: str
    b_name: str
    b_cmd: str
    goal: float
    pairs: int
    contenders: list
    goal_abs_ms: float = None
    series: object = None
    notes: list = field(default_factory=list)
    bounds: list = field(default_factory=list)   # markdown blocks measured for a missed goal

    def ratios(self):
        return self.series.ratios("pyman", self.b_name)

    def median_ratio(self):
        return median(self.ratios())

    def met(self):
        ok = self.median_ratio() <= self.goal
        if self.goal_abs_ms is not None:
            ok = ok and median(self.series.walls("pyman")) * 1000 <= self.goal_abs_ms
        return ok


# ---------------------------------------------------------------------------------------------- setup

def fixtures(repo):
    log("fixtures: bash Fixtures/build.sh (instant when cached)")
    env = dict(os.environ)
    proc = subprocess.run(["bash", str(repo / "Fixtures/build.sh")], cwd=repo, env=env, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise BenchError(f"Fixtures/build.sh failed with exit status {proc.returncode} (its stderr is above)")
    lines = proc.stdout.strip().splitlines()
    if not lines:
        raise BenchError("Fixtures/build.sh printed no cache path")
    cache = Path(lines[-1])
    for name in ARCHIVES.values():
        if not (cache / "mirror" / BUILD / name).is_file():
            raise BenchError(f"fixture archive missing: {cache / 'mirror' / BUILD / name}; delete {cache / '.complete'} and rerun")
    return cache


def check_archives(ctx):
    sums = {}
    for line in (ctx.cache / "SHA256SUMS").read_text().splitlines():
        digest, _, name = line.strip().partition("  ")
        sums[name.rsplit("/", 1)[-1]] = digest
    for key, name in ARCHIVES.items():
        path = ctx.cache / "mirror" / BUILD / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if sums.get(name) != digest:
            raise BenchError(f"{path} does not match SHA256SUMS ({digest} vs {sums.get(name)}); rebuild the fixtures")
        ctx.archives[key] = {"name": name, "path": path, "size": path.stat().st_size, "sha256": digest}
    catalogue = json.loads((ctx.cache / "download-metadata.json").read_text())
    for key, archive in (KEY_313, "3.13-gz"), (KEY_311, "3.11-gz"):
        entry = catalogue.get(key)
        if not entry or entry.get("sha256") != ctx.archives[archive]["sha256"]:
            raise BenchError(f"the fixture catalogue's {key} entry does not name {ARCHIVES[archive]} with its sha256")


def write_catalogues(ctx):
    ctx.catalogue_gz = ctx.cache / "download-metadata.json"
    catalogue = json.loads(ctx.catalogue_gz.read_text())
    entry = catalogue[KEY_313]
    old = ARCHIVES["3.13-gz"].replace("+", "%2B")
    if not entry["url"].endswith(old):
        raise BenchError(f"unexpected 3.13 URL in the fixture catalogue: {entry['url']}")
    entry["url"] = entry["url"][: -len(old)] + ARCHIVES["3.13-full"].replace("+", "%2B")
    entry["sha256"] = ctx.archives["3.13-full"]["sha256"]
    ctx.catalogue_full = ctx.scratch / "catalogue-full.json"
    ctx.catalogue_full.write_text(json.dumps(catalogue, indent=2) + "\n")


def build_pyman(ctx):
    # The artefact `make release` ships (and the Dockerfile installs), not `swift build -c release`'s
    # binary: that one loads the Swift runtime and Foundation as ~10 shared objects at every start.
    dist = ctx.repo / ".build" / "bench-dist"
    log("build: bash Containers/release.sh (output below)")
    started = time.monotonic()
    proc = subprocess.run(["bash", "Containers/release.sh"], cwd=ctx.repo, stdout=sys.stderr, stderr=sys.stderr,
                          env=dict(os.environ, PYMAN_DIST=str(dist)))
    if proc.returncode != 0:
        raise BenchError(f"`bash Containers/release.sh` failed with exit status {proc.returncode} (its output is above)")
    ctx.pyman = dist / "bin" / "pyman"
    if not os.access(ctx.pyman, os.X_OK):
        raise BenchError(f"the release build did not produce {ctx.pyman}")
    log(f"build: done in {time.monotonic() - started:.0f} s")


def install_uv(ctx):
    venv = ctx.cache / "bench-uv"
    ctx.uv = venv / "bin" / "uv"

    def version():
        try:
            return subprocess.run([str(ctx.uv), "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
        except OSError:
            return ""

    ctx.uv_version = version()
    if not ctx.uv_version.startswith(f"uv {UV_VERSION}"):
        log(f"uv: installing uv=={UV_VERSION} from PyPI into {venv}")
        shutil.rmtree(venv, ignore_errors=True)
        for argv in ([sys.executable, "-m", "venv", str(venv)],
                     [str(venv / "bin" / "pip"), "install", "--disable-pip-version-check", "-q", f"uv=={UV_VERSION}"]):
            proc = subprocess.run(argv, stdout=sys.stderr, stderr=sys.stderr)
            if proc.returncode != 0:
                raise BenchError(f"`{' '.join(argv)}` failed with exit status {proc.returncode}; uv comes from PyPI, which must be reachable")
        ctx.uv_version = version()
        if not ctx.uv_version.startswith(f"uv {UV_VERSION}"):
            raise BenchError(f"{ctx.uv} reports '{ctx.uv_version}', expected uv {UV_VERSION}")
    log(f"uv: {ctx.uv_version}")


class Server:
    def __init__(self, ctx):
        self.log_path = ctx.scratch / "serve.log"
        self.port_path = ctx.scratch / "serve.port"
        with open(self.port_path, "wb") as out, open(self.log_path, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(ctx.repo / "Fixtures/serve.py"), str(ctx.cache / "mirror"), "--verbose"],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            text = self.port_path.read_text()
            if text.endswith("\n") and text.strip().isdigit():
                self.port = int(text.strip())
                return
            if self.proc.poll() is not None:
                raise BenchError(f"Fixtures/serve.py exited with status {self.proc.returncode}: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.05)
        self.stop()
        raise BenchError("Fixtures/serve.py did not print its port within 10 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def prove_checksums(ctx):
    """Both tools must refuse an archive whose sha256 differs from the catalogue's: then a successful
    install means the bytes the mirror served are the fixture archive's."""
    catalogue = json.loads(ctx.catalogue_gz.read_text())
    good = catalogue[KEY_311]["sha256"]
    catalogue[KEY_311]["sha256"] = ("0" if good[0] != "0" else "1") + good[1:]
    bad = ctx.scratch / "catalogue-bad-sha.json"
    bad.write_text(json.dumps(catalogue, indent=2) + "\n")
    for name, argv, env_for in (
        ("pyman", [ctx.pyman, "install", "3.11"], ctx.pyman_env),
        ("uv", [ctx.uv, "python", "install", "3.11"], ctx.uv_env),
    ):
        root = ctx.scratch / "sha-check" / name
        root.mkdir(parents=True)  # after all measurements: its zone does not matter
        result = run(argv, env=env_for(root, bad), cwd=root, label=f"sha256 check ({name})", check=False)
        ctx.server_log.take()
        text = (result.stderr + result.stdout).lower()
        if (root / "python" / KEY_311 / "bin" / "python3.11").exists() or not any(w in text for w in ("sha256", "hash", "checksum")):
            raise BenchError(f"{name} installed (or failed for another reason than the checksum) from a catalogue with a wrong "
                             f"sha256; cannot prove it installs the fixture archive. Its output:\n{result.stderr[-1500:]}")
    log("checks: pyman and uv both refuse an archive whose sha256 differs from the catalogue")


def prove_cache_checksums(ctx):
    """Both tools must refuse a cached archive with one byte changed (the mirror unreachable, so neither
    can fall back to downloading): then a cached run re-hashes what it installs, as a download does."""
    offline = closed_port_url()
    root = ctx.scratch / "cache-sha-check"
    damaged = {}
    for tool, name in ("pyman", f"{PYMAN_DOWNLOADS}/{ctx.archives['3.11-gz']['sha256']}"), ("uv", ctx.caches["uv_entry"]):
        source, target = ctx.caches[tool] / name, root / f"{tool}-cache" / name
        target.parent.mkdir(parents=True)
        data = bytearray(source.read_bytes())
        # A byte of the gzip header's MTIME, which no decoder reads: only the sha256 can tell. (A byte in
        # the middle of the body was caught first by uv's tar reader on the fixtures rebuilt 2026-12-07.)
        data[4 if data[:2] == b"\x1f\x8b" else len(data) // 2] ^= 0xFF
        target.write_bytes(data)
        damaged[tool] = root / f"{tool}-cache"
    for tool, argv, env_for in (
        ("pyman", [ctx.pyman, "install", "3.11"], lambda d: ctx.pyman_env(d, ctx.catalogue_gz, cache_dir=damaged["pyman"], mirror=offline)),
        ("uv", [ctx.uv, "python", "install", "3.11"], lambda d: ctx.uv_env(d, ctx.catalogue_gz, python_cache=damaged["uv"], mirror=offline)),
    ):
        d = root / tool
        d.mkdir()
        result = run(argv, env=env_for(d), cwd=d, label=f"cache sha256 check ({tool})", check=False)
        text = (result.stderr + result.stdout).lower()
        if (d / "bin" / "python3.11").exists() or not any(w in text for w in ("sha256", "hash", "checksum")):
            raise BenchError(f"{tool} installed (or failed for another reason than the checksum) from a cached archive with a "
                             f"byte changed. Its output:\n{result.stderr[-1500:]}")
    ctx.server_log.expect([], "cache sha256 check")
    log("checks: pyman and uv both refuse a cached archive with one byte changed")


# ------------------------------------------------------------------------------------------ scenarios

def python_version(executable, env, cwd):
    out = run([executable, "-c", "import platform, sys; print(platform.python_version()); print(sys.prefix)"],
              env=env, cwd=cwd, label=f"{executable} version check").stdout.splitlines()
    if len(out) != 2:
        raise BenchError(f"{executable} printed {out!r} when asked for its version and prefix")
    return out


def install_check(ctx, versions, tool):
    """After an install run: the python3.X links exist; in the warm-up, the interpreters run and report
    the right version (3.11.2 / 3.13.5)."""
    def check(run_dir, measurement, warmup):
        for version in versions:
            minor = ".".join(version.split(".")[:2])
            link = run_dir / "bin" / f"python{minor}"
            if not link.exists():
                raise BenchError(f"{tool} install: {link} missing after a successful run")
            if warmup:
                got = python_version(link, ctx.base_env(), run_dir)[0]
                if got != version:
                    raise BenchError(f"{tool} install: {link} is Python {got}, expected {version}")
    return check


def cache_check(ctx, archive_ids, stored):
    """pyman's own cache folder (run_dir/cache) after a run from the mirror. With the cache on (pyman's
    default, and what the runs against uv use): the archives it downloaded are stored there under their
    sha256, so the run paid for the tee as a first install does; hashed in the warm-up. With
    PYMAN_NO_CACHE=1: no downloads folder at all."""
    def check(run_dir, measurement, warmup):
        downloads = run_dir / "cache" / PYMAN_DOWNLOADS
        if not stored:
            if downloads.exists():
                raise BenchError(f"pyman with PYMAN_NO_CACHE=1 made {downloads}")
            return
        for archive_id in archive_ids:
            archive = ctx.archives[archive_id]
            entry = downloads / archive["sha256"]
            if not entry.is_file() or entry.stat().st_size != archive["size"]:
                raise BenchError(f"pyman install: the download cache holds no {archive['size']}-byte {entry} after the run "
                                 f"(the tee of {archive['name']})")
            if warmup and hashlib.sha256(entry.read_bytes()).hexdigest() != archive["sha256"]:
                raise BenchError(f"pyman install: {entry} does not hash to its name")
    return check


def all_of(*checks):
    def check(run_dir, measurement, warmup):
        for one in checks:
            one(run_dir, measurement, warmup)
    return check


def install_contenders(ctx, requests, catalogue, fetch_ids, versions):
    fetches = [ARCHIVES[i] for i in fetch_ids]
    return [
        # pyman as installed: its download cache on, in a fresh empty folder, so every run downloads (the
        # mirror's log shows it) and also writes the copy (cache_check); uv, without UV_PYTHON_CACHE_DIR,
        # keeps nothing.
        Contender("pyman", lambda d: ([ctx.pyman, "install", *requests], ctx.pyman_env(d, catalogue), d),
                  all_of(install_check(ctx, versions, "pyman"), cache_check(ctx, fetch_ids, True)), fetches),
        Contender("uv", lambda d: ([ctx.uv, "python", "install", *requests], ctx.uv_env(d, catalogue), d),
                  install_check(ctx, versions, "uv"), fetches),
    ]


def install_scenarios(ctx, pairs):
    gz311 = ARCHIVES["3.11-gz"]
    url311 = f"{ctx.mirror_url}/{BUILD}/{gz311.replace('+', '%2B')}"

    def floor_build(d):
        target = d / "tree"
        target.mkdir()
        return (["bash", "-c", 'set -o pipefail; curl -sSf "$1" | tar -xz -C "$2"', "floor", url311, target],
                ctx.base_env(), d)

    def floor_check(d, measurement, warmup):
        if not (d / "tree" / "python" / "bin" / "python3.11").exists():
            raise BenchError("curl | tar: python/bin/python3.11 missing after extraction")

    floor = Contender("curl|tar", floor_build, floor_check, [gz311])
    pyman311 = install_contenders(ctx, ["3.11"], ctx.catalogue_gz, ["3.11-gz"], ["3.11.2"])[0]
    return [
        Scenario("install-3.11-gz", "install 3.11 (.tar.gz)", "pyman install 3.11", "uv", "uv python install 3.11",
                 0.8, pairs, install_contenders(ctx, ["3.11"], ctx.catalogue_gz, ["3.11-gz"], ["3.11.2"])),
        Scenario("install-3.13-full-zst", "install 3.13 (full.tar.zst)", "pyman install 3.13", "uv", "uv python install 3.13",
                 0.8, pairs, install_contenders(ctx, ["3.13"], ctx.catalogue_full, ["3.13-full"], ["3.13.5"])),
        Scenario("install-3.11+3.13-gz", "install 3.11 3.13 together (.tar.gz)", "pyman install 3.11 3.13", "uv",
                 "uv python install 3.11 3.13", 0.8, pairs,
                 install_contenders(ctx, ["3.11", "3.13"], ctx.catalogue_gz, ["3.11-gz", "3.13-gz"], ["3.11.2", "3.13.5"])),
        Scenario("install-3.11-vs-curl-tar", "install 3.11 (.tar.gz) vs the floor", "pyman install 3.11", "curl|tar",
                 "curl -s URL | tar xz -C DIR", 1.0, pairs, [pyman311, floor]),
    ]


def closed_port_url():
    """An http URL on 127.0.0.1 where nothing listens (a port the kernel just handed out and took back)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return f"http://127.0.0.1:{port}"
    raise BenchError(f"127.0.0.1:{port} accepted a connection; cannot make an unreachable mirror")


def fill_caches(ctx):
    """Once: fills a pyman download cache (one `pyman install 3.11 3.13` from the mirror, cache on) and a
    uv Python cache (one `uv python install 3.11` with UV_PYTHON_CACHE_DIR), checks what they hold, and
    shows that each tool then installs 3.11 from its cache alone: with its mirror on a closed port."""
    if ctx.caches:
        return
    root = spread_folder(ctx.scratch / "cache-fill", topdir=False)
    pyman_cache, uv_cache = root / "pyman-cache", root / "uv-python-cache"
    gz = ctx.catalogue_gz
    for d in "pyman", "uv", "pyman-offline", "uv-offline":
        (root / d).mkdir()
    log("cache: filling pyman's download cache (3.11, 3.13) and uv's UV_PYTHON_CACHE_DIR (3.11) from the mirror")
    ctx.server_log.take()
    run([ctx.pyman, "install", "3.11", "3.13"], env=ctx.pyman_env(root / "pyman", gz, cache_dir=pyman_cache), cwd=root / "pyman",
        label="cache fill: pyman install 3.11 3.13")
    ctx.server_log.expect([ARCHIVES["3.11-gz"], ARCHIVES["3.13-gz"]], "cache fill: pyman install 3.11 3.13")
    for archive_id in "3.11-gz", "3.13-gz":
        archive = ctx.archives[archive_id]
        entry = pyman_cache / PYMAN_DOWNLOADS / archive["sha256"]
        if not entry.is_file() or hashlib.sha256(entry.read_bytes()).hexdigest() != archive["sha256"]:
            raise BenchError(f"cache fill: pyman left no entry {entry} holding {archive['name']}")
    run([ctx.uv, "python", "install", "3.11"], env=ctx.uv_env(root / "uv", gz, python_cache=uv_cache), cwd=root / "uv",
        label="cache fill: uv python install 3.11 (UV_PYTHON_CACHE_DIR)")
    ctx.server_log.expect([ARCHIVES["3.11-gz"]], "cache fill: uv python install 3.11")
    # uv names its entries itself (a prefix of the sha256 and the file name); found by content instead.
    stored = [p for p in uv_cache.iterdir() if p.is_file()
              and hashlib.sha256(p.read_bytes()).hexdigest() == ctx.archives["3.11-gz"]["sha256"]] if uv_cache.is_dir() else []
    if len(stored) != 1:
        raise BenchError(f"cache fill: {uv_cache} holds {len(stored)} copies of {ARCHIVES['3.11-gz']} after the install, expected 1")
    offline = closed_port_url()
    for tool, argv, env in (
        ("pyman", [ctx.pyman, "install", "3.11"], ctx.pyman_env(root / "pyman-offline", gz, cache_dir=pyman_cache, mirror=offline)),
        ("uv", [ctx.uv, "python", "install", "3.11"], ctx.uv_env(root / "uv-offline", gz, python_cache=uv_cache, mirror=offline)),
    ):
        run(argv, env=env, cwd=root / f"{tool}-offline", label=f"cache check: {tool} installs 3.11 from its cache, mirror unreachable ({offline})")
        install_check(ctx, ["3.11.2"], f"{tool} (from its cache, mirror unreachable)")(root / f"{tool}-offline", None, True)
    ctx.server_log.expect([], "cache check: installs with the mirror unreachable")
    log(f"cache: both tools install 3.11 from their cache with the mirror unreachable ({offline})")
    ctx.caches = {"pyman": pyman_cache, "uv": uv_cache, "uv_entry": stored[0].name}


def cache_scenarios(ctx, pairs):
    """pyman from its filled cache against itself downloading (PYMAN_NO_CACHE=1, so no tee either) and
    against uv from its filled UV_PYTHON_CACHE_DIR. Both caches serve every run: the mirror must see no
    request from a cached run. Call fill_caches before running them."""
    gz = ctx.catalogue_gz
    pyman_cached = Contender("pyman", lambda d: ([ctx.pyman, "install", "3.11"], ctx.pyman_env(d, gz, cache_dir=ctx.caches["pyman"]), d),
                             install_check(ctx, ["3.11.2"], "pyman (from its cache)"), [])
    pyman_mirror = Contender("pyman, no cache", lambda d: ([ctx.pyman, "install", "3.11"], ctx.pyman_env(d, gz, no_cache=True), d),
                             all_of(install_check(ctx, ["3.11.2"], "pyman (PYMAN_NO_CACHE=1)"), cache_check(ctx, ["3.11-gz"], False)),
                             [ARCHIVES["3.11-gz"]])
    uv_cached = Contender("uv", lambda d: ([ctx.uv, "python", "install", "3.11"], ctx.uv_env(d, gz, python_cache=ctx.caches["uv"]), d),
                          install_check(ctx, ["3.11.2"], "uv (from UV_PYTHON_CACHE_DIR)"), [])
    cached_cmd = "pyman install 3.11 (PYMAN_CACHE_DIR holds the archive)"
    return [
        Scenario("install-cache-vs-mirror", "install 3.11 from pyman's cache vs from the mirror", cached_cmd, "pyman, no cache",
                 "PYMAN_NO_CACHE=1 pyman install 3.11 (downloads from the mirror)", 0.7, pairs, [pyman_cached, pyman_mirror]),
        Scenario("install-cache-vs-uv-cache", "install 3.11, both from their caches", cached_cmd, "uv",
                 "uv python install 3.11 (UV_PYTHON_CACHE_DIR holds the archive)", 0.8, pairs, [pyman_cached, uv_cached]),
    ]


def setup_fast_phase(ctx):
    """Both tools install 3.11 and 3.13 (the .tar.gz catalogue) once; the venv/find/list scenarios time
    only their command against these installs. uv keeps one cache here (its interpreter-info cache and,
    for --seed, its wheel cache stay warm, as on a working machine)."""
    root = spread_folder(ctx.scratch / "fast", topdir=False)
    pyman_root, uv_root, cwd = root / "pyman", root / "uv", root / "cwd"
    for d in pyman_root, uv_root, cwd:
        d.mkdir()
    pyman_env = ctx.pyman_env(pyman_root, ctx.catalogue_gz)
    uv_env = ctx.uv_env(uv_root, ctx.catalogue_gz)
    log("fast commands: installing 3.11 and 3.13 with both tools")
    both = [ARCHIVES["3.11-gz"], ARCHIVES["3.13-gz"]]
    ctx.server_log.take()
    run([ctx.pyman, "install", "3.11", "3.13"], env=pyman_env, cwd=cwd, label="setup: pyman install 3.11 3.13")
    ctx.server_log.expect(both, "setup: pyman install 3.11 3.13")
    run([ctx.uv, "python", "install", "3.11", "3.13"], env=uv_env, cwd=cwd, label="setup: uv python install 3.11 3.13")
    ctx.server_log.expect(both, "setup: uv python install 3.11 3.13")
    # From here on neither tool may download anything.
    uv_env["UV_PYTHON_DOWNLOADS"] = "never"
    pyman_py = run([ctx.pyman, "find", "3.13"], env=pyman_env, cwd=cwd, label="setup: pyman find 3.13").stdout.strip()
    uv_py = run([ctx.uv, "python", "find", "--managed-python", "3.13"], env=uv_env, cwd=cwd, label="setup: uv python find 3.13").stdout.strip()
    for tool, path, install in ("pyman", pyman_py, pyman_root), ("uv", uv_py, uv_root):
        if not path.startswith(str(install / "python") + "/"):
            raise BenchError(f"setup: {tool} find 3.13 gave {path!r}, not an interpreter under {install / 'python'}")
        if python_version(path, ctx.base_env(), cwd)[0] != "3.13.5":
            raise BenchError(f"setup: {path} is not Python 3.13.5")
    # Warm the seed caches: uv fetches pip from PyPI once (then runs with UV_OFFLINE=1); pyman unpacks the
    # interpreter's bundled pip wheel into its cache.
    log("fast commands: warming the --seed caches (uv fetches pip from PyPI once)")
    warm = root / "warm"
    warm.mkdir()
    run([ctx.pyman, "venv", "--seed", "-p", "3.13", warm / "pyman"], env=pyman_env, cwd=cwd, label="setup: pyman venv --seed")
    # Only this step goes to the internet: pass on the CA bundle and proxy settings curl/uv honour.
    online_env = dict(uv_env)
    online_env.update({k: v for k, v in os.environ.items() if k in NETWORK_VARIABLES})
    try:
        run([ctx.uv, "venv", "--seed", "--managed-python", "-p", "3.13", warm / "uv"], env=online_env, cwd=cwd,
            label="setup: uv venv --seed (fills uv's cache from PyPI)")
    except BenchError as error:
        raise BenchError(f"{error}\nuv venv --seed needs PyPI once to fill its cache") from None
    for tool in "pyman", "uv":
        site = warm / tool / "lib" / "python3.13" / "site-packages"
        infos = sorted(p.name for p in site.glob("pip-*.dist-info"))
        if not infos:
            raise BenchError(f"setup: {tool} venv --seed left no pip in {site}")
        ctx.seeded_pip[tool] = infos[0][len("pip-"):-len(".dist-info")]
    uv_env["UV_OFFLINE"] = "1"
    ctx.fast = {"root": root, "cwd": cwd, "pyman_env": pyman_env, "uv_env": uv_env, "pyman_py": pyman_py, "uv_py": uv_py,
                "pyman_install": pyman_root / "python", "uv_install": uv_root / "python"}


def venv_check(ctx, install_dir, tool, seeded):
    def check(run_dir, measurement, warmup):
        venv = run_dir / "venv"
        cfg = venv / "pyvenv.cfg"
        if not cfg.is_file():
            raise BenchError(f"{tool}: no {cfg} after a successful run")
        home = next((line.split("=", 1)[1].strip() for line in cfg.read_text().splitlines() if line.split("=")[0].strip() == "home"), "")
        if install_dir is not None and not home.startswith(str(install_dir) + "/"):
            raise BenchError(f"{tool}: {cfg} has home = {home!r}, not the interpreter under {install_dir}")
        if seeded and not (venv / "bin" / "pip").exists():
            raise BenchError(f"{tool}: {venv}/bin/pip missing after --seed")
        if warmup:
            version, prefix = python_version(venv / "bin" / "python", ctx.base_env(), run_dir)
            if version != "3.13.5" or prefix != str(venv):
                raise BenchError(f"{tool}: {venv}/bin/python reports {version} with prefix {prefix}")
            if seeded:
                run([venv / "bin" / "python", "-m", "pip", "--version"], env=ctx.base_env(), cwd=run_dir, label=f"{tool}: pip in the venv")
    return check


def output_check(tool, predicate, what):
    def check(run_dir, measurement, warmup):
        if not predicate(measurement.stdout):
            raise BenchError(f"{tool} printed {measurement.stdout!r}, expected {what}")
    return check


def fast_scenarios(ctx, pairs, stdlib_pairs):
    f = ctx.fast
    pe, ue, cwd = f["pyman_env"], f["uv_env"], f["cwd"]
    pyman_venv = Contender("pyman", lambda d: ([ctx.pyman, "venv", "-p", "3.13", d / "venv"], pe, cwd),
                           venv_check(ctx, f["pyman_install"], "pyman venv", False))
    uv_venv = Contender("uv", lambda d: ([ctx.uv, "venv", "--managed-python", "-p", "3.13", d / "venv"], ue, cwd),
                        venv_check(ctx, f["uv_install"], "uv venv", False))
    pyman_seed = Contender("pyman", lambda d: ([ctx.pyman, "venv", "--seed", "-p", "3.13", d / "venv"], pe, cwd),
                           venv_check(ctx, f["pyman_install"], "pyman venv --seed", True))
    uv_seed = Contender("uv", lambda d: ([ctx.uv, "venv", "--seed", "--managed-python", "-p", "3.13", d / "venv"], ue, cwd),
                        venv_check(ctx, f["uv_install"], "uv venv --seed", True))
    # python -m venv of the interpreter pyman venv uses; its venv home is that interpreter's bin folder.
    stdlib_seed = Contender("python -m venv", lambda d: ([f["pyman_py"], "-m", "venv", d / "venv"], ctx.base_env(), cwd),
                            venv_check(ctx, f["pyman_install"], "python -m venv", True))
    pyman_find = Contender("pyman", lambda d: ([ctx.pyman, "find", "3.13"], pe, cwd),
                           output_check("pyman find", lambda s: s.strip() == f["pyman_py"], f["pyman_py"]))
    uv_find = Contender("uv", lambda d: ([ctx.uv, "python", "find", "--managed-python", "3.13"], ue, cwd),
                        output_check("uv python find", lambda s: s.strip() == f["uv_py"], f["uv_py"]))

    def lists_both(text):
        rows = [r for r in text.splitlines() if r.strip()]
        return len(rows) == 2 and "3.11.2" in text and "3.13.5" in text

    # Both tools list their own installs only: the machine's other Pythons would add rows and queries.
    pyman_list = Contender("pyman", lambda d: ([ctx.pyman, "list", "--only-installed", "--managed-python"], pe, cwd),
                           output_check("pyman list", lists_both, "two rows, 3.13.5 and 3.11.2"))
    uv_list = Contender("uv", lambda d: ([ctx.uv, "python", "list", "--only-installed", "--managed-python"], ue, cwd),
                        output_check("uv python list", lists_both, "two rows, 3.13.5 and 3.11.2"))
    return [
        Scenario("venv", "venv (no seed)", "pyman venv -p 3.13 DIR", "uv", "uv venv --managed-python -p 3.13 DIR",
                 0.5, pairs, [pyman_venv, uv_venv]),
        Scenario("venv-seed-vs-uv", "venv --seed vs uv (warm cache)", "pyman venv --seed -p 3.13 DIR", "uv",
                 "uv venv --seed --managed-python -p 3.13 DIR (UV_OFFLINE=1, cache warm)", 1.0, pairs, [pyman_seed, uv_seed]),
        Scenario("venv-seed-vs-python", "venv --seed vs python -m venv", "pyman venv --seed -p 3.13 DIR", "python -m venv",
                 "python3.13 -m venv DIR (same interpreter; ensurepip)", 1.0, stdlib_pairs, [pyman_seed, stdlib_seed]),
        Scenario("find", "find 3.13", "pyman find 3.13", "uv", "uv python find --managed-python 3.13",
                 0.5, pairs, [pyman_find, uv_find], goal_abs_ms=5.0),
        Scenario("list", "list --only-installed", "pyman list --only-installed --managed-python", "uv",
                 "uv python list --only-installed --managed-python", 0.5, pairs, [pyman_list, uv_list]),
    ]


RSS_SPAWNER = (
    "import os, sys\n"
    "out, argv = sys.argv[1], sys.argv[2:]\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execvp(argv[0], argv)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(out, 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def peak_rss_kib(ctx, argv, env, cwd, label):
    """Peak RSS of argv alone. The harness's own wait4 cannot give it: a child forked from this Python
    process inherits its high-water mark across exec. So a small process (GNU time, else a bare
    `python3 -S` fork/exec/wait4) starts the command and reports its ru_maxrss."""
    out = Path(cwd) / ".maxrss"
    time_bin = shutil.which("time", path=CLEAN_PATH)
    if time_bin:
        wrapper = [time_bin, "-f", "%M", "-o", out, "--"]
    else:
        wrapper = [sys.executable, "-S", "-c", RSS_SPAWNER, out]
    run([*wrapper, *argv], env=env, cwd=cwd, label=label)
    text = out.read_text().strip().splitlines()
    out.unlink()
    if not text or not text[-1].isdigit():
        raise BenchError(f"{label}: no max RSS reported")
    return int(text[-1])


# Peak-RSS cases: label -> (tool, catalogue attribute, archive id, how pyman's cache is used).
# "tee": cache on, fresh empty cache dir (pyman's default first install: download and copy);
# "off": PYMAN_NO_CACHE=1; "hit": from the filled cache (fill_caches), nothing downloaded.
RSS_CASES = {
    "pyman install 3.13 (.tar.gz; tee into an empty cache)": ("pyman", "catalogue_gz", "3.13-gz", "tee"),
    "pyman install 3.13 (.tar.gz; PYMAN_NO_CACHE=1)": ("pyman", "catalogue_gz", "3.13-gz", "off"),
    "pyman install 3.13 (.tar.gz; from the cache)": ("pyman", "catalogue_gz", "3.13-gz", "hit"),
    "uv python install 3.13 (.tar.gz)": ("uv", "catalogue_gz", "3.13-gz", None),
    "pyman install 3.13 (full.tar.zst; tee into an empty cache)": ("pyman", "catalogue_full", "3.13-full", "tee"),
    "pyman install 3.13 (full.tar.zst; PYMAN_NO_CACHE=1)": ("pyman", "catalogue_full", "3.13-full", "off"),
    "uv python install 3.13 (full.tar.zst)": ("uv", "catalogue_full", "3.13-full", None),
}
# The goals, on the largest of the runs: (label, MiB, what it is).
RSS_GOALS = [
    ("pyman install 3.13 (.tar.gz; tee into an empty cache)", 32, "an install from the mirror with the tee (issue #13)"),
    ("pyman install 3.13 (.tar.gz; tee into an empty cache)", 64, "an install"),
]


def measure_rss(ctx, times):
    """Peak RSS of installs, fresh folders each time, the cases alternating: 3.13 from the .tar.gz catalogue
    (the goals: pyman's default install, teeing into the cache) and from the full.tar.zst one, pyman with
    the tee, without the cache and from it."""
    fill_caches(ctx)
    results = {}
    rss_root = spread_folder(ctx.scratch / "rss")
    for index in range(times):
        for number, (label, (tool, catalogue, archive, cache)) in enumerate(RSS_CASES.items()):
            d = spread_folder(rss_root / f"{number + 1}-{tool}-{archive}-{cache or 'default'}-{index + 1}", topdir=False)
            catalogue = getattr(ctx, catalogue)
            if tool == "pyman":
                argv = [ctx.pyman, "install", "3.13"]
                env = ctx.pyman_env(d, catalogue, cache_dir=ctx.caches["pyman"] if cache == "hit" else None, no_cache=cache == "off")
            else:
                argv, env = [ctx.uv, "python", "install", "3.13"], ctx.uv_env(d, catalogue)
            ctx.server_log.take()
            results.setdefault(label, []).append(peak_rss_kib(ctx, argv, env, d, f"peak RSS: {label}"))
            ctx.server_log.expect([] if cache == "hit" else [ARCHIVES[archive]], f"peak RSS: {label}")
            if cache in ("tee", "off"):
                cache_check(ctx, [archive], cache == "tee")(d, None, index == 0)
            os.sync()
    return results


def spawn_baseline(ctx, times):
    results = repeat(ctx, "baseline-true", lambda d: ["/bin/true"], ctx.base_env(), ctx.scratch, times)
    return median([m.wall for m in results])


# ------------------------------------------------------------------------------------------ cleanup

def remove_scratch(folder, cache):
    """Deleting frees ~10^5 inodes that ext4 (no journal) then avoids for 60-360 s; their zones are recorded
    first, so that the next run's folders are made elsewhere (harness.InodeZones)."""
    if harness.ZONES is not None:
        harness.ZONES.record(folder, cache / "bench-freed-zones.json")
    shutil.rmtree(folder, ignore_errors=True)
    os.sync()


# ------------------------------------------------------------------------------------------------ main

def main(argv=None):
    parser = argparse.ArgumentParser(description="pyman vs uv benchmarks; writes docs/benchmarks.md")
    parser.add_argument("--install-pairs", type=int, default=9, help="timed pairs per install scenario (default 9, at least 5)")
    parser.add_argument("--fast-pairs", type=int, default=21, help="timed pairs per venv/find/list scenario (default 21, at least 15)")
    parser.add_argument("--stdlib-pairs", type=int, default=7, help="timed pairs against python -m venv, ~5 s a run (default 7)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 2 pairs everywhere, no minimum enforced; the report says so")
    parser.add_argument("--output", default=None, help="report path (default docs/benchmarks.md)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--explain-all", action="store_true",
                        help="measure what bounds every scenario (start-up split, syscalls, perf), not only missed ones")
    parser.add_argument("--only", default=None, metavar="IDS",
                        help="run only these comma-separated scenario ids or their prefixes (install, install-cache, venv, ...; "
                             "rss: the peak-RSS runs); the report then goes to .build/benchmarks-only.md unless --output")
    args = parser.parse_args(argv)
    wanted = [w.strip() for w in (args.only or "").split(",") if w.strip()]

    def selected(name):
        return not wanted or any(name == w or name.startswith(w + "-") for w in wanted)

    unknown = [w for w in wanted if not any(i == w or i.startswith(w + "-") for i in (*INSTALL_IDS, *FAST_IDS, "rss"))]
    if unknown:
        parser.error(f"--only: no scenario {', '.join(unknown)} (ids: {', '.join((*INSTALL_IDS, *FAST_IDS, 'rss'))})")
    if args.quick:
        args.install_pairs = args.fast_pairs = args.stdlib_pairs = 2
    elif args.install_pairs < 5 or args.fast_pairs < 15 or args.stdlib_pairs < 5:
        parser.error("at least 5 pairs for installs and python -m venv, 15 for fast commands (or --quick)")

    repo = Path(__file__).resolve().parent.parent
    # A partial run never replaces the full report unless asked to.
    output = Path(args.output) if args.output else repo / (".build/benchmarks-only.md" if wanted else "docs/benchmarks.md")
    started = datetime.datetime.now(datetime.timezone.utc)
    load_start = os.getloadavg()
    cache = fixtures(repo)
    scratch_parent = cache / "bench-scratch"
    harness.ZONES = harness.InodeZones(cache)
    avoided = harness.ZONES.load(cache / "bench-freed-zones.json")
    if avoided:
        log(f"scratch: keeping clear of {avoided} ext4 zone(s) the last run's cleanup freed inodes in (harness.InodeZones)")
    if scratch_parent.exists():
        log(f"removing the scratch folder a killed run left: {scratch_parent}")
        remove_scratch(scratch_parent, cache)
    free = shutil.disk_usage(cache).free
    if free < 10 << 30:
        raise BenchError(f"only {free >> 30} GiB free under {cache}; the benchmark keeps every install until it ends and needs ~10 GiB")
    scratch = scratch_parent / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    scratch_parent.mkdir(exist_ok=True)
    subprocess.run(["chattr", "+T", str(scratch_parent)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = Context(repo=repo, cache=cache, scratch=spread_folder(scratch))
    ctx.home, ctx.tmp = scratch / "home", scratch / "tmp"
    for d in ctx.home, ctx.tmp:
        d.mkdir(parents=True)
    for parent in [scratch, *scratch.parents]:
        for marker in ".python-version", ".python-versions", "pyproject.toml", "uv.toml":
            if (parent / marker).exists():
                raise BenchError(f"{parent / marker} would change what both tools resolve; remove it or move the fixture cache")

    server = None
    try:
        check_archives(ctx)
        write_catalogues(ctx)
        build_pyman(ctx)
        install_uv(ctx)
        server = Server(ctx)
        ctx.mirror_url = f"http://127.0.0.1:{server.port}"
        ctx.server_log = ServerLog(server.log_path)
        log(f"mirror: {ctx.mirror_url} serving {cache / 'mirror'}")
        baseline = spawn_baseline(ctx, 21)

        installs = install_scenarios(ctx, args.install_pairs) + cache_scenarios(ctx, args.install_pairs)
        if tuple(s.id for s in installs) != INSTALL_IDS:
            raise BenchError(f"INSTALL_IDS is out of date: {[s.id for s in installs]}")
        scenarios = [s for s in installs if selected(s.id)]
        for scenario in scenarios:
            if scenario.id.startswith("install-cache-"):
                fill_caches(ctx)
            log(f"scenario {scenario.id}: {scenario.pairs} pairs + 1 warm-up")
            scenario.series = alternate(ctx, scenario.id, scenario.contenders, scenario.pairs)
        rss = {}
        if selected("rss"):
            log(f"peak RSS: {len(RSS_CASES)} installs of 3.13 (pyman with and without its cache, uv), 3 runs each")
            rss = measure_rss(ctx, 3)
            for label, values in rss.items():
                log(f"peak RSS {label}: {', '.join(f'{v / 1024:.1f}' for v in values)} MiB")

        if any(selected(i) for i in FAST_IDS):
            setup_fast_phase(ctx)
            fast = fast_scenarios(ctx, args.fast_pairs, args.stdlib_pairs)
            if tuple(s.id for s in fast) != FAST_IDS:
                raise BenchError(f"FAST_IDS is out of date: {[s.id for s in fast]}")
            for scenario in (s for s in fast if selected(s.id)):
                log(f"scenario {scenario.id}: {scenario.pairs} pairs + 1 warm-up")
                scenario.series = alternate(ctx, scenario.id, scenario.contenders, scenario.pairs)
                scenarios.append(scenario)

        for scenario in scenarios:
            log(f"result {scenario.id}: median ratio {scenario.median_ratio():.2f} (goal <= {scenario.goal}) "
                f"pyman {median(scenario.series.walls('pyman')) * 1000:.1f} ms, {scenario.b_name} "
                f"{median(scenario.series.walls(scenario.b_name)) * 1000:.1f} ms -> {'met' if scenario.met() else 'MISSED'}")

        missed = [s for s in scenarios if args.explain_all or not s.met()]
        if missed:
            log(f"measuring what bounds {len(missed)} scenario(s)")
            probes.explain(ctx, missed, scenarios, ARCHIVES)

        # Last, because both tools extract the whole archive before refusing it and then delete it, and
        # freshly freed inodes would slow the file creation of whatever runs next (see remove_scratch).
        prove_checksums(ctx)
        if ctx.caches:
            prove_cache_checksums(ctx)

        load_end = os.getloadavg()
        finished = datetime.datetime.now(datetime.timezone.utc)
        text = report.render(ctx=ctx, scenarios=scenarios, rss=rss, baseline=baseline, started=started, finished=finished,
                             load=(load_start, load_end), quick=args.quick, uv_pin=UV_VERSION, archives=ARCHIVES,
                             rss_goals=RSS_GOALS, only=args.only if wanted else None)
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary = output.with_name(output.name + ".tmp")
        temporary.write_text(text)
        os.replace(temporary, output)
        log(f"wrote {output} ({(finished - started).total_seconds():.0f} s in all)")
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            log(f"cleanup: removing {scratch_parent}")
            began = time.monotonic()
            remove_scratch(scratch_parent, cache)
            log(f"cleanup: done in {time.monotonic() - began:.0f} s")
        else:
            log(f"kept {scratch}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        log(f"FAILED: {error}")
        sys.exit(1)
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
