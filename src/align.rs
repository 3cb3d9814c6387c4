//! Alignment of Arabic and English segments.
//!
//! PLACEHOLDER (skeleton): a diagonal pairing. The alignment issue replaces
//! this with the real aligner.

use crate::model::{Alignment, Bead, Segment};

/// Options for the aligner.
#[derive(Debug, Clone, Default)]
pub struct AlignOptions {
    /// Bilingual dictionary pairs (English key, Arabic key) used as lexical
    /// evidence, e.g. from a glossary.
    pub dictionary: Vec<(String, String)>,
}

/// Align two segment lists.
pub fn align(ar: &[Segment], en: &[Segment], _opts: &AlignOptions) -> Alignment {
    let n = ar.len().max(en.len());
    let beads = (0..n)
        .map(|i| Bead {
            ar: if i < ar.len() { vec![i] } else { vec![] },
            en: if i < en.len() { vec![i] } else { vec![] },
            score: 0.5,
        })
        .collect();
    Alignment {
        beads,
        warnings: Vec::new(),
    }
}

/// Align sentences inside each aligned paragraph pair. Returns the
/// sentence-level segments of both sides (with `parent` set to the paragraph
/// index) and the sentence alignment over them.
/// PLACEHOLDER (skeleton): returns the paragraph alignment unchanged.
pub fn align_sentences(
    ar: &[Segment],
    en: &[Segment],
    paragraphs: &Alignment,
    _opts: &AlignOptions,
) -> (Vec<Segment>, Vec<Segment>, Alignment) {
    (ar.to_vec(), en.to_vec(), paragraphs.clone())
}
