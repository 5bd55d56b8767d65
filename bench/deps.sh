#!/usr/bin/env bash
# Advisory matching at the scale of today's OSV npm and PyPI exports: a
# 10,000-package lockfile against 300,000 generated advisories (malicious-
# package entries included), first held in memory (`MemoryIndex`, as the
# embedded snapshot is), then through the SQLite database `faasguard db
# update` builds, with the import, load, matching time (bar: under 1 s
# once loaded) and peak memory of each, apart.
# Usage: bench/deps.sh [ADVISORIES] [PACKAGES] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
export FG_BENCH_ADVISORIES=${1:-300000} FG_BENCH_PACKAGES=${2:-10000} FG_BENCH_ITERATIONS=${3:-5}
cargo bench -q -p faasguard_osv --bench match
echo
cargo bench -q -p faasguard_advisory_db --bench match
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
