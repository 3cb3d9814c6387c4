//! `termalign align AR EN`: align an Arabic file with its English original.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use termalign::model::AlignedDoc;

use super::common::{with_output, PairInput};

/// Arguments of `align`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: PairInput,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// A bilingual word list used as lexical evidence: one
    /// `english<TAB>arabic` pair a line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    pub dictionary: Option<PathBuf>,
    /// Align by lengths, anchors and the given dictionary only (no
    /// dictionary induced from a first pass).
    #[arg(long)]
    pub no_realign: bool,
    /// Stop at the first bad dictionary line instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON Lines: doc, ar, en (index arrays), score, ar_text, en_text.
    Jsonl,
    /// Tab-separated: Arabic indices, English indices (comma-joined),
    /// score, Arabic text, English text.
    Tsv,
}

/// Run `align`.
pub fn run(args: Args) -> Result<ExitCode> {
    let specs = args.input.specs()?;
    let mut opts = args.input.load_options();
    if let Some(path) = &args.dictionary {
        let dec = termalign::read::read_text(path, args.input.encoding.into())?;
        let (pairs, diags) = termalign::align::parse_dictionary(&dec.text, path, args.strict)
            .with_context(|| format!("reading dictionary {}", path.display()))?;
        for d in diags {
            eprintln!("{d}");
        }
        opts.align.dictionary = pairs;
    }
    opts.align.realign = !args.no_realign;
    let results = termalign::pipeline::load_all(&specs, &opts);
    let mut docs = Vec::new();
    for r in results {
        let (doc, diags) = r?;
        for d in diags {
            eprintln!("{d}");
        }
        docs.push(doc);
    }
    with_output(args.output.as_deref(), |w| {
        for doc in &docs {
            write_doc(w, doc, args.format)?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn join(idx: &[usize]) -> String {
    idx.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn write_doc(w: &mut dyn std::io::Write, doc: &AlignedDoc, format: Format) -> std::io::Result<()> {
    for b in &doc.alignment.beads {
        let score = (b.score * 1000.0).round() / 1000.0;
        match format {
            Format::Jsonl => {
                let v = serde_json::json!({
                    "doc": doc.name,
                    "ar": b.ar,
                    "en": b.en,
                    "score": score,
                    "ar_text": doc.ar_text(b),
                    "en_text": doc.en_text(b),
                });
                writeln!(w, "{v}")?;
            }
            Format::Tsv => {
                writeln!(
                    w,
                    "{}\t{}\t{score:.3}\t{}\t{}",
                    join(&b.ar),
                    join(&b.en),
                    tsv_cell(&doc.ar_text(b)),
                    tsv_cell(&doc.en_text(b))
                )?;
            }
        }
    }
    Ok(())
}
