//! A whole corpus through the pipeline in bounded memory: the engine of
//! `termalign run`.
//!
//! The inputs (document pairs, Arabic-only documents and TMX files, see
//! [`Input`]) are processed in chunks of [`CorpusOptions::chunk`] documents:
//! each chunk is loaded and aligned in parallel ([`pipeline::load_pair`]),
//! checked ([`Checker`]), added to the variant report ([`Variants`]) and to
//! the extractor ([`Extractor`]); its per-document files are written, its
//! rows appended to `corpus.csv` / `corpus.tmx` through writers kept open
//! in input order; then its documents are dropped, except the few the HTML
//! report shows (see [`CorpusOptions::report_beads`]). Memory therefore
//! follows the largest chunk, plus the corpus-wide state the checks need:
//! the findings, the variant report's forms and bead links, a compact
//! record per two-sided bead for the consistency checks (hashes and
//! 240-character excerpts), and the extractor's n-gram tables and coded
//! postings (its bead texts go to an unlinked temporary file in the output
//! directory, see [`Extractor`]).
//!
//! Outputs are byte-identical whatever the chunk size and thread count:
//! results are collected in input order and the streamed files are the
//! exact concatenation of what the one-shot writers produce.
//!
//! A document that cannot be read is reported ([`Event::Skipped`]) and left
//! out, and the rest of the corpus runs; with [`CorpusOptions::strict`] the
//! first such document stops the run with its error.

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{CheckOptions, Checker, VariantRow, Variants};
use crate::error::{Diagnostic, Error, Result};
use crate::export::csv::CsvOptions;
use crate::export::tmx::TmxOptions;
use crate::glossary::Glossary;
use crate::model::{AlignedDoc, Finding};
use crate::pipeline::{self, LoadOptions, PairSpec};
use crate::terms::extract::{Candidate, ExtractOptions, Extractor};
use crate::terms::TermMatcher;

pub use crate::pipeline::OUTPUT_MARKER;

/// One input of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A document pair (or an Arabic-only document) to segment and align.
    Pair(PairSpec),
    /// A TMX file: its units are already aligned one to one and are checked
    /// and exported as they are (one document per `x-doc` property).
    Tmx(PathBuf),
}

impl Input {
    /// The file named in messages about this input.
    pub fn path(&self) -> &Path {
        match self {
            Input::Pair(s) => &s.ar,
            Input::Tmx(p) => p,
        }
    }
}

/// The inputs of a corpus directory (recursive): the pairs and Arabic-only
/// documents [`pipeline::discover`] finds, then every `*.tmx` file (sorted by
/// path), except in output directories of earlier runs (marked with
/// [`OUTPUT_MARKER`]) and `.termalign*` temporary directories. Unpaired
/// English files are reported in the diagnostics.
pub fn discover(dir: &Path) -> Result<(Vec<Input>, Vec<Diagnostic>)> {
    let files = pipeline::corpus_files(dir)?;
    let (specs, diags) = pipeline::pairs_in(dir, &files);
    let tmx = files.into_iter().filter(|p| {
        p.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("tmx"))
    });
    let inputs: Vec<Input> = specs
        .into_iter()
        .map(Input::Pair)
        .chain(tmx.map(Input::Tmx))
        .collect();
    if inputs.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no documents found (expected <name>.ar.txt or .tmx files)",
            dir.display()
        )));
    }
    Ok((inputs, diags))
}

/// Load one input: segment and align a pair, or read a TMX file.
pub fn load(input: &Input, opts: &LoadOptions) -> Result<(Vec<AlignedDoc>, Vec<Diagnostic>)> {
    match input {
        Input::Pair(spec) => pipeline::load_pair(spec, opts).map(|(d, diags)| (vec![d], diags)),
        Input::Tmx(p) => crate::export::tmx::read_with_diagnostics(p),
    }
}

