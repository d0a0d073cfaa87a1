#!/usr/bin/env bash
# The main job, end to end on this machine: serve the fixture archives on 127.0.0.1, `pyman install 3.13`
# from them, make a venv through a symlink (the case plain standalone builds get wrong) and use it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${PYMAN_FIXTURES_CACHE:-$HOME/.cache/pyman-fixtures}
demo=$(mktemp -d /tmp/pyman-demo.XXXXXX)
port_file=$demo/port

python3 "$repo/Fixtures/serve.py" "$cache/mirror" >"$port_file" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$demo"' EXIT
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
