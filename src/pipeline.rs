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
    // Each decoded text is dropped as soon as it is segmented: at a million
    // lines a side that is over 100 MB less at the aligner's peak.
    let ar = {
        let dec = read::read_text(&spec.ar, opts.encoding)?;
        diags.extend(dec.diagnostics);
        segments_of(&dec.text, Lang::Ar, opts)
    };
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
    let en = {
        let dec = read::read_text(en_path, opts.encoding)?;
        diags.extend(dec.diagnostics);
        segments_of(&dec.text, Lang::En, opts)
    };
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

/// File that marks a directory as the output of `termalign run`; corpus
/// walks skip such directories (and `.termalign*` temporary ones), so `-o`
/// inside the corpus is never read back as input.
pub const OUTPUT_MARKER: &str = ".termalign-run";

/// Every regular file under `dir` (recursively), sorted, leaving out the
/// outputs and temporary directories of earlier runs.
pub fn corpus_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    Ok(files)
}

/// Find the documents of a corpus directory (recursively): `<name>.ar.txt`
/// with its partner `<name>.en.txt`. An Arabic file without its partner is
/// an Arabic-only document; an English file without its partner is reported.
pub fn discover(dir: &Path) -> Result<(Vec<PairSpec>, Vec<Diagnostic>)> {
    let (specs, diags) = pairs_in(dir, &corpus_files(dir)?);
    if specs.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no documents found (expected <name>.ar.txt files)",
            dir.display()
        )));
    }
    Ok((specs, diags))
}

/// The document pairs among `files` (found under `dir`, which names them).
pub fn pairs_in(dir: &Path, files: &[PathBuf]) -> (Vec<PairSpec>, Vec<Diagnostic>) {
    let mut specs = Vec::new();
    let mut diags = Vec::new();
    for f in files {
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
            let name = rel.to_string_lossy().replace('\\', "/");
            let name = match sanitize_doc_name(&name) {
                Ok(n) => n,
                Err(msg) => {
                    diags.push(Diagnostic {
                        path: f.clone(),
                        line: None,
                        msg: format!("{msg}; skipped"),
                    });
                    continue;
                }
            };
            specs.push(PairSpec {
                name,
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
    (specs, diags)
}

/// Make a document name safe to use in output paths: `/`-separated
/// components of letters, digits, `.`, `_`, `-` (anything else becomes
/// `_`). Absolute names, empty names and `.`/`..` components are refused, so
/// nothing can be written outside the output directory.
pub fn sanitize_doc_name(name: &str) -> std::result::Result<String, String> {
    let name = name.trim().replace('\\', "/");
    if name.is_empty() {
        return Err("empty document name".into());
    }
    if name.starts_with('/') || name.contains(':') {
        return Err(format!("document name {name:?} is an absolute path"));
    }
    let mut parts = Vec::new();
    for comp in name.split('/') {
        if comp.is_empty() || comp == "." || comp == ".." {
            return Err(format!(
                "document name {name:?} has an empty, '.' or '..' component"
            ));
        }
        let clean: String = comp
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        parts.push(clean);
    }
    Ok(parts.join("/"))
}

/// Read a manifest CSV with the header `doc,ar_path,en_path` (columns in any
/// order; `en_path` may be empty for an Arabic-only document). Relative
/// paths are resolved against the manifest's directory. A bad row is
/// reported and skipped, or with `strict` stops the run.
pub fn read_manifest(path: &Path, strict: bool) -> Result<(Vec<PairSpec>, Vec<Diagnostic>)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(std::io::BufReader::new(file));
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(path, Some(1), e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(doc_c), Some(ar_c)) = (col("doc"), col("ar_path")) else {
        return Err(Error::parse(
            path,
            Some(1),
            "manifest header must name the columns doc, ar_path and en_path",
        ));
    };
    let en_c = col("en_path");
    let mut specs = Vec::new();
    let mut diags = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rec in rdr.records() {
        let (line, row) = match rec {
            Ok(r) => (r.position().map(|p| p.line() as usize), Ok(r)),
            Err(e) => (e.position().map(|p| p.line() as usize), Err(e.to_string())),
        };
        let checked = row.and_then(|r| {
            let get = |c: usize| r.get(c).unwrap_or("").to_string();
            let doc = sanitize_doc_name(&get(doc_c))?;
            let ar = get(ar_c);
            if ar.is_empty() {
                return Err("empty ar_path".into());
            }
            if !seen.insert(doc.clone()) {
                return Err(format!("duplicate document name {doc:?}"));
            }
            let en = en_c.map(get).filter(|s| !s.is_empty());
            Ok(PairSpec {
                name: doc,
                ar: base.join(ar),
                en: en.map(|e| base.join(e)),
            })
        });
        match checked {
            Ok(s) => specs.push(s),
            Err(msg) if strict => return Err(Error::parse(path, line, msg)),
            Err(msg) => diags.push(Diagnostic {
                path: path.to_path_buf(),
                line,
                msg: format!("{msg}; row skipped"),
            }),
        }
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
            let ours = p.join(OUTPUT_MARKER).is_file()
                || p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(".termalign"));
            if !ours {
                walk(&p, out)?;
            }
        } else if ft.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_names_are_sanitised() {
        let table: &[(&str, Option<&str>)] = &[
            ("udhr", Some("udhr")),
            ("sub/dir/doc-1.v2", Some("sub/dir/doc-1.v2")),
            ("a b<c>", Some("a_b_c_")),
            ("وثيقة", Some("وثيقة")),
            ("../../x", None),
            ("/etc/passwd", None),
            ("a/../b", None),
            ("C:\\x", None),
            ("", None),
        ];
        for (input, want) in table {
            assert_eq!(sanitize_doc_name(input).ok().as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn manifest_rows_checked_and_bad_rows_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("m.csv");
        std::fs::write(
            &m,
            "doc,ar_path,en_path\nok,a.ar.txt,a.en.txt\nevil,../../x,\n../../x,b.ar.txt,\nonly,c.ar.txt,\nok,d.ar.txt,\n",
        )
        .unwrap();
        let (specs, diags) = read_manifest(&m, false).unwrap();
        let names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
        // "evil" names a relative input path (allowed: inputs may live anywhere);
        // "../../x" as a document name is refused; duplicate "ok" is refused.
        assert_eq!(names, ["ok", "evil", "only"]);
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].line, Some(4));
        assert!(specs[2].en.is_none());
        let err = read_manifest(&m, true).unwrap_err().to_string();
        assert!(err.contains("m.csv:4"), "{err}");
    }
}
