#!/usr/bin/env bash
# Wall time and peak memory of `faasguard scan` over the shared corpus, and
# how they scale when the input is copied 2x and 4x.
# Usage: bench/corpus.sh [CORPUS_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/serverless-patterns}
runs=${2:-10}
cargo build --release -p faasguard >/dev/null 2>&1
bin=target/release/faasguard

measure() { # dir -> prints "median_ms peak_rss_mb"
  local dir=$1 times=() peak=0
  for _ in $(seq "$runs"); do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$bin" scan "$dir" --format json --fail-on none >/dev/null; } 2>&1 | tail -n 1)
    times+=("$(echo "$out" | awk '{print $1 * 1000}')")
    local rss; rss=$(echo "$out" | awk '{print $2}')
    (( rss > peak )) && peak=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $((peak / 1024))"
}

files=$(find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.tf' \) | wc -l)
bytes=$(find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.tf' \) -print0 | du -cb --files0-from=- | tail -n 1 | cut -f1)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "corpus: $files IaC files, $bytes bytes; $runs runs each, median wall time, peak RSS"
read -r ms mb < <(measure "$corpus")
echo "1x: ${ms} ms, ${mb} MB"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for n in 2 4; do
  for i in $(seq "$n"); do cp -r "$corpus" "$tmp/copy$i"; done
  read -r ms mb < <(measure "$tmp")
  echo "${n}x: ${ms} ms, ${mb} MB"
done
