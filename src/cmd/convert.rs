//! `termalign convert MEMORY.tmx` (alias `tmx2csv`): read an existing
//! translation memory and write it as CSV, JSON Lines or TMX, so it can be
//! re-exported for another tool or checked.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::ValueEnum;

use super::common::LevelArg;
use super::exportopts::{write_docs, DocFormat, ExportFlags};

/// Arguments of `convert`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// TMX file to read (TMX 1.1–1.4; Arabic and English variants matched by
    /// the prefix of their language code, other languages ignored).
    pub input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// TMX output: `segtype` of the header.
    #[arg(long, value_enum, default_value_t)]
    pub segtype: LevelArg,
    /// Stop at the first problem in the input instead of reporting it and
    /// skipping the unit.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub export: ExportFlags,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// TMX-style CSV (UTF-8 with BOM): en, ar, score, doc, bead, …
    Csv,
    /// JSON Lines: doc, ar, en, score, ar_text, en_text.
    Jsonl,
    /// TMX 1.4b, as `termalign align --format tmx` writes it.
    Tmx,
}

/// Run `convert`.
pub fn run(args: Args) -> Result<ExitCode> {
    let (docs, diags) = termalign::export::tmx::read_with_diagnostics(&args.input)?;
    if args.strict {
        if let Some(d) = diags.first() {
            bail!(
                "{} (--strict)",
                d.to_string().replacen(": warning:", ":", 1)
            );
        }
    }
    for d in &diags {
        eprintln!("{d}");
    }
    let format = match args.format {
        Format::Csv => DocFormat::Csv,
        Format::Jsonl => DocFormat::Jsonl,
        Format::Tmx => DocFormat::Tmx,
    };
    write_docs(
        args.output.as_deref(),
        &docs,
        format,
        &args.export,
        args.segtype,
    )?;
    Ok(ExitCode::SUCCESS)
}
