//! TMX 1.4b: write aligned documents as a translation memory, and read a
//! translation memory back as aligned documents.
//!
//! # Writing
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <tmx version="1.4">
//!   <header creationtool="termalign" creationtoolversion="0.1.0" segtype="paragraph"
//!           o-tmf="termalign" adminlang="en" srclang="en" datatype="plaintext"
//!           creationdate="20240101T000000Z"/>
//!   <body>
//!     <tu tuid="udhr:0">
//!       <prop type="x-doc">udhr</prop>
//!       <prop type="x-bead">0</prop>
//!       <prop type="x-score">0.912</prop>
//!       <tuv xml:lang="en"><seg>Universal Declaration of Human Rights</seg></tuv>
//!       <tuv xml:lang="ar"><seg>الإعلان العالمي لحقوق الإنسان</seg></tuv>
//!     </tu>
//! ```
//!
//! One `<tu>` per bead, in document order; `tuid` is `doc:bead`. English is
//! the source language (`srclang`), as UN originals are. Language codes are
//! configurable ([`LangCodes`]: `en-US`, `ar-SA`…). The creation date comes
//! from the options, never from the clock, so the same input gives the same
//! bytes.
//!
//! **One-sided beads** (1–0 / 0–1: a segment with no counterpart, and every
//! bead of an Arabic-only document) are written as a `<tu>` holding only the
//! non-empty `<tuv>` plus `<note>unaligned: ar only</note>` — TMX allows a
//! `<tu>` with one `<tuv>`, and the memory stays a faithful record of the
//! document. [`TmxOptions::skip_one_sided`] leaves them out for tools that
//! want pairs only.
//!
//! Escaping: the writer escapes the five XML entities (`& < > " '`) in text
//! and attributes, and characters XML 1.0 forbids (C0 controls but tab, LF,
//! CR; U+FFFE/U+FFFF) are removed ([`super::xml_clean`]); a carriage return
//! inside a segment is written `&#13;` so parsers keep it. No DOCTYPE is
//! written, so no consumer tries to fetch a DTD.
//!
//! # Reading
//!
//! [`read`] accepts any TMX 1.1–1.4: one [`AlignedDoc`] per distinct
//! `x-doc` property (in order of first appearance), or one document named
//! after the file when units carry none. Each `<tu>` becomes a bead with at
//! most one Arabic and one English segment (so a 2–1 bead written by termalign
//! reads back as 1–1 with the joined text); languages are matched by prefix
//! (`ar*`, `en*`, from `xml:lang` or TMX 1.1's `lang`), other languages are
//! ignored. The score is the `x-score` property, 1.0 when absent (a
//! translation memory holds confirmed pairs). Text inside inline codes
//! (`bpt`, `ept`, `ph`, `it`, `ut`) is skipped; `hi` and `sub` keep their
//! text; unknown elements are ignored. Malformed XML is an error naming the
//! file and line.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use crate::error::{Diagnostic, Error, Result};
use crate::model::{AlignedDoc, Alignment, Bead, Lang, SegKind, Segment};

use super::csv::bead_note;
use super::{lang_of_code, score_cell, xml_clean, LangCodes};

/// TMX `segtype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SegType {
    /// Units are paragraphs.
    #[default]
    Paragraph,
    /// Units are sentences.
    Sentence,
}

impl SegType {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            SegType::Paragraph => "paragraph",
            SegType::Sentence => "sentence",
        }
    }
}

/// Options of the TMX writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxOptions {
    /// Language codes for `xml:lang`, `srclang` and `adminlang`.
    pub codes: LangCodes,
    /// `segtype` of the header.
    pub segtype: SegType,
    /// `creationdate` of the header. The library never reads the clock: the
    /// CLI sets this from `--date`, `SOURCE_DATE_EPOCH` or the current time.
    /// Default: the Unix epoch.
    pub creation_date: SystemTime,
    /// Leave out beads with an empty side (default false: they are written
    /// with their one `<tuv>`).
    pub skip_one_sided: bool,
}

impl Default for TmxOptions {
    fn default() -> Self {
        TmxOptions {
            codes: LangCodes::default(),
            segtype: SegType::Paragraph,
            creation_date: SystemTime::UNIX_EPOCH,
            skip_one_sided: false,
        }
    }
}

/// A time as TMX writes it: `YYYYMMDDThhmmssZ` (UTC).
pub fn tmx_date(t: SystemTime) -> String {
    // humantime: "2024-01-01T00:00:00Z"
    humantime::format_rfc3339_seconds(t)
        .to_string()
        .chars()
        .filter(|&c| c != '-' && c != ':')
        .collect()
}

