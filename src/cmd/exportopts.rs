//! Export flags shared by `align`, `convert` and `run`: CSV byte-order mark
//! and delimiter, language codes, TMX creation date.

use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use termalign::export::csv::{CsvOptions, Delimiter};
use termalign::export::tmx::{SegType, TmxOptions};
use termalign::export::LangCodes;
use termalign::model::AlignedDoc;

use super::common::{with_output, LevelArg};

/// `--delimiter`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum DelimiterArg {
    /// Comma-separated (CSV).
    #[default]
    Comma,
    /// Tab-separated (OmegaT, memoQ).
    Tab,
}

/// Flags of the CSV and TMX exports.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportFlags {
    /// CSV: leave out the UTF-8 byte-order mark (Excel needs it to show
    /// Arabic; some importers dislike it).
    #[arg(long)]
    pub no_bom: bool,
    /// CSV field delimiter.
    #[arg(long, value_enum, default_value_t)]
    pub delimiter: DelimiterArg,
    /// Language codes written in CSV headers and TMX `xml:lang`, e.g.
    /// `en-US,ar` (each code goes to its side by its prefix).
    #[arg(long, default_value = "en,ar", value_name = "EN,AR")]
    pub lang_codes: String,
    /// TMX creation date: RFC 3339 (`2024-05-01T12:00:00Z`) or Unix seconds.
    /// Default: $SOURCE_DATE_EPOCH if set, else the current time.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// TMX: leave out beads with no counterpart (1–0 / 0–1) instead of
    /// writing them as units with one variant.
    #[arg(long)]
    pub skip_unaligned: bool,
}

impl ExportFlags {
    /// CSV writer options.
    pub fn csv_options(&self) -> Result<CsvOptions> {
        Ok(CsvOptions {
            bom: !self.no_bom,
            delimiter: match self.delimiter {
                DelimiterArg::Comma => Delimiter::Comma,
                DelimiterArg::Tab => Delimiter::Tab,
            },
            codes: LangCodes::parse(&self.lang_codes).context("--lang-codes")?,
        })
    }

    /// TMX writer options for units of the given level.
    pub fn tmx_options(&self, level: LevelArg) -> Result<TmxOptions> {
        Ok(TmxOptions {
            codes: LangCodes::parse(&self.lang_codes).context("--lang-codes")?,
            segtype: match level {
                LevelArg::Paragraph => SegType::Paragraph,
                LevelArg::Sentence => SegType::Sentence,
            },
            creation_date: creation_date(self.date.as_deref())?,
            skip_one_sided: self.skip_unaligned,
        })
    }
}

/// Parse a date given as RFC 3339 or Unix seconds.
fn parse_date(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<u64>() {
        return Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
    }
    humantime::parse_rfc3339_weak(s).ok()
}

/// The TMX creation date: `--date`, else `$SOURCE_DATE_EPOCH` (reproducible
/// builds convention), else now.
pub fn creation_date(flag: Option<&str>) -> Result<SystemTime> {
    if let Some(d) = flag {
        return parse_date(d).with_context(|| {
            format!("--date {d:?}: expected RFC 3339 (2024-05-01T12:00:00Z) or Unix seconds")
        });
    }
    if let Some(v) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let v = v.to_string_lossy();
        return match v.trim().parse::<u64>() {
            Ok(secs) => Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
            Err(_) => bail!("SOURCE_DATE_EPOCH={v:?}: expected Unix seconds"),
        };
    }
    Ok(SystemTime::now())
}

/// Format of aligned-segment exports.
#[derive(Debug, Clone, Copy)]
pub enum DocFormat {
    /// JSON Lines.
    Jsonl,
    /// TMX-style CSV.
    Csv,
    /// TMX 1.4b.
    Tmx,
}

/// Write aligned documents to `-o PATH` (atomically) or standard output.
pub fn write_docs(
    out: Option<&Path>,
    docs: &[AlignedDoc],
    format: DocFormat,
    flags: &ExportFlags,
    level: LevelArg,
) -> Result<()> {
    match format {
        DocFormat::Jsonl => with_output(out, |w| termalign::export::write_aligned_jsonl(w, docs)),
        DocFormat::Csv => {
            let opts = flags.csv_options()?;
            with_output(out, |w| {
                termalign::export::csv::write_aligned(w, docs, &opts)
            })
        }
        DocFormat::Tmx => {
            let opts = flags.tmx_options(level)?;
            with_output(out, |w| termalign::export::tmx::write(w, docs, &opts))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for (s, secs) in [
            ("0", Some(0)),
            ("1700000000", Some(1_700_000_000)),
            ("2023-11-14T22:13:20Z", Some(1_700_000_000)),
            ("2023-11-14 22:13:20", Some(1_700_000_000)),
            ("yesterday", None),
        ] {
            assert_eq!(
                parse_date(s),
                secs.map(|x| SystemTime::UNIX_EPOCH + Duration::from_secs(x)),
                "{s}"
            );
        }
    }
}
