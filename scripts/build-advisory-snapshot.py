#!/usr/bin/env python3
"""Builds the advisory snapshot embedded in faasguard (`faasguard_osv::embedded`).

Reads two public advisory collections from the shared material and writes
OSV export zips like the ones https://osv.dev publishes per ecosystem
(`<ecosystem>/all.zip`: one JSON record per entry), so the embedded snapshot
and a downloaded database go through the same reader:

- `../shared/data/advisories/pypa/vulns/**/*.yaml`: the PyPA advisory database,
  already OSV (YAML). Each record is re-serialised as JSON, unchanged.
- `../shared/data/advisories/nodejs-security-wg/<n>.json`: the Node.js
  Security Working Group's npm advisories, in their own format. Each is
  converted to an OSV record `NSWG-ECO-<n>` (the WG's own name for its
  ecosystem reports): `module_name` becomes the npm package, `vulnerable_versions`
  (an npm semver range) becomes SEMVER ranges and an exact `versions` list,
  `cves` the aliases, `cvss_vector` a CVSS_V3 severity, `title` the summary,
  `overview` the details. A range this script cannot read exactly is not
  guessed: the record is skipped and listed.

Output, in `crates/faasguard_osv/data/snapshot/`: `PyPI.zip`, `npm.zip`
(entries sorted by name, fixed timestamps, so the same input gives the same
bytes), `manifest.json` (`{"date", "sources", "counts"}`) and `NOTICE.md`
(sources, commits, licenses, attribution, what was converted or skipped).

Needs PyYAML for the PyPA YAML (`pip install pyyaml`); everything else is
the standard library. It reads only local files.

Usage:
  scripts/build-advisory-snapshot.py [--shared DIR] [--out DIR] [--date YYYY-MM-DD]

`--date` defaults to $SOURCE_DATE_EPOCH when set, else today (UTC): it is the
snapshot's build date, which the scanner prints next to "embedded snapshot".
"""

import argparse
import datetime
import glob
import io
import json
import os
import re
import sys
import zipfile

try:
    import yaml
except ImportError:  # pragma: no cover - environment check
    sys.exit(
        "build-advisory-snapshot.py needs PyYAML to read the PyPA advisories: "
        "run `pip install pyyaml`, then run this script again"
    )

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Aliases the Node.js WG records lack, each a published fact with its
# source. Only ids that identify the same vulnerability of the same package
# belong here; the script stops if an entry names a record that no longer
# exists, so the table cannot go stale silently.
EXTRA_ALIASES = {
    # npm advisory 311 "Code Execution through IIFE" in node-serialize has no
    # CVE in the WG file. CVE-2017-5941 (NVD: "node-serialize package 0.0.4
    # ... unserialize() ... immediately invoked function expression") is the
    # same issue; the GitHub advisory GHSA-q4v7-4rhw-9hqm ("Code Execution
    # through IIFE in node-serialize") lists CVE-2017-5941 as its alias.
    311: {
        "aliases": ["CVE-2017-5941", "GHSA-q4v7-4rhw-9hqm"],
        "source": "NVD CVE-2017-5941 and GitHub advisory GHSA-q4v7-4rhw-9hqm "
        "(https://github.com/advisories/GHSA-q4v7-4rhw-9hqm)",
    },
}

# The WG writes "no fixed version yet" as an upper bound of 99.999.99999
# (with `patched_versions: "<0.0.0"`). That is not a real version: such a
# bound is dropped, leaving the range open ("every version from ...").
SENTINEL_MAJOR = 99


# --------------------------------------------------------------------------
# SemVer 2.0 precedence, enough to turn npm ranges into exact intervals.


class Ver:
    """A SemVer version: precedence key plus its canonical text."""

    __slots__ = ("major", "minor", "patch", "pre")

    def __init__(self, major, minor, patch, pre=()):
        self.major, self.minor, self.patch, self.pre = major, minor, patch, tuple(pre)

    def key(self):
        # A release sorts after all of its pre-releases; numeric identifiers
        # sort before alphanumeric ones, numerically; a shorter identifier
        # list sorts first when it is a prefix (SemVer 2.0 section 11).
        pre = tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in self.pre)
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, pre)

    def __str__(self):
        core = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            core += "-" + ".".join(str(p) for p in self.pre)
        return core

    def successor(self):
        """The smallest version that is greater than this one."""
        if self.pre:
            return Ver(self.major, self.minor, self.patch, self.pre + (0,))
        return Ver(self.major, self.minor, self.patch + 1, (0,))


