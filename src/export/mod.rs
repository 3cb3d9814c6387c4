//! Writers for everything termalign exports: aligned CSV, TMX, findings
//! (CSV, JSON Lines), HTML report. Every writer escapes for its format.
//!
//! Writers take a `&mut dyn Write` and return `std::io::Result`, so the CLI
//! can hand them a file written atomically or standard output. Output is a
//! pure function of the input values and options: no clock, no environment,
//! no hash-map order (the TMX creation date is an option).
//!
//! - [`csv`]: aligned segments as a TMX-style CSV for CAT tools and Excel;
//! - [`tmx`]: TMX 1.4b writer and reader;
//! - [`findings`]: findings as CSV and JSON Lines;
//! - [`html`]: the self-contained HTML review report;
//! - [`write_aligned_jsonl`]: aligned segments as JSON Lines.

use std::borrow::Cow;
use std::io::Write;

use crate::model::{AlignedDoc, Lang};

pub mod csv;
pub mod findings;
pub mod html;
pub mod tmx;

/// Language codes written into exports (`en`/`ar` by default; some CAT tools
/// match locales strictly and want `en-US`, `ar-SA`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangCodes {
    /// Code for the English side.
    pub en: String,
    /// Code for the Arabic side.
    pub ar: String,
}

impl Default for LangCodes {
    fn default() -> Self {
        LangCodes {
            en: "en".into(),
            ar: "ar".into(),
        }
    }
}

impl LangCodes {
    /// Parse `"en-US,ar"` (either order): each code is assigned to its side
    /// by its prefix (`en*`, `ar*`, case-insensitive). Exactly one code per
    /// side is required.
    pub fn parse(s: &str) -> crate::Result<Self> {
        let mut en = None;
        let mut ar = None;
        for code in s.split(',').map(str::trim) {
            let side = lang_of_code(code).ok_or_else(|| {
                crate::Error::Invalid(format!(
                    "language code {code:?}: expected a code starting with `en` or `ar`"
                ))
            })?;
            if !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(crate::Error::Invalid(format!(
                    "language code {code:?}: only letters, digits, `-` and `_` allowed"
                )));
            }
            let slot = match side {
                Lang::En => &mut en,
                Lang::Ar => &mut ar,
            };
            if slot.replace(code.to_string()).is_some() {
                return Err(crate::Error::Invalid(format!(
                    "language codes {s:?}: two codes for the same language"
                )));
            }
        }
        match (en, ar) {
            (Some(en), Some(ar)) => Ok(LangCodes { en, ar }),
            _ => Err(crate::Error::Invalid(format!(
                "language codes {s:?}: need one English and one Arabic code, e.g. `en-US,ar`"
            ))),
        }
    }

    /// The code for one side.
    pub fn code(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }
}

/// Which side a language code names, by prefix: `ar`, `ar-SA`, `AR` → Arabic;
/// `en`, `en-US`, `en_GB` → English; anything else → None.
pub fn lang_of_code(code: &str) -> Option<Lang> {
    let c = code.trim().to_ascii_lowercase();
    let base = c.split(['-', '_']).next().unwrap_or("");
    match base {
        "ar" | "ara" => Some(Lang::Ar),
        "en" | "eng" => Some(Lang::En),
        _ => None,
    }
}

/// A bead's segment indices as a cell: `3`, `3-4` for a run, empty for none.
pub fn index_cell(idx: &[usize]) -> String {
    match idx {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}-{last}"),
    }
}

/// A score rounded to three decimals, as text (`0.912`).
pub fn score_cell(score: f64) -> String {
    if score.is_finite() {
        format!("{score:.3}")
    } else {
        String::new()
    }
}

/// Aligned segments as JSON Lines, one object per bead: `doc`, `ar`, `en`
/// (segment indices), `score` (3 decimals), `ar_text`, `en_text` — the format
/// of `termalign align --format jsonl`.
pub fn write_aligned_jsonl(w: &mut dyn Write, docs: &[AlignedDoc]) -> std::io::Result<()> {
    for doc in docs {
        for b in &doc.alignment.beads {
            let (at, et) = (doc.ar_text(b), doc.en_text(b));
            write_bead_jsonl(w, &doc.name, &b.ar, &b.en, b.score, &at, &et)?;
        }
    }
    Ok(())
}

