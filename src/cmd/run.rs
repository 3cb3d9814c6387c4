//! `termalign run`: the main job. Runs the whole pipeline on every document
//! of a corpus (pairs, Arabic-only documents and TMX files) and writes
//! everything a reviewer needs into one output directory:
//!
//! ```text
//! out/
//!   report.html                side-by-side review report (open in a browser)
//!   findings.csv               findings for spreadsheets (UTF-8 with BOM)
//!   findings.jsonl             findings for scripts
//!   variants.csv, .jsonl       per-term variant report: every Arabic rendering
//!                              of every glossary concept, with counts and beads
//!   glossary-candidates.csv    extracted term pairs (top rendering), also .tbx
//!   term-candidates.csv        every ranked candidate (en, ar, rank, score…)
//!   corpus.csv, corpus.tmx     every document's aligned segments
//!   aligned/<doc>.csv, .tmx    one document's aligned segments
//!   .termalign-run             marks the directory as ours (see below)
//! ```
//!
//! The corpus is processed in chunks (64 documents per thread at a time) and
//! per-document state is dropped after each chunk, so memory follows the
//! largest documents, not the corpus (see [`termalign::corpus`]). The HTML
//! report shows every bead of the first documents up to `--report-beads`,
//! then only documents with findings or low-confidence beads, and says so.
//!
//! The output directory is replaced as a whole: everything is written into
//! a temporary directory beside it, which is then renamed into place (the
//! previous one renamed aside first, then deleted), so a failed or
//! interrupted (Ctrl-C: exit 130, the temporary directory removed) run
//! leaves the previous outputs intact. An existing directory is replaced
//! only if it is empty or carries the `.termalign-run` marker: `-o .` never
//! deletes your files. Nothing is written outside the output directory's
//! parent.
//!
//! A document that cannot be read is reported (`termalign: error: <file>:
//! <line>: …`) and skipped; the rest of the corpus runs and its outputs are
//! written, and the exit code is then 2. With `--strict` the first such
//! document (or bad glossary or manifest row) stops the run, exit 2, and the
//! previous outputs stay in place.
//!
//! Exit codes, as `check`: 0 no error-level finding; 1 error-level findings;
//! 2 an error (a document skipped, bad glossary, output not writable). A
//! summary line is always printed on stderr, even with `--quiet`.

use std::fs;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use termalign::check::{self, CheckOptions};
use termalign::corpus::{self, CorpusOptions, Event, Input, Outcome};
use termalign::export::html::Report;
use termalign::glossary::{self, Glossary};
use termalign::model::{Finding, Lang, Severity};
use termalign::pipeline::{self, LoadOptions};
use termalign::terms::extract::{self, Candidate, ExtractOptions};
use termalign::terms::TermMatcher;

use super::common::{EncodingArg, LevelArg};
use super::exportopts::ExportFlags;

/// File that marks an output directory as written by `termalign run`.
const MARKER: &str = corpus::OUTPUT_MARKER;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Corpus directory (recursive) of `<name>.ar.txt` / `<name>.en.txt`
    /// pairs and `*.tmx` files; an Arabic file without its partner is an
    /// Arabic-only document; an English file without one is listed and
    /// skipped.
    #[arg(long, default_value = "corpora")]
    pub corpus: PathBuf,
    /// Manifest CSV `doc,ar_path,en_path` naming the documents instead of
    /// `--corpus` (paths relative to the manifest; `en_path` may be empty).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Glossary file or directory of glossaries (repeatable; all merged,
    /// duplicate concepts merged with a warning). Default: `glossaries/`
    /// when it exists.
    #[arg(long)]
    pub glossary: Vec<PathBuf>,
    /// Findings accepted by a reviewer (finding keys, or JSON Lines findings
    /// from an earlier run, e.g. lines of findings.jsonl): not reported
    /// again.
    #[arg(long, value_name = "FILE")]
    pub accept: Option<PathBuf>,
    /// Output directory, replaced as a whole at the end of a successful run.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// Worker threads (default: one per core). Output is identical whatever
    /// the number.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// No progress and no warnings; errors and the summary line only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Stop at the first unreadable document, bad glossary row or bad
    /// manifest row (default: report it, skip it, exit 2 at the end).
    #[arg(long)]
    pub strict: bool,
    /// Align paragraphs, or sentences inside aligned paragraphs.
    #[arg(long, value_enum, default_value_t)]
    pub level: LevelArg,
    /// Input encoding of the corpus files.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingArg,
    /// Beads scoring below this are marked low-confidence in the report.
    #[arg(long, default_value_t = 0.5, value_name = "SCORE")]
    pub low_confidence: f64,
    /// Beads shown in full in the HTML report (first documents in input
    /// order); beyond, only documents with findings or low-confidence beads.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub report_beads: usize,
    /// Documents loaded at once per thread (memory bound).
    #[arg(long, default_value_t = 64, value_name = "N", hide = true)]
    pub chunk: usize,
    #[command(flatten)]
    pub export: ExportFlags,
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

