//! Findings as CSV (for spreadsheets) and JSON Lines (for scripts).
//!
//! CSV columns: `check,severity,doc,bead,term,expected,found,message,en,ar,
//! en_index,ar_index` (the `en`/`ar` excerpt columns take the configured
//! language codes). Same encoding, delimiter and formula rule as the
//! aligned CSV (see [`super::csv`]). JSON Lines: one [`Finding`] object per
//! line, its fields as in the model, in input order.

use std::io::Write;

use crate::model::{Finding, Severity};

use super::csv::{writer, CsvOptions};
use super::{csv_safe, index_cell};

/// Name of a severity as written in exports.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Write findings as CSV with a header row.
pub fn write_findings_csv(
    w: &mut dyn Write,
    findings: &[Finding],
    opts: &CsvOptions,
) -> std::io::Result<()> {
    let mut wtr = writer(w, opts)?;
    wtr.write_record([
        "check",
        "severity",
        "doc",
        "bead",
        "term",
        "expected",
        "found",
        "message",
        opts.codes.en.as_str(),
        opts.codes.ar.as_str(),
        "en_index",
        "ar_index",
    ])?;
    for f in findings {
        wtr.write_record([
            csv_safe(&f.check).as_ref(),
            severity_name(f.severity),
            csv_safe(&f.doc).as_ref(),
            &f.bead.to_string(),
            csv_safe(&f.term).as_ref(),
            csv_safe(&f.expected).as_ref(),
            csv_safe(&f.found).as_ref(),
            csv_safe(&f.message).as_ref(),
            csv_safe(&f.en_excerpt).as_ref(),
            csv_safe(&f.ar_excerpt).as_ref(),
            &index_cell(&f.en),
            &index_cell(&f.ar),
        ])?;
    }
    wtr.flush()?;
    Ok(())
}

/// Write findings as JSON Lines, one object per finding.
pub fn write_findings_jsonl(w: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *w, f)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::csv::Delimiter;

    fn finding(check: &str, found: &str) -> Finding {
        Finding {
            check: check.into(),
            severity: Severity::Error,
            doc: "udhr".into(),
            bead: 7,
            ar: vec![7, 8],
            en: vec![7],
            term: "human rights".into(),
            expected: "حقوق الإنسان".into(),
            found: found.into(),
            message: "approved rendering missing".into(),
            ar_excerpt: "… حقوق …".into(),
            en_excerpt: "=HYPERLINK(\"http://x\")".into(),
        }
    }

    #[test]
    fn csv_rows() {
        let mut out = Vec::new();
        let opts = CsvOptions {
            bom: false,
            delimiter: Delimiter::Comma,
            ..CsvOptions::default()
        };
        write_findings_csv(&mut out, &[finding("term-missing", "-")], &opts).unwrap();
        let mut rdr = ::csv::Reader::from_reader(&out[..]);
        let rows: Vec<Vec<String>> = rdr
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][0], "term-missing");
        assert_eq!(rows[0][1], "error");
        assert_eq!(rows[0][6], "'-");
        assert_eq!(rows[0][8], "'=HYPERLINK(\"http://x\")");
        assert_eq!(rows[0][10..], ["7", "7-8"]);
    }

    #[test]
    fn jsonl_round_trips() {
        let fs = vec![finding("a", "x"), finding("b", "y")];
        let mut out = Vec::new();
        write_findings_jsonl(&mut out, &fs).unwrap();
        let back: Vec<Finding> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, fs);
    }
}
