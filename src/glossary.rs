//! Glossaries: concepts with English terms and Arabic renderings.
//!
//! A glossary is a list of [`Concept`]s. It is read from and written to
//!
//! * **CSV / TSV** (UTF-8, BOM optional): a header row naming the columns,
//!   in any order. `en` and `ar` are required; `forbidden`, `note`,
//!   `domain`, `id`, `source`, `context` are optional; unknown columns are
//!   ignored. Several variants share one cell separated by `|`
//!   (`trafficking in persons|human trafficking`). A malformed row (no
//!   English term, no Arabic rendering, unreadable record) is reported as a
//!   [`Diagnostic`] with its file and line and skipped, or stops the load in
//!   strict mode.
//! * **TBX-Basic** (ISO 30042:2019, DCA style): one `conceptEntry` per
//!   concept, `langSec xml:lang="en"` / `"ar"`, one `termSec` per term with
//!   `termNote type="administrativeStatus"` (`preferredTerm-admn-sts` for
//!   the first term, `admittedTerm-admn-sts` for the others,
//!   `deprecatedTerm-admn-sts` for forbidden Arabic renderings).
//!
//! ```
//! use termalign::glossary::{read_csv, write_csv};
//! let text = "en,ar,forbidden\nvictim|victims,ضحية|ضحايا,\n";
//! let (g, diags) = read_csv(text, std::path::Path::new("g.csv"), b',', false).unwrap();
//! assert!(diags.is_empty());
//! assert_eq!(g.concepts[0].ar, vec!["ضحية", "ضحايا"]);
//! let mut out = Vec::new();
//! write_csv(&mut out, &g).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("victim|victims"));
//! ```

use std::io::{self, Write};
use std::path::Path;

use quick_xml::events::{BytesDecl, BytesText, Event};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result};
use crate::export::csv_safe;
use crate::normalize::{arabic_key, english_key, ArabicMode};

/// One concept: English term variants and their Arabic renderings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Stable identifier.
    pub id: String,
    /// English term and its variants; the first is the preferred term.
    pub en: Vec<String>,
    /// Approved Arabic renderings (broken plurals listed as renderings too).
    pub ar: Vec<String>,
    /// Forbidden or deprecated Arabic renderings.
    pub forbidden: Vec<String>,
    /// Free note.
    pub note: String,
    /// Subject domain.
    pub domain: String,
    /// Where the equivalence comes from.
    pub source: String,
    /// An Arabic context sentence for the preferred rendering (may be empty).
    #[serde(default)]
    pub context: String,
}

/// A glossary: a list of concepts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Glossary {
    /// Concepts in file order.
    pub concepts: Vec<Concept>,
}

impl Glossary {
    /// (English key, Arabic key) pairs for the aligner's dictionary: every
    /// English variant with every approved rendering, plus the word-by-word
    /// pairs of terms that have the same number of words on both sides.
    /// Keys are normalised ([`english_key`], strict [`arabic_key`]).
    pub fn dictionary_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in &self.concepts {
            for en in &c.en {
                let ek = english_key(en.trim());
                for ar in &c.ar {
                    let ak = arabic_key(ar.trim(), ArabicMode::Strict);
                    if ek.is_empty() || ak.is_empty() {
                        continue;
                    }
                    let ew: Vec<&str> = ek.split_whitespace().collect();
                    let aw: Vec<&str> = ak.split_whitespace().collect();
                    if seen.insert((ek.clone(), ak.clone())) {
                        out.push((ek.clone(), ak.clone()));
                    }
                    if ew.len() == 1 && aw.len() > 1 {
                        // Single English word against a phrase: pair it with
                        // the phrase's head word too.
                        let p = (ew[0].to_string(), aw[0].to_string());
                        if seen.insert(p.clone()) {
                            out.push(p);
                        }
                    }
                }
            }
        }
        out
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// True if the glossary has no concepts.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// The preferred English term of concept `i` (empty if out of range).
    pub fn term(&self, i: usize) -> &str {
        self.concepts
            .get(i)
            .and_then(|c| c.en.first())
            .map(String::as_str)
            .unwrap_or("")
    }
}

