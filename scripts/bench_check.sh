#!/bin/sh
# Throughput of `termalign check`: N bead pairs (default 100,000; real UDHR
# text, repeated) against glossaries of 2,000 and 50,000 concepts. Reports
# glossary load time (CSV parse), matcher build time, check time, beads/s and
# segments/s (two segments per bead). Release build.
#   scripts/bench_check.sh [BEADS] [CONCEPTS...]
set -eu
cd "$(dirname "$0")/.."
cargo run --release --quiet --example bench_check -- "$@"
