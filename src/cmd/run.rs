//! `termalign run`: the main job. Runs the whole pipeline on every document
//! of a corpus (pairs and Arabic-only documents) and writes everything a
//! reviewer needs into one output directory:
//!
//! ```text
//! out/
//!   report.html            side-by-side review report (open in a browser)
//!   findings.csv           findings for spreadsheets (UTF-8 with BOM)
//!   findings.jsonl         findings for scripts
//!   corpus.csv, corpus.tmx every document's aligned segments
//!   aligned/<doc>.csv      one document's aligned segments
//!   aligned/<doc>.tmx
//!   .termalign-run         marks the directory as ours (see below)
//! ```
//!
//! The output directory is replaced as a whole: everything is written into
//! a temporary directory beside it, which is then renamed into place (the
//! previous one renamed aside first, then deleted), so a failed run leaves
//! the previous outputs intact. An existing directory is replaced only if it
//! is empty or carries the `.termalign-run` marker: `-o .` never deletes
//! your files. Nothing is written outside the output directory's parent.
//!
//! Exit codes, as `check`: 0 no error-level finding; 1 error-level findings;
//! 2 an error (unreadable document, bad glossary, output not writable); on 2
//! the previous outputs stay in place.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use termalign::export::html::{Highlighter, Report};
use termalign::model::{AlignedDoc, Finding, Severity};
use termalign::pipeline::{self, LoadOptions};

use super::common::{EncodingArg, LevelArg};
use super::exportopts::ExportFlags;

/// File that marks an output directory as written by `termalign run`.
const MARKER: &str = ".termalign-run";

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Corpus directory of `<name>.ar.txt` / `<name>.en.txt` pairs
    /// (recursive); an Arabic file without its partner is an Arabic-only
    /// document.
    #[arg(long, default_value = "corpora")]
    pub corpus: PathBuf,
    /// Glossary file or directory of glossaries (repeatable). Default:
    /// `glossaries/` when it exists.
    #[arg(long)]
    pub glossary: Vec<PathBuf>,
    /// Output directory, replaced as a whole at the end of a successful run.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// Worker threads (default: one per core). Output is identical whatever
    /// the number.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Align paragraphs, or sentences inside aligned paragraphs.
    #[arg(long, value_enum, default_value_t)]
    pub level: LevelArg,
    /// Input encoding of the corpus files.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingArg,
    /// Beads scoring below this are marked low-confidence in the report.
    #[arg(long, default_value_t = 0.5, value_name = "SCORE")]
    pub low_confidence: f64,
    #[command(flatten)]
    pub export: ExportFlags,
}

/// What the terminology stages give the exports.
struct Analysis {
    /// Findings of the checks, in a deterministic order.
    findings: Vec<Finding>,
    /// Term highlighter for the report.
    highlight: Option<Box<Highlighter>>,
    /// Extra files to write into the output directory (name, bytes), e.g.
    /// glossary candidates as CSV and TBX.
    files: Vec<(String, Vec<u8>)>,
}

// ======================================================================
// PLUG-IN POINT: terminology extraction and checks.
//
// Takes the aligned corpus (and the glossary files named on the command
// line) and returns the findings, the term highlighter used by the report
// and any extra output files. Today it returns nothing: the glossary,
// term-matching and check modules are being written on other branches.
// To wire them: load the glossaries (crate::glossary), run the checks
// (crate::check) over `docs` -> Vec<Finding>, build the highlighter from the
// term matcher (byte ranges into the displayed text, both languages), and
// push ("glossary-candidates.csv", bytes) / ("glossary-candidates.tbx",
// bytes) from the extractor into `files`. Nothing else in this file needs
// to change.
// ======================================================================
fn analyse(docs: &[AlignedDoc], glossaries: &[PathBuf]) -> Result<Analysis> {
    let _ = (docs, glossaries);
    Ok(Analysis {
        findings: Vec::new(),
        highlight: None,
        files: Vec::new(),
    })
}

/// Glossary files: the named files, the files of named directories, or
/// `glossaries/` when nothing is named and it exists.
fn glossary_files(named: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let default = [PathBuf::from("glossaries")];
    let (roots, explicit) = if named.is_empty() {
        (&default[..], false)
    } else {
        (named, true)
    };
    let mut files = Vec::new();
    for root in roots {
        if root.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(root)
                .with_context(|| format!("{}", root.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| matches!(x, "csv" | "tsv" | "tbx"))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if root.is_file() {
            files.push(root.clone());
        } else if explicit {
            bail!("{}: glossary not found", root.display());
        }
    }
    Ok(files)
}

/// A document name as a file name: letters, digits, `-`, `_`, `.` kept,
/// everything else (path separators included) `_`; no leading dot.
fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.');
    if s.is_empty() {
        "doc".into()
    } else {
        s.to_string()
    }
}

