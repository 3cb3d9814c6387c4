//! Typed values passed between pipeline stages.
//!
//! Every stage (read/segment → normalise → align → terms → checks → export)
//! takes and returns these types; no stage touches files except the readers
//! at the start and the exporters at the end.

use serde::{Deserialize, Serialize};

/// The two languages of a document pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Arabic (the translation).
    Ar,
    /// English (the original).
    En,
}

impl Lang {
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }
}

/// What a segment is in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SegKind {
    /// Header/footer furniture: distribution line, dates, symbols, job numbers.
    Meta,
    /// A title or section heading.
    Heading,
    /// Body text: a paragraph (or, at sentence level, a sentence of one).
    Paragraph,
    /// A footnote at the foot of a page (after a `____` rule, opening with
    /// its marker `1`, `(1)`, `1/`, `*`, `¹`): furniture between the halves of
    /// a paragraph a page break cut, but text to translate.
    Footnote,
}

/// One segment of a document, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// 0-based position in the document's segment list.
    pub index: usize,
    /// Meta, heading or paragraph.
    pub kind: SegKind,
    /// UN paragraph number as ASCII digits ("5"), if the segment carries one.
    pub number: Option<String>,
    /// Displayed text, exactly as in the source except that line wraps are
    /// joined with one space. Never normalised.
    pub text: String,
    /// 1-based line in the source file where the segment starts.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    /// For sentence-level segments: index of the paragraph it came from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent: Option<usize>,
}

impl Segment {
    /// A body paragraph with no number and no source line.
    pub fn paragraph(index: usize, text: impl Into<String>) -> Self {
        Segment {
            index,
            kind: SegKind::Paragraph,
            number: None,
            text: text.into(),
            line: None,
            parent: None,
        }
    }
}

/// One alignment bead: a run of Arabic segments paired with a run of English
/// segments. Either side may be empty (1–0 / 0–1 beads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bead {
    /// 0-based indices of the Arabic segments, consecutive and increasing.
    pub ar: Vec<usize>,
    /// 0-based indices of the English segments, consecutive and increasing.
    pub en: Vec<usize>,
    /// Confidence in 0..=1.
    pub score: f64,
}

/// The alignment of one document pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    /// Beads in document order; together they cover every segment of both
    /// sides exactly once and never cross.
    pub beads: Vec<Bead>,
    /// Human-readable warnings (e.g. sides look swapped or unrelated).
    pub warnings: Vec<String>,
}

/// A document (one language side) after reading and segmenting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Document name (the file stem without `.ar.txt`/`.en.txt`).
    pub name: String,
    /// Language of this side.
    pub lang: Lang,
    /// Segments in document order.
    pub segments: Vec<Segment>,
}

/// An aligned document pair: the unit every downstream stage works on.
/// For an Arabic-only document, `en` is empty and every bead is 1–0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignedDoc {
    /// Document name.
    pub name: String,
    /// Arabic segments.
    pub ar: Vec<Segment>,
    /// English segments (empty for an Arabic-only document).
    pub en: Vec<Segment>,
    /// The alignment.
    pub alignment: Alignment,
}

impl AlignedDoc {
    /// A document whose (Arabic, English) paragraph pairs are aligned 1–1
    /// with full confidence, e.g. the units of a translation memory.
    pub fn one_to_one(name: impl Into<String>, pairs: &[(&str, &str)]) -> Self {
        AlignedDoc {
            name: name.into(),
            ar: pairs
                .iter()
                .enumerate()
                .map(|(i, p)| Segment::paragraph(i, p.0))
                .collect(),
            en: pairs
                .iter()
                .enumerate()
                .map(|(i, p)| Segment::paragraph(i, p.1))
                .collect(),
            alignment: Alignment {
                beads: (0..pairs.len())
                    .map(|i| Bead {
                        ar: vec![i],
                        en: vec![i],
                        score: 1.0,
                    })
                    .collect(),
                warnings: Vec::new(),
            },
        }
    }

    /// Displayed Arabic text of a bead (segments joined by one space).
    pub fn ar_text(&self, bead: &Bead) -> String {
        join_text(&self.ar, &bead.ar)
    }
    /// Displayed English text of a bead (segments joined by one space).
    pub fn en_text(&self, bead: &Bead) -> String {
        join_text(&self.en, &bead.en)
    }
}

fn join_text(segs: &[Segment], idx: &[usize]) -> String {
    let mut out = String::new();
    for &i in idx {
        if let Some(s) = segs.get(i) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s.text);
        }
    }
    out
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not change the exit code.
    Warning,
    /// A real problem; `check` exits 1 when any remains.
    Error,
}

/// One problem found by the checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Check name, e.g. `term-missing`, `numbers`.
    pub check: String,
    /// Error or warning.
    pub severity: Severity,
    /// Document name.
    pub doc: String,
    /// 0-based bead index in the document's alignment.
    pub bead: usize,
    /// Arabic segment indices of the bead.
    pub ar: Vec<usize>,
    /// English segment indices of the bead.
    pub en: Vec<usize>,
    /// Glossary term (English) concerned, or empty.
    pub term: String,
    /// What was expected (approved renderings, the number…).
    pub expected: String,
    /// What was found instead.
    pub found: String,
    /// One-line human message.
    pub message: String,
    /// Arabic excerpt (displayed text, unaltered).
    pub ar_excerpt: String,
    /// English excerpt.
    pub en_excerpt: String,
}

impl Finding {
    /// Stable identity used by `--accept` files: check, doc, bead, term, found.
    pub fn key(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.check, self.doc, self.bead, self.term, self.found
        )
    }
}