impl Glossary {
    /// Append the concepts of `other` (e.g. a second glossary file). Call
    /// [`Glossary::dedupe`] afterwards to merge duplicate concepts.
    pub fn merge(&mut self, other: Glossary) {
        self.concepts.extend(other.concepts);
    }

    /// Merge every concept whose preferred English term has the same key
    /// ([`english_key`]) as an earlier concept's into that earlier concept:
    /// union of English variants, approved and forbidden renderings (compared
    /// on their matching keys; first spelling kept, order kept); note,
    /// domain, source and context taken from the later concept only where
    /// the earlier one has none. Returns, for each concept merged away, its
    /// index before the merge and a warning message naming both concepts.
    pub fn dedupe(&mut self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut first: std::collections::HashMap<String, usize> = Default::default();
        let mut kept: Vec<Concept> = Vec::with_capacity(self.concepts.len());
        for (i, c) in std::mem::take(&mut self.concepts).into_iter().enumerate() {
            let key =
                c.en.first()
                    .map(|t| english_key(t.trim()))
                    .unwrap_or_default();
            let Some(&k) = (!key.is_empty()).then(|| first.get(&key)).flatten() else {
                if !key.is_empty() {
                    first.insert(key, kept.len());
                }
                kept.push(c);
                continue;
            };
            let into = &mut kept[k];
            out.push((
                i,
                format!(
                    "concept {:?} ({:?}) duplicates concept {:?}: merged into it (union of renderings)",
                    c.id,
                    c.en.first().map(String::as_str).unwrap_or(""),
                    into.id
                ),
            ));
            union(&mut into.en, c.en, |t| english_key(t.trim()));
            union(&mut into.ar, c.ar, |t| {
                arabic_key(t.trim(), ArabicMode::Strict)
            });
            union(&mut into.forbidden, c.forbidden, |t| {
                arabic_key(t.trim(), ArabicMode::Strict)
            });
            for (dst, src) in [
                (&mut into.note, c.note),
                (&mut into.domain, c.domain),
                (&mut into.source, c.source),
                (&mut into.context, c.context),
            ] {
                if dst.trim().is_empty() {
                    *dst = src;
                }
            }
        }
        self.concepts = kept;
        out
    }
}

/// Append the items of `add` whose key is not already in `dst`.
fn union(dst: &mut Vec<String>, add: Vec<String>, key: impl Fn(&str) -> String) {
    let mut seen: std::collections::HashSet<String> = dst.iter().map(|t| key(t)).collect();
    for t in add {
        if seen.insert(key(&t)) {
            dst.push(t);
        }
    }
}

/// Load several glossary files into one glossary ([`load`] each, then
/// [`Glossary::merge`] and [`Glossary::dedupe`]); each merged duplicate
/// concept is reported as a warning naming the file it came from.
pub fn load_many(
    paths: &[std::path::PathBuf],
    strict: bool,
) -> Result<(Glossary, Vec<Diagnostic>)> {
    let mut g = Glossary::default();
    let mut diags = Vec::new();
    let mut origin = Vec::new();
    for p in paths {
        let (one, d) = load(p, strict)?;
        diags.extend(d);
        origin.extend(std::iter::repeat(p.clone()).take(one.concepts.len()));
        g.merge(one);
    }
    for (i, msg) in g.dedupe() {
        diags.push(Diagnostic {
            path: origin[i].clone(),
            line: None,
            msg,
        });
    }
    Ok((g, diags))
}