/// Options of a corpus run.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Reading, segmentation and alignment (set `align.dictionary` from the
    /// glossary).
    pub load: LoadOptions,
    /// Which checks run.
    pub check: CheckOptions,
    /// Term extraction.
    pub extract: ExtractOptions,
    /// CSV exports.
    pub csv: CsvOptions,
    /// TMX exports.
    pub tmx: TmxOptions,
    /// Documents loaded at once (the memory bound); at least 1.
    pub chunk: usize,
    /// Stop at the first document that cannot be read.
    pub strict: bool,
    /// Beads shown in full in the HTML report: whole documents are kept for
    /// it, in input order, while their beads add up to at most this; after
    /// that only documents with findings or low-confidence beads, up to as
    /// many beads again.
    pub report_beads: usize,
    /// Beads of bilingual documents scoring below this are low-confidence.
    pub low_confidence: f64,
}

/// Something the caller may want to show while the corpus runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// A warning about an input (bad byte, skipped row, alignment warning…).
    Diagnostic(&'a Diagnostic),
    /// An input could not be read and is left out of the run.
    Skipped(&'a Error),
    /// Progress after a chunk.
    Progress {
        /// Inputs done so far.
        done: usize,
        /// All inputs.
        total: usize,
        /// Segments (both languages) of the documents done so far.
        segments: usize,
    },
}

/// Figures of a run, for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Documents processed.
    pub docs: usize,
    /// Of which bilingual (with an English side).
    pub bilingual: usize,
    /// Beads in all.
    pub beads: usize,
    /// Segments in all (both languages).
    pub segments: usize,
    /// Sum of the scores of bilingual beads.
    pub score_sum: f64,
    /// Number of bilingual beads.
    pub scored: usize,
    /// Bilingual beads below the low-confidence threshold.
    pub low: usize,
    /// Inputs left out because they could not be read, with the error.
    pub skipped: Vec<String>,
    /// Bytes of input read (file sizes).
    pub input_bytes: u64,
}

impl Stats {
    /// Mean confidence of bilingual beads, if any.
    pub fn mean(&self) -> Option<f64> {
        (self.scored > 0).then(|| self.score_sum / self.scored as f64)
    }
}

/// What a corpus run gives besides the files it wrote.
pub struct Outcome {
    /// Findings of the whole corpus (sorted as [`crate::check::check`]).
    pub findings: Vec<Finding>,
    /// The per-term variant report.
    pub variants: Vec<VariantRow>,
    /// Term candidates.
    pub candidates: Vec<Candidate>,
    /// The documents the HTML report shows.
    pub report_docs: Vec<AlignedDoc>,
    /// Set when the report leaves documents out: says which, for the reader.
    pub report_note: Option<String>,
    /// Figures for the summary.
    pub stats: Stats,
}

