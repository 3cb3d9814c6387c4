#!/usr/bin/env bash
# Segmentation throughput of `termalign segment` (release build).
#
# Input: the seed document (corpora/un-a-61-trafficking-women-girls-2007.ar.txt)
# repeated to about SIZE_MB megabytes (default 100), generated into
# bench-data/ (gitignored), plus copies of that file in UTF-16LE and
# windows-1256 and a single-line variant (no newline at all). Each
# configuration runs RUNS times (default 3); the table gives the median
# wall time and MB/s on it (input bytes / wall time, 1 MB = 10^6 bytes),
# the median CPU time (user + sys) and MB/s on that (the figure to trust on a
# shared, loaded machine), and the peak resident memory. Output goes to
# /dev/null through stdout.
#
# Usage: scripts/bench_segment.sh [SIZE_MB] [RUNS]
# Writes the table to stdout and to bench-data/bench_segment.md.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MB=${1:-100}
RUNS=${2:-3}
DATA=bench-data
SEED=corpora/un-a-61-trafficking-women-girls-2007.ar.txt
mkdir -p "$DATA"

cargo build --release --quiet
BIN=target/release/termalign

big="$DATA/seed-${SIZE_MB}mb.txt"
if [[ ! -s "$big" ]]; then
  python3 - "$SEED" "$big" "$SIZE_MB" <<'EOF'
import sys
seed, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(seed, 'rb').read()
n = max(1, (mb * 10**6) // len(data))
with open(out, 'wb') as f:
    for _ in range(n):
        f.write(data)
        f.write(b'\n')
EOF
fi
utf16="$DATA/seed-${SIZE_MB}mb.utf16le.txt"
cp1256="$DATA/seed-${SIZE_MB}mb.cp1256.txt"
oneline="$DATA/seed-${SIZE_MB}mb.oneline.txt"
if [[ ! -s "$utf16" || ! -s "$cp1256" || ! -s "$oneline" ]]; then
  python3 - "$big" "$utf16" "$cp1256" "$oneline" <<'EOF'
import sys
src, u16, cp, one = sys.argv[1:5]
text = open(src, encoding='utf-8').read()
open(u16, 'wb').write(b'\xff\xfe' + text.encode('utf-16-le'))
# windows-1256 has no Arabic-Indic digits: legacy files carry ASCII digits.
ascii_digits = text.translate({0x660 + i: 0x30 + i for i in range(10)})
open(cp, 'wb').write(ascii_digits.encode('cp1256'))
open(one, 'w', encoding='utf-8').write(' '.join(text.split()))
EOF
fi

# name | file | args
configs=(
  "paragraph, jsonl, UTF-8|$big|"
  "paragraph, tsv, UTF-8|$big|--format tsv"
  "sentence, jsonl, UTF-8|$big|--level sentence"
  "paragraph, jsonl, UTF-16LE|$utf16|"
  "paragraph, jsonl, windows-1256 (detected)|$cp1256|"
  "paragraph, jsonl, one line, no newline|$oneline|"
  "sentence, jsonl, one line, no newline|$oneline|--level sentence"
)

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

out="$DATA/bench_segment.md"
{
  echo "Segmentation throughput, \`termalign segment\` (release), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo "Input: the seed repeated to ~${SIZE_MB} MB; median of ${RUNS} runs; output to /dev/null."
  echo
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| configuration | input MB | segments | wall s | MB/s (wall) | CPU s | MB/s (CPU) | peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} > "$out"

for c in "${configs[@]}"; do
  IFS='|' read -r name file args <<<"$c"
  bytes=$(stat -c %s "$file")
  times=()
  cpus=()
  rss=0
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %U %S %M' -o "$DATA/time.txt" "$BIN" segment "$file" $args >/dev/null 2>"$DATA/stderr.txt"
    read -r t u sy m <"$DATA/time.txt"
    times+=("$t")
    cpus+=("$(awk -v u="$u" -v s="$sy" 'BEGIN {print u + s}')")
    (( m > rss )) && rss=$m
  done
  # shellcheck disable=SC2086
  segs=$("$BIN" segment "$file" $args 2>/dev/null | wc -l)
  t=$(printf '%s\n' "${times[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  awk -v n="$name" -v b="$bytes" -v s="$segs" -v t="$t" -v c="$cpu" -v r="$rss" 'BEGIN {
    mb = b / 1e6; tt = (t > 0 ? t : 0.01); cc = (c > 0 ? c : 0.01);
    printf "| %s | %.1f | %d | %.2f | %.1f | %.2f | %.1f | %.0f |\n", n, mb, s, t, mb / tt, c, mb / cc, r / 1024 }' >> "$out"
done
cat "$out"
