//! `termalign align AR EN`: align an Arabic file with its English original.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;

use super::common::{with_output, PairInput};

/// Arguments of `align`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: PairInput,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub export: super::exportopts::ExportFlags,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON Lines: ar, en, score, ar_text, en_text.
    Jsonl,
    /// TMX-style CSV for CAT tools and Excel (UTF-8 with BOM).
    Csv,
    /// TMX 1.4b translation memory.
    Tmx,
}

/// Run `align`.
pub fn run(args: Args) -> Result<ExitCode> {
    let specs = args.input.specs()?;
    let opts = args.input.load_options();
    let results = termalign::pipeline::load_all(&specs, &opts);
    let mut docs = Vec::new();
    for r in results {
        let (doc, diags) = r?;
        for d in diags {
            eprintln!("{d}");
        }
        docs.push(doc);
    }
    if let Some(f) = match args.format {
        Format::Csv => Some(super::exportopts::DocFormat::Csv),
        Format::Tmx => Some(super::exportopts::DocFormat::Tmx),
        Format::Jsonl => None,
    } {
        let level = args.input.level;
        super::exportopts::write_docs(args.output.as_deref(), &docs, f, &args.export, level)?;
        return Ok(ExitCode::SUCCESS);
    }
    with_output(args.output.as_deref(), |w| {
        for doc in &docs {
            for b in &doc.alignment.beads {
                let v = serde_json::json!({
                    "doc": doc.name,
                    "ar": b.ar,
                    "en": b.en,
                    "score": (b.score * 1000.0).round() / 1000.0,
                    "ar_text": doc.ar_text(b),
                    "en_text": doc.en_text(b),
                });
                writeln!(w, "{v}")?;
            }
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