/// One record of [`write_aligned_jsonl`]: a bead of document `doc` with
/// its indices, score and joined texts.
pub fn write_bead_jsonl(
    w: &mut dyn Write,
    doc: &str,
    ar: &[usize],
    en: &[usize],
    score: f64,
    ar_text: &str,
    en_text: &str,
) -> std::io::Result<()> {
    /// The record's fields in the order a `serde_json::Value` object
    /// writes them (sorted), serialised without building one.
    #[derive(serde::Serialize)]
    struct Record<'a> {
        ar: &'a [usize],
        ar_text: &'a str,
        doc: &'a str,
        en: &'a [usize],
        en_text: &'a str,
        score: f64,
    }
    let rec = Record {
        ar,
        ar_text,
        doc,
        en,
        en_text,
        score: (score * 1000.0).round() / 1000.0,
    };
    serde_json::to_writer(&mut *w, &rec)?;
    w.write_all(b"\n")
}

/// Tab-separated aligned beads, one line per bead: Arabic indices, English
/// indices (comma-joined), score, Arabic text, English text (tabs and line
/// breaks inside a text become spaces).
pub fn write_aligned_tsv(w: &mut dyn Write, docs: &[AlignedDoc]) -> std::io::Result<()> {
    for doc in docs {
        for b in &doc.alignment.beads {
            let (at, et) = (doc.ar_text(b), doc.en_text(b));
            write_bead_tsv(w, &b.ar, &b.en, b.score, &at, &et)?;
        }
    }
    Ok(())
}

/// One line of [`write_aligned_tsv`].
pub fn write_bead_tsv(
    w: &mut dyn Write,
    ar: &[usize],
    en: &[usize],
    score: f64,
    ar_text: &str,
    en_text: &str,
) -> std::io::Result<()> {
    let join = |idx: &[usize]| {
        idx.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let cell = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    writeln!(
        w,
        "{}\t{}\t{:.3}\t{}\t{}",
        join(ar),
        join(en),
        (score * 1000.0).round() / 1000.0,
        cell(ar_text),
        cell(en_text)
    )
}

/// Neutralise a CSV cell that a spreadsheet would read as a formula: a cell
/// beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
/// apostrophe (the OWASP rule). Everything else is returned unchanged.
pub fn csv_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Remove characters XML 1.0 forbids (C0 controls other than tab, LF, CR;
/// U+FFFE, U+FFFF). Escaping of `& < > " '` is left to the XML writer.
pub fn xml_clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Escape text for HTML/XML content and attribute values (the five entities).
pub fn xml_escape(s: &str) -> String {
    let s = xml_clean(s);
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_formula_cells_neutralised() {
        for (input, want) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("حقوق الإنسان", "حقوق الإنسان"),
            ("", ""),
        ] {
            assert_eq!(csv_safe(input), want);
        }
    }

    #[test]
    fn lang_codes_parse_by_prefix() {
        for (input, en, ar) in [
            ("en,ar", "en", "ar"),
            ("en-US,ar", "en-US", "ar"),
            ("ar-SA, en-GB", "en-GB", "ar-SA"),
        ] {
            let c = LangCodes::parse(input).unwrap();
            assert_eq!((c.en.as_str(), c.ar.as_str()), (en, ar), "{input}");
        }
        for bad in ["en", "en,en-US", "fr,ar", "en,ar<x", ""] {
            assert!(LangCodes::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn index_cells() {
        for (idx, want) in [(vec![], ""), (vec![3], "3"), (vec![3, 4, 5], "3-5")] {
            assert_eq!(index_cell(&idx), want);
        }
        assert_eq!(score_cell(0.91249), "0.912");
        assert_eq!(score_cell(f64::NAN), "");
    }

    #[test]
    fn xml_escape_and_clean() {
        assert_eq!(
            xml_escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&apos;"
        );
    }
}