/// Segment text escaped for XML: the five entities, forbidden characters
/// removed, and carriage returns as `&#13;` (a parser would otherwise turn
/// CR LF into LF, changing the text).
fn seg_escape(text: &str) -> String {
    let e = super::xml_escape(text);
    if e.contains('\r') {
        e.replace('\r', "&#13;")
    } else {
        e
    }
}

/// Write aligned documents as TMX 1.4b (see the module docs).
pub fn write(w: &mut dyn Write, docs: &[AlignedDoc], opts: &TmxOptions) -> std::io::Result<()> {
    let mut xw = Writer::new_with_indent(w, b' ', 2);
    xw.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xw.write_event(Event::Start(
        BytesStart::new("tmx").with_attributes([("version", "1.4")]),
    ))?;
    let date = tmx_date(opts.creation_date);
    xw.create_element("header")
        .with_attributes([
            ("creationtool", "termalign"),
            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
            ("segtype", opts.segtype.as_str()),
            ("o-tmf", "termalign"),
            ("adminlang", opts.codes.en.as_str()),
            ("srclang", opts.codes.en.as_str()),
            ("datatype", "plaintext"),
            ("creationdate", date.as_str()),
        ])
        .write_empty()?;
    xw.write_event(Event::Start(BytesStart::new("body")))?;
    for doc in docs {
        let name = xml_clean(&doc.name);
        for (i, b) in doc.alignment.beads.iter().enumerate() {
            let en = doc.en_text(b);
            let ar = doc.ar_text(b);
            if en.is_empty() && ar.is_empty() {
                continue;
            }
            if opts.skip_one_sided && (en.is_empty() || ar.is_empty()) {
                continue;
            }
            let tuid = format!("{name}:{i}");
            xw.write_event(Event::Start(
                BytesStart::new("tu").with_attributes([("tuid", tuid.as_str())]),
            ))?;
            let bead = i.to_string();
            let score = score_cell(b.score);
            for (ty, val) in [("x-doc", &*name), ("x-bead", &bead), ("x-score", &score)] {
                xw.create_element("prop")
                    .with_attribute(("type", ty))
                    .write_text_content(BytesText::new(val))?;
            }
            let note = bead_note(doc, b);
            if !note.is_empty() {
                xw.create_element("note")
                    .write_text_content(BytesText::new(&note))?;
            }
            for (code, text) in [(&opts.codes.en, &en), (&opts.codes.ar, &ar)] {
                if text.is_empty() {
                    continue;
                }
                xw.create_element("tuv")
                    .with_attribute(("xml:lang", code.as_str()))
                    .write_inner_content(|xw| {
                        xw.create_element("seg")
                            .write_text_content(BytesText::from_escaped(seg_escape(text)))?;
                        Ok(())
                    })?;
            }
            xw.write_event(Event::End(quick_xml::events::BytesEnd::new("tu")))?;
        }
    }
    xw.write_event(Event::End(quick_xml::events::BytesEnd::new("body")))?;
    xw.write_event(Event::End(quick_xml::events::BytesEnd::new("tmx")))?;
    xw.get_mut().write_all(b"\n")?;
    Ok(())
}

/// Read a TMX file as aligned documents. Problems that do not stop the read
/// (units without Arabic or English, unreadable scores) are dropped; use
/// [`read_with_diagnostics`] to report them.
pub fn read(path: &Path) -> Result<Vec<AlignedDoc>> {
    read_with_diagnostics(path).map(|(docs, _)| docs)
}

/// Read a TMX file as aligned documents, with the non-fatal problems met.
pub fn read_with_diagnostics(path: &Path) -> Result<(Vec<AlignedDoc>, Vec<Diagnostic>)> {
    let dec = crate::read::read_text(path, crate::read::Encoding::Auto)?;
    let (docs, mut diags) = read_str(&dec.text, path)?;
    let mut all = dec.diagnostics;
    all.append(&mut diags);
    Ok((docs, all))
}

/// One unit being read.
#[derive(Default)]
struct Unit {
    line: usize,
    doc: Option<String>,
    score: Option<f64>,
    en: Option<String>,
    ar: Option<String>,
}

/// Where the reader is inside a unit.
enum Inside {
    Nothing,
    Prop(String, String),
    Seg(Option<Lang>, String),
}

/// Line counter over the input, advanced monotonically.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        if pos > self.pos {
            self.line += self.text.as_bytes()[self.pos..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.pos = pos;
        }
        self.line
    }
}