/// Load a glossary file, choosing the reader by extension: `.csv`, `.tsv`
/// (or `.txt`, tab-separated), `.tbx` / `.xml`. Duplicate concepts in the
/// file are merged ([`Glossary::dedupe`]), each with a warning.
pub fn load(path: &Path, strict: bool) -> Result<(Glossary, Vec<Diagnostic>)> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let dec = crate::read::read_text(path, crate::read::Encoding::Auto)?;
    let (g, mut diags) = match ext.as_str() {
        "csv" => read_csv(&dec.text, path, b',', strict)?,
        "tsv" | "tab" | "txt" => read_csv(&dec.text, path, b'\t', strict)?,
        "tbx" | "xml" => read_tbx(&dec.text, path, strict)?,
        _ => {
            return Err(Error::parse(
                path,
                None,
                "unknown glossary format (expected .csv, .tsv or .tbx)",
            ))
        }
    };
    let mut all = dec.diagnostics;
    all.append(&mut diags);
    if g.concepts.is_empty() {
        return Err(Error::parse(path, None, "glossary has no usable concepts"));
    }
    // Duplicate concepts inside one file are merged too, with a warning.
    let mut g = g;
    for (_, msg) in g.dedupe() {
        all.push(Diagnostic {
            path: path.to_path_buf(),
            line: None,
            msg,
        });
    }
    Ok((g, all))
}

/// Split a `|`-separated cell into trimmed, non-empty variants.
pub fn split_variants(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Read a CSV (or, with `delim = b'\t'`, TSV) glossary from `text`; `path`
/// is used in messages. Bad rows become diagnostics (or an error if
/// `strict`).
pub fn read_csv(
    text: &str,
    path: &Path,
    delim: u8,
    strict: bool,
) -> Result<(Glossary, Vec<Diagnostic>)> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(path, Some(1), format!("bad header: {e}")))?
        .clone();
    let col = |name: &str| {
        headers.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{FEFF}')
                .eq_ignore_ascii_case(name)
        })
    };
    let (Some(en_col), Some(ar_col)) = (col("en"), col("ar")) else {
        return Err(Error::parse(
            path,
            Some(1),
            "header must name the columns `en` and `ar`",
        ));
    };
    let (fb_col, note_col, dom_col, id_col, src_col, ctx_col) = (
        col("forbidden"),
        col("note"),
        col("domain"),
        col("id"),
        col("source"),
        col("context"),
    );
    let mut g = Glossary::default();
    let mut diags = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let line_guess = rdr.position().line() as usize;
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| p.line() as usize)
                    .unwrap_or(line_guess);
                let msg = format!("unreadable row: {e}");
                skip_or_fail(&msg, "row", path, line, strict, &mut diags)?;
                continue;
            }
        }
        let line = rec
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(line_guess);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: Option<usize>| {
            c.and_then(|i| rec.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let en = split_variants(&cell(Some(en_col)));
        let ar = split_variants(&cell(Some(ar_col)));
        let problem = if en.is_empty() {
            Some("row has no English term (`en` is empty)")
        } else if ar.is_empty() {
            Some("row has no Arabic rendering (`ar` is empty)")
        } else {
            None
        };
        if let Some(p) = problem {
            skip_or_fail(p, "row", path, line, strict, &mut diags)?;
            continue;
        }
        let mut id = cell(id_col);
        if id.is_empty() {
            id = format!("c{}", g.concepts.len() + 1);
        }
        g.concepts.push(Concept {
            id,
            en,
            ar,
            forbidden: split_variants(&cell(fb_col)),
            note: cell(note_col),
            domain: cell(dom_col),
            source: cell(src_col),
            context: cell(ctx_col),
        });
    }
    Ok((g, diags))
}

/// A bad row or entry: an error with `strict`, otherwise a diagnostic
/// saying it was skipped.
fn skip_or_fail(
    problem: &str,
    what: &str,
    path: &Path,
    line: usize,
    strict: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    if strict {
        return Err(Error::parse(path, Some(line), problem));
    }
    diags.push(Diagnostic {
        path: path.to_path_buf(),
        line: Some(line),
        msg: format!("{problem}; {what} skipped"),
    });
    Ok(())
}

