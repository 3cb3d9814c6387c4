#!/usr/bin/env bash
# Short fuzz run of every cargo-fuzz target (SECONDS_EACH, default 20 s each).
# Used by .ci/run as a smoke test; run with a larger value for a long run:
#   SECONDS_EACH=600 scripts/fuzz_smoke.sh
# Needs cargo-fuzz (cargo install cargo-fuzz) and a nightly toolchain, or
# the stable one with RUSTC_BOOTSTRAP=1 (used when nightly is missing).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${SECONDS_EACH:-20}
if cargo +nightly --version >/dev/null 2>&1; then
  tc=(+nightly)
  san=()
else
  # No nightly: the stable compiler accepts libFuzzer's -Z flags with
  # RUSTC_BOOTSTRAP; without the sanitizer runtime, run uninstrumented by ASan
  # (panics and aborts are still caught).
  tc=()
  san=(--sanitizer none)
  export RUSTC_BOOTSTRAP=1
fi
for t in read_segment tmx_reader glossary_readers; do
  mkdir -p corpus/$t
  case $t in
    read_segment) cp -n ../corpora/*.txt corpus/$t/ 2>/dev/null || true ;;
    glossary_readers) cp -n ../glossaries/*.csv corpus/$t/ 2>/dev/null || true ;;
  esac
  echo "== fuzz $t for ${secs}s"
  log=$(mktemp)
  if ! cargo "${tc[@]}" fuzz run "${san[@]}" "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz target $t failed (crash inputs, if any, in fuzz/artifacts/$t)"
    exit 1
  fi
  grep -E "^Done [0-9]+ runs" "$log" || tail -3 "$log"
  rm -f "$log"
done
echo "fuzz smoke: no crash"
