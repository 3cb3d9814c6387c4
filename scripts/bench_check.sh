#!/bin/sh
# Throughput of `termalign check` against glossaries of 2,000 and 50,000
# concepts (release build).
#
# 1. examples/bench_check.rs: N bead pairs (default 100,000; real UDHR
#    text, repeated, one bead in three with a glossary term inserted),
#    already aligned, checked in-process. Reports glossary load time (CSV
#    parse + dedupe), matcher build time, check time, beads/s, segments/s.
# 2. The real CLI, `termalign check --corpus` (reading, alignment with the
#    glossary as dictionary, all checks), on the first BENCH_CHECK_DOCS
#    documents of the same text (default 10 x 1,000 paragraph pairs) with
#    each glossary: wall and CPU (user+sys) seconds, best of 3 by wall.
#   scripts/bench_check.sh [BEADS] [CONCEPTS...]
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet --example bench_check --bin termalign
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
BENCH_CHECK_DIR="$dir" target/release/examples/bench_check "$@"
echo
echo "termalign check --corpus ($(ls "$dir"/corpus/*.ar.txt | wc -l) documents, best of 3 by wall)"
printf 'concepts\twall_s\tcpu_s\tpeak_rss_mb\tfindings\n'
for g in "$dir"/g*.csv; do
    n=$(basename "$g" .csv | tr -d g)
    best=""
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
            target/release/termalign check --corpus "$dir/corpus" -g "$g" \
            -o "$dir/out.jsonl" 2>/dev/null || true
        set -- $(cat "$dir/time" | tail -1)
        line=$(printf '%s\t%s\t%.2f\t%.0f' "$n" "$1" "$(echo "$2 + $3" | bc)" "$(echo "$4 / 1024" | bc)")
        if [ -z "$best" ] || [ "$(echo "$1 < $bw" | bc)" = 1 ]; then best=$line; bw=$1; fi
    done
    printf '%s\t%s\n' "$best" "$(wc -l < "$dir/out.jsonl")"
done