/// Unique file names for the documents, in order.
fn file_names(docs: &[AlignedDoc]) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    docs.iter()
        .map(|d| {
            let base = safe_name(&d.name);
            let mut name = base.clone();
            let mut n = 1;
            while !used.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{base}~{n}");
            }
            name
        })
        .collect()
}

/// Refuse to replace something that is not a previous output of ours.
fn check_replaceable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{}: exists and is not a directory", out.display());
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("{}", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join(MARKER).is_file() {
        bail!(
            "{}: exists and was not written by `termalign run` (no {MARKER} file); \
             refusing to replace it: choose another -o or remove it",
            out.display()
        );
    }
    Ok(())
}

fn create(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let f = fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    let mut w = BufWriter::new(f);
    fill(&mut w).with_context(|| format!("{}", path.display()))?;
    w.flush().with_context(|| format!("{}", path.display()))?;
    Ok(())
}

/// Write every output into `dir`.
fn write_outputs(
    dir: &Path,
    docs: &[AlignedDoc],
    analysis: &Analysis,
    args: &Args,
    title: &str,
) -> Result<usize> {
    let csv_opts = args.export.csv_options()?;
    let tmx_opts = args.export.tmx_options(args.level)?;
    let mut n = 0;
    create(&dir.join(MARKER), |w| {
        w.write_all(
            b"Written by `termalign run`; the whole directory is replaced by the next run.\n",
        )
    })?;
    let report = Report {
        title,
        docs,
        findings: &analysis.findings,
        highlight: analysis.highlight.as_deref(),
        low_confidence: args.low_confidence,
    };
    create(&dir.join("report.html"), |w| {
        termalign::export::html::write_report(w, &report)
    })?;
    create(&dir.join("findings.csv"), |w| {
        termalign::export::findings::write_findings_csv(w, &analysis.findings, &csv_opts)
    })?;
    create(&dir.join("findings.jsonl"), |w| {
        termalign::export::findings::write_findings_jsonl(w, &analysis.findings)
    })?;
    create(&dir.join("corpus.csv"), |w| {
        termalign::export::csv::write_aligned(w, docs, &csv_opts)
    })?;
    create(&dir.join("corpus.tmx"), |w| {
        termalign::export::tmx::write(w, docs, &tmx_opts)
    })?;
    n += 6;
    let aligned = dir.join("aligned");
    fs::create_dir(&aligned).with_context(|| format!("{}", aligned.display()))?;
    for (doc, name) in docs.iter().zip(file_names(docs)) {
        let one = std::slice::from_ref(doc);
        create(&aligned.join(format!("{name}.csv")), |w| {
            termalign::export::csv::write_aligned(w, one, &csv_opts)
        })?;
        create(&aligned.join(format!("{name}.tmx")), |w| {
            termalign::export::tmx::write(w, one, &tmx_opts)
        })?;
        n += 2;
    }
    for (name, bytes) in &analysis.files {
        let safe = safe_name(name);
        create(&dir.join(&safe), |w| w.write_all(bytes))?;
        n += 1;
    }
    Ok(n)
}

/// Swap `new` in as `out`: old output renamed aside, new renamed in, old
/// deleted. If the second rename fails the old output is put back.
fn swap_in(new: tempfile::TempDir, out: &Path, parent: &Path) -> Result<()> {
    check_replaceable(out)?;
    let new = new.keep();
    if !out.exists() {
        return fs::rename(&new, out).with_context(|| {
            let _ = fs::remove_dir_all(&new);
            format!(
                "{}: could not move the new output into place",
                out.display()
            )
        });
    }
    let aside = tempfile::Builder::new()
        .prefix(".termalign-old-")
        .tempdir_in(parent)
        .with_context(|| format!("{}", parent.display()))?
        .keep();
    // rename onto an empty directory replaces it on Unix; remove it first
    // to be portable.
    fs::remove_dir(&aside).with_context(|| format!("{}", aside.display()))?;
    if let Err(e) = fs::rename(out, &aside) {
        let _ = fs::remove_dir_all(&new);
        return Err(e)
            .with_context(|| format!("{}: could not move the old output aside", out.display()));
    }
    if let Err(e) = fs::rename(&new, out) {
        let _ = fs::rename(&aside, out);
        let _ = fs::remove_dir_all(&new);
        return Err(e).with_context(|| {
            format!(
                "{}: could not move the new output into place",
                out.display()
            )
        });
    }
    if let Err(e) = fs::remove_dir_all(&aside) {
        eprintln!(
            "termalign: warning: {}: could not delete the previous output: {e}",
            aside.display()
        );
    }
    Ok(())
}

