//! Aligned segments as a TMX-style CSV, for CAT tools (memoQ, Trados,
//! OmegaT) and spreadsheets.
//!
//! Layout: a header row naming the languages and fields,
//! `en,ar,score,doc,bead,en_index,ar_index,note` (the two language columns
//! take the configured codes, e.g. `en-US`), then one row per bead in
//! document order:
//!
//! | column | content |
//! |---|---|
//! | `en`, `ar` | the bead's displayed text, segments joined by one space, never normalised |
//! | `score` | alignment confidence, three decimals |
//! | `doc` | document name |
//! | `bead` | 0-based bead index in the document (the `#doc-bead` anchor of the HTML report) |
//! | `en_index`, `ar_index` | 0-based segment indices: `3`, `3-4` for a run, empty for none |
//! | `note` | bead shape when not 1–1 (`2-1`, `unaligned: ar only`…) and segment kinds other than paragraph |
//!
//! Encoding: UTF-8 with a byte-order mark by default, because Excel reads a
//! CSV without one in the local code page and garbles Arabic;
//! [`CsvOptions::bom`] off for tools that dislike it. Delimiter comma or tab
//! (OmegaT and memoQ import tab-separated). Cells with the delimiter, a
//! quote or a line break are quoted (RFC 4180), so line breaks inside a
//! segment survive.
//!
//! **Formula injection.** A spreadsheet runs a cell beginning with `=`, `+`,
//! `-`, `@`, tab or carriage return as a formula. Every text cell that
//! begins with one of these gets a leading apostrophe (`'=HYPERLINK(…)`),
//! which spreadsheets display as text; see [`super::csv_safe`]. No other
//! character is changed.

use std::io::Write;

use crate::model::{AlignedDoc, Bead, SegKind, Segment};

use super::{csv_safe, index_cell, score_cell, LangCodes};

/// Field delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// `,` (CSV).
    #[default]
    Comma,
    /// Tab (TSV: OmegaT, memoQ).
    Tab,
}

impl Delimiter {
    /// The delimiter byte.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
        }
    }
}

/// Options of the CSV writers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark (default true: Excel needs it).
    pub bom: bool,
    /// Field delimiter.
    pub delimiter: Delimiter,
    /// Language codes for the header.
    pub codes: LangCodes,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            bom: true,
            delimiter: Delimiter::Comma,
            codes: LangCodes::default(),
        }
    }
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer over `w` with the options' BOM and delimiter.
pub(crate) fn writer<'w>(
    w: &'w mut dyn Write,
    opts: &CsvOptions,
) -> std::io::Result<::csv::Writer<&'w mut dyn Write>> {
    if opts.bom {
        w.write_all(BOM)?;
    }
    Ok(::csv::WriterBuilder::new()
        .delimiter(opts.delimiter.byte())
        .from_writer(w))
}

/// The note cell of a bead: its shape when not 1–1 and the kinds of its
/// segments other than paragraph.
pub fn bead_note(doc: &AlignedDoc, bead: &Bead) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (bead.en.len(), bead.ar.len()) {
        (1, 1) => {}
        (0, 0) => parts.push("empty".into()),
        (_, 0) => parts.push("unaligned: en only".into()),
        (0, _) if doc.en.is_empty() => {}
        (0, _) => parts.push("unaligned: ar only".into()),
        (e, a) => parts.push(format!("{e}-{a}")),
    }
    let kinds = |segs: &[Segment], idx: &[usize]| -> Vec<SegKind> {
        idx.iter()
            .filter_map(|&i| segs.get(i))
            .map(|s| s.kind)
            .collect()
    };
    let mut all = kinds(&doc.en, &bead.en);
    all.extend(kinds(&doc.ar, &bead.ar));
    for (kind, name) in [
        (SegKind::Heading, "heading"),
        (SegKind::Meta, "meta"),
        (SegKind::Footnote, "footnote"),
    ] {
        if all.contains(&kind) {
            parts.push(name.into());
        }
    }
    parts.join("; ")
}