class RangeError(Exception):
    pass


PARTIAL = re.compile(
    r"^v?(?P<major>\d+|[xX*])(?:\.(?P<minor>\d+|[xX*]))?(?:\.(?P<patch>\d+|[xX*]))?"
    r"(?:-?(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)


def parse_partial(text):
    """`1`, `1.2`, `1.2.x`, `1.2.3-rc.1` -> (major, minor, patch, pre); None for wildcards."""
    m = PARTIAL.match(text)
    if not m:
        raise RangeError(f"`{text}` is not a version")
    parts = []
    for name in ("major", "minor", "patch"):
        value = m.group(name)
        parts.append(None if value is None or value in "xX*" else int(value))
    # A wildcard stops the version: `1.x.3` means `1.x`.
    for i, value in enumerate(parts):
        if value is None:
            parts[i + 1 :] = [None] * (2 - i)
            break
    pre = ()
    if m.group("pre"):
        if parts[2] is None:
            raise RangeError(f"`{text}` has a pre-release on a partial version")
        pre = tuple(int(p) if p.isdigit() else p for p in m.group("pre").split("."))
    return parts[0], parts[1], parts[2], pre


def lower_of(parts):
    major, minor, patch, pre = parts
    return Ver(major or 0, minor or 0, patch or 0, pre)


def upper_excl_of(parts):
    """The first version above everything a partial version `1.2` stands for."""
    major, minor, patch, _ = parts
    if major is None:
        return None
    if minor is None:
        return Ver(major + 1, 0, 0, (0,))
    if patch is None:
        return Ver(major, minor + 1, 0, (0,))
    return None


def comparator(op, text):
    """One npm comparator -> interval ((lo, lo_incl), (hi, hi_incl)); None = unbounded."""
    parts = parse_partial(text)
    full = parts[2] is not None
    any_version = parts[0] is None
    lo, hi = (None, True), (None, True)
    if op in ("", "="):
        if any_version:
            return lo, hi
        if full:
            v = lower_of(parts)
            return (v, True), (v, True)
        return (lower_of(parts), True), (upper_excl_of(parts), False)
    if op == ">=":
        return ((None, True) if any_version else (lower_of(parts), True)), hi
    if op == ">":
        if any_version:
            raise RangeError("`>*` matches nothing")
        if full:
            return (lower_of(parts).successor(), True), hi
        return (upper_excl_of(parts), True), hi
    if op == "<":
        if any_version:
            raise RangeError("`<*` matches nothing")
        return lo, (lower_of(parts) if full else Ver(parts[0], parts[1] or 0, 0, (0,)), False)
    if op == "<=":
        if any_version:
            return lo, hi
        if full:
            return lo, (lower_of(parts), True)
        return lo, (upper_excl_of(parts), False)
    if op == "~":
        if any_version:
            return lo, hi
        major, minor, _, _ = parts
        top = Ver(major + 1, 0, 0, (0,)) if minor is None else Ver(major, minor + 1, 0, (0,))
        return (lower_of(parts), True), (top, False)
    if op == "^":
        if any_version:
            return lo, hi
        major, minor, patch, _ = parts
        if major > 0 or minor is None:
            top = Ver(major + 1, 0, 0, (0,))
        elif minor > 0 or patch is None:
            top = Ver(0, minor + 1, 0, (0,))
        else:
            top = Ver(0, 0, patch + 1, (0,))
        return (lower_of(parts), True), (top, False)
    raise RangeError(f"unknown operator `{op}`")


def intersect(a, b):
    (alo, ahi), (blo, bhi) = a, b
    lo = alo if blo[0] is None else blo if alo[0] is None else max_bound(alo, blo, lower=True)
    hi = ahi if bhi[0] is None else bhi if ahi[0] is None else max_bound(ahi, bhi, lower=False)
    return lo, hi


def max_bound(x, y, lower):
    """The tighter of two bounds: the larger lower bound, the smaller upper bound."""
    kx, ky = x[0].key(), y[0].key()
    if kx == ky:
        # Exclusive is tighter than inclusive at the same version.
        return x if not x[1] else y
    if lower:
        return x if kx > ky else y
    return x if kx < ky else y


def empty(interval):
    (lo, lo_incl), (hi, hi_incl) = interval
    if lo is None or hi is None:
        return False
    if lo.key() > hi.key():
        return True
    return lo.key() == hi.key() and not (lo_incl and hi_incl)


TOKEN = re.compile(r"(<=|>=|<|>|=|~>|~|\^)?\s*(v?[0-9xX*][0-9A-Za-z.+-]*)")


def comparator_set(text):
    """`>=1.0.0 <1.2.3`, `1.2.3 - 2.0.0`, `~0.8.0-pre` -> one interval (or None if empty)."""
    text = text.strip()
    hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", text)
    if hyphen:
        lo = comparator(">=", hyphen.group(1))
        hi = comparator("<=", hyphen.group(2))
        interval = intersect(lo, hi)
        return None if empty(interval) else interval
    if text in ("", "*", "x", "X"):
        return (None, True), (None, True)
    interval = ((None, True), (None, True))
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        m = TOKEN.match(text, pos)
        if not m:
            raise RangeError(f"cannot read `{text[pos:]}`")
        op = m.group(1) or ""
        if op == "~>":
            op = "~"
        interval = intersect(interval, comparator(op, m.group(2)))
        pos = m.end()
    return None if empty(interval) else interval


def lower_key(interval):
    lo, incl = interval[0]
    # Unbounded first; at the same version an inclusive bound starts earlier.
    return (0,) if lo is None else (1, lo.key(), 0 if incl else 1)


def union(intervals):
    """Sorted, merged, non-overlapping intervals (OSV SEMVER ranges must not overlap)."""
    out = []
    for cur in sorted(intervals, key=lower_key):
        if not out:
            out.append(cur)
            continue
        prev = out[-1]
        (phi, phi_incl) = prev[1]
        (clo, clo_incl) = cur[0]
        if phi is None:
            continue  # the previous interval is open-ended: it covers cur
        touches = clo is None or clo.key() < phi.key() or (
            clo.key() == phi.key() and (phi_incl or clo_incl)
        )
        if not touches:
            out.append(cur)
            continue
        (chi, chi_incl) = cur[1]
        if chi is None:
            hi = (None, True)
        elif chi.key() > phi.key() or (chi.key() == phi.key() and chi_incl):
            hi = (chi, chi_incl)
        else:
            hi = prev[1]
        out[-1] = (prev[0], hi)
    return out


def npm_range_to_osv(text):
    """npm `vulnerable_versions` -> (ranges, versions, notes). Raises RangeError."""
    notes = []
    intervals = []
    for part in text.split("||"):
        interval = comparator_set(part)
        if interval is not None:
            intervals.append(interval)
    if not intervals:
        raise RangeError(f"`{text}` matches no version")
    ranges, versions = [], []
    for (lo, lo_incl), (hi, hi_incl) in union(intervals):
        if hi is not None and hi.major >= SENTINEL_MAJOR:
            notes.append("open")
            hi, hi_incl = None, True
        if lo is not None and hi is not None and lo.key() == hi.key():
            versions.append(str(lo))
            continue
        assert lo is None or lo_incl, "lower bounds are made inclusive by comparator()"
        events = [{"introduced": "0" if lo is None else str(lo)}]
        if hi is not None:
            events.append({"last_affected" if hi_incl else "fixed": str(hi)})
        ranges.append({"type": "SEMVER", "events": events})
    return ranges, versions, notes


# --------------------------------------------------------------------------
# Sources


def day_to_rfc3339(day):
    if not isinstance(day, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return None
    return day + "T00:00:00Z"


def npm_purl(name):
    return "pkg:npm/" + name.replace("@", "%40")


def convert_nswg(raw):
    """One WG record -> (OSV record, notes). Raises RangeError when it cannot be converted exactly."""
    number = raw.get("id")
    name = raw.get("module_name")
    vulnerable = raw.get("vulnerable_versions")
    if not isinstance(number, int) or not isinstance(name, str) or not name.strip():
        raise RangeError("no numeric `id` or no `module_name`")
    if not isinstance(vulnerable, str):
        raise RangeError("no `vulnerable_versions`")
    ranges, versions, notes = npm_range_to_osv(vulnerable)
    aliases = [c for c in raw.get("cves") or [] if isinstance(c, str) and c.startswith("CVE-")]
    extra = EXTRA_ALIASES.get(number)
    if extra:
        aliases += extra["aliases"]
    aliases = sorted(set(aliases))
    affected = {
        "package": {"ecosystem": "npm", "name": name, "purl": npm_purl(name)},
        "ranges": ranges,
        "versions": versions,
        "database_specific": {
            "vulnerable_versions": vulnerable,
            "patched_versions": raw.get("patched_versions"),
        },
    }
    if not ranges:
        del affected["ranges"]
    if not versions:
        del affected["versions"]
    record = {
        "schema_version": "1.6.0",
        "id": f"NSWG-ECO-{number}",
        "modified": day_to_rfc3339(raw.get("updated_at")) or day_to_rfc3339(raw.get("created_at")),
        "published": day_to_rfc3339(raw.get("publish_date")) or day_to_rfc3339(raw.get("created_at")),
        "aliases": aliases,
        "summary": (raw.get("title") or "").strip(),
        "details": (raw.get("overview") or "").strip(),
        "affected": [affected],
        "references": [
            {
                "type": "ADVISORY",
                "url": f"https://github.com/nodejs/security-wg/blob/main/vuln/npm/{number}.json",
            }
        ]
        + [{"type": "WEB", "url": u} for u in raw.get("references") or [] if isinstance(u, str) and u],
        "database_specific": {
            "source": "nodejs/security-wg vuln/npm",
            "recommendation": raw.get("recommendation"),
        },
    }
    vector = raw.get("cvss_vector")
    if isinstance(vector, str) and vector.startswith("CVSS:3."):
        record["severity"] = [{"type": "CVSS_V3", "score": vector}]
    if record["modified"] is None:
        raise RangeError("no `updated_at`/`created_at` date")
    if record["published"] is None:
        del record["published"]
    return record, notes


def read_pypa(directory):
    records, skipped = [], []
    files = sorted(glob.glob(os.path.join(directory, "vulns", "**", "*.yaml"), recursive=True))
    if not files:
        sys.exit(f"no PyPA advisories under {directory}/vulns: is --shared right?")
    for path in files:
        rel = os.path.relpath(path, directory)
        try:
            with open(path, encoding="utf-8") as f:
                # BaseLoader keeps every scalar a string: an unquoted `3.10` in
                # a versions list stays "3.10", not the float 3.1.
                record = yaml.load(f, Loader=yaml.BaseLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            skipped.append((rel, f"invalid YAML: {e}"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not record["id"]:
            skipped.append((rel, "not an OSV record (no `id`)"))
            continue
        if not isinstance(record.get("affected"), list) or not record["affected"]:
            skipped.append((rel, "no `affected` packages"))
            continue
        records.append(record)
    return records, skipped


def read_nswg(directory):
    records, skipped, notes = [], [], []
    files = [f for f in glob.glob(os.path.join(directory, "*.json")) if re.fullmatch(r"\d+\.json", os.path.basename(f))]
    if not files:
        sys.exit(f"no Node.js WG advisories under {directory}: is --shared right?")
    seen = set()
    for path in sorted(files, key=lambda p: int(os.path.basename(p)[:-5])):
        rel = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                raw = json.load(f)
            record, record_notes = convert_nswg(raw)
        except (ValueError, RangeError) as e:
            skipped.append((rel, str(e)))
            continue
        seen.add(raw["id"])
        records.append(record)
        if "open" in record_notes:
            notes.append(record["id"])
    stale = sorted(set(EXTRA_ALIASES) - seen)
    if stale:
        sys.exit(f"EXTRA_ALIASES names WG records that were not converted: {stale}; fix the table")
    return records, skipped, notes


def source_commits(notice_path):
    """Commit and date of each shared source, from the shared NOTICE.md."""
    found = {}
    try:
        with open(notice_path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return found
    for key in ("pypa", "nodejs-security-wg"):
        m = re.search(r"`" + re.escape(key) + r"/`.*?commit (\w+) of (\d{4}-\d{2}-\d{2})", text)
        if m:
            found[key] = {"commit": m.group(1), "date": m.group(2)}
    return found


def write_zip(path, records):
    buf = io.BytesIO()
    names = set()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for record in sorted(records, key=lambda r: r["id"]):
            name = record["id"] + ".json"
            if name in names:
                sys.exit(f"two records share the id {record['id']}")
            names.add(name)
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            data = json.dumps(record, ensure_ascii=False, indent=None, separators=(",", ":"))
            z.writestr(info, data.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def build_date(arg):
    if arg:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", arg):
            sys.exit(f"--date {arg!r} is not YYYY-MM-DD")
        return arg
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%d")
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")


def notice(date, commits, counts, pypa_skipped, nswg_skipped, nswg_notes):
    pypa = commits.get("pypa", {"commit": "unknown", "date": "unknown"})
    wg = commits.get("nodejs-security-wg", {"commit": "unknown", "date": "unknown"})
    lines = [
        "# The embedded advisory snapshot",
        "",
        "`PyPI.zip` and `npm.zip` are OSV export zips (one JSON record per entry, as",
        "osv.dev publishes `<ecosystem>/all.zip`) built by",
        "`scripts/build-advisory-snapshot.py` from the copies in",
        "`../shared/data/advisories/`. `manifest.json` holds the build date that",
        "faasguard prints as the snapshot's date. Never edit these files by hand:",
        "re-run the script (it needs PyYAML: `pip install pyyaml`).",
        "",
        f"Built on {date}.",
        "",
        "| File | Source | Commit | License | Records |",
        "|---|---|---|---|---|",
        f"| `PyPI.zip` | [PyPA advisory database](https://github.com/pypa/advisory-database) (`vulns/`) | "
        f"{pypa['commit']} ({pypa['date']}) | CC-BY-4.0 | {counts['PyPI']} |",
        f"| `npm.zip` | [Node.js Security WG npm advisories](https://github.com/nodejs/security-wg) (`vuln/npm/`) | "
        f"{wg['commit']} ({wg['date']}) | MIT | {counts['npm']} |",
        "",
        "Both are old snapshots: a starter database for scans without a download",
        "(`faasguard db update` fetches the current OSV exports), and test data.",
        "",
        "## PyPA advisory database (CC-BY-4.0)",
        "",
        "Attribution: \"PyPA advisory database\" by the Python Packaging Authority and",
        "its contributors, https://github.com/pypa/advisory-database, licensed under",
        "the Creative Commons Attribution 4.0 International license",
        "(https://creativecommons.org/licenses/by/4.0/).",
        "",
        "Changes: each YAML record is re-serialised as JSON (every scalar kept as",
        "the string written in the YAML); no field is added, removed or altered.",
    ]
    if pypa_skipped:
        lines += ["", f"Skipped ({len(pypa_skipped)}):", ""]
        lines += [f"- `{rel}`: {why}" for rel, why in pypa_skipped]
    else:
        lines += ["", "Every record was taken; none skipped."]
    lines += [
        "",
        "## Node.js Security WG npm advisories (MIT)",
        "",
        "Converted to OSV with the id `NSWG-ECO-<n>`:",
        "",
        "- `module_name` -> `affected[0].package` (`npm`, with its purl);",
        "- `vulnerable_versions` (an npm semver range) -> SEMVER ranges, one per",
        "  interval of the range's union (`<x` fixed, `<=x` last_affected, `>=x`",
        "  introduced, `>x` introduced at the next SemVer version, `~`, `^`, x-ranges",
        "  and partial versions expanded as npm does, `||` several intervals,",
        "  overlapping intervals merged), exact versions (`=x`, `x`) -> `versions`;",
        "  OSV includes pre-releases in a range, npm's range syntax does not: the",
        "  interval is kept, so a pre-release inside it counts as affected;",
        "  an upper bound of 99.x (the WG's \"no fix yet\" marker, with",
        "  `patched_versions: \"<0.0.0\"`) leaves the range open;",
        "- `vulnerable_versions` and `patched_versions` are kept verbatim in",
        "  `affected[0].database_specific`;",
        "- `cves` -> `aliases`; `cvss_vector` -> `severity` (`CVSS_V3`);",
        "  `title` -> `summary`; `overview` -> `details`; `references` -> WEB",
        "  references plus an ADVISORY link to the WG file; `updated_at` ->",
        "  `modified`, `publish_date` -> `published`; `recommendation` ->",
        "  `database_specific.recommendation`.",
        "",
        "Aliases added from other public records (the WG file lacks them):",
        "",
    ]
    for number, extra in sorted(EXTRA_ALIASES.items()):
        lines.append(f"- `NSWG-ECO-{number}`: {', '.join(extra['aliases'])} ({extra['source']}).")
    if nswg_notes:
        lines += [
            "",
            f"Ranges left open at the WG's 99.x \"no fix yet\" bound ({len(nswg_notes)}): "
            + ", ".join(f"`{n}`" for n in nswg_notes)
            + ".",
        ]
    if nswg_skipped:
        lines += ["", f"Skipped ({len(nswg_skipped)}, not converted because not exactly readable):", ""]
        lines += [f"- `{rel}`: {why}" for rel, why in nswg_skipped]
    else:
        lines += ["", "Every record was converted; none skipped."]
    lines += [
        "",
        "The MIT license of the source:",
        "",
        "```",
        "The MIT License (MIT)",
        "",
        "Copyright (c) Node.js Foundation",
        "",
        "Permission is hereby granted, free of charge, to any person obtaining a copy of",
        "this software and associated documentation files (the \"Software\"), to deal in",
        "the Software without restriction, including without limitation the rights to",
        "use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of",
        "the Software, and to permit persons to whom the Software is furnished to do so,",
        "subject to the following conditions:",
        "",
        "The above copyright notice and this permission notice shall be included in all",
        "copies or substantial portions of the Software.",
        "",
        "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR",
        "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS",
        "FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR",
        "COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER",
        "IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN",
        "CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.",
        "```",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    parser.add_argument("--out", default=os.path.join(ROOT, "crates", "faasguard_osv", "data", "snapshot"))
    parser.add_argument("--date", default=None)
    args = parser.parse_args()

    base = os.path.join(args.shared, "data", "advisories")
    date = build_date(args.date)
    commits = source_commits(os.path.join(base, "NOTICE.md"))
    pypa, pypa_skipped = read_pypa(os.path.join(base, "pypa"))
    nswg, nswg_skipped, nswg_notes = read_nswg(os.path.join(base, "nodejs-security-wg"))

    os.makedirs(args.out, exist_ok=True)
    write_zip(os.path.join(args.out, "PyPI.zip"), pypa)
    write_zip(os.path.join(args.out, "npm.zip"), nswg)
    counts = {"PyPI": len(pypa), "npm": len(nswg)}
    manifest = {
        "date": date,
        "sources": [
            {
                "ecosystem": "PyPI",
                "name": "PyPA advisory database",
                "url": "https://github.com/pypa/advisory-database",
                "commit": commits.get("pypa", {}).get("commit", "unknown"),
                "commit_date": commits.get("pypa", {}).get("date", "unknown"),
                "license": "CC-BY-4.0",
                "records": len(pypa),
                "skipped": len(pypa_skipped),
            },
            {
                "ecosystem": "npm",
                "name": "Node.js Security WG npm advisories",
                "url": "https://github.com/nodejs/security-wg",
                "commit": commits.get("nodejs-security-wg", {}).get("commit", "unknown"),
                "commit_date": commits.get("nodejs-security-wg", {}).get("date", "unknown"),
                "license": "MIT",
                "records": len(nswg),
                "skipped": len(nswg_skipped),
            },
        ],
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "NOTICE.md"), "w", encoding="utf-8") as f:
        f.write(notice(date, commits, counts, pypa_skipped, nswg_skipped, nswg_notes))

    print(f"PyPI: {len(pypa)} records, {len(pypa_skipped)} skipped")
    print(f"npm:  {len(nswg)} records converted, {len(nswg_skipped)} skipped")
    for rel, why in pypa_skipped + nswg_skipped:
        print(f"  skipped {rel}: {why}")
    print(f"wrote {args.out} (date {date})")


if __name__ == "__main__":
    main()
