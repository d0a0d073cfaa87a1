"""The python-build-standalone touches on an installed CPython tree, run by that tree's interpreter:
relocatable /bin/sh trampolines for script shebangs, _sysconfigdata as one json.dumps'd dict, and
pkg-config files relative to themselves.   python3.X -I -B pbs-touches.py ROOT X.Y
Used by Fixtures/build.sh (x86-64) and Fixtures/build-aarch64.sh (under qemu)."""
import json, os, sys, sysconfig

root, mm = sys.argv[1], sys.argv[2]
bindir = os.path.join(root, "bin")

# Relocatable launchers, the way pbs rewrites script shebangs.
trampoline = (
    "#!/bin/sh\n"
    "'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")/python%s\" \"$0\" \"$@\"\n"
    "' '''\n" % mm
).encode()
for name in sorted(os.listdir(bindir)):
    path = os.path.join(bindir, name)
    if os.path.islink(path) or not os.path.isfile(path):
        continue
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"#!"):
        continue
    first, _, rest = data.partition(b"\n")
    if b"/bin/sh" in first or b"/bin/bash" in first or b"bin/env" in first:
        continue
    if b"/python" not in first:
        sys.exit("unexpected shebang %r in %s" % (first, path))
    with open(path, "wb") as fh:
        fh.write(trampoline + rest)

# pbs rewrites _sysconfigdata as one json.dumps'd dict (no implicit string
# concatenation), sorted by key.
name = sysconfig._get_sysconfigdata_name()
path = os.path.join(root, "lib", "python" + mm, name + ".py")
ns = {}
with open(path, "rb") as fh:
    exec(fh.read(), ns)
with open(path, "wb") as fh:
    fh.write(b"# system configuration generated and used by the sysconfig module\n")
    fh.write(("build_time_vars = %s" % json.dumps(ns["build_time_vars"], indent=4, sort_keys=True)).encode())

# pkg-config files relative to themselves, not to /install.
pcdir = os.path.join(root, "lib", "pkgconfig")
for name in os.listdir(pcdir):
    p = os.path.join(pcdir, name)
    if name.endswith(".pc") and os.path.isfile(p) and not os.path.islink(p):
        with open(p) as fh:
            text = fh.read()
        with open(p, "w") as fh:
            fh.write(text.replace("prefix=/install\n", "prefix=${pcfiledir}/../..\n"))
