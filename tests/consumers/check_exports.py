#!/usr/bin/env python3
"""Independent consumers of termalign's exports, run by the integration tests
(tests/integration/export.rs) when python3 and Translate Toolkit are present.

    check_exports.py probe                      exit 0 if translate-toolkit imports
    check_exports.py tmx FILE EN_CODE AR_CODE   TMX read by translate.storage.tmx
    check_exports.py csv FILE comma|tab         CSV read by Python's csv module
    check_exports.py jsonl FILE                 JSON Lines read by Python's json module
    check_exports.py tbx V2FILE V3FILE          TBX v2 read by translate.storage.tbx;
                                                TBX v3 (ISO 30042:2019) read by ElementTree

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


def read_tbx(v2_path, v3_path):
    """Translate Toolkit reads TBX v2 (martif) only: its units give each
    concept's first English and first Arabic term. The v3 file is read with
    ElementTree, independently of termalign's reader."""
    from translate.storage.tbx import tbxfile
    import xml.etree.ElementTree as ET

    with open(v2_path, "rb") as f:
        store = tbxfile(f, sourcelanguage="en", targetlanguage="ar")
    v2 = [{"en": u.source, "ar": u.target} for u in store.units]

    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.parse(v3_path).getroot()
    v3 = []
    for entry in root.iterfind(".//t:conceptEntry", ns):
        concept = {"id": entry.get("id")}
        for lang_sec in entry.iterfind("t:langSec", ns):
            terms = []
            for term_sec in lang_sec.iterfind("t:termSec", ns):
                status = term_sec.find("t:termNote[@type='administrativeStatus']", ns)
                terms.append([term_sec.find("t:term", ns).text, status.text if status is not None else None])
            concept[lang_sec.get(xml_lang)] = terms
        v3.append(concept)
    print(json.dumps({"root": root.tag, "v2": v2, "v3": v3}, ensure_ascii=False))


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
    elif len(argv) == 4 and argv[1] == "tbx":
        read_tbx(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "csv":
        read_csv(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
