//! Any text through the TMX reader: an error or documents, never a panic.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((docs, _diags)) = termalign::export::tmx::read_str(&text, Path::new("fuzz.tmx")) {
        for d in &docs {
            for b in &d.alignment.beads {
                assert!(b.ar.iter().all(|&i| i < d.ar.len()));
                assert!(b.en.iter().all(|&i| i < d.en.len()));
            }
        }
    }
});
