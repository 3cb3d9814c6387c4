//! `termalign segment FILE`: print a document's segments.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use termalign::model::Lang;
use termalign::{normalize, read, segment};

use super::common::{with_output, EncodingArg, LevelArg};

/// Arguments of `segment`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text file to segment.
    pub file: PathBuf,
    /// Language of the file.
    #[arg(long, value_enum, default_value_t = LangArg::Auto)]
    pub lang: LangArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Paragraphs, or sentences inside paragraphs.
    #[arg(long, value_enum, default_value_t)]
    pub level: LevelArg,
    /// Input encoding.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingArg,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Detect from the letters.
    Auto,
    /// Arabic.
    Ar,
    /// English.
    En,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON Lines: index, kind, number, text.
    Jsonl,
    /// Tab-separated: index, kind, number, text.
    Tsv,
}

/// Run `segment`.
pub fn run(args: Args) -> Result<ExitCode> {
    let dec = read::read_text(&args.file, args.encoding.into())?;
    for d in &dec.diagnostics {
        eprintln!("{d}");
    }
    let lang = match args.lang {
        LangArg::Ar => Lang::Ar,
        LangArg::En => Lang::En,
        LangArg::Auto => normalize::detect_lang(&dec.text),
    };
    let segs = segment::segment_text(&dec.text, lang, args.level.into());
    with_output(args.output.as_deref(), |w| {
        for s in &segs {
            match args.format {
                Format::Jsonl => {
                    let v = serde_json::json!({
                        "index": s.index,
                        "kind": s.kind,
                        "number": s.number,
                        "text": s.text,
                    });
                    writeln!(w, "{v}")?;
                }
                Format::Tsv => {
                    let kind = serde_json::to_value(s.kind).unwrap_or_default();
                    writeln!(
                        w,
                        "{}\t{}\t{}\t{}",
                        s.index,
                        kind.as_str().unwrap_or(""),
                        s.number.as_deref().unwrap_or(""),
                        s.text.replace('\t', " ")
                    )?;
                }
            }
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
