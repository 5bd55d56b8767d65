#!/usr/bin/env python3
"""Regenerates the SAM policy templates faasguard expands.

Downloads the pinned aws-sam-translator wheel from PyPI with `pip download`
(no install, no dependencies), extracts
`samtranslator/policy_templates_data/policy_templates.json` and writes it to
`crates/faasguard_loaders/data/sam-policy-templates.json` together with a
NOTICE giving its provenance. Safe to re-run; review the diff afterwards.

Usage: scripts/regenerate-sam-policy-templates.py [VERSION]
"""

import datetime
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "aws-sam-translator"
# Pinned so a rerun reproduces the committed file; bump deliberately.
VERSION = sys.argv[1] if len(sys.argv) > 1 else "1.115.0"
MEMBER = "samtranslator/policy_templates_data/policy_templates.json"

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dest_dir = os.path.join(root, "crates", "faasguard_loaders", "data")
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
    wheel = wheels[0]
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read(MEMBER))

templates = data.get("Templates", {})
if not templates:
    sys.exit("the extracted file has no Templates; the package layout changed")

with open(os.path.join(dest_dir, "sam-policy-templates.json"), "w", encoding="utf-8") as f:
    json.dump(data, f, indent=1, sort_keys=True)
    f.write("\n")

today = datetime.date.today().isoformat()
notice = f"""# SAM policy templates

`sam-policy-templates.json` is `{MEMBER}` from the PyPI package
`{PACKAGE}` version {VERSION} (wheel `{os.path.basename(wheel)}`),
extracted on {today} by `scripts/regenerate-sam-policy-templates.py`.
It holds {len(templates)} policy templates (template format version
{data.get("Version", "unknown")}).

- Source: https://pypi.org/project/{PACKAGE}/{VERSION}/
  (repository https://github.com/aws/serverless-application-model)
- License: Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0),
  Copyright Amazon.com, Inc. or its affiliates.
- Changes: re-serialised with sorted keys; content unchanged.

Refresh by re-running the script with a newer pinned version and reviewing the diff.
"""
with open(os.path.join(dest_dir, "sam-policy-templates.NOTICE.md"), "w", encoding="utf-8") as f:
    f.write(notice)
print(f"wrote {len(templates)} templates from {PACKAGE} {VERSION}")
