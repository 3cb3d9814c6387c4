#!/usr/bin/env bash
# Speed and memory of `termalign align --input lines` on N lines per side.
# The text is the bundled UDHR pair (one paragraph per line, blank lines
# between, as in the files) repeated until N lines; every 7th copy drops
# one Arabic paragraph so that the path is not a pure diagonal.
# Usage: scripts/align_speed.sh [N ...]   (default: 10000 100000 1000000)
# Needs: cargo, python3, /usr/bin/time (GNU). Prints wall seconds, CPU
# seconds (user + system) and peak RSS. On a shared machine the wall time
# depends on the load; the CPU time much less.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
printf '%-10s %10s %10s %12s %10s\n' lines wall_s cpu_s peak_rss_mb beads
for n in "${sizes[@]}"; do
  python3 - "$n" "$work" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
ar = open('corpora/udhr.ar.txt', encoding='utf-8').read().split('\n')
en = open('corpora/udhr.en.txt', encoding='utf-8').read().split('\n')
def fill(lines, drop):
    out, k = [], 0
    while len(out) < n:
        for i, l in enumerate(lines):
            if drop and k % 7 == 3 and i == 40:
                continue
            out.append(l)
        k += 1
    return out[:n]
open(f'{work}/a.txt', 'w', encoding='utf-8').write('\n'.join(fill(ar, True)) + '\n')
open(f'{work}/e.txt', 'w', encoding='utf-8').write('\n'.join(fill(en, False)) + '\n')
PY
  /usr/bin/time -v -o "$work/time" ./target/release/termalign align --input lines \
      "$work/a.txt" "$work/e.txt" -o "$work/out.jsonl"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$work/time")
  secs=$(python3 -c "import sys; p=sys.argv[1].split(':'); print(round(sum(float(x)*60**i for i,x in enumerate(reversed(p))),2))" "$wall")
  printf '%-10s %10s %10s %12s %10s\n' "$n" "$secs" "$cpu" "$rss" "$(wc -l < "$work/out.jsonl")"
done
