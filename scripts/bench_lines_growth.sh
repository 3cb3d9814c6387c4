#!/usr/bin/env bash
# How time and peak memory of `termalign align --input lines` grow with the
# input, on the hadith speed sets of scripts/bench_align.py (scale-N: about
# N lines a side of short real records repeated and damaged; 1M lines is
# ~657 MB of text). Missing sets are generated with bench_align.py's own
# generator (same seed, so the same files as its benchmark; the hadith
# package is fetched at run time, never committed).
#
# Usage: scripts/bench_lines_growth.sh [-r RUNS] [-c OTHER_BINARY] [N ...]
#   N         lines a side (default: 10000 100000 1000000)
#   -r RUNS   runs per size, the fastest (CPU) kept (default 3; 1 at 1M)
#   -c BIN    also run BIN (e.g. an older build) and check both outputs
#             are byte-identical
# Data: $TERMALIGN_BENCH_DATA (default /work/peers/data)/sets/scale-N.
# Prints wall seconds, CPU seconds (user + system) and peak RSS (MB) from
# GNU time. On a shared machine wall time follows the load; CPU much less.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
other=""
while getopts "r:c:" opt; do
  case $opt in
    r) runs=$OPTARG ;;
    c) other=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
data=${TERMALIGN_BENCH_DATA:-/work/peers/data}
cargo build --release --quiet
bin=./target/release/termalign
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen() { # N: write $data/sets/scale-N/{ar,en}.txt if missing
  python3 - "$1" "$data" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "scripts")
import bench_align as b
n, data = int(sys.argv[1]), Path(sys.argv[2])
d = data / "sets" / f"scale-{n}"
if not ((d / "ar.txt").exists() and (d / "en.txt").exists()):
    recs = b.load_hadith(data)
    b.scale_set(recs, data / "sets", n, b.SEED, b.Damage(), 600)
PY
}

one() { # BIN DIR OUT: prints "wall cpu rss_mb"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$1" align --input lines \
    "$2/ar.txt" "$2/en.txt" -o "$3"
  awk '{printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$work/time"
}

best() { # BIN DIR OUT K: the run with the least CPU of K
  local k=$4 b=""
  for _ in $(seq "$k"); do
    r=$(one "$1" "$2" "$3")
    if [ -z "$b" ] || awk -v a="$r" -v b="$b" 'BEGIN {split(a, x); split(b, y); exit !(x[2] < y[2])}'; then
      b=$r
    fi
  done
  echo "$b"
}

printf '%-9s %-8s %8s %8s %8s %9s\n' lines binary wall_s cpu_s rss_mb beads
for n in "${sizes[@]}"; do
  gen "$n"
  dir=$data/sets/scale-$n
  k=$runs
  [ "$n" -ge 1000000 ] && [ "$runs" -gt 1 ] && k=1
  read -r w c m <<<"$(best "$bin" "$dir" "$work/new.jsonl" "$k")"
  printf '%-9s %-8s %8s %8s %8s %9s\n' "$n" this "$w" "$c" "$m" "$(wc -l <"$work/new.jsonl")"
  if [ -n "$other" ]; then
    read -r w c m <<<"$(best "$other" "$dir" "$work/old.jsonl" "$k")"
    same=$(cmp -s "$work/new.jsonl" "$work/old.jsonl" && echo identical || echo DIFFERENT)
    printf '%-9s %-8s %8s %8s %8s %9s\n' "$n" other "$w" "$c" "$m" "$same"
  fi
  rm -f "$work"/*.jsonl
done
