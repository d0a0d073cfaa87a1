"""Writes pyman's wheel from a release tree (`make release`'s dist/ or dist-aarch64/): the binary as a
script, so `pip install pyman-….whl` puts it in the environment's bin/ (a venv's, ~/.local/bin with
--user, /usr/local/bin), and the completions and man page under the environment's share/.

    python3 Packaging/wheel.py DIST ARCH VERSION README OUTDIR   # → OUTDIR/pyman-VERSION-py3-none-manylinux_2_28_ARCH.whl

Written here with zipfile rather than by a build backend: a wheel is a zip with three metadata files,
and the backends (setuptools, hatchling, maturin) all want to build something, while this one packs a
finished binary. Reproducible: entries sorted, timestamps from SOURCE_DATE_EPOCH (Packaging/dist.sh
sets it to the commit's date).
"""
import base64
import hashlib
import os
import sys
import time
import zipfile

# The glibc the release binary is linked against (Containers/release.sh's GLIBC_FLOOR); `auditwheel
# show` checks the binary's symbol versions agree (Packaging/dist.sh).
PLATFORM = "manylinux_2_28"
# The distribution's name: `pyman` on PyPI is another project's (docs/release.md), so a published wheel
# needs a free name here; the command it installs stays `pyman`.
DISTRIBUTION = "pyman"
SUMMARY = "Install standalone CPython builds and create virtual environments"
# Where each file of the release tree goes: scripts/ becomes the environment's bin/, data/ its root.
SHARED = [
    "share/bash-completion/completions/pyman",
    "share/zsh/site-functions/_pyman",
    "share/fish/vendor_completions.d/pyman.fish",
    "share/man/man1/pyman.1",
]


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main() -> None:
    if len(sys.argv) != 6:
        sys.exit("usage: wheel.py DIST ARCH VERSION README OUTDIR")
    dist, arch, version, readme, outdir = sys.argv[1:]
    if arch not in ("x86_64", "aarch64"):
        sys.exit(f"error: ARCH is x86_64 or aarch64, not {arch!r}")
    tag = f"py3-none-{PLATFORM}_{arch}"
    data_dir = f"{DISTRIBUTION}-{version}.data"
    info_dir = f"{DISTRIBUTION}-{version}.dist-info"
    with open(readme, encoding="utf-8") as f:
        long_description = f.read()

    # (name in the wheel, bytes, mode): the mode goes into external_attr's high 16 bits with the
    # regular-file type bits, which is what makes pip keep the exec bit (../shared/notes/wheel.md).
    entries = []
    with open(os.path.join(dist, "bin/pyman"), "rb") as f:
        entries.append((f"{data_dir}/scripts/pyman", f.read(), 0o100755))
    for path in SHARED:
        with open(os.path.join(dist, path), "rb") as f:
            entries.append((f"{data_dir}/data/{path}", f.read(), 0o100644))
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {version}",
        f"Summary: {SUMMARY}",
        "Platform: Linux",
        "Classifier: Environment :: Console",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Topic :: Software Development :: Build Tools",
        "Description-Content-Type: text/markdown",
        "", long_description,
    ])
    wheel = "\n".join([
        "Wheel-Version: 1.0",
        "Generator: pyman Packaging/wheel.py",
        "Root-Is-Purelib: false",
        f"Tag: {tag}", "",
    ])
    entries.append((f"{info_dir}/METADATA", metadata.encode(), 0o100644))
    entries.append((f"{info_dir}/WHEEL", wheel.encode(), 0o100644))
    record = [f"{name},{record_hash(data)},{len(data)}" for name, data, _ in entries]
    record.append(f"{info_dir}/RECORD,,")
    entries.append((f"{info_dir}/RECORD", ("\n".join(record) + "\n").encode(), 0o100644))

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # zip's dates start in 1980
    date_time = time.gmtime(max(epoch, 315532800))[:6]
    out = os.path.join(outdir, f"{DISTRIBUTION}-{version}-{tag}.whl")
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        # dist-info last, RECORD last of all: what the wheel spec recommends for streaming installers.
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode bits are read
            zf.writestr(info, data, compresslevel=9)
    os.replace(tmp, out)
    print(out)


if __name__ == "__main__":
    main()