/// Run the corpus through the pipeline, writing into `dir` (which must
/// exist): `aligned/<doc>.csv` and `.tmx` for each document, `corpus.csv`
/// and `corpus.tmx`. Returns the findings, variant report, candidates and
/// report documents for the caller to write. `events` sees diagnostics,
/// skipped inputs and progress. `matcher` is built for `glossary` (the
/// caller keeps it, e.g. to highlight terms in the report, so a large
/// glossary is compiled once).
pub fn run(
    inputs: &[Input],
    glossary: &Glossary,
    matcher: &TermMatcher,
    dir: &Path,
    opts: &CorpusOptions,
    events: &mut dyn FnMut(Event),
) -> Result<Outcome> {
    let mut checker = Checker::new(glossary, matcher, opts.check.clone()).spill_in(dir)?;
    let mut variants = Variants::new(glossary, matcher);
    let mut extractor = Extractor::spill_in(dir)?;
    let mut stats = Stats::default();

    let aligned = dir.join("aligned");
    fs::create_dir_all(&aligned).map_err(|e| Error::io(&aligned, e))?;
    let mut csv_out = Stream::create(&dir.join("corpus.csv"))?;
    let mut tmx_out = Stream::create(&dir.join("corpus.tmx"))?;
    let csv_empty = to_vec(|w| crate::export::csv::write_aligned(w, &[], &opts.csv));
    let tmx_empty = to_vec(|w| crate::export::tmx::write(w, &[], &opts.tmx));
    let tmx_head = tmx_empty
        .windows(6)
        .position(|w| w == b"<body>")
        .map(|i| i + 6)
        .unwrap_or(0);
    csv_out.put(&csv_empty)?;
    tmx_out.put(&tmx_empty[..tmx_head])?;
    let mut tmx_foot: Option<Vec<u8>> = None;

    let mut used_names: HashSet<String> = HashSet::new();
    let mut report = ReportPicker::new(opts.report_beads);
    let chunk = opts.chunk.max(1);
    let mut done = 0;
    for part in inputs.chunks(chunk) {
        let loaded: Vec<_> = part.par_iter().map(|i| load(i, &opts.load)).collect();
        let mut docs = Vec::new();
        for (input, r) in part.iter().zip(loaded) {
            match r {
                Ok((ds, diags)) => {
                    for d in &diags {
                        events(Event::Diagnostic(d));
                    }
                    stats.input_bytes += input_bytes(input);
                    docs.extend(ds);
                }
                Err(e) => {
                    if opts.strict {
                        return Err(e);
                    }
                    events(Event::Skipped(&e));
                    stats.skipped.push(e.to_string());
                }
            }
        }
        done += part.len();

        let first_doc = stats.docs;
        for d in &docs {
            stats.docs += 1;
            stats.beads += d.alignment.beads.len();
            stats.segments += d.ar.len() + d.en.len();
            if !d.en.is_empty() {
                stats.bilingual += 1;
                for b in &d.alignment.beads {
                    stats.score_sum += b.score;
                    stats.scored += 1;
                    if b.score < opts.low_confidence {
                        stats.low += 1;
                    }
                }
            }
        }
        checker.add(&docs)?;
        variants.add(&docs);
        extractor.add(&docs)?;

        // Per-document files (in parallel), then the corpus streams.
        let names: Vec<String> = docs
            .iter()
            .map(|d| unique_name(&d.name, &mut used_names))
            .collect();
        docs.par_iter()
            .zip(names.par_iter())
            .try_for_each(|(d, name)| write_doc(&aligned, name, d, opts))?;
        let body = to_vec(|w| crate::export::csv::write_aligned(w, &docs, &opts.csv));
        csv_out.put(&body[csv_empty.len().min(body.len())..])?;
        let full = to_vec(|w| crate::export::tmx::write(w, &docs, &opts.tmx));
        let foot = tmx_footer_start(&full);
        if foot > tmx_head {
            tmx_out.put(&full[tmx_head..foot])?;
            tmx_foot.get_or_insert_with(|| full[foot..].to_vec());
        }

        for (i, d) in docs.into_iter().enumerate() {
            let interesting = checker.doc_has_findings(first_doc + i)
                || (!d.en.is_empty()
                    && d.alignment
                        .beads
                        .iter()
                        .any(|b| b.score < opts.low_confidence));
            report.offer(d, interesting);
        }
        events(Event::Progress {
            done,
            total: inputs.len(),
            segments: stats.segments,
        });
    }
    match &tmx_foot {
        Some(f) => tmx_out.put(f)?,
        None => tmx_out.put(&tmx_empty[tmx_head..])?,
    }
    csv_out.finish()?;
    tmx_out.finish()?;

    let findings = checker.finish()?;
    let variants = variants.finish();
    let candidates = extractor.finish(Some(glossary), &opts.extract)?;
    let (report_docs, report_note) = report.finish(stats.docs, opts.report_beads);
    Ok(Outcome {
        findings,
        variants,
        candidates,
        report_docs,
        report_note,
        stats,
    })
}

fn input_bytes(input: &Input) -> u64 {
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    match input {
        Input::Pair(s) => size(&s.ar) + s.en.as_deref().map(size).unwrap_or(0),
        Input::Tmx(p) => size(p),
    }
}

