#!/usr/bin/env bash
# Re-fetches the JSON schemas the SBOM tests validate our output against
# (crates/faasguard_report/tests/sbom.rs), and rewrites their section of
# crates/faasguard_report/tests/data/NOTICE.md (between the sbom-schemas
# markers; the rest of that file is left alone).
#
# Source: the PyPI package lib4sbom (Apache-2.0), which ships the upstream
# schema files unmodified under their upstream names, so the CycloneDX
# schema's relative `$ref`s (`spdx.schema.json`, `jsf-0.82.schema.json`)
# still name the files beside it. (CycloneDX's own cyclonedx-python-lib and
# @cyclonedx/cyclonedx-library ship edited copies renamed `*.SNAPSHOT.*`; no
# package ships the SPDX 2.3 document schema but lib4sbom.) The wheel is
# pinned by version and hash: a changed upload fails here instead of
# changing the schemas silently.
#
# Needs python3 with pip (PyPI reachable). Usage: scripts/vendor-sbom-schemas.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.10.4
wheel_sha256=ba6652ac2d0ba767d48f912c762f41ab3843cf5817303082aaa2ee8a1952de04
dest=crates/faasguard_report/tests/data

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'lib4sbom==%s --hash=sha256:%s\n' "$version" "$wheel_sha256" >"$tmp/req.txt"
python3 -m pip download --quiet --no-deps --only-binary :all: --require-hashes \
    -r "$tmp/req.txt" --dest "$tmp"

python3 - "$tmp"/lib4sbom-"$version"-py3-none-any.whl "$dest" "$version" "$wheel_sha256" <<'EOF'
import datetime
import hashlib
import json
import pathlib
import sys
import zipfile

wheel, dest, version, wheel_sha = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]

# (path in the wheel, vendored name, the `$id` it must declare, upstream file)
FILES = [
    ("lib4sbom/schemas/cyclonedx/bom-1.5.schema.json", "bom-1.5.schema.json",
     "http://cyclonedx.org/schema/bom-1.5.schema.json",
     "CycloneDX/specification `schema/bom-1.5.schema.json`"),
    ("lib4sbom/schemas/cyclonedx/spdx.schema.json", "spdx.schema.json",
     "http://cyclonedx.org/schema/spdx.schema.json",
     "CycloneDX/specification `schema/spdx.schema.json`"),
    ("lib4sbom/schemas/cyclonedx/jsf-0.82.schema.json", "jsf-0.82.schema.json",
     "http://cyclonedx.org/schema/jsf-0.82.schema.json",
     "CycloneDX/specification `schema/jsf-0.82.schema.json`"),
    ("lib4sbom/schemas/spdx/2.3-schema.json", "spdx-2.3.schema.json",
     "http://spdx.org/rdf/terms/2.3",
     "spdx/spdx-spec `schemas/spdx-schema.json` (SPDX 2.3)"),
]

rows = []
with zipfile.ZipFile(wheel) as z:
    for inner, name, want_id, upstream in FILES:
        data = z.read(inner)
        got_id = json.loads(data).get("$id")
        if got_id != want_id:
            sys.exit(f"{inner}: $id is {got_id!r}, expected {want_id!r}; "
                     "the package changed layout: pick the files again by hand")
        (dest / name).write_bytes(data)
        rows.append((name, upstream, hashlib.sha256(data).hexdigest()))
        print(f"wrote {dest / name} ({len(data)} bytes)")

today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
table = "\n".join(f"| `{n}` | {u} | `{h}` |" for n, u, h in rows)
section = f"""<!-- sbom-schemas: begin (written by scripts/vendor-sbom-schemas.sh) -->
## SBOM schemas

Used by `tests/sbom.rs` to validate the CycloneDX 1.5 and SPDX 2.3 JSON that
`faasguard_report::sbom` writes. Fetched {today} from the PyPI package
`lib4sbom` {version} (wheel sha256 `{wheel_sha}`; Apache-2.0;
https://github.com/anthonyharrison/lib4sbom), which ships the upstream files
unmodified under their upstream names.

| file | upstream | sha256 |
| --- | --- | --- |
{table}

- CycloneDX schemas: from https://github.com/CycloneDX/specification (OWASP
  CycloneDX / Ecma TC54), Apache License 2.0 (stated in each schema's
  `$comment`). `bom-1.5.schema.json` refers to the other two by relative
  `$ref`; the test resolves them from these files, offline.
- SPDX 2.3 JSON schema: from https://github.com/spdx/spdx-spec (The Linux
  Foundation and its contributors), under the Community Specification License
  1.0, with pre-existing portions under CC-BY-3.0. Attribution as that
  license asks: "SPDX 2.3 JSON schema", version 2.3, retrieved as above.
  THESE MATERIALS ARE PROVIDED "AS IS"; the SPDX contributors disclaim all
  warranties.
<!-- sbom-schemas: end -->
"""

notice = dest / "NOTICE.md"
text = notice.read_text() if notice.exists() else ""
begin, end = "<!-- sbom-schemas: begin", "<!-- sbom-schemas: end -->"
if begin in text and end in text:
    head = text[: text.index(begin)]
    tail = text[text.index(end) + len(end):].lstrip("\n")
    text = head + section + tail
else:
    text = text.rstrip("\n") + "\n\n" + section if text else section
notice.write_text(text)
print(f"updated {notice}")
EOF