/// Write aligned documents as CSV: header, then one row per bead (see the
/// module docs for the columns and the formula rule).
pub fn write_aligned(
    w: &mut dyn Write,
    docs: &[AlignedDoc],
    opts: &CsvOptions,
) -> std::io::Result<()> {
    let mut wtr = writer(w, opts)?;
    wtr.write_record([
        opts.codes.en.as_str(),
        opts.codes.ar.as_str(),
        "score",
        "doc",
        "bead",
        "en_index",
        "ar_index",
        "note",
    ])?;
    for doc in docs {
        for (i, b) in doc.alignment.beads.iter().enumerate() {
            let en = doc.en_text(b);
            let ar = doc.ar_text(b);
            let note = bead_note(doc, b);
            wtr.write_record([
                csv_safe(&en).as_ref(),
                csv_safe(&ar).as_ref(),
                &score_cell(b.score),
                csv_safe(&doc.name).as_ref(),
                &i.to_string(),
                &index_cell(&b.en),
                &index_cell(&b.ar),
                csv_safe(&note).as_ref(),
            ])?;
        }
    }
    wtr.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Alignment;

    fn seg(index: usize, text: &str) -> Segment {
        Segment::paragraph(index, text)
    }

    fn doc() -> AlignedDoc {
        AlignedDoc {
            name: "d".into(),
            ar: vec![seg(0, "حقوق الإنسان"), seg(1, "=1+1"), seg(2, "سطر\nثان")],
            en: vec![seg(0, "Human rights"), seg(1, "a, \"b\"")],
            alignment: Alignment {
                beads: vec![
                    Bead {
                        ar: vec![0],
                        en: vec![0],
                        score: 0.9,
                    },
                    Bead {
                        ar: vec![1, 2],
                        en: vec![1],
                        score: 0.25,
                    },
                ],
                warnings: vec![],
            },
        }
    }

    fn write(opts: &CsvOptions) -> Vec<u8> {
        let mut out = Vec::new();
        write_aligned(&mut out, &[doc()], opts).unwrap();
        out
    }

    #[test]
    fn rows_quoting_bom_and_formula_rule() {
        let out = write(&CsvOptions::default());
        assert!(out.starts_with(BOM));
        let mut rdr = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&out[3..]);
        let rows: Vec<Vec<String>> = rdr
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            rows[0],
            ["en", "ar", "score", "doc", "bead", "en_index", "ar_index", "note"]
        );
        assert_eq!(
            rows[1],
            [
                "Human rights",
                "حقوق الإنسان",
                "0.900",
                "d",
                "0",
                "0",
                "0",
                ""
            ]
        );
        assert_eq!(
            rows[2],
            [
                "a, \"b\"",
                "'=1+1 سطر\nثان",
                "0.250",
                "d",
                "1",
                "1",
                "1-2",
                "1-2"
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_cell_round_trips(en in "\\PC*[\r\n\t\",]?\\PC*", ar in "[=+@\u{600}-\u{6FF}\r\n\t\", -]{0,30}", tab in proptest::bool::ANY) {
            let mut d = doc();
            d.en[0].text = en.clone();
            d.ar[0].text = ar.clone();
            let opts = CsvOptions {
                delimiter: if tab { Delimiter::Tab } else { Delimiter::Comma },
                ..CsvOptions::default()
            };
            let mut out = Vec::new();
            write_aligned(&mut out, &[d], &opts).unwrap();
            let mut rdr = ::csv::ReaderBuilder::new()
                .delimiter(opts.delimiter.byte())
                .from_reader(&out[3..]);
            let row = rdr.records().next().unwrap().unwrap();
            proptest::prop_assert_eq!(row[0].to_string(), csv_safe(&en).into_owned());
            proptest::prop_assert_eq!(row[1].to_string(), csv_safe(&ar).into_owned());
        }
    }

    #[test]
    fn tab_no_bom_and_codes() {
        let opts = CsvOptions {
            bom: false,
            delimiter: Delimiter::Tab,
            codes: LangCodes::parse("en-US,ar-SA").unwrap(),
        };
        let out = String::from_utf8(write(&opts)).unwrap();
        assert!(out.starts_with("en-US\tar-SA\tscore\t"), "{out}");
    }

    #[test]
    fn notes() {
        let mut d = doc();
        for (en, ar, want) in [
            (vec![0], vec![], "unaligned: en only"),
            (vec![], vec![0], "unaligned: ar only"),
            (vec![0, 1], vec![0], "2-1"),
        ] {
            let b = Bead { ar, en, score: 0.0 };
            assert_eq!(bead_note(&d, &b), want);
        }
        d.en.clear();
        let b = Bead {
            ar: vec![0],
            en: vec![],
            score: 0.0,
        };
        assert_eq!(
            bead_note(&d, &b),
            "",
            "Arabic-only documents are not flagged"
        );
    }
}
