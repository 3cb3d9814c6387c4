//! The pipeline from files to aligned documents, for one pair or a corpus.
//! This is the only place (with [`crate::read`] and [`crate::output`]) that
//! touches files.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::align::{self, AlignOptions};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{AlignedDoc, Alignment, Bead, Lang};
use crate::read::{self, Encoding};
use crate::segment::{self, Level};

/// How input files are segmented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputMode {
    /// Segment as `termalign segment` does (paragraphs, headings, metadata).
    #[default]
    Text,
    /// Every line is one segment (blank lines included).
    Lines,
}

/// One document of a corpus: an Arabic file and, usually, its English original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairSpec {
    /// Document name, used in reports and output file names.
    pub name: String,
    /// Arabic file.
    pub ar: PathBuf,
    /// English file (None: Arabic-only document).
    pub en: Option<PathBuf>,
}

/// Options for loading and aligning documents.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Segmentation mode.
    pub input: InputMode,
    /// Paragraph or sentence alignment.
    pub level: Level,
    /// Input encoding.
    pub encoding: Encoding,
    /// Aligner options.
    pub align: AlignOptions,
}

fn segments_of(text: &str, lang: Lang, opts: &LoadOptions) -> Vec<crate::model::Segment> {
    match opts.input {
        InputMode::Text => segment::segment_text(text, lang, Level::Paragraph),
        InputMode::Lines => segment::segment_lines(text),
    }
}

/// Read, segment and align one document pair (or an Arabic-only document).
pub fn load_pair(spec: &PairSpec, opts: &LoadOptions) -> Result<(AlignedDoc, Vec<Diagnostic>)> {
    let mut diags = Vec::new();
    let ar_dec = read::read_text(&spec.ar, opts.encoding)?;
    diags.extend(ar_dec.diagnostics);
    let ar = segments_of(&ar_dec.text, Lang::Ar, opts);
    let Some(en_path) = &spec.en else {
        let beads = (0..ar.len())
            .map(|i| Bead {
                ar: vec![i],
                en: vec![],
                score: 0.0,
            })
            .collect();
        let doc = AlignedDoc {
            name: spec.name.clone(),
            ar,
            en: Vec::new(),
            alignment: Alignment {
                beads,
                warnings: Vec::new(),
            },
        };
        return Ok((doc, diags));
    };
    let en_dec = read::read_text(en_path, opts.encoding)?;
    diags.extend(en_dec.diagnostics);
    let en = segments_of(&en_dec.text, Lang::En, opts);
    let para = align::align(&ar, &en, &opts.align);
    let (ar, en, alignment) = match opts.level {
        Level::Paragraph => (ar, en, para),
        Level::Sentence => align::align_sentences(&ar, &en, &para, &opts.align),
    };
    for w in &alignment.warnings {
        diags.push(Diagnostic {
            path: spec.ar.clone(),
            line: None,
            msg: w.clone(),
        });
    }
    Ok((
        AlignedDoc {
            name: spec.name.clone(),
            ar,
            en,
            alignment,
        },
        diags,
    ))
}

/// Load many documents in parallel; results come back in input order
/// whatever the number of threads.
pub fn load_all(
    specs: &[PairSpec],
    opts: &LoadOptions,
) -> Vec<Result<(AlignedDoc, Vec<Diagnostic>)>> {
    specs.par_iter().map(|s| load_pair(s, opts)).collect()
}

/// Find the documents of a corpus directory (recursively): `<name>.ar.txt`
/// with its partner `<name>.en.txt`. An Arabic file without its partner is
/// an Arabic-only document; an English file without its partner is reported.
pub fn discover(dir: &Path) -> Result<(Vec<PairSpec>, Vec<Diagnostic>)> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut specs = Vec::new();
    let mut diags = Vec::new();
    for f in &files {
        let Some(fname) = f.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(stem) = fname.strip_suffix(".ar.txt") {
            let en = f.with_file_name(format!("{stem}.en.txt"));
            let rel = f
                .parent()
                .and_then(|p| p.strip_prefix(dir).ok())
                .map(|p| p.join(stem))
                .unwrap_or_else(|| PathBuf::from(stem));
            specs.push(PairSpec {
                name: rel.to_string_lossy().replace('\\', "/"),
                ar: f.clone(),
                en: en.exists().then_some(en),
            });
        } else if let Some(stem) = fname.strip_suffix(".en.txt") {
            if !f.with_file_name(format!("{stem}.ar.txt")).exists() {
                diags.push(Diagnostic {
                    path: f.clone(),
                    line: None,
                    msg: "English file has no Arabic partner (<name>.ar.txt); skipped".into(),
                });
            }
        }
    }
    if specs.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no documents found (expected <name>.ar.txt files)",
            dir.display()
        )));
    }
    Ok((specs, diags))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        let ft = entry.file_type().map_err(|e| Error::io(&p, e))?;
        if ft.is_dir() {
            walk(&p, out)?;
        } else if ft.is_file() {
            out.push(p);
        }
    }
    Ok(())
}
