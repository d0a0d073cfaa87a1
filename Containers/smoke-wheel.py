"""Writes pyman_smoke-1.0-py3-none-any.whl, a tiny pure-Python wheel (`import pyman_smoke` gives
VALUE = 42), into the folder given: what the container checks `pip install` (smoke.sh, glibc-floor.sh),
so that no build or check needs PyPI, which CI may not reach."""
import base64
import hashlib
import sys
import zipfile

files = {
    "pyman_smoke/__init__.py": "VALUE = 42\n",
    "pyman_smoke-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: pyman-smoke\nVersion: 1.0\n",
    "pyman_smoke-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: pyman-smoke\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = [f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},{len(text.encode())}"
          for name, text in files.items()]
files["pyman_smoke-1.0.dist-info/RECORD"] = "\n".join(record + ["pyman_smoke-1.0.dist-info/RECORD,,"]) + "\n"
with zipfile.ZipFile(sys.argv[1] + "/pyman_smoke-1.0-py3-none-any.whl", "w") as wheel:
    for name, text in files.items():
        wheel.writestr(name, text)
