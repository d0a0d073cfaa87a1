"""Compares pyman's answers, written by DifferentialTests.swift, with Python's own.

    differential.py toml INPUT.json     pyman's TOMLReader against tomllib
    differential.py pep440 INPUT.json   pyman's PEP440Version and VersionSpecifier against packaging

Prints one line per disagreement and exits 1 if there is any; else prints what it compared.
Cases where pyman differs on purpose are listed in DELIBERATE with the reason, and left out by name.
"""
import datetime
import json
import sys


def toml(data):
    import tomllib

    # name -> why pyman differs on purpose
    deliberate = {}
    for case in data["cases"]:
        raw = bytes.fromhex(case["hex"])
        if ":60" in raw.decode("utf-8", "replace"):
            # RFC 3339 allows a leap second (TOML takes its dates from it); Python's datetime cannot hold
            # one, so tomllib refuses what pyman, keeping no date, accepts (TOMLReaderTests pins 23:59:60).
            deliberate[case["name"]] = "leap second"
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            # TOMLReader reads bytes it is given as UTF-8 text: pyman decodes pyproject.toml with
            # String(decoding:) first (ProjectRequests), which replaces what is not UTF-8, so invalid
            # bytes never reach it. Whether pyman should refuse such a file is not the reader's to say.
            deliberate[case["name"]] = "not UTF-8"

    def shape(value):
        if isinstance(value, str):
            return {"type": "string", "string": value}
        if isinstance(value, bool):
            return {"type": "boolean"}
        if isinstance(value, int):
            return {"type": "integer"}
        if isinstance(value, float):
            return {"type": "float"}
        if isinstance(value, datetime.datetime):
            return {"type": "offsetDateTime" if value.tzinfo is not None else "localDateTime"}
        if isinstance(value, datetime.date):
            return {"type": "localDate"}
        if isinstance(value, datetime.time):
            return {"type": "localTime"}
        if isinstance(value, list):
            return {"type": "array"}
        if isinstance(value, dict):
            return {"type": "table"}
        raise TypeError(type(value))

    def lookup(document, path):
        node = document
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return shape(node)

    disagreements, compared, excluded = [], 0, 0
    for case in data["cases"]:
        if case["name"] in deliberate:
            excluded += 1
            continue
        compared += 1
        raw = bytes.fromhex(case["hex"])
        text = raw.decode("utf-8")
        # Deliberate: pyman skips a byte order mark at the start, as editors on Windows write one; tomllib
        # refuses it. The rest of the document is still compared.
        text = text.removeprefix("\ufeff")
        try:
            document = tomllib.loads(text)
            accepted, why = True, None
        except tomllib.TOMLDecodeError as error:
            accepted, why = False, str(error)
        if accepted and not _integers_fit(document):
            # TOML 1.0: an integer that cannot be held losslessly in 64 bits must be refused. tomllib
            # keeps Python's big integers; pyman follows the specification.
            accepted, why = False, "an integer outside 64 bits"
        if accepted != case["accepted"]:
            disagreements.append(f"{case['name']}: pyman {'accepts' if case['accepted'] else 'refuses'} it, "
                                 f"tomllib {'accepts' if accepted else 'refuses'} it" + (f" ({why})" if why else ""))
            continue
        if not accepted:
            continue
        for path in data["paths"]:
            key = ".".join(path)
            mine, theirs = case["values"].get(key), lookup(document, path)
            if mine != theirs:
                disagreements.append(f"{case['name']}: {key} is {mine} for pyman, {theirs} for tomllib")
    return disagreements, f"compared {compared} TOML documents with tomllib ({excluded} left out on purpose)"


def _integers_fit(node):
    if isinstance(node, bool):
        return True
    if isinstance(node, int):
        return -(2 ** 63) <= node < 2 ** 63
    if isinstance(node, list):
        return all(_integers_fit(item) for item in node)
    if isinstance(node, dict):
        return all(_integers_fit(item) for item in node.values())
    return True