fn attr_value(e: &BytesStart, names: &[&[u8]]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        names
            .contains(&a.key.as_ref())
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

/// Read TMX text that came from `path` (used for names and messages).
pub fn read_str(text: &str, path: &Path) -> Result<(Vec<AlignedDoc>, Vec<Diagnostic>)> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut lines = Lines {
        text,
        pos: 0,
        line: 1,
    };
    let default_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .map(|f| {
            f.strip_suffix(".tmx")
                .or_else(|| f.strip_suffix(".TMX"))
                .unwrap_or(&f)
                .to_string()
        })
        .unwrap_or_else(|| "tmx".into());
    let mut diags = Vec::new();
    let mut docs: Vec<AlignedDoc> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut unit: Option<Unit> = None;
    let mut inside = Inside::Nothing;
    // Current <tuv> language (None: not in a tuv, Some(None): other language).
    let mut tuv: Option<Option<Lang>> = None;
    let mut skip = 0usize; // depth inside inline codes whose text is not segment text
    let mut other_langs: Vec<String> = Vec::new();
    loop {
        let ev = reader.read_event();
        let pos = reader.buffer_position() as usize;
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                return Err(Error::parse(
                    path,
                    Some(line),
                    format!("malformed XML: {e}"),
                ));
            }
        };
        let line = lines.at(pos);
        match ev {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name();
                let name = name.as_ref();
                if !root_seen {
                    root_seen = true;
                    if name != b"tmx" {
                        return Err(Error::parse(
                            path,
                            Some(line),
                            format!(
                                "not a TMX file: root element <{}>",
                                String::from_utf8_lossy(e.name().as_ref())
                            ),
                        ));
                    }
                    continue;
                }
                if matches!(inside, Inside::Seg(..)) {
                    if matches!(name, b"bpt" | b"ept" | b"ph" | b"it" | b"ut") || skip > 0 {
                        skip += 1;
                    }
                    continue;
                }
                match name {
                    b"tu" => {
                        unit = Some(Unit {
                            line,
                            ..Unit::default()
                        })
                    }
                    b"tuv" if unit.is_some() => {
                        let code = attr_value(&e, &[b"xml:lang", b"lang"]).unwrap_or_default();
                        let lang = lang_of_code(&code);
                        if lang.is_none() && !other_langs.contains(&code) {
                            diags.push(Diagnostic {
                                path: path.to_path_buf(),
                                line: Some(line),
                                msg: format!(
                                    "language {code:?} is neither Arabic nor English; its variants are ignored"
                                ),
                            });
                            other_langs.push(code);
                        }
                        tuv = Some(lang);
                    }
                    b"seg" if tuv.is_some() => {
                        inside = Inside::Seg(tuv.flatten(), String::new());
                    }
                    b"prop" if unit.is_some() && tuv.is_none() => {
                        let ty = attr_value(&e, &[b"type"]).unwrap_or_default();
                        inside = Inside::Prop(ty, String::new());
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if !root_seen => {
                return Err(Error::parse(
                    path,
                    Some(line),
                    format!(
                        "not a TMX file: root element <{}/>",
                        String::from_utf8_lossy(e.name().as_ref())
                    ),
                ));
            }
            Event::Text(t) => {
                if skip > 0 {
                    continue;
                }
                if let Inside::Prop(_, s) | Inside::Seg(_, s) = &mut inside {
                    let t = t.unescape().map_err(|e| {
                        Error::parse(path, Some(line), format!("malformed XML text: {e}"))
                    })?;
                    s.push_str(&t);
                }
            }
            Event::CData(t) => {
                if skip > 0 {
                    continue;
                }
                if let Inside::Prop(_, s) | Inside::Seg(_, s) = &mut inside {
                    s.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name();
                let name = name.as_ref();
                if let Inside::Seg(..) = inside {
                    if name != b"seg" {
                        skip = skip.saturating_sub(1);
                        continue;
                    }
                }
                match name {
                    b"seg" => {
                        if let Inside::Seg(lang, s) =
                            std::mem::replace(&mut inside, Inside::Nothing)
                        {
                            if let (Some(u), Some(lang)) = (unit.as_mut(), lang) {
                                let slot = match lang {
                                    Lang::En => &mut u.en,
                                    Lang::Ar => &mut u.ar,
                                };
                                if slot.is_some() {
                                    diags.push(Diagnostic {
                                        path: path.to_path_buf(),
                                        line: Some(line),
                                        msg: format!(
                                            "unit has two {} variants; the first is kept",
                                            lang.code()
                                        ),
                                    });
                                } else {
                                    *slot = Some(s);
                                }
                            }
                        }
                    }
                    b"tuv" => tuv = None,
                    b"prop" => {
                        if let Inside::Prop(ty, s) = std::mem::replace(&mut inside, Inside::Nothing)
                        {
                            if let Some(u) = unit.as_mut() {
                                match ty.as_str() {
                                    "x-doc" => u.doc = Some(s),
                                    "x-score" => match s.trim().parse::<f64>() {
                                        Ok(v) if (0.0..=1.0).contains(&v) => u.score = Some(v),
                                        _ => diags.push(Diagnostic {
                                            path: path.to_path_buf(),
                                            line: Some(line),
                                            msg: format!(
                                                "x-score {s:?} is not a number in 0..1; 1.0 used"
                                            ),
                                        }),
                                    },
                                    _ => {}
                                }
                            }
                        }
                    }
                    b"tu" => {
                        if let Some(u) = unit.take() {
                            add_unit(u, &default_name, &mut docs, &mut by_name, path, &mut diags);
                        }
                        tuv = None;
                    }
                    _ => {}
                }
            }
            Event::Eof => {
                if !root_seen {
                    return Err(Error::parse(path, None, "not a TMX file: no root element"));
                }
                if depth > 0 {
                    return Err(Error::parse(
                        path,
                        Some(line),
                        "malformed XML: unexpected end of file (unclosed element)",
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    Ok((docs, diags))
}

fn add_unit(
    u: Unit,
    default_name: &str,
    docs: &mut Vec<AlignedDoc>,
    by_name: &mut HashMap<String, usize>,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    if u.en.is_none() && u.ar.is_none() {
        diags.push(Diagnostic {
            path: path.to_path_buf(),
            line: Some(u.line),
            msg: "unit has no Arabic or English variant; skipped".into(),
        });
        return;
    }
    let name = u.doc.unwrap_or_else(|| default_name.to_string());
    let di = *by_name.entry(name.clone()).or_insert_with(|| {
        docs.push(AlignedDoc {
            name,
            ar: Vec::new(),
            en: Vec::new(),
            alignment: Alignment::default(),
        });
        docs.len() - 1
    });
    let doc = &mut docs[di];
    let push = |segs: &mut Vec<Segment>, text: Option<String>| -> Vec<usize> {
        match text {
            Some(text) => {
                let index = segs.len();
                segs.push(Segment {
                    index,
                    kind: SegKind::Paragraph,
                    number: None,
                    text,
                    line: Some(u.line),
                    parent: None,
                });
                vec![index]
            }
            None => Vec::new(),
        }
    };
    let en = push(&mut doc.en, u.en);
    let ar = push(&mut doc.ar, u.ar);
    doc.alignment.beads.push(Bead {
        ar,
        en,
        score: u.score.unwrap_or(1.0),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn seg(index: usize, text: &str) -> Segment {
        Segment::paragraph(index, text)
    }

    fn doc(name: &str) -> AlignedDoc {
        AlignedDoc {
            name: name.into(),
            ar: vec![seg(0, "حقوق <الإنسان> & \"الكرامة\""), seg(1, "فقرة\u{1}")],
            en: vec![seg(0, "Human <rights> & 'dignity'"), seg(1, "Extra")],
            alignment: Alignment {
                beads: vec![
                    Bead {
                        ar: vec![0],
                        en: vec![0],
                        score: 0.8,
                    },
                    Bead {
                        ar: vec![1],
                        en: vec![],
                        score: 0.1,
                    },
                    Bead {
                        ar: vec![],
                        en: vec![1],
                        score: 0.1,
                    },
                ],
                warnings: vec![],
            },
        }
    }

    fn write_str(docs: &[AlignedDoc], opts: &TmxOptions) -> String {
        let mut out = Vec::new();
        write(&mut out, docs, opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn dates() {
        for (secs, want) in [(0, "19700101T000000Z"), (1_700_000_000, "20231114T221320Z")] {
            assert_eq!(
                tmx_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
                want
            );
        }
    }

    #[test]
    fn header_escaping_and_one_sided() {
        let opts = TmxOptions {
            codes: LangCodes::parse("en-US,ar").unwrap(),
            segtype: SegType::Sentence,
            ..TmxOptions::default()
        };
        let x = write_str(&[doc("a&b")], &opts);
        assert!(x.contains(r#"segtype="sentence""#), "{x}");
        assert!(x.contains(r#"srclang="en-US""#));
        assert!(x.contains(r#"creationdate="19700101T000000Z""#));
        assert!(x.contains(r#"tuid="a&amp;b:0""#));
        assert!(x.contains("<seg>Human &lt;rights&gt; &amp; &apos;dignity&apos;</seg>"));
        assert!(x.contains("<seg>فقرة</seg>"), "control char removed");
        assert_eq!(x.matches("<tu ").count(), 3);
        assert_eq!(x.matches("<note>unaligned").count(), 2);
        let skip = write_str(
            &[doc("a")],
            &TmxOptions {
                skip_one_sided: true,
                ..TmxOptions::default()
            },
        );
        assert_eq!(skip.matches("<tu ").count(), 1);
    }

    #[test]
    fn round_trip() {
        let docs = [doc("one"), doc("two")];
        let x = write_str(&docs, &TmxOptions::default());
        let (back, diags) = read_str(&x, Path::new("m.tmx")).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(back.len(), 2);
        for (orig, got) in docs.iter().zip(&back) {
            assert_eq!(got.name, orig.name);
            assert_eq!(got.alignment.beads.len(), orig.alignment.beads.len());
            for (ob, gb) in orig.alignment.beads.iter().zip(&got.alignment.beads) {
                assert_eq!(got.en_text(gb), orig.en_text(ob));
                assert_eq!(
                    got.ar_text(gb),
                    xml_clean(&orig.ar_text(ob)).as_ref(),
                    "Arabic text comes back byte for byte"
                );
                assert_eq!(gb.score, (ob.score * 1000.0).round() / 1000.0);
            }
        }
    }

    #[test]
    fn reads_foreign_tmx() {
        let x = r#"<?xml version="1.0"?>
<tmx version="1.1"><header srclang="EN-US"/><body>
<tu><tuv lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> <hi>now</hi></seg></tuv>
<tuv xml:lang="fr"><seg>OK</seg></tuv>
<tuv xml:lang="ar-SA"><seg><![CDATA[اضغط <موافق>]]></seg></tuv><unknown>x</unknown></tu>
<tu><tuv xml:lang="fr"><seg>seul</seg></tuv></tu>
</body></tmx>"#;
        let (docs, diags) = read_str(x, Path::new("dir/mem.tmx")).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].name, "mem");
        let b = &docs[0].alignment.beads[0];
        assert_eq!(docs[0].en_text(b), "Press OK now");
        assert_eq!(docs[0].ar_text(b), "اضغط <موافق>");
        assert_eq!(b.score, 1.0);
        assert_eq!(docs[0].alignment.beads.len(), 1);
        assert_eq!(diags.len(), 2, "{diags:?}"); // fr ignored once; unit skipped
        assert_eq!(diags[1].line, Some(6));
    }

    proptest::proptest! {
        #[test]
        fn any_text_round_trips(en in "\\PC*[\r\n\t ]?\\PC*", ar in "[\u{600}-\u{6FF}<>&'\" \r\n\u{1}]{0,40}") {
            let d = AlignedDoc {
                name: "p".into(),
                ar: vec![seg(0, &ar)],
                en: vec![seg(0, &en)],
                alignment: Alignment {
                    beads: vec![Bead { ar: vec![0], en: vec![0], score: 0.5 }],
                    warnings: vec![],
                },
            };
            let x = write_str(std::slice::from_ref(&d), &TmxOptions::default());
            let (back, _) = read_str(&x, Path::new("p.tmx")).unwrap();
            let want = |s: &str| xml_clean(s).into_owned();
            if want(&en).is_empty() && want(&ar).is_empty() {
                proptest::prop_assert!(back.is_empty());
            } else {
                let b = &back[0].alignment.beads[0];
                proptest::prop_assert_eq!(back[0].en_text(b), want(&en));
                proptest::prop_assert_eq!(back[0].ar_text(b), want(&ar));
            }
        }
    }

    #[test]
    fn malformed_xml_names_file_and_line() {
        for (x, line) in [
            (
                "<tmx>\n<body>\n<tu><tuv xml:lang=\"en\"><seg>a</tuv></tu>\n</body></tmx>",
                3,
            ),
            ("<tmx>\n<body>\n<tu>", 3),
            ("<html>\n</html>", 1),
            (
                "<tmx><body><tu><tuv xml:lang=\"en\"><seg>&bogus;</seg></tuv></tu></body></tmx>",
                1,
            ),
        ] {
            let err = read_str(x, Path::new("bad.tmx")).unwrap_err();
            match &err {
                Error::Parse { path, line: l, .. } => {
                    assert_eq!(path, Path::new("bad.tmx"));
                    assert_eq!(*l, Some(line), "{x:?}: {err}");
                }
                other => panic!("{x:?}: {other}"),
            }
        }
    }
}
