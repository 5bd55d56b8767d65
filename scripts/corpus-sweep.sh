#!/usr/bin/env bash
# Scans the whole shared corpus and fails on any tool error or panic.
#
#   scripts/corpus-sweep.sh BINARY CORPUS_DIR
#
# Every file must load: either analysed, or reported as a parse-error
# finding with a reason. The scan's exit code must be 0 (with --fail-on
# none, 1 cannot happen; 2 means a usage or tool error, 101 a panic). Prints
# per-format counts of apps, functions and parse errors, and every parse
# error with its reason, for the issue notes.
set -euo pipefail
bin=${1:?usage: corpus-sweep.sh BINARY CORPUS_DIR}
corpus=${2:?usage: corpus-sweep.sh BINARY CORPUS_DIR}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

status=0
"$bin" scan "$corpus" --format json --fail-on none --output "$out" || status=$?
if [ "$status" -ne 0 ]; then
  echo "corpus sweep: faasguard exited with $status (expected 0)" >&2
  exit 1
fi

python3 - "$out" <<'PY'
import json, sys
from collections import Counter

report = json.load(open(sys.argv[1]))
s = report["summary"]
print(f"files seen {s['files_seen']}, IaC files/modules {s['iac_files']}, apps {s['apps']}, "
      f"functions {s['functions']}, parse errors {s['parse_errors']}, {s['duration_ms']} ms")
for fmt, c in sorted(s.get("by_format", {}).items()):
    print(f"  {fmt:16} apps {c['apps']:4}  functions {c['functions']:4}")

def fmt_of(path):
    name = path.rsplit("/", 1)[-1]
    if path.endswith((".tf", ".tfvars")):
        return "terraform"
    if name.startswith("serverless."):
        return "serverless"
    return "cloudformation/sam"

errors = [f for f in report["findings"] if f["rule"] == "parse-error"]
by_fmt = Counter(fmt_of(f["location"]["path"]) for f in errors)
print("parse errors by format: " + (", ".join(f"{k} {v}" for k, v in sorted(by_fmt.items())) or "none"))
for f in errors:
    loc = f["location"]
    print(f"  {loc['path']}:{loc['start_line']}: {f['message']}")
codes = Counter(f["code"] for f in report["findings"])
print("findings by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(codes.items())))
PY
echo "corpus sweep: ok"
