#!/usr/bin/env bash
# Copies the data faasguard vendors from the shared material into the crates
# that use it, with its NOTICE. Idempotent: run it again after the shared copy
# changes, then review the diff.
# Usage: scripts/vendor-shared-data.sh [SHARED_DIR]   (default: ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}

# SARIF 2.1.0 schema (OASIS), for the SARIF reporter's validation test.
dest=crates/faasguard_report/tests/data
mkdir -p "$dest"
install -m 0644 "$shared/data/sarif/sarif-schema-2.1.0.json" "$dest/sarif-schema-2.1.0.json"
# NOTICE.md also holds the SBOM schemas' section (scripts/vendor-sbom-schemas.sh):
# only the SARIF part, up to that section's marker, is replaced.
{
  cat "$shared/data/sarif/NOTICE.md"
  if [ -f "$dest/NOTICE.md" ] && grep -q '^<!-- sbom-schemas: begin' "$dest/NOTICE.md"; then
    echo
    sed -n '/^<!-- sbom-schemas: begin/,/^<!-- sbom-schemas: end -->/p' "$dest/NOTICE.md"
  fi
} > "$dest/NOTICE.md.new"
mv "$dest/NOTICE.md.new" "$dest/NOTICE.md"

# AWS managed policy documents (iam-dataset, MIT), embedded by the
# CloudFormation/SAM loader to resolve managed policy ARNs.
dest=crates/faasguard_loaders/data
mkdir -p "$dest"
install -m 0644 "$shared/data/iam/aws-managed-policies.json" "$dest/aws-managed-policies.json"
install -m 0644 "$shared/data/iam/NOTICE.md" "$dest/aws-managed-policies.NOTICE.md"
install -m 0644 "$shared/data/iam/LICENSE-iam-dataset" "$dest/LICENSE-iam-dataset"
