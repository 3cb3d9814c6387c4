//! Any text through the CSV, TSV and TBX glossary readers, lenient and
//! strict: an error or a glossary, never a panic. A glossary read is then
//! deduplicated (as `glossary::load` does) and written back as CSV and TBX.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use termalign::glossary::{read_csv, read_tbx, write_csv, write_tbx};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for strict in [false, true] {
        let results = [
            read_csv(&text, Path::new("fuzz.csv"), b',', strict),
            read_csv(&text, Path::new("fuzz.tsv"), b'\t', strict),
            read_tbx(&text, Path::new("fuzz.tbx"), strict),
        ];
        for (mut g, _) in results.into_iter().flatten() {
            let before = g.concepts.len();
            let merged = g.dedupe();
            assert_eq!(g.concepts.len() + merged.len(), before);
            let mut out = Vec::new();
            write_csv(&mut out, &g).expect("write to memory");
            write_tbx(&mut out, &g).expect("write to memory");
        }
    }
});