/// The temporary output directory, shared with the Ctrl-C handler: while
/// it is `Some`, an interrupt removes it and exits 130; the swap into place
/// holds the lock, so an interrupt never leaves the output half-swapped.
type Pending = Arc<Mutex<Option<PathBuf>>>;

fn on_interrupt(pending: Pending, out: PathBuf) -> Result<()> {
    ctrlc::set_handler(move || {
        let mut g = match pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(tmp) = g.take() {
            // Rename first: writers still running then fail to create files
            // under the old path instead of racing the removal.
            let gone = tmp.with_extension("interrupted");
            let victim = if fs::rename(&tmp, &gone).is_ok() {
                gone
            } else {
                tmp
            };
            for _ in 0..5 {
                if fs::remove_dir_all(&victim).is_ok() || !victim.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            eprintln!("termalign: interrupted; {} left unchanged", out.display());
        } else {
            eprintln!("termalign: interrupted");
        }
        std::process::exit(130);
    })
    .context("cannot install the Ctrl-C handler")
}

/// The inputs: the manifest's documents, or the corpus directory's.
fn inputs(args: &Args) -> Result<(Vec<Input>, Vec<termalign::Diagnostic>)> {
    match &args.manifest {
        Some(m) => {
            let (specs, diags) = pipeline::read_manifest(m, args.strict)?;
            if specs.is_empty() {
                bail!("{}: no documents in the manifest", m.display());
            }
            Ok((specs.into_iter().map(Input::Pair).collect(), diags))
        }
        None => Ok(corpus::discover(&args.corpus)?),
    }
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
    let started = Instant::now();
    // Validate flags, inputs and the output location before any work.
    let csv = args.export.csv_options()?;
    let tmx = args.export.tmx_options(args.level)?;
    let out = args.output.clone();
    check_replaceable(&out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let files = glossary_files(&args.glossary)?;
    let (g, gdiags) = glossary::load_many(&files, args.strict)?;
    let accepted = match &args.accept {
        Some(a) => Some(check::load_accept(a).context("reading --accept")?),
        None => None,
    };
    let (inputs, diags) = inputs(&args)?;
    if !args.quiet {
        for d in gdiags.iter().chain(&diags) {
            eprintln!("{d}");
        }
    }

    // Glossary pairs are the aligner's dictionary (set, not built, so this
    // works whatever other options the aligner has).
    let mut load = LoadOptions {
        level: args.level.into(),
        encoding: args.encoding.into(),
        ..LoadOptions::default()
    };
    load.align.dictionary = termalign::align::AlignDictionary::new(&g.dictionary_pairs());
    let opts = CorpusOptions {
        load,
        check: CheckOptions::default(),
        extract: ExtractOptions::default(),
        csv: csv.clone(),
        tmx,
        chunk: args.chunk.max(1) * rayon::current_num_threads(),
        strict: args.strict,
        report_beads: args.report_beads,
        low_confidence: args.low_confidence,
    };

    fs::create_dir_all(&parent).with_context(|| format!("{}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".termalign-run-")
        .tempdir_in(&parent)
        .with_context(|| format!("{}: cannot create a temporary directory", parent.display()))?;
    let pending: Pending = Arc::new(Mutex::new(Some(tmp.path().to_path_buf())));
    on_interrupt(pending.clone(), out.clone())?;

    let bar = progress_bar(inputs.len(), args.quiet);
    let mut events = |e: Event| match e {
        Event::Diagnostic(d) => {
            if !args.quiet {
                bar.suspend(|| eprintln!("{d}"));
            }
        }
        Event::Skipped(e) => bar.suspend(|| eprintln!("termalign: error: {e}")),
        Event::Progress { done, segments, .. } => {
            bar.set_position(done as u64);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{:.0} segments/s", segments as f64 / secs));
        }
    };
    let matcher = TermMatcher::new(&g);
    let mut outcome = corpus::run(&inputs, &g, &matcher, tmp.path(), &opts, &mut events)
        .map_err(|e| anyhow::anyhow!("{e}; {} left unchanged", out.display()))?;
    bar.finish_and_clear();

    if let Some(a) = &accepted {
        outcome.findings = check::filter_accepted(std::mem::take(&mut outcome.findings), a);
    }
    let title = format!(
        "termalign review — {}",
        args.manifest.as_ref().unwrap_or(&args.corpus).display()
    );
    let n_files = write_outputs(tmp.path(), &mut outcome, &g, &matcher, &args, &csv, &title)?;
    {
        let mut lock = match pending.lock() {
            Ok(l) => l,
            Err(p) => p.into_inner(),
        };
        lock.take();
        swap_in(tmp, &out, &parent)?;
    }

    let st = &outcome.stats;
    let errors = outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let code = if !st.skipped.is_empty() {
        2
    } else if errors > 0 {
        1
    } else {
        0
    };
    if !args.quiet {
        eprint!("{}", by_check(&outcome.findings));
        eprintln!(
            "wrote {n_files} files to {}/ (open {}/report.html)",
            out.display(),
            out.display()
        );
    }
    eprintln!(
        "{}",
        summary_line(&outcome, args.low_confidence, started, code)
    );
    Ok(ExitCode::from(code))
}

fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} documents · {msg} · ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn create(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let f = fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    let mut w = BufWriter::new(f);
    fill(&mut w).with_context(|| format!("{}", path.display()))?;
    w.flush().with_context(|| format!("{}", path.display()))?;
    Ok(())
}

/// Write the corpus-wide outputs (report, findings, variants, candidates,
/// marker) into `dir`, beside the aligned files [`corpus::run`] wrote. The
/// candidates are consumed (moved into the glossary candidates) to hold
/// their text once.
fn write_outputs(
    dir: &Path,
    o: &mut Outcome,
    g: &Glossary,
    matcher: &TermMatcher,
    args: &Args,
    csv: &termalign::export::csv::CsvOptions,
    title: &str,
) -> Result<usize> {
    use super::check::{write_variants, Format as VFormat};
    create(&dir.join(MARKER), |w| {
        w.write_all(
            b"Written by `termalign run`; the whole directory is replaced by the next run.\n",
        )
    })?;
    let hl = move |text: &str, lang: Lang| -> Vec<std::ops::Range<usize>> {
        matcher
            .find(text, lang)
            .into_iter()
            .map(|h| h.start..h.end)
            .collect()
    };
    let report = Report {
        title,
        docs: &o.report_docs,
        findings: &o.findings,
        highlight: if g.is_empty() { None } else { Some(&hl) },
        low_confidence: args.low_confidence,
        note: o.report_note.as_deref(),
    };
    create(&dir.join("report.html"), |w| {
        termalign::export::html::write_report(w, &report)
    })?;
    create(&dir.join("findings.csv"), |w| {
        termalign::export::findings::write_findings_csv(w, &o.findings, csv)
    })?;
    create(&dir.join("findings.jsonl"), |w| {
        termalign::export::findings::write_findings_jsonl(w, &o.findings)
    })?;
    create(&dir.join("variants.csv"), |w| {
        write_variants(w, &o.variants, VFormat::Csv)
    })?;
    create(&dir.join("variants.jsonl"), |w| {
        write_variants(w, &o.variants, VFormat::Jsonl)
    })?;
    create(&dir.join("term-candidates.csv"), |w| {
        super::extract::write(w, &o.candidates, super::extract::Format::Csv)
    })?;
    let gl = extract::candidates_into_glossary(
        std::mem::take(&mut o.candidates)
            .into_iter()
            .filter(|c: &Candidate| c.rank == 1),
    );
    create(&dir.join("glossary-candidates.csv"), |w| {
        glossary::write_csv(w, &gl)
    })?;
    create(&dir.join("glossary-candidates.tbx"), |w| {
        glossary::write_tbx(w, &gl)
    })?;
    let aligned = fs::read_dir(dir.join("aligned"))
        .map(|r| r.count())
        .unwrap_or(0);
    // report, findings ×2, variants ×2, candidates ×3, corpus ×2 + aligned.
    Ok(10 + aligned)
}

/// Findings by check, one line each.
fn by_check(findings: &[Finding]) -> String {
    let mut by: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for f in findings {
        let e = by.entry(&f.check).or_default();
        match f.severity {
            Severity::Error => e.0 += 1,
            Severity::Warning => e.1 += 1,
        }
    }
    by.iter()
        .map(|(c, (e, w))| format!("  {c}: {e} errors, {w} warnings\n"))
        .collect()
}

/// The one summary line printed at the end of every run.
fn summary_line(o: &Outcome, low: f64, started: Instant, code: u8) -> String {
    let st = &o.stats;
    let mean = st
        .mean()
        .map(|m| format!("{m:.3}"))
        .unwrap_or_else(|| "—".into());
    let errors = o
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut s = format!(
        "termalign run: {} documents ({} bilingual, {} Arabic-only), {} beads, mean confidence {mean} ({} below {low}), {} findings ({errors} errors, {} warnings), {:.1} s",
        st.docs,
        st.bilingual,
        st.docs - st.bilingual,
        st.beads,
        st.low,
        o.findings.len(),
        o.findings.len() - errors,
        started.elapsed().as_secs_f64()
    );
    if !st.skipped.is_empty() {
        s.push_str(&format!(
            "; {} documents could not be read and were skipped (exit {code})",
            st.skipped.len()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
