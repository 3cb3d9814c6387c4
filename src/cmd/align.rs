//! `termalign align AR EN`: align an Arabic file with its English original.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::common::{exit_code, load_glossary, load_with, with_output, PairInput};

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
    /// Glossary (CSV, TSV or TBX) whose term pairs are used as lexical
    /// evidence, like `--dictionary`.
    #[arg(long, short, value_name = "FILE")]
    pub glossary: Option<PathBuf>,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub export: super::exportopts::ExportFlags,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON Lines: doc, ar, en (index arrays), score, ar_text, en_text.
    Jsonl,
    /// TMX-style CSV for CAT tools and Excel (UTF-8 with BOM).
    Csv,
    /// TMX 1.4b translation memory.
    Tmx,
    /// Tab-separated: Arabic indices, English indices (comma-joined),
    /// score, Arabic text, English text.
    Tsv,
}

/// Run `align`.
pub fn run(args: Args) -> Result<ExitCode> {
    let mut opts = args.input.load_options();
    let mut pairs = Vec::new();
    if let Some(path) = &args.dictionary {
        let dec = termalign::read::read_text(path, args.input.encoding.into())?;
        let (read, diags) = termalign::align::parse_dictionary(&dec.text, path, args.input.strict)
            .with_context(|| format!("reading dictionary {}", path.display()))?;
        for d in diags {
            eprintln!("{d}");
        }
        pairs = read;
    }
    if let Some(path) = &args.glossary {
        let g = load_glossary(path, args.input.strict)?;
        pairs.extend(g.dictionary_pairs());
    }
    opts.align.dictionary = termalign::align::AlignDictionary::new(&pairs);
    opts.align.realign = !args.no_realign;
    if let Some(code) = align_streamed(&args, &opts)? {
        return Ok(code);
    }
    let (docs, failed) = load_with(&args.input, &opts)?;
    if let Some(f) = match args.format {
        Format::Csv => Some(super::exportopts::DocFormat::Csv),
        Format::Tmx => Some(super::exportopts::DocFormat::Tmx),
        Format::Jsonl | Format::Tsv => None,
    } {
        let level = args.input.level;
        super::exportopts::write_docs(args.output.as_deref(), &docs, f, &args.export, level)?;
        return Ok(exit_code(failed, ExitCode::SUCCESS));
    }
    with_output(args.output.as_deref(), |w| match args.format {
        Format::Tsv => termalign::export::write_aligned_tsv(w, &docs),
        _ => termalign::export::write_aligned_jsonl(w, &docs),
    })?;
    Ok(exit_code(failed, ExitCode::SUCCESS))
}

/// `--input lines` on one pair at paragraph level, written as JSON Lines or
/// TSV: aligned and written by streaming the files
/// ([`termalign::linefiles`]), so a million lines a side fit in memory.
/// `None` when the input does not qualify (other modes, a corpus, CSV/TMX,
/// files that are not clean UTF-8): the in-memory path runs instead, with
/// the same output.
fn align_streamed(
    args: &Args,
    opts: &termalign::pipeline::LoadOptions,
) -> Result<Option<ExitCode>> {
    use termalign::linefiles::{align_line_files, write_line_beads, LineFormat};
    use termalign::pipeline::InputMode;
    let format = match args.format {
        Format::Jsonl => LineFormat::Jsonl,
        Format::Tsv => LineFormat::Tsv,
        Format::Csv | Format::Tmx => return Ok(None),
    };
    let inp = &args.input;
    let (Some(ar), Some(en)) = (&inp.ar_file, &inp.en_file) else {
        return Ok(None);
    };
    if opts.input != InputMode::Lines
        || opts.level != termalign::segment::Level::Paragraph
        || inp.corpus.is_some()
        || inp.manifest.is_some()
    {
        return Ok(None);
    }
    let Some(al) = align_line_files(ar, en, opts.encoding, &opts.align)? else {
        return Ok(None);
    };
    for w in &al.alignment.warnings {
        let d = termalign::Diagnostic {
            path: ar.clone(),
            line: None,
            msg: w.clone(),
        };
        eprintln!("{d}");
    }
    let doc = super::common::doc_name(ar);
    with_output(args.output.as_deref(), |w| {
        write_line_beads(w, &doc, ar, en, &al, format)
    })?;
    Ok(Some(ExitCode::SUCCESS))
}
