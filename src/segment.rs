//! Segmentation: text to typed segments.
//!
//! PLACEHOLDER (skeleton): blank-line paragraphs only. The foundation issue
//! replaces this with UN numbering, headings, metadata, page-break repair
//! and sentence splitting.

use crate::model::{Lang, SegKind, Segment};

/// Segmentation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// One segment per paragraph.
    #[default]
    Paragraph,
    /// Paragraphs split into sentences.
    Sentence,
}

/// Segment a document's text.
pub fn segment_text(text: &str, _lang: Lang, _level: Level) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start_line = 1;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(make(out.len(), std::mem::take(&mut cur), start_line));
            }
            continue;
        }
        if cur.is_empty() {
            start_line = i + 1;
        } else {
            cur.push(' ');
        }
        cur.push_str(line.trim());
    }
    if !cur.is_empty() {
        out.push(make(out.len(), cur, start_line));
    }
    out
}

fn make(index: usize, text: String, line: usize) -> Segment {
    Segment {
        index,
        kind: SegKind::Paragraph,
        number: None,
        text,
        line: Some(line),
        parent: None,
    }
}

/// Every line is one segment (blank lines included), as hunalign and
/// vecalign take their input: indices are 0-based line numbers.
pub fn segment_lines(text: &str) -> Vec<Segment> {
    text.lines()
        .enumerate()
        .map(|(i, l)| make(i, l.trim_end_matches('\r').to_string(), i + 1))
        .collect()
}

/// Split a paragraph into sentences; returns byte ranges of `text`.
/// PLACEHOLDER (skeleton): splits after `.`, `!`, `?`, `؟` followed by a space.
pub fn split_sentences(text: &str, _lang: Lang) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | '؟') {
            let e = i + c.len_utf8();
            if e < b.len() && b[e] == b' ' {
                out.push(start..e);
                start = e + 1;
            }
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}
