//! Any bytes through the reader (encoding detection) and, when they decode,
//! the segmenter at both levels and the sentence splitter: no panic, and the
//! segment invariants hold.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use termalign::model::Lang;
use termalign::read::{decode, Encoding};
use termalign::segment::{segment_lines, segment_text, split_sentences, Level};

fuzz_target!(|data: &[u8]| {
    let Ok(dec) = decode(data, Path::new("fuzz.txt"), Encoding::Auto) else {
        return;
    };
    for lang in [Lang::Ar, Lang::En] {
        for level in [Level::Paragraph, Level::Sentence] {
            let segs = segment_text(&dec.text, lang, level);
            for (i, s) in segs.iter().enumerate() {
                assert_eq!(s.index, i, "indices are 0-based and consecutive");
                assert!(!s.text.trim().is_empty(), "no empty segment");
            }
        }
        for r in split_sentences(&dec.text, lang) {
            assert!(dec.text.is_char_boundary(r.start) && dec.text.is_char_boundary(r.end));
        }
    }
    let lines = segment_lines(&dec.text);
    assert_eq!(lines.len(), dec.text.lines().count());
});