/// Run `run`.
pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(n) = args.jobs {
        // Ignore "already initialised" (only possible if called twice).
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    if !(0.0..=1.0).contains(&args.low_confidence) {
        bail!(
            "--low-confidence {}: expected a score in 0..1",
            args.low_confidence
        );
    }
    // Validate flags and the output location before any work.
    args.export.csv_options()?;
    args.export.tmx_options(args.level)?;
    let out = args.output.clone();
    check_replaceable(&out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let glossaries = glossary_files(&args.glossary)?;

    let (specs, diags) = pipeline::discover(&args.corpus)?;
    if !args.quiet {
        for d in &diags {
            eprintln!("{d}");
        }
    }
    let opts = LoadOptions {
        level: args.level.into(),
        encoding: args.encoding.into(),
        ..LoadOptions::default()
    };
    let mut docs = Vec::with_capacity(specs.len());
    let mut failed = Vec::new();
    for r in pipeline::load_all(&specs, &opts) {
        match r {
            Ok((doc, diags)) => {
                if !args.quiet {
                    for d in diags {
                        eprintln!("{d}");
                    }
                }
                docs.push(doc);
            }
            Err(e) => {
                eprintln!("termalign: error: {e}");
                failed.push(e);
            }
        }
    }
    if !failed.is_empty() {
        bail!(
            "{} of {} documents could not be read; {} left unchanged",
            failed.len(),
            specs.len(),
            out.display()
        );
    }

    let analysis = analyse(&docs, &glossaries)?;

    fs::create_dir_all(&parent).with_context(|| format!("{}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".termalign-run-")
        .tempdir_in(&parent)
        .with_context(|| format!("{}: cannot create a temporary directory", parent.display()))?;
    let title = format!("termalign review — {}", args.corpus.display());
    let n_files = write_outputs(tmp.path(), &docs, &analysis, &args, &title)?;
    swap_in(tmp, &out, &parent)?;

    let errors = analysis
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if !args.quiet {
        eprint!(
            "{}",
            summary(&docs, &analysis.findings, args.low_confidence)
        );
        eprintln!(
            "wrote {n_files} files to {}/ (open {}/report.html)",
            out.display(),
            out.display()
        );
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The short summary printed at the end.
fn summary(docs: &[AlignedDoc], findings: &[Finding], low: f64) -> String {
    let beads: usize = docs.iter().map(|d| d.alignment.beads.len()).sum();
    let bilingual: Vec<&AlignedDoc> = docs.iter().filter(|d| !d.en.is_empty()).collect();
    let scores: Vec<f64> = bilingual
        .iter()
        .flat_map(|d| d.alignment.beads.iter().map(|b| b.score))
        .collect();
    let mean = if scores.is_empty() {
        "—".to_string()
    } else {
        format!("{:.3}", scores.iter().sum::<f64>() / scores.len() as f64)
    };
    let n_low = scores.iter().filter(|&&s| s < low).count();
    let mut s = format!(
        "{} documents ({} bilingual, {} Arabic-only), {beads} beads, mean confidence {mean} ({n_low} below {low}), {} findings\n",
        docs.len(),
        bilingual.len(),
        docs.len() - bilingual.len(),
        findings.len()
    );
    let mut by_check: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for f in findings {
        let e = by_check.entry(&f.check).or_default();
        match f.severity {
            Severity::Error => e.0 += 1,
            Severity::Warning => e.1 += 1,
        }
    }
    for (check, (e, w)) in by_check {
        s.push_str(&format!("  {check}: {e} errors, {w} warnings\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use termalign::model::Alignment;

    fn doc(name: &str) -> AlignedDoc {
        AlignedDoc {
            name: name.into(),
            ar: vec![],
            en: vec![],
            alignment: Alignment::default(),
        }
    }

    #[test]
    fn safe_unique_names() {
        let docs = [doc("a/b"), doc("a_b"), doc("../x"), doc("حقوق"), doc("A_B")];
        assert_eq!(file_names(&docs), ["a_b", "a_b~2", "_x", "حقوق", "A_B~3"]);
    }

    #[test]
    fn refuses_foreign_directories() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("o");
        check_replaceable(&d).unwrap(); // absent
        fs::create_dir(&d).unwrap();
        check_replaceable(&d).unwrap(); // empty
        fs::write(d.join("precious.txt"), "x").unwrap();
        assert!(check_replaceable(&d).is_err());
        fs::write(d.join(MARKER), "").unwrap();
        check_replaceable(&d).unwrap();
    }
}
