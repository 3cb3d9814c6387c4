//! `termalign extract`: bilingual term candidates from aligned pairs —
//! English n-grams with their Arabic renderings ranked by logDice.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use termalign::export::csv_safe;
use termalign::terms::extract::{self, Candidate, ExtractOptions};

use super::common::{exit_code, load_docs, load_glossary, with_output, PairInput};

/// Arguments of `extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: PairInput,
    /// A glossary whose English terms are always extracted (and whose pairs
    /// help the aligner).
    #[arg(long, short)]
    pub glossary: Option<PathBuf>,
    /// Extra English term to always extract (repeatable).
    #[arg(long = "term")]
    pub terms: Vec<String>,
    /// Minimum occurrences of an English n-gram.
    #[arg(long, default_value_t = 2)]
    pub min_count: usize,
    /// Arabic renderings kept per English term.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// Longest English n-gram, in words.
    #[arg(long, default_value_t = 4)]
    pub max_words: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Also write the top renderings as a glossary (`.csv` or `.tbx`).
    #[arg(long)]
    pub glossary_out: Option<PathBuf>,
    /// TBX generation for a `.tbx` glossary: 3 (ISO 30042:2019, `<tbx>`) or
    /// 2 (ISO 30042:2008, `<martif>`, for older CAT tools and Translate Toolkit).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(2..=3))]
    pub tbx_version: u8,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// CSV: en, ar, rank, score, co_count, en_count, ar_count, example.
    Csv,
    /// JSON Lines with the same fields.
    Jsonl,
}

/// Run `extract`.
pub fn run(args: Args) -> Result<ExitCode> {
    let g = match &args.glossary {
        Some(p) => Some(load_glossary(p, args.input.strict)?),
        None => None,
    };
    let (docs, failed) = load_docs(&args.input, g.as_ref())?;
    let opts = ExtractOptions {
        max_en_words: args.max_words.max(1),
        min_count: args.min_count,
        top: args.top.max(1),
        terms: args.terms.clone(),
        ..ExtractOptions::default()
    };
    let cands = extract::extract(&docs, g.as_ref(), &opts);
    with_output(args.output.as_deref(), |w| write(w, &cands, args.format))?;
    if let Some(p) = &args.glossary_out {
        let top: Vec<Candidate> = cands.iter().filter(|c| c.rank == 1).cloned().collect();
        let gl = extract::candidates_to_glossary(&top);
        let tbx = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tbx"));
        termalign::output::write_atomic(p, |w| {
            if tbx {
                let v = if args.tbx_version == 2 {
                    termalign::glossary::TbxVersion::V2
                } else {
                    termalign::glossary::TbxVersion::V3
                };
                termalign::glossary::write_tbx_version(w, &gl, v)
            } else {
                termalign::glossary::write_csv(w, &gl)
            }
        })?;
    }
    Ok(exit_code(failed, ExitCode::SUCCESS))
}

/// Write candidates as CSV or JSON Lines.
pub fn write(w: &mut dyn Write, c: &[Candidate], fmt: Format) -> std::io::Result<()> {
    match fmt {
        Format::Jsonl => {
            for x in c {
                serde_json::to_writer(&mut *w, x)?;
                writeln!(w)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut wr = csv::Writer::from_writer(w);
            wr.write_record([
                "en", "ar", "rank", "score", "co_count", "en_count", "ar_count", "example",
            ])?;
            for x in c {
                let cells = [
                    x.en.clone(),
                    x.ar.clone(),
                    x.rank.to_string(),
                    format!("{:.3}", x.score),
                    x.co_count.to_string(),
                    x.en_count.to_string(),
                    x.ar_count.to_string(),
                    x.example.clone(),
                ];
                wr.write_record(cells.iter().map(|s| csv_safe(s).into_owned()))?;
            }
            wr.flush()
        }
    }
}
