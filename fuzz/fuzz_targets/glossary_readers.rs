//! Any text through the CSV, TSV and TBX glossary readers, lenient and
//! strict: an error or a glossary, never a panic.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use termalign::glossary::{read_csv, read_tbx};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for strict in [false, true] {
        let _ = read_csv(&text, Path::new("fuzz.csv"), b',', strict);
        let _ = read_csv(&text, Path::new("fuzz.tsv"), b'\t', strict);
        let _ = read_tbx(&text, Path::new("fuzz.tbx"), strict);
    }
});
