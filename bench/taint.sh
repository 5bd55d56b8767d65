#!/usr/bin/env bash
# Event-data taint: lines of handler code analysed per second (parsing
# included) on 2 threads and 1, over a generated SAM app of 400 functions
# (Python, JavaScript CommonJS and ESM, TypeScript) with event reads,
# helpers, sanitizers and sinks, with where the time goes and the peak
# memory.
# Usage: bench/taint.sh [FUNCTIONS] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
FG_BENCH_FUNCTIONS=${1:-400} FG_BENCH_ITERATIONS=${2:-5} \
  cargo bench -q -p faasguard_taint --bench taint