/// Write a glossary as UTF-8 CSV: header `id,en,ar,forbidden,note,domain,source,context`,
/// variants joined with `|`, every cell passed through [`csv_safe`].
pub fn write_csv(w: &mut dyn Write, g: &Glossary) -> io::Result<()> {
    let mut wr = csv::Writer::from_writer(w);
    wr.write_record([
        "id",
        "en",
        "ar",
        "forbidden",
        "note",
        "domain",
        "source",
        "context",
    ])?;
    for c in &g.concepts {
        let cells = [
            c.id.clone(),
            c.en.join("|"),
            c.ar.join("|"),
            c.forbidden.join("|"),
            c.note.clone(),
            c.domain.clone(),
            c.source.clone(),
            c.context.clone(),
        ];
        wr.write_record(cells.iter().map(|s| csv_safe(s).into_owned()))?;
    }
    wr.flush()?;
    Ok(())
}

/// Which TBX generation to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TbxVersion {
    /// TBX v3, ISO 30042:2019: `<tbx>`, `conceptEntry`, `langSec`, `termSec`.
    #[default]
    V3,
    /// TBX v2, ISO 30042:2008 ("martif"): `<martif>`, `termEntry`, `langSet`,
    /// `tig` — what older CAT tools and Translate Toolkit import.
    V2,
}

/// Element names of a TBX generation.
struct TbxNames {
    root: &'static str,
    header: &'static str,
    entry: &'static str,
    lang: &'static str,
    term: &'static str,
}

impl TbxVersion {
    fn names(self) -> TbxNames {
        match self {
            TbxVersion::V3 => TbxNames {
                root: "tbx",
                header: "tbxHeader",
                entry: "conceptEntry",
                lang: "langSec",
                term: "termSec",
            },
            TbxVersion::V2 => TbxNames {
                root: "martif",
                header: "martifHeader",
                entry: "termEntry",
                lang: "langSet",
                term: "tig",
            },
        }
    }
}

/// Write a glossary as TBX-Basic (ISO 30042:2019, DCA style). Text is
/// escaped by the XML writer; characters XML forbids are removed.
pub fn write_tbx(w: &mut dyn Write, g: &Glossary) -> io::Result<()> {
    write_tbx_version(w, g, TbxVersion::V3)
}

/// Write a glossary as TBX-Basic of the given generation (same content:
/// administrative status, subject field, note, source, context).
pub fn write_tbx_version(w: &mut dyn Write, g: &Glossary, version: TbxVersion) -> io::Result<()> {
    use crate::export::xml_clean;
    let n = version.names();
    let mut x = quick_xml::Writer::new_with_indent(w, b' ', 2);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io::Error::other)?;
    let text_el = |x: &mut quick_xml::Writer<&mut dyn Write>,
                   name: &str,
                   attrs: &[(&str, &str)],
                   text: &str|
     -> io::Result<()> {
        let mut el = x.create_element(name);
        for a in attrs {
            el = el.with_attribute(*a);
        }
        el.write_text_content(BytesText::new(&xml_clean(text)))?;
        Ok(())
    };
    let root_attrs: &[(&str, &str)] = match version {
        TbxVersion::V3 => &[
            ("type", "TBX-Basic"),
            ("style", "dca"),
            ("xml:lang", "en"),
            ("xmlns", "urn:iso:std:iso:30042:ed-2"),
        ],
        TbxVersion::V2 => &[("type", "TBX-Basic"), ("xml:lang", "en")],
    };
    x.create_element(n.root)
        .with_attributes(root_attrs.iter().copied())
        .write_inner_content(|x| -> io::Result<()> {
            x.create_element(n.header).write_inner_content(|x| {
                x.create_element("fileDesc").write_inner_content(|x| {
                    x.create_element("sourceDesc").write_inner_content(|x| {
                        x.create_element("p").write_text_content(BytesText::new(
                            "Glossary exported by termalign (English/Arabic)",
                        ))?;
                        Ok::<(), io::Error>(())
                    })?;
                    Ok::<(), io::Error>(())
                })?;
                Ok::<(), io::Error>(())
            })?;
            x.create_element("text").write_inner_content(|x| {
                x.create_element("body").write_inner_content(|x| {
                    for (i, c) in g.concepts.iter().enumerate() {
                        let id = if c.id.is_empty() {
                            format!("c{}", i + 1)
                        } else {
                            xml_clean(&c.id).into_owned()
                        };
                        x.create_element(n.entry)
                            .with_attribute(("id", id.as_str()))
                            .write_inner_content(|x| {
                                if !c.domain.is_empty() {
                                    text_el(x, "descrip", &[("type", "subjectField")], &c.domain)?;
                                }
                                if !c.note.is_empty() {
                                    text_el(x, "note", &[], &c.note)?;
                                }
                                if !c.source.is_empty() {
                                    text_el(x, "admin", &[("type", "source")], &c.source)?;
                                }
                                write_lang(x, &n, "en", &c.en, &[], "")?;
                                write_lang(x, &n, "ar", &c.ar, &c.forbidden, &c.context)?;
                                Ok::<(), io::Error>(())
                            })?;
                    }
                    Ok::<(), io::Error>(())
                })?;
                Ok::<(), io::Error>(())
            })?;
            Ok(())
        })?;
    x.get_mut().write_all(b"\n")?;
    Ok(())
}

