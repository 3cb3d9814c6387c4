//! `termalign check --glossary G`: terminology, number and completeness
//! checks over aligned pairs; `--variants` prints the per-term variant report
//! instead.
//!
//! Exit codes: 0 no error-level finding remains (after `--accept`), 1 some
//! remain, 2 an error (bad input, unreadable glossary…).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use termalign::check::{self, CheckOptions, VariantRow};
use termalign::export::csv_safe;
use termalign::model::{Finding, Severity};

use super::common::{exit_code, load_docs, load_glossary, with_output, PairInput};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: PairInput,
    /// Glossary file: CSV (header with `en`, `ar`; optional `forbidden`,
    /// `note`, `domain`, `id`, `source`; variants separated by `|`), TSV or
    /// TBX-Basic.
    #[arg(long, short)]
    pub glossary: PathBuf,
    /// Findings accepted by a reviewer (finding keys, or JSON Lines findings
    /// from an earlier run): they are not reported again.
    #[arg(long)]
    pub accept: Option<PathBuf>,
    /// Print the per-term variant report (every Arabic rendering of every
    /// glossary concept, with counts and bead links) instead of findings.
    #[arg(long)]
    pub variants: bool,
    /// Skip these checks (comma-separated): terms, numbers, units, links, untranslated,
    /// empty, length-ratio, consistency.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON Lines, one finding (or variant row) per line.
    Jsonl,
    /// CSV with a header row (UTF-8; formula-like cells neutralised).
    Csv,
}

/// Run `check`.
pub fn run(args: Args) -> Result<ExitCode> {
    let g = load_glossary(&args.glossary, args.input.strict)?;
    let (docs, failed) = load_docs(&args.input, Some(&g))?;
    if args.variants {
        let rows = check::variant_report(&docs, &g);
        with_output(args.output.as_deref(), |w| {
            write_variants(w, &rows, args.format)
        })?;
        return Ok(exit_code(failed, ExitCode::SUCCESS));
    }
    let mut opts = CheckOptions::default();
    for s in &args.skip {
        match s.trim() {
            "terms" => opts.terms = false,
            "numbers" => opts.numbers = false,
            "untranslated" => opts.untranslated = false,
            "links" => opts.links = false,
            "units" => opts.units = false,
            "empty" => opts.empty = false,
            "length-ratio" => opts.length_ratio = false,
            "consistency" => opts.consistency = false,
            other => anyhow::bail!("--skip: unknown check {other:?}"),
        }
    }
    let mut findings = check::check(&docs, &g, &opts);
    if let Some(a) = &args.accept {
        let accepted = check::load_accept(a).with_context(|| "reading --accept")?;
        findings = check::filter_accepted(findings, &accepted);
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    with_output(args.output.as_deref(), |w| {
        write_findings(w, &findings, args.format)
    })?;
    eprintln!(
        "termalign check: {} findings ({} errors, {} warnings)",
        findings.len(),
        errors,
        findings.len() - errors
    );
    Ok(exit_code(
        failed,
        if errors > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    ))
}

fn join_idx(v: &[usize]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Write findings as JSON Lines or CSV.
pub fn write_findings(w: &mut dyn Write, f: &[Finding], fmt: Format) -> std::io::Result<()> {
    match fmt {
        Format::Jsonl => {
            for x in f {
                serde_json::to_writer(&mut *w, x)?;
                writeln!(w)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record([
                "check",
                "severity",
                "doc",
                "bead",
                "ar",
                "en",
                "term",
                "expected",
                "found",
                "message",
                "ar_excerpt",
                "en_excerpt",
            ])?;
            for x in f {
                let sev = match x.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let cells = [
                    x.check.clone(),
                    sev.to_string(),
                    x.doc.clone(),
                    x.bead.to_string(),
                    join_idx(&x.ar),
                    join_idx(&x.en),
                    x.term.clone(),
                    x.expected.clone(),
                    x.found.clone(),
                    x.message.clone(),
                    x.ar_excerpt.clone(),
                    x.en_excerpt.clone(),
                ];
                c.write_record(cells.iter().map(|s| csv_safe(s).into_owned()))?;
            }
            c.flush()
        }
    }
}

/// Write the variant report as JSON Lines or CSV.
pub fn write_variants(w: &mut dyn Write, rows: &[VariantRow], fmt: Format) -> std::io::Result<()> {
    match fmt {
        Format::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut *w, r)?;
                writeln!(w)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record([
                "concept",
                "term",
                "status",
                "rendering",
                "form",
                "spellings",
                "key",
                "count",
                "beads",
                "similarity",
            ])?;
            for r in rows {
                let cells = [
                    r.concept.clone(),
                    r.term.clone(),
                    r.status.clone(),
                    r.rendering.clone(),
                    r.form.clone(),
                    r.spellings.clone(),
                    r.key.clone(),
                    r.count.to_string(),
                    r.beads.clone(),
                    format!("{:.3}", r.similarity),
                ];
                c.write_record(cells.iter().map(|s| csv_safe(s).into_owned()))?;
            }
            c.flush()
        }
    }
}