/// Where the TMX footer (`</body></tmx>` and the whitespace before it)
/// starts in a complete TMX document.
fn tmx_footer_start(full: &[u8]) -> usize {
    let Some(i) = full.windows(7).rposition(|w| w == b"</body>") else {
        return full.len();
    };
    let mut j = i;
    while j > 0 && matches!(full[j - 1], b' ' | b'\n' | b'\r' | b'\t') {
        j -= 1;
    }
    j
}

fn to_vec(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Vec<u8> {
    let mut v = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = f(&mut v);
    v
}

/// An output file written in pieces.
struct Stream {
    path: PathBuf,
    w: BufWriter<fs::File>,
}

impl Stream {
    fn create(path: &Path) -> Result<Self> {
        let f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(Stream {
            path: path.to_path_buf(),
            w: BufWriter::new(f),
        })
    }
    fn put(&mut self, b: &[u8]) -> Result<()> {
        self.w.write_all(b).map_err(|e| Error::io(&self.path, e))
    }
    fn finish(mut self) -> Result<()> {
        self.w.flush().map_err(|e| Error::io(&self.path, e))
    }
}

fn write_file(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = BufWriter::new(file);
    f(&mut w).map_err(|e| Error::io(path, e))?;
    w.flush().map_err(|e| Error::io(path, e))
}

fn write_doc(dir: &Path, name: &str, d: &AlignedDoc, opts: &CorpusOptions) -> Result<()> {
    let one = std::slice::from_ref(d);
    write_file(&dir.join(format!("{name}.csv")), |w| {
        crate::export::csv::write_aligned(w, one, &opts.csv)
    })?;
    write_file(&dir.join(format!("{name}.tmx")), |w| {
        crate::export::tmx::write(w, one, &opts.tmx)
    })
}

/// A document name as one file name: letters, digits, `-`, `_`, `.` kept,
/// everything else (path separators included) `_`; no leading dot.
pub fn safe_name(name: &str) -> String {
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

/// [`safe_name`], made unique (case-insensitively) among `used` with a
/// `~2`, `~3`… suffix; the name is added to `used`.
pub fn unique_name(name: &str, used: &mut HashSet<String>) -> String {
    let base = safe_name(name);
    let mut out = base.clone();
    let mut n = 1;
    while !used.insert(out.to_lowercase()) {
        n += 1;
        out = format!("{base}~{n}");
    }
    out
}

/// Chooses the documents the HTML report shows.
struct ReportPicker {
    budget: usize,
    full_beads: usize,
    extra_beads: usize,
    docs: Vec<AlignedDoc>,
    full_phase: bool,
    extra_docs: usize,
}

impl ReportPicker {
    fn new(budget: usize) -> Self {
        ReportPicker {
            budget,
            full_beads: 0,
            extra_beads: 0,
            docs: Vec::new(),
            full_phase: true,
            extra_docs: 0,
        }
    }

    fn offer(&mut self, d: AlignedDoc, interesting: bool) {
        let n = d.alignment.beads.len();
        if self.full_phase {
            if self.full_beads + n <= self.budget {
                self.full_beads += n;
                self.docs.push(d);
                return;
            }
            self.full_phase = false;
        }
        if interesting && self.extra_beads + n <= self.budget {
            self.extra_beads += n;
            self.extra_docs += 1;
            self.docs.push(d);
        }
    }

    fn finish(self, total: usize, budget: usize) -> (Vec<AlignedDoc>, Option<String>) {
        if self.docs.len() == total {
            return (self.docs, None);
        }
        let full = self.docs.len() - self.extra_docs;
        let note = format!(
            "This report shows {} of {} documents: the first {} in full (up to {} beads), then {} of the \
remaining {} documents that have findings or low-confidence beads (up to {} beads more). \
The findings list and every output file (corpus.csv, corpus.tmx, findings.csv, aligned/) cover the whole corpus.",
            self.docs.len(),
            total,
            full,
            budget,
            self.extra_docs,
            total - full,
            budget
        );
        (self.docs, Some(note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alignment, Bead, Segment};

    fn seg(i: usize, t: &str) -> Segment {
        Segment::paragraph(i, t)
    }

    fn doc(name: &str, n: usize) -> AlignedDoc {
        AlignedDoc {
            name: name.into(),
            ar: (0..n)
                .map(|i| seg(i, &format!("نص <{i}> & \"x\"")))
                .collect(),
            en: (0..n)
                .map(|i| seg(i, &format!("text <{i}>\nline")))
                .collect(),
            alignment: Alignment {
                beads: (0..n)
                    .map(|i| Bead {
                        ar: vec![i],
                        en: vec![i],
                        score: 0.25 * (i % 4) as f64,
                    })
                    .collect(),
                warnings: vec![],
            },
        }
    }

    #[test]
    fn safe_unique_names() {
        let mut used = HashSet::new();
        let got: Vec<String> = ["a/b", "a_b", "../x", "حقوق", "A_B", ".."]
            .iter()
            .map(|n| unique_name(n, &mut used))
            .collect();
        assert_eq!(got, ["a_b", "a_b~2", "_x", "حقوق", "A_B~3", "doc"]);
    }

    #[test]
    fn tmx_footer_found() {
        for (text, want) in [
            (
                "<tmx><body>\n  <tu/>\n  </body>\n</tmx>\n",
                "<tmx><body>\n  <tu/>",
            ),
            ("<tmx><body></body></tmx>", "<tmx><body>"),
            ("no footer", "no footer"),
        ] {
            assert_eq!(&text[..tmx_footer_start(text.as_bytes())], want);
        }
    }

    /// The streamed corpus files equal the one-shot writers' output,
    /// whatever the chunk size, and the report picker keeps its budget.
    #[test]
    fn chunked_output_equals_one_shot() {
        let docs = vec![doc("a", 3), doc("b", 0), doc("c/d", 5), doc("e", 2)];
        let src = tempfile::tempdir().unwrap();
        let tmx_in = src.path().join("in.tmx");
        let mut opts = CorpusOptions {
            load: LoadOptions::default(),
            check: CheckOptions::default(),
            extract: ExtractOptions::default(),
            csv: CsvOptions::default(),
            tmx: TmxOptions::default(),
            chunk: 1,
            strict: true,
            report_beads: 4,
            low_confidence: 0.5,
        };
        opts.tmx.creation_date = std::time::UNIX_EPOCH;
        write_file(&tmx_in, |w| crate::export::tmx::write(w, &docs, &opts.tmx)).unwrap();
        let inputs = [Input::Tmx(tmx_in)];
        let read = crate::export::tmx::read(inputs[0].path()).unwrap();
        let want_csv = to_vec(|w| crate::export::csv::write_aligned(w, &read, &opts.csv));
        let want_tmx = to_vec(|w| crate::export::tmx::write(w, &read, &opts.tmx));
        let g = Glossary::default();
        let m = TermMatcher::new(&g);
        for chunk in [1, 2, 10] {
            opts.chunk = chunk;
            let out = tempfile::tempdir().unwrap();
            let o = run(&inputs, &g, &m, out.path(), &opts, &mut |_| {}).unwrap();
            assert_eq!(fs::read(out.path().join("corpus.csv")).unwrap(), want_csv);
            assert_eq!(fs::read(out.path().join("corpus.tmx")).unwrap(), want_tmx);
            assert_eq!(o.stats.docs, read.len());
            let shown: usize = o.report_docs.iter().map(|d| d.alignment.beads.len()).sum();
            assert!(shown <= 2 * opts.report_beads, "{shown}");
            assert_eq!(o.report_note.is_some(), o.report_docs.len() < read.len());
        }
        // A TMX of no units streams to the empty file.
        let empty = src.path().join("empty.tmx");
        write_file(&empty, |w| crate::export::tmx::write(w, &[], &opts.tmx)).unwrap();
        let out = tempfile::tempdir().unwrap();
        run(
            &[Input::Tmx(empty.clone())],
            &g,
            &m,
            out.path(),
            &opts,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(
            fs::read(out.path().join("corpus.tmx")).unwrap(),
            fs::read(&empty).unwrap()
        );
    }
}