fn write_lang(
    x: &mut quick_xml::Writer<&mut dyn Write>,
    n: &TbxNames,
    lang: &str,
    terms: &[String],
    deprecated: &[String],
    context: &str,
) -> io::Result<()> {
    use crate::export::xml_clean;
    if terms.is_empty() && deprecated.is_empty() {
        return Ok(());
    }
    x.create_element(n.lang)
        .with_attribute(("xml:lang", lang))
        .write_inner_content(|x| {
            let all = terms
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    (
                        t,
                        if i == 0 {
                            "preferredTerm-admn-sts"
                        } else {
                            "admittedTerm-admn-sts"
                        },
                    )
                })
                .chain(deprecated.iter().map(|t| (t, "deprecatedTerm-admn-sts")));
            for (i, (t, status)) in all.enumerate() {
                x.create_element(n.term).write_inner_content(|x| {
                    x.create_element("term")
                        .write_text_content(BytesText::new(&xml_clean(t)))?;
                    x.create_element("termNote")
                        .with_attribute(("type", "administrativeStatus"))
                        .write_text_content(BytesText::new(status))?;
                    if i == 0 && !context.is_empty() {
                        x.create_element("descrip")
                            .with_attribute(("type", "context"))
                            .write_text_content(BytesText::new(&xml_clean(context)))?;
                    }
                    Ok::<(), io::Error>(())
                })?;
            }
            Ok::<(), io::Error>(())
        })?;
    Ok(())
}