def pep440(data):
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    disagreements = []
    texts = [v["text"] for v in data["versions"]]
    parsed = {}
    for case in data["versions"]:
        text = case["text"]
        try:
            theirs = Version(text)
        except InvalidVersion:
            theirs = None
        if theirs is not None and text != text.strip():
            # packaging strips blanks around a version; pyman's callers trim a specifier's operand first.
            continue
        if theirs is not None and max(theirs.release + (theirs.epoch, theirs.post or 0, theirs.dev or 0)) >= 2 ** 63:
            # pyman refuses numbers that do not fit an Int rather than trap: no Python has one.
            if case["valid"]:
                disagreements.append(f"version {text!r}: pyman accepts a number past 64 bits")
            continue
        if (theirs is not None) != case["valid"]:
            disagreements.append(f"version {text!r}: pyman {'accepts' if case['valid'] else 'refuses'} it, "
                                 f"packaging {'accepts' if theirs is not None else 'refuses'} it")
            continue
        if theirs is None:
            continue
        parsed[text] = theirs
        expected = {"epoch": theirs.epoch, "release": list(theirs.release),
                    "pre": list(theirs.pre) if theirs.pre else None, "post": theirs.post, "dev": theirs.dev, "local": theirs.local}
        mine = {k: case[k] for k in expected}
        if mine != expected:
            disagreements.append(f"version {text!r} reads as {mine} for pyman, {expected} for packaging")

    for i, j, mine in data["order"]:
        a, b = parsed.get(texts[i]), parsed.get(texts[j])
        if a is None or b is None:
            continue
        # pyman leaves local labels out of its order on purpose: it compares Pythons, which have none, with
        # requires-python's bounds (PEP 440 also ignores them in every comparison but ==, !=).
        a, b = Version(a.public), Version(b.public)
        theirs = (a > b) - (a < b)
        if mine != theirs:
            disagreements.append(f"order of {texts[i]!r} and {texts[j]!r}: {mine} for pyman, {theirs} for packaging")

    pythons = data["pythons"]
    for case in data["specifiers"]:
        text = case["text"]
        try:
            theirs = SpecifierSet(text)
        except InvalidSpecifier:
            theirs = None
        if theirs is not None and text.strip() and any(not part.strip() for part in text.split(",")):
            # packaging skips empty clauses (`>=3.11,`); pyman refuses them so that a slip in a
            # requires-python is named rather than read as something else.
            continue
        if theirs is not None and any(s.operator == "===" and not s.version for s in theirs):
            # packaging takes `===` with nothing after it (it matches nothing); pyman refuses it with
            # "has no version after its ===", since no requires-python means that.
            continue
        if (theirs is not None) != case["valid"]:
            disagreements.append(f"specifier {text!r}: pyman {'accepts' if case['valid'] else 'refuses'} it, "
                                 f"packaging {'accepts' if theirs is not None else 'refuses'} it")
            continue
        if theirs is None:
            continue
        # As pyman reads it: a clause names a pre-release when its version, `===`'s too, reads as one.
        names_prerelease = any(Version(s.version.removesuffix(".*")).is_prerelease
                               for s in theirs if _is_version(s.version.removesuffix(".*")))
        for python, mine in zip(pythons, case["admits"]):
            version = Version(python)
            if not names_prerelease:
                # Deliberate, as pip and uv do for the running Python: without a pre-release in
                # requires-python a Python counts by its release numbers (3.14.0rc1 meets >=3.14).
                version = Version(version.base_version)
            expected = theirs.contains(version, prereleases=True)
            if mine != expected:
                disagreements.append(f"{python} in {text!r}: {mine} for pyman, {expected} for packaging")
    summary = (f"compared {len(data['versions'])} versions, {len(data['order'])} orderings and "
               f"{len(data['specifiers'])} specifiers x {len(pythons)} Pythons with packaging")
    return disagreements, summary


def _is_version(text):
    from packaging.version import InvalidVersion, Version
    try:
        Version(text)
        return True
    except InvalidVersion:
        return False


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    disagreements, summary = {"toml": toml, "pep440": pep440}[kind](data)
    for line in disagreements:
        print(line)
    print(f"{len(disagreements)} disagreements; {summary}")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
