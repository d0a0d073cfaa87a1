#!/usr/bin/env bash
# The main job, end to end on this machine: build pyman and the one fixture CPython the demo serves
# (3.13.5, from Debian's source; the test suite's other fixtures are left to `make fixtures`/`make test`),
# serve it on 127.0.0.1, `pyman install 3.13` from it, make a venv through a symlink (the case plain
# standalone builds get wrong) and use it. One line per step while building, each log named.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
swift=${SWIFT:-swift}
demo=$(mktemp -d /tmp/pyman-demo.XXXXXX)
port_file=$demo/port
server=""
builder=""
cleanup() {
    [[ -n $builder ]] && kill "$builder" 2>/dev/null
    [[ -n $server ]] && kill "$server" 2>/dev/null
    rm -rf "$demo"
}
trap cleanup EXIT
step() { printf '[demo] %s\n' "$*" >&2; }
started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started)) s"; }

# pyman and the fixture build side by side: the fixture's configure and install steps use one core.
mkdir -p "$repo/.build"
build_log=$repo/.build/demo-swift-build.log
if [[ -x $repo/.build/debug/pyman ]]; then
    step "building pyman (swift build; seconds when up to date; log $build_log)"
else
    step "building pyman (swift build; about 2-3 minutes from scratch on 2 cores; log $build_log)"
fi
(cd "$repo" && "$swift" build >"$build_log" 2>&1) &
builder=$!
step "building the fixture CPython 3.13.5 from Debian's source (about 4 minutes the first time on 2 idle cores, then cached in $cache; logs in $cache/logs)"
if ! PYMAN_FIXTURES_SET=demo bash "$repo/Fixtures/build.sh" >/dev/null; then
    step "the fixture build failed: read the [fixtures] lines above and the log they name in $cache/logs"
    exit 1
fi
step "fixture ready ($(elapsed) so far)"
if ! wait "$builder"; then
    builder=""
    tail -n 20 "$build_log" >&2
    step "swift build failed: read $build_log"
    exit 1
fi
builder=""
step "pyman built ($(elapsed) so far); running the demo"

python3 "$repo/Fixtures/serve.py" "$cache/mirror" >"$port_file" &
server=$!
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done

export PYMAN_INSTALL_DIR=$demo/python PYMAN_BIN_DIR=$demo/bin PYMAN_CACHE_DIR=$demo/cache
export PYMAN_DOWNLOADS_JSON=$cache/download-metadata.json PYMAN_PYTHON_MIRROR=http://127.0.0.1:$(head -1 "$port_file")
pyman=$repo/.build/debug/pyman

set -x
"$pyman" install 3.13
"$pyman" find 3.13
mkdir "$demo/elsewhere"
ln -s "$PYMAN_BIN_DIR/python3.13" "$demo/elsewhere/python"
"$demo/elsewhere/python" -m venv "$demo/venv"
grep home "$demo/venv/pyvenv.cfg"
"$demo/venv/bin/python" -c 'import sys, encodings, pip; print("venv OK:", sys.version.split()[0], "from", sys.base_prefix)'
"$pyman" list --only-installed
{ set +x; } 2>/dev/null
step "done in $(elapsed)"