/// Read a TBX (TBX-Basic or any DCA-style TBX) glossary from `text`; `path`
/// is used in messages. English terms become [`Concept::en`]; Arabic terms
/// become [`Concept::ar`], or [`Concept::forbidden`] when their
/// administrative status is deprecated/superseded/not recommended. A concept
/// without an English term or an Arabic rendering is reported and skipped.
pub fn read_tbx(text: &str, path: &Path, strict: bool) -> Result<(Glossary, Vec<Diagnostic>)> {
    let mut rdr = quick_xml::Reader::from_str(text);
    rdr.config_mut().trim_text(true);
    let line_at = |pos: u64| -> usize {
        let mut p = (pos as usize).min(text.len());
        while p < text.len() && text.as_bytes()[p].is_ascii_whitespace() {
            p += 1;
        }
        text.as_bytes()[..p].iter().filter(|&&b| b == b'\n').count() + 1
    };
    let mut g = Glossary::default();
    let mut diags = Vec::new();
    let mut cur: Option<(Concept, usize)> = None;
    let mut lang = String::new();
    // Current termSec: (term, status).
    let mut term: Option<(String, String)> = None;
    // Which element's text we are inside.
    let mut field: Option<String> = None;
    let mut buf_text = String::new();
    loop {
        let pos = rdr.buffer_position();
        let ev = rdr
            .read_event()
            .map_err(|e| Error::parse(path, Some(line_at(pos)), format!("bad XML: {e}")))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attr = |key: &[u8]| -> Option<String> {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key || a.key.local_name().as_ref() == key)
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                };
                match name.as_str() {
                    "conceptEntry" | "termEntry" => {
                        let id = attr(b"id").unwrap_or_default();
                        cur = Some((
                            Concept {
                                id,
                                ..Concept::default()
                            },
                            line_at(pos),
                        ));
                    }
                    "langSec" | "langSet" => {
                        lang = attr(b"xml:lang")
                            .or_else(|| attr(b"lang"))
                            .unwrap_or_default()
                            .to_ascii_lowercase();
                    }
                    "termSec" | "tig" | "ntig" => term = Some((String::new(), String::new())),
                    "term" => field = Some("term".into()),
                    "termNote" if attr(b"type").as_deref() == Some("administrativeStatus") => {
                        field = Some("status".into())
                    }
                    "descrip" | "admin" => {
                        field = match attr(b"type").as_deref() {
                            Some("subjectField") => Some("domain".into()),
                            Some("context") => Some("context".into()),
                            Some("source") => Some("source".into()),
                            Some("definition") => Some("note".into()),
                            _ => None,
                        }
                    }
                    "note" => field = Some("note".into()),
                    _ => {}
                }
                buf_text.clear();
            }
            Event::Text(t) if field.is_some() => {
                let s = t.unescape().map_err(|e| {
                    Error::parse(path, Some(line_at(pos)), format!("bad XML text: {e}"))
                })?;
                buf_text.push_str(&s);
            }
            Event::CData(t) if field.is_some() => {
                buf_text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some(f) = field.take() {
                    let v = buf_text.trim().to_string();
                    match f.as_str() {
                        "term" => {
                            if let Some(t) = term.as_mut() {
                                t.0 = v
                            }
                        }
                        "status" => {
                            if let Some(t) = term.as_mut() {
                                t.1 = v
                            }
                        }
                        other => {
                            if let Some((c, _)) = cur.as_mut() {
                                let slot = match other {
                                    "domain" => &mut c.domain,
                                    "context" => &mut c.context,
                                    "source" => &mut c.source,
                                    _ => &mut c.note,
                                };
                                if slot.is_empty() {
                                    *slot = v;
                                }
                            }
                        }
                    }
                    buf_text.clear();
                }
                match name.as_str() {
                    "termSec" | "tig" | "ntig" => {
                        if let (Some((t, status)), Some((c, _))) = (term.take(), cur.as_mut()) {
                            if t.is_empty() {
                                continue;
                            }
                            let deprecated = status.starts_with("deprecated")
                                || status.starts_with("superseded")
                                || status.starts_with("notRecommended");
                            if lang.starts_with("en") {
                                if !deprecated {
                                    c.en.push(t);
                                }
                            } else if lang.starts_with("ar") {
                                if deprecated {
                                    c.forbidden.push(t);
                                } else {
                                    c.ar.push(t);
                                }
                            }
                        }
                    }
                    "conceptEntry" | "termEntry" => {
                        if let Some((mut c, line)) = cur.take() {
                            let problem = if c.en.is_empty() {
                                Some("concept has no English term")
                            } else if c.ar.is_empty() {
                                Some("concept has no approved Arabic term")
                            } else {
                                None
                            };
                            if let Some(p) = problem {
                                skip_or_fail(p, "entry", path, line, strict, &mut diags)?;
                                continue;
                            }
                            if c.id.is_empty() {
                                c.id = format!("c{}", g.concepts.len() + 1);
                            }
                            g.concepts.push(c);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok((g, diags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupe_merges_duplicate_terms() {
        let c = |id: &str, en: &[&str], ar: &[&str], forb: &[&str], note: &str| Concept {
            id: id.into(),
            en: en.iter().map(|s| s.to_string()).collect(),
            ar: ar.iter().map(|s| s.to_string()).collect(),
            forbidden: forb.iter().map(|s| s.to_string()).collect(),
            note: note.into(),
            ..Concept::default()
        };
        // (concepts, expected (id, en, ar, forbidden, note) after, merged-away indices)
        type Want<'a> = (
            &'a str,
            &'a [&'a str],
            &'a [&'a str],
            &'a [&'a str],
            &'a str,
        );
        let table: Vec<(Vec<Concept>, Vec<Want>, Vec<usize>)> = vec![
            (
                vec![
                    c("1", &["trafficking"], &["الاتجار"], &[], ""),
                    c("2", &["victim"], &["ضحية", "ضحايا"], &[], "n"),
                    c(
                        "a",
                        &["Trafficking", "traffic"],
                        &["الإتجار", "المتاجرة"],
                        &["تهريب"],
                        "from b",
                    ),
                ],
                vec![
                    (
                        "1",
                        &["trafficking", "traffic"],
                        &["الاتجار", "المتاجرة"],
                        &["تهريب"],
                        "from b",
                    ),
                    ("2", &["victim"], &["ضحية", "ضحايا"], &[], "n"),
                ],
                vec![2],
            ),
            (
                vec![
                    c("1", &["a"], &["ب"], &[], ""),
                    c("2", &["b"], &["ب"], &[], ""),
                ],
                vec![
                    ("1", &["a"], &["ب"], &[], ""),
                    ("2", &["b"], &["ب"], &[], ""),
                ],
                vec![],
            ),
        ];
        for (concepts, want, merged) in table {
            let mut g = Glossary { concepts: vec![] };
            g.merge(Glossary { concepts });
            let got = g.dedupe();
            assert_eq!(got.iter().map(|x| x.0).collect::<Vec<_>>(), merged);
            assert!(got.iter().all(|x| x.1.contains("merged")));
            let have: Vec<_> = g
                .concepts
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.en.clone(),
                        c.ar.clone(),
                        c.forbidden.clone(),
                        c.note.clone(),
                    )
                })
                .collect();
            let want: Vec<_> = want
                .iter()
                .map(|w| {
                    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
                    (w.0.to_string(), v(w.1), v(w.2), v(w.3), w.4.to_string())
                })
                .collect();
            assert_eq!(have, want);
        }
    }

    fn sample() -> Glossary {
        Glossary {
            concepts: vec![
                Concept {
                    id: "tip".into(),
                    en: vec!["trafficking in persons".into(), "human trafficking".into()],
                    ar: vec!["الاتجار بالأشخاص".into(), "الاتجار بالبشر".into()],
                    forbidden: vec!["تهريب البشر".into()],
                    note: "smuggling <is> a \"different\" concept & not this".into(),
                    domain: "crime".into(),
                    source: "=HYPERLINK(\"x\")".into(),
                    context: "مكافحة الاتجار بالأشخاص".into(),
                },
                Concept {
                    id: "victim".into(),
                    en: vec!["victim".into(), "victims".into()],
                    ar: vec!["ضحية".into(), "ضحايا".into()],
                    ..Concept::default()
                },
            ],
        }
    }

    #[test]
    fn csv_roundtrip_and_formula_cells() {
        let g = sample();
        let mut out = Vec::new();
        write_csv(&mut out, &g).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("id,en,ar,forbidden,note,domain,source,context\n"));
        assert!(s.contains("'=HYPERLINK"), "{s}");
        let (back, d) = read_csv(&s, Path::new("x.csv"), b',', false).unwrap();
        assert!(d.is_empty());
        assert_eq!(back.concepts[0].en, g.concepts[0].en);
        assert_eq!(back.concepts[0].forbidden, g.concepts[0].forbidden);
        assert_eq!(back.concepts[1].ar, g.concepts[1].ar);
    }

    #[test]
    fn csv_bad_rows_reported_with_line() {
        let table = [
            // (text, concepts loaded, diagnostic lines)
            ("ar,en\nضحية,victim\n,orphan\nطفل,\n", 1, vec![3, 4]),
            ("note,en,id,ar\nn,victim|victims,v,ضحية|ضحايا\n", 1, vec![]),
            ("\u{FEFF}en,ar\nlaw,القانون\n\nmarriage,الزواج\n", 2, vec![]),
        ];
        for (text, n, lines) in table {
            let (g, d) = read_csv(text, Path::new("g.csv"), b',', false).unwrap();
            assert_eq!(g.concepts.len(), n, "{text}");
            let got: Vec<usize> = d.iter().filter_map(|d| d.line).collect();
            assert_eq!(got, lines, "{text}");
        }
        let e = read_csv("ar,en\n,x\n", Path::new("g.csv"), b',', true).unwrap_err();
        assert!(e.to_string().starts_with("g.csv:2:"), "{e}");
        let e = read_csv("english,arabic\nx,y\n", Path::new("g.csv"), b',', false).unwrap_err();
        assert!(e.to_string().contains("`en`"), "{e}");
    }

    #[test]
    fn tbx_v2_carries_what_v3_carries() {
        let g = sample();
        let mut v2 = Vec::new();
        write_tbx_version(&mut v2, &g, TbxVersion::V2).unwrap();
        let v2 = String::from_utf8(v2).unwrap();
        assert!(v2.contains("<martif") && v2.contains("<termEntry") && v2.contains("<tig>"));
        assert!(!v2.contains("conceptEntry"));
        let mut v3 = Vec::new();
        write_tbx(&mut v3, &g).unwrap();
        let (a, _) = read_tbx(&v2, Path::new("v2.tbx"), true).unwrap();
        let (b, _) = read_tbx(&String::from_utf8(v3).unwrap(), Path::new("v3.tbx"), true).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.concepts.len(), g.concepts.len());
    }

    #[test]
    fn tbx_roundtrip_escaped() {
        let g = sample();
        let mut out = Vec::new();
        write_tbx(&mut out, &g).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains(r#"<tbx type="TBX-Basic" style="dca" xml:lang="en""#));
        assert!(s.contains("<conceptEntry id=\"tip\">"));
        assert!(s.contains("deprecatedTerm-admn-sts"));
        assert!(s.contains("&lt;is&gt;"), "{s}");
        assert!(s.contains(r#"<descrip type="context">"#));
        let (back, d) = read_tbx(&s, Path::new("g.tbx"), true).unwrap();
        assert!(d.is_empty());
        assert_eq!(back, g);
    }

    #[test]
    fn tbx_bad_entry_skipped() {
        let s = r#"<tbx><text><body>
<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>law</term></termSec></langSec></conceptEntry>
<conceptEntry id="b"><langSec xml:lang="en"><termSec><term>marriage</term></termSec></langSec>
<langSec xml:lang="ar"><termSec><term>الزواج</term></termSec></langSec></conceptEntry>
</body></text></tbx>"#;
        let (g, d) = read_tbx(s, Path::new("g.tbx"), false).unwrap();
        assert_eq!(g.concepts.len(), 1);
        assert_eq!(d[0].line, Some(2));
        assert!(read_tbx("<tbx><a></b></tbx>", Path::new("g.tbx"), false).is_err());
    }

    #[test]
    fn dictionary_pairs_are_keys() {
        let p = sample().dictionary_pairs();
        assert!(p.contains(&("human trafficking".into(), "الاتجار بالاشخاص".into())));
        assert!(p.contains(&("victims".into(), "ضحايا".into())));
    }
}
