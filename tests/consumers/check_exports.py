#!/usr/bin/env python3
"""Independent consumers of termalign's exports, run by the integration tests
(tests/integration/export.rs) when python3 and Translate Toolkit are present.

    check_exports.py probe                      exit 0 if translate-toolkit imports
    check_exports.py tmx FILE EN_CODE AR_CODE   TMX read by translate.storage.tmx
    check_exports.py csv FILE comma|tab         CSV read by Python's csv module
    check_exports.py jsonl FILE                 JSON Lines read by Python's json module

Each reading command prints one JSON document on stdout; the Rust test
compares it with what termalign wrote. Nothing here knows what the file
should contain.
"""
import csv
import json
import sys


def probe():
    import translate.storage.tmx  # noqa: F401
    import translate.storage.tbx  # noqa: F401
    print(json.dumps({"translate": __import__("translate.__version__").__version__.sver}))


def read_tmx(path, en_code, ar_code):
    from translate.storage.tmx import tmxfile

    with open(path, "rb") as f:
        store = tmxfile(f, sourcelanguage=en_code, targetlanguage=ar_code)
    units = []
    for unit in store.units:
        def text(code):
            node = unit.getlanguageNode(lang=code)
            return unit.getNodeText(node) if node is not None else None

        units.append(
            {
                "id": unit.getid(),
                "en": text(en_code),
                "ar": text(ar_code),
                "source": unit.source,
                "notes": unit.getnotes(),
            }
        )
    header = store.document.getroot().find(store.namespaced("header"))
    print(
        json.dumps(
            {
                "srclang": store.sourcelanguage,
                "header": dict(header.attrib) if header is not None else {},
                "units": units,
            },
            ensure_ascii=False,
        )
    )


def read_csv(path, delimiter):
    delim = "\t" if delimiter == "tab" else ","
    with open(path, "rb") as f:
        raw = f.read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    import io

    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    print(json.dumps({"bom": bom, "rows": rows}, ensure_ascii=False))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    print(json.dumps(rows, ensure_ascii=False))


def main(argv):
    if len(argv) >= 2 and argv[1] == "probe":
        probe()
    elif len(argv) == 5 and argv[1] == "tmx":
        read_tmx(argv[2], argv[3], argv[4])
    elif len(argv) == 3 and argv[1] == "jsonl":
        read_jsonl(argv[2])
    elif len(argv) == 4 and argv[1] == "csv":
        read_csv(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
