//! Consistency checks: terms, numbers, completeness, and the per-term
//! variant report.
//!
//! [`check`] runs over aligned documents and returns [`Finding`]s sorted by
//! document (input order), bead, check, term and what was found. Checks
//! (names as in the `check` column):
//!
//! | check | severity | what |
//! |---|---|---|
//! | `term-missing` | error | a glossary term in the English, none of its approved renderings in the Arabic of the bead (one inside a longer term of another concept counts); `found` names the closest Arabic wording |
//! | `term-forbidden` | error | a forbidden rendering of a concept whose English term is in the bead, standing in for a missing approved one (when the approved renderings already cover every English occurrence, the forbidden word is taken as another concept) |
//! | `term-count` | warning | fewer Arabic renderings than English occurrences |
//! | `numbers` | error | a number, month or document symbol on one side only |
//! | `untranslated` | warning | a Latin word in the Arabic (capitalised names, acronyms and symbols the English also has are not reported) |
//! | `empty` | warning | a bead with one side empty (1–0 / 0–1) |
//! | `length-ratio` | warning | Arabic/English length ratio far from the document's median |
//! | `inconsistent-target` | warning | the same English segment translated differently elsewhere |
//! | `inconsistent-source` | warning | the same Arabic segment translating different English |
//!
//! Numbers are compared on folded digits (٢٠٠٧ = 2007), with `,` read as
//! either decimal comma or thousands separator (٩,٥ = 9.5; 1,000 = 1000) and
//! `a/b` also read as `b/a` (UN Arabic writes ١٤٤/٦١ for 61/144). A leading
//! paragraph number (`١ -`, `1.`) is not compared. Month names are compared
//! by month, so the paired Arabic names (`آذار/مارس`) match `March`, in
//! beads that hold a number. An English and an Arabic number left over in
//! one bead are reported together as one changed number.
//!
//! Arabic-only documents (no English) get no bead checks; the
//! [`variant_report`] still runs on them.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::glossary::Glossary;
use crate::model::{AlignedDoc, Bead, Finding, Lang, SegKind, Segment, Severity};
use crate::normalize::{
    arabic_key, content_len, english_key, fold_digits, tokenize, ArabicMode, Token, TokenKind,
    MONTHS,
};
use crate::terms::compact::{put_list, put_str, read_list, read_str, Spill};
use crate::terms::extract::excerpt;
use crate::terms::{TermHit, TermMatcher};

/// Which checks run, and their thresholds.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// term-missing, term-forbidden, term-count.
    pub terms: bool,
    /// numbers (numbers, months, document symbols).
    pub numbers: bool,
    /// untranslated Latin words in the Arabic.
    pub untranslated: bool,
    /// links: web addresses and e-mail addresses, which are never
    /// translated, on one side only.
    pub links: bool,
    /// units: a magnitude (million, billion), per cent or currency on one
    /// side only.
    pub units: bool,
    /// 1–0 / 0–1 beads.
    pub empty: bool,
    /// length-ratio outliers.
    pub length_ratio: bool,
    /// inconsistent-target / inconsistent-source.
    pub consistency: bool,
    /// A bead is a length outlier when its Arabic/English ratio differs
    /// from the document median by more than this factor.
    pub ratio_factor: f64,
    /// Minimum content length (characters, both sides) for the length check.
    pub ratio_min_len: usize,
    /// Minimum words of an English/Arabic segment for the consistency checks.
    pub consistency_min_words: usize,
    /// Minimum similarity (0..1) for naming the closest Arabic wording in a
    /// term-missing finding.
    pub closest_min_sim: f64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            terms: true,
            numbers: true,
            untranslated: true,
            links: true,
            units: true,
            empty: true,
            length_ratio: true,
            consistency: true,
            ratio_factor: 2.0,
            ratio_min_len: 40,
            consistency_min_words: 4,
            closest_min_sim: 0.5,
        }
    }
}

const CHECK_ORDER: &[&str] = &[
    "term-missing",
    "term-forbidden",
    "term-count",
    "numbers",
    "units",
    "links",
    "untranslated",
    "empty",
    "length-ratio",
    "inconsistent-target",
    "inconsistent-source",
];

fn check_rank(c: &str) -> usize {
    CHECK_ORDER
        .iter()
        .position(|x| *x == c)
        .unwrap_or(CHECK_ORDER.len())
}

/// Run the checks over every document; findings sorted deterministically.
pub fn check(docs: &[AlignedDoc], glossary: &Glossary, opts: &CheckOptions) -> Vec<Finding> {
    let matcher = TermMatcher::new(glossary);
    check_with(docs, glossary, &matcher, opts)
}

/// [`check`] with a matcher already built for `glossary`.
pub fn check_with(
    docs: &[AlignedDoc],
    glossary: &Glossary,
    matcher: &TermMatcher,
    opts: &CheckOptions,
) -> Vec<Finding> {
    let mut c = Checker::new(glossary, matcher, opts.clone());
    // An in-memory spill cannot fail to write or read back.
    c.add(docs)
        .and_then(|()| c.finish())
        .expect("in-memory consistency spill")
}

/// The checks run incrementally over a corpus given chunk by chunk (in
/// input order), so a caller need not hold every document at once:
/// [`Checker::add`] checks each document of a chunk (in parallel) and keeps
/// its findings and, for the corpus-wide consistency checks, a compact
/// record of each two-sided bead: 128-bit hashes of both sides' matching
/// keys, word counts, its position, and the offset of its details (segment
/// indices and the 240-character excerpts a finding shows) in a spill —
/// memory, or an unlinked temporary file with [`Checker::spill_in`], read
/// back only for the beads that get a finding. [`Checker::finish`] adds the
/// consistency findings and returns everything sorted exactly as [`check`]
/// does: results do not depend on how the corpus is split into chunks.
pub struct Checker<'a> {
    glossary: &'a Glossary,
    matcher: &'a TermMatcher,
    opts: CheckOptions,
    names: Vec<String>,
    per_doc: Vec<Vec<Finding>>,
    keyed: Vec<KeyedBead>,
    spill: Spill,
}

/// A two-sided bead as the consistency checks need it; its details are at
/// `detail` in the checker's spill.
struct KeyedBead {
    doc: u32,
    bead: u32,
    en: (u128, u32),
    ar: (u128, u32),
    detail: u64,
}

/// What a consistency finding shows of a bead (kept in the spill).
#[derive(Clone)]
struct BeadDetail {
    en_idx: Vec<usize>,
    ar_idx: Vec<usize>,
    en_excerpt: String,
    ar_excerpt: String,
}

impl BeadDetail {
    fn put(&self, buf: &mut Vec<u8>) {
        put_str(buf, &self.en_excerpt);
        put_str(buf, &self.ar_excerpt);
        put_list(buf, &self.en_idx);
        put_list(buf, &self.ar_idx);
    }

    fn read(r: &mut dyn std::io::BufRead) -> std::io::Result<Self> {
        let mut r = r;
        let en_excerpt = read_str(&mut r)?;
        let ar_excerpt = read_str(&mut r)?;
        let en_idx = read_list(&mut r)?;
        let ar_idx = read_list(&mut r)?;
        Ok(BeadDetail {
            en_idx,
            ar_idx,
            en_excerpt,
            ar_excerpt,
        })
    }
}

fn key_hash(text: &str, lang: Lang) -> (u128, u32) {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let (k, n) = seg_key(text, lang);
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        k.hash(&mut h);
        h.finish() as u128
    };
    ((half(0) << 64) | half(1), n.min(u32::MAX as usize) as u32)
}

impl<'a> Checker<'a> {
    /// A checker for `glossary` (with `matcher` built for it).
    pub fn new(glossary: &'a Glossary, matcher: &'a TermMatcher, opts: CheckOptions) -> Self {
        Checker {
            glossary,
            matcher,
            opts,
            names: Vec::new(),
            per_doc: Vec::new(),
            keyed: Vec::new(),
            spill: Spill::memory(),
        }
    }

    /// Keep the consistency records' details in an unlinked temporary file
    /// in `dir` instead of memory (for a corpus run).
    pub fn spill_in(mut self, dir: &Path) -> Result<Self> {
        self.spill = Spill::file_in(dir).map_err(|e| Error::io(dir, e))?;
        Ok(self)
    }

    /// Check the next documents of the corpus (in input order).
    pub fn add(&mut self, docs: &[AlignedDoc]) -> Result<()> {
        let (g, m, opts) = (self.glossary, self.matcher, &self.opts);
        let base = self.per_doc.len();
        type Keyed = Vec<(KeyedBead, BeadDetail)>;
        let results: Vec<(Vec<Finding>, Keyed)> = docs
            .par_iter()
            .enumerate()
            .map(|(i, d)| {
                let f = check_doc(d, g, m, opts);
                let k = if opts.consistency && !d.en.is_empty() {
                    keyed_beads(d, (base + i) as u32, opts.consistency_min_words)
                } else {
                    Vec::new()
                };
                (f, k)
            })
            .collect();
        let mut buf = Vec::new();
        let mut at = self.spill.size();
        for (d, (f, k)) in docs.iter().zip(results) {
            self.names.push(d.name.clone());
            self.per_doc.push(f);
            for (mut kb, detail) in k {
                let len = buf.len();
                detail.put(&mut buf);
                kb.detail = at;
                at += (buf.len() - len) as u64;
                self.keyed.push(kb);
            }
        }
        let place = self.spill.place().to_path_buf();
        self.spill.put(&buf).map_err(|e| Error::io(place, e))
    }

    /// True if the checks so far found something in document `doc` (its
    /// index in the order documents were added; consistency findings come
    /// only at [`Checker::finish`]).
    pub fn doc_has_findings(&self, doc: usize) -> bool {
        self.per_doc.get(doc).is_some_and(|f| !f.is_empty())
    }

    /// Findings of the corpus: per document (input order), sorted by bead,
    /// check, term, found and expected.
    pub fn finish(mut self) -> Result<Vec<Finding>> {
        let mut per_doc = self.per_doc;
        if self.opts.consistency {
            let spill = &mut self.spill;
            let place = spill.place().to_path_buf();
            let mut fetch = |off: u64| {
                spill
                    .reader_at(off)
                    .and_then(|mut r| BeadDetail::read(&mut r))
            };
            let found = consistency(&self.keyed, &self.names, &self.opts, &mut fetch)
                .map_err(|e| Error::io(place, e))?;
            for (di, f) in found {
                per_doc[di].push(f);
            }
        }
        let mut out = Vec::new();
        for mut v in per_doc {
            v.sort_by(|a, b| {
                a.bead
                    .cmp(&b.bead)
                    .then(check_rank(&a.check).cmp(&check_rank(&b.check)))
                    .then(a.term.cmp(&b.term))
                    .then(a.found.cmp(&b.found))
                    .then(a.expected.cmp(&b.expected))
            });
            out.extend(v);
        }
        Ok(out)
    }
}

fn keyed_beads(d: &AlignedDoc, di: u32, min_words: usize) -> Vec<(KeyedBead, BeadDetail)> {
    d.alignment
        .beads
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.ar.is_empty() && !b.en.is_empty())
        .filter_map(|(bi, b)| {
            let (en, ar) = (d.en_text(b), d.ar_text(b));
            let (ek, ak) = (key_hash(&en, Lang::En), key_hash(&ar, Lang::Ar));
            if (ek.1 as usize) < min_words && (ak.1 as usize) < min_words {
                return None;
            }
            Some((
                KeyedBead {
                    doc: di,
                    bead: bi as u32,
                    en: ek,
                    ar: ak,
                    detail: 0,
                },
                BeadDetail {
                    en_idx: b.en.clone(),
                    ar_idx: b.ar.clone(),
                    en_excerpt: trunc(&en, 240),
                    ar_excerpt: trunc(&ar, 240),
                },
            ))
        })
        .collect()
}

fn trunc(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn base_finding(doc: &AlignedDoc, bi: usize, b: &Bead, check: &str, sev: Severity) -> Finding {
    Finding {
        check: check.into(),
        severity: sev,
        doc: doc.name.clone(),
        bead: bi,
        ar: b.ar.clone(),
        en: b.en.clone(),
        term: String::new(),
        expected: String::new(),
        found: String::new(),
        message: String::new(),
        ar_excerpt: trunc(&doc.ar_text(b), 240),
        en_excerpt: trunc(&doc.en_text(b), 240),
    }
}

fn check_doc(doc: &AlignedDoc, g: &Glossary, m: &TermMatcher, opts: &CheckOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    if doc.en.is_empty() {
        return out;
    }
    // Median length ratio for the document.
    let ratios: Vec<f64> = doc
        .alignment
        .beads
        .iter()
        .filter(|b| !b.ar.is_empty() && !b.en.is_empty())
        .filter_map(|b| {
            let (a, e) = (content_len(&doc.ar_text(b)), content_len(&doc.en_text(b)));
            (a >= opts.ratio_min_len && e >= opts.ratio_min_len).then(|| a as f64 / e as f64)
        })
        .collect();
    let median = {
        let mut r = ratios.clone();
        r.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        r.get(r.len() / 2).copied()
    };
    for (bi, b) in doc.alignment.beads.iter().enumerate() {
        let ar = doc.ar_text(b);
        let en = doc.en_text(b);
        let ar_empty = ar.trim().is_empty();
        let en_empty = en.trim().is_empty();
        if ar_empty || en_empty {
            if opts.empty && !(ar_empty && en_empty) {
                let mut f = base_finding(doc, bi, b, "empty", Severity::Warning);
                let side = if ar_empty { "Arabic" } else { "English" };
                f.found = format!("{side} empty");
                f.message = format!("{side} side of the bead is empty (unaligned segment)");
                out.push(f);
            }
            continue;
        }
        let ar_toks = tokenize(&ar);
        let en_toks = tokenize(&en);
        let ar_keys = ArKeys::new(&ar_toks);
        if opts.terms {
            term_checks(
                doc,
                bi,
                b,
                &ar,
                &en,
                g,
                m,
                opts,
                (&ar_toks, &en_toks),
                &mut out,
            );
        }
        let (text, toks) = ((&*ar, &*en), (&ar_toks[..], &en_toks[..]));
        if opts.numbers {
            number_checks(doc, bi, b, text, toks, &ar_keys, &mut out);
        }
        if opts.links {
            link_checks(doc, bi, b, &ar, &en, &mut out);
        }
        if opts.units {
            unit_checks(doc, bi, b, text, toks, &ar_keys, &mut out);
        }
        if opts.untranslated {
            untranslated(doc, bi, b, &ar, &en, toks, &mut out);
        }
        if opts.length_ratio {
            if let Some(med) = median {
                let (a, e) = (content_len(&ar), content_len(&en));
                if a.max(e) >= opts.ratio_min_len && med > 0.0 {
                    let r = a.max(1) as f64 / e.max(1) as f64;
                    let dev = r / med;
                    if dev > opts.ratio_factor || dev < 1.0 / opts.ratio_factor {
                        let mut f = base_finding(doc, bi, b, "length-ratio", Severity::Warning);
                        f.expected = format!("{med:.2}");
                        f.found = format!("{r:.2}");
                        f.message = format!(
                            "Arabic/English length ratio {r:.2} against a document median of {med:.2}: {}",
                            if dev < 1.0 { "Arabic may be incomplete" } else { "English may be incomplete" }
                        );
                        out.push(f);
                    }
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn term_checks(
    doc: &AlignedDoc,
    bi: usize,
    b: &Bead,
    ar: &str,
    en: &str,
    g: &Glossary,
    m: &TermMatcher,
    opts: &CheckOptions,
    toks: (&[Token], &[Token]),
    out: &mut Vec<Finding>,
) {
    let en_hits = m.find_tokens(en, toks.1, Lang::En);
    if en_hits.is_empty() {
        return;
    }
    let ar_hits = m.find_tokens(ar, toks.0, Lang::Ar);
    // Concepts in English, in order of first appearance, with counts.
    let mut en_count: Vec<(usize, usize, &TermHit)> = Vec::new();
    for h in &en_hits {
        match en_count.iter_mut().find(|x| x.0 == h.concept) {
            Some(x) => x.1 += 1,
            None => en_count.push((h.concept, 1, h)),
        }
    }
    for (c, n, eh) in en_count {
        let concept = &g.concepts[c];
        let term = g.term(c).to_string();
        // An approved rendering may also sit inside a longer term of
        // another concept (الاتجار inside الاتجار بالنساء والفتيات when the
        // English wrote "trafficking of women and girls"): it counts.
        let approved: Vec<&TermHit> = ar_hits
            .iter()
            .filter(|h| !h.forbidden && (h.concept == c || m.contains_rendering(c, &h.variant)))
            .collect();
        let forbidden: Vec<&TermHit> = ar_hits
            .iter()
            .filter(|h| h.concept == c && h.forbidden)
            .collect();
        let en_exc = excerpt(en, eh.start, eh.end, 80);
        let expected = concept.ar.join(" | ");
        let mut seen = HashSet::new();
        // A forbidden form is reported only when it stands in for a missing
        // approved rendering: when the approved ones cover every English
        // occurrence, the forbidden word is another concept (تهريب for the
        // smuggling beside the trafficking).
        let forbidden: Vec<&TermHit> = if approved.len() < n {
            forbidden
        } else {
            Vec::new()
        };
        for h in &forbidden {
            if !seen.insert(h.variant.clone()) {
                continue;
            }
            let mut f = base_finding(doc, bi, b, "term-forbidden", Severity::Error);
            f.term = term.clone();
            f.expected = expected.clone();
            f.found = h.variant.clone();
            let sug = m
                .suggest(c, &h.variant)
                .map(|(s, _)| s)
                .unwrap_or_else(|| concept.ar.first().cloned().unwrap_or_default());
            f.message = format!(
                "forbidden rendering \u{201C}{}\u{201D} for \u{201C}{term}\u{201D}; use \u{201C}{sug}\u{201D}",
                h.variant
            );
            f.ar_excerpt = excerpt(ar, h.start, h.end, 80);
            f.en_excerpt = en_exc.clone();
            out.push(f);
        }
        if !forbidden.is_empty() {
            continue;
        }
        if approved.is_empty() {
            let mut f = base_finding(doc, bi, b, "term-missing", Severity::Error);
            f.term = term.clone();
            f.expected = expected.clone();
            let closest = m.closest_in(c, ar, opts.closest_min_sim);
            f.found = closest.clone().unwrap_or_default();
            f.message = match &closest {
                Some(cl) => format!(
                    "\u{201C}{}\u{201D} has none of its approved renderings in the Arabic; closest wording: \u{201C}{cl}\u{201D}",
                    eh.variant
                ),
                None => format!(
                    "\u{201C}{}\u{201D} has none of its approved renderings in the Arabic",
                    eh.variant
                ),
            };
            if let Some(cl) = &closest {
                if let Some(p) = ar.find(cl.as_str()) {
                    f.ar_excerpt = excerpt(ar, p, p + cl.len(), 80);
                }
            }
            f.en_excerpt = en_exc;
            out.push(f);
        } else if approved.len() < n {
            let mut f = base_finding(doc, bi, b, "term-count", Severity::Warning);
            f.term = term.clone();
            f.expected = n.to_string();
            f.found = approved.len().to_string();
            f.message = format!(
                "\u{201C}{term}\u{201D} occurs {n} times in the English, its renderings {} times in the Arabic",
                approved.len()
            );
            f.en_excerpt = en_exc;
            out.push(f);
        }
    }
}

/// A number as it can be read: every normalised alternative.
fn number_forms(raw: &str) -> Vec<String> {
    let s = fold_digits(raw);
    let s = s.trim_end_matches(['.', ',']).to_string();
    let mut out = vec![s.clone()];
    if s.contains(',') {
        out.push(s.replace(',', "."));
        out.push(s.replace(',', ""));
    }
    if s.contains('/') {
        let parts: Vec<&str> = s.split('/').collect();
        let mut r = parts.clone();
        r.reverse();
        out.push(r.join("/"));
    }
    // 10.000 style thousands (European) and trailing zeros are left alone.
    out.sort();
    out.dedup();
    out
}

/// Numbers of a bead side (its text is the segments joined by one space,
/// `toks` its tokens), without each segment's leading paragraph number.
fn numbers_of(toks: &[Token], segs: &[Segment], idx: &[usize]) -> Vec<String> {
    // Start offset of each segment in the joined text.
    let mut starts: Vec<(usize, &Segment)> = Vec::with_capacity(idx.len());
    let mut off = 0;
    for &i in idx {
        if let Some(s) = segs.get(i) {
            starts.push((off, s));
            off += s.text.len() + 1;
        }
    }
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Number {
            continue;
        }
        // First token of a segment?
        let seg = starts
            .iter()
            .find(|(o, s)| t.start >= *o && t.start < *o + s.text.len().max(1))
            .filter(|(o, s)| s.text[..t.start - o].trim().is_empty())
            .map(|(_, s)| *s);
        if let Some(s) = seg {
            let numbering = s.kind != SegKind::Meta
                && toks
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.text, "-" | "." | ")" | "\u{2013}"));
            let declared = s.number.as_deref() == Some(fold_digits(t.text).as_str());
            if numbering || declared {
                continue;
            }
        }
        out.push(t.text.to_string());
    }
    out
}

fn months_en(toks: &[Token]) -> BTreeMap<usize, usize> {
    let mut out = BTreeMap::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Word || !(3..=9).contains(&t.text.len()) {
            continue;
        }
        if let Some(m) = MONTHS
            .iter()
            .position(|m| m.en.eq_ignore_ascii_case(t.text))
        {
            // "may" is a month only next to a number ("5 May", "May 2007").
            if m == 4 {
                let near_num = [i.wrapping_sub(1), i + 1]
                    .iter()
                    .any(|&j| toks.get(j).is_some_and(|t| t.kind == TokenKind::Number));
                if !near_num {
                    continue;
                }
            }
            *out.entry(m).or_default() += 1;
        }
    }
    out
}

/// Strict keys of a bead's Arabic tokens, built on first use: the dates
/// and units checks both read them, and only in beads with numbers.
struct ArKeys<'t> {
    toks: &'t [Token<'t>],
    keys: std::cell::OnceCell<Vec<String>>,
}

impl<'t> ArKeys<'t> {
    fn new(toks: &'t [Token<'t>]) -> Self {
        ArKeys {
            toks,
            keys: std::cell::OnceCell::new(),
        }
    }

    /// The tokens with their keys.
    fn keyed(&self) -> impl Iterator<Item = (&Token<'t>, &str)> {
        let keys = self.keys.get_or_init(|| {
            self.toks
                .iter()
                .map(|t| arabic_key(t.text, ArabicMode::Strict))
                .collect()
        });
        self.toks.iter().zip(keys.iter().map(String::as_str))
    }
}

fn months_ar(ar: &str, keys: &ArKeys) -> BTreeMap<usize, usize> {
    let words: Vec<(&str, usize, usize)> = keys
        .keyed()
        .filter(|(t, _)| t.kind != TokenKind::Number)
        .map(|(t, k)| (k, t.start, t.end))
        .collect();
    let mut found: Vec<(usize, usize)> = Vec::new(); // (month, word index)
    let mut i = 0;
    while i < words.len() {
        let w = words[i].0;
        let w = w
            .strip_prefix('و')
            .filter(|_| w.chars().count() > 3)
            .unwrap_or(w);
        let next = words.get(i + 1).map(|n| n.0);
        let mut hit = None;
        for (m, month) in MONTHS.iter().enumerate() {
            for n in month.ar_names() {
                if let Some((first, second)) = n.split_once(' ') {
                    if first == w && next == Some(second) {
                        hit = Some((m, 2));
                    }
                } else if w == n && (n != "اب" || numberish_near(ar, &words, i)) {
                    hit = hit.or(Some((m, 1)));
                }
            }
        }
        match hit {
            Some((m, len)) => {
                found.push((m, i));
                i += len;
            }
            None => i += 1,
        }
    }
    // Paired names (آذار/مارس) count once: same month within two words.
    let mut out = BTreeMap::new();
    let mut last: Option<(usize, usize)> = None;
    for (m, i) in found {
        if let Some((lm, li)) = last {
            if lm == m && i <= li + 3 {
                last = None;
                continue;
            }
        }
        *out.entry(m).or_default() += 1;
        last = Some((m, i));
    }
    out
}

fn numberish_near(ar: &str, words: &[(&str, usize, usize)], i: usize) -> bool {
    let s = words[i].1.saturating_sub(12);
    let e = (words[i].2 + 12).min(ar.len());
    let (mut s, mut e) = (s, e);
    while !ar.is_char_boundary(s) {
        s -= 1;
    }
    while !ar.is_char_boundary(e) {
        e += 1;
    }
    ar[s..e]
        .chars()
        .any(|c| crate::normalize::fold_digit(c).is_some())
}

/// UN document symbols (`A/RES/61/144`, `E/2002/68/Add.1`) in a text.
pub fn document_symbols(text: &str) -> Vec<String> {
    if !text.contains('/') {
        return Vec::new();
    }
    let t = fold_digits(text);
    let mut out = Vec::new();
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '(' | ')');
    let mut cur = String::new();
    for c in t.chars().chain(std::iter::once(' ')) {
        if ok(c) {
            cur.push(c);
        } else {
            let s = cur.trim_end_matches(['.', ')', '-']).to_string();
            let s = s.trim_start_matches('(').to_string();
            if s.contains('/')
                && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && s.chars().any(|c| c.is_ascii_digit())
                && s.len() >= 4
            {
                out.push(s);
            }
            cur.clear();
        }
    }
    out
}

fn number_checks(
    doc: &AlignedDoc,
    bi: usize,
    b: &Bead,
    (ar, en): (&str, &str),
    toks: (&[Token], &[Token]),
    ar_keys: &ArKeys,
    out: &mut Vec<Finding>,
) {
    let en_nums = numbers_of(toks.1, &doc.en, &b.en);
    let ar_nums = numbers_of(toks.0, &doc.ar, &b.ar);
    let ar_forms: Vec<Vec<String>> = ar_nums.iter().map(|n| number_forms(n)).collect();
    let mut used = vec![false; ar_nums.len()];
    let mut en_orphans = Vec::new();
    for n in &en_nums {
        // English thousands separators: 1,000 → 1000; never a decimal comma.
        let ef: Vec<String> = {
            let f = fold_digits(n);
            let f = f.trim_end_matches(['.', ',']).to_string();
            let mut v = vec![f.replace(',', "")];
            if f.contains('/') {
                let mut p: Vec<&str> = f.split('/').collect();
                p.reverse();
                v.push(p.join("/"));
            }
            v
        };
        let pos =
            (0..ar_nums.len()).find(|&i| !used[i] && ar_forms[i].iter().any(|a| ef.contains(a)));
        match pos {
            Some(i) => used[i] = true,
            None => en_orphans.push(n.clone()),
        }
    }
    let ar_orphans: Vec<&String> = ar_nums
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(n, _)| n)
        .collect();
    // Orphans on both sides pair up as changed numbers, in order.
    let paired = en_orphans.len().min(ar_orphans.len());
    for (n, a) in en_orphans.iter().zip(&ar_orphans).take(paired) {
        let mut f = base_finding(doc, bi, b, "numbers", Severity::Error);
        f.expected = n.clone();
        f.found = format!("ar:{}", fold_digits(a));
        f.message = format!("number {n} in the English appears as {a} in the Arabic");
        if let Some(p) = ar.find(a.as_str()) {
            f.ar_excerpt = excerpt(ar, p, p + a.len(), 80);
        }
        if let Some(p) = en.find(n.as_str()) {
            f.en_excerpt = excerpt(en, p, p + n.len(), 80);
        }
        out.push(f);
    }
    for n in en_orphans.iter().skip(paired) {
        let mut f = base_finding(doc, bi, b, "numbers", Severity::Error);
        f.expected = n.clone();
        f.found = format!("en:{n}");
        f.message = format!("number {n} is in the English but not in the Arabic");
        if let Some(p) = en.find(n.as_str()) {
            f.en_excerpt = excerpt(en, p, p + n.len(), 80);
        }
        out.push(f);
    }
    for n in ar_orphans.iter().skip(paired) {
        let mut f = base_finding(doc, bi, b, "numbers", Severity::Error);
        f.found = format!("ar:{}", fold_digits(n));
        f.message = format!("number {n} is in the Arabic but not in the English");
        if let Some(p) = ar.find(n.as_str()) {
            f.ar_excerpt = excerpt(ar, p, p + n.len(), 80);
        }
        out.push(f);
    }
    // Month names are compared in dates only: when either side has a number.
    let has_num = |t: &[Token]| t.iter().any(|t| t.kind == TokenKind::Number);
    let (me, ma) = if has_num(toks.0) || has_num(toks.1) {
        (months_en(toks.1), months_ar(ar, ar_keys))
    } else {
        Default::default()
    };
    for m in me
        .keys()
        .chain(ma.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (ce, ca) = (
            me.get(m).copied().unwrap_or(0),
            ma.get(m).copied().unwrap_or(0),
        );
        if ce != ca {
            let mut f = base_finding(doc, bi, b, "numbers", Severity::Error);
            let name = MONTHS[*m].en;
            f.expected = format!("{name} ×{ce}");
            f.found = format!("month:{name} ×{ca}");
            f.message = format!("month {name}: {ce} in the English, {ca} in the Arabic");
            out.push(f);
        }
    }
    let (se, sa) = (document_symbols(en), document_symbols(ar));
    for s in &se {
        if !sa.contains(s) {
            let mut f = base_finding(doc, bi, b, "numbers", Severity::Error);
            f.expected = s.clone();
            f.found = format!("symbol-en:{s}");
            f.message = format!("document symbol {s} is in the English but not in the Arabic");
            out.push(f);
        }
    }
    for s in &sa {
        // An Arabic symbol that is a truncation of an English one is the
        // same problem, already reported.
        if !se.contains(s) && !se.iter().any(|e| e.starts_with(s.as_str())) {
            let mut f = base_finding(doc, bi, b, "numbers", Severity::Error);
            f.found = format!("symbol-ar:{s}");
            f.message = format!("document symbol {s} is in the Arabic but not in the English");
            out.push(f);
        }
    }
}

/// Units compared by [`unit_checks`]: name, English word keys, Arabic word
/// keys (normalised, clitics stripped by the caller), symbols.
type Unit = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [char],
);
const UNITS: &[Unit] = &[
    (
        "million",
        &["million", "millions"],
        &["مليون", "ملايين", "مليونا"],
        &[],
    ),
    (
        "billion",
        &["billion", "billions"],
        &["بليون", "بلايين", "بليونا", "مليار", "مليارات", "مليارا"],
        &[],
    ),
    (
        "trillion",
        &["trillion", "trillions"],
        &["تريليون", "تريليونات"],
        &[],
    ),
    (
        "per cent",
        &["percent", "per cent"],
        &["المائة", "المئة", "بالمائة", "بالمئة"],
        &['%', '٪'],
    ),
    (
        "dollar",
        &["dollar", "dollars"],
        &["دولار", "دولارات", "دولارا"],
        &['$'],
    ),
    ("euro", &["euro", "euros"], &["يورو"], &['€']),
];

/// One side's words as [`units_of`] reads them.
#[derive(Clone, Copy)]
enum UnitWords<'a, 't> {
    /// Arabic: its tokens' matching keys.
    Ar(&'a ArKeys<'t>),
    /// English: its tokens.
    En(&'a [Token<'t>]),
}

/// The units of [`UNITS`] a side's words (or symbols, `text_has`) show.
fn units_of(side: UnitWords, text_has: impl Fn(char) -> bool) -> Vec<&'static str> {
    // Arabic words are keyed (hamza, harakat) without a proclitic و / ف
    // (ب and ل forms such as بالمائة are listed); English unit words are
    // ASCII, compared as months_en compares month names, with no key built
    // per token.
    let (ar_keys, words): (Vec<&str>, Vec<&Token>) = match side {
        UnitWords::Ar(keys) => (
            keys.keyed()
                .filter(|(t, _)| t.kind == TokenKind::Word)
                .map(|(_, k)| {
                    k.strip_prefix(['و', 'ف'])
                        .filter(|r| r.chars().count() >= 4)
                        .unwrap_or(k)
                })
                .collect(),
            Vec::new(),
        ),
        UnitWords::En(toks) => (
            Vec::new(),
            toks.iter().filter(|t| t.kind == TokenKind::Word).collect(),
        ),
    };
    let said = |w: &str| match (side, w.split_once(' ')) {
        (UnitWords::Ar(_), _) => ar_keys.contains(&w),
        // "per cent" is two words.
        (UnitWords::En(_), Some((a, b))) => words
            .windows(2)
            .any(|p| p[0].text.eq_ignore_ascii_case(a) && p[1].text.eq_ignore_ascii_case(b)),
        (UnitWords::En(_), None) => words.iter().any(|t| t.text.eq_ignore_ascii_case(w)),
    };
    UNITS
        .iter()
        .filter(|(_, en, ar, sym)| {
            let names = match side {
                UnitWords::Ar(_) => ar,
                UnitWords::En(_) => en,
            };
            names.iter().any(|w| said(w)) || sym.iter().any(|&c| text_has(c))
        })
        .map(|(name, ..)| *name)
        .collect()
}

/// `units`: a magnitude (million, billion, trillion), per cent or a currency
/// on one side only — `$9.5 billion` given as `٩,٥ ملايين دولار` passes the
/// number check (9.5 on both sides) but is off by a thousand. Only beads
/// with a number on both sides are compared.
fn unit_checks(
    doc: &AlignedDoc,
    bi: usize,
    b: &Bead,
    (ar, en): (&str, &str),
    toks: (&[Token], &[Token]),
    ar_keys: &ArKeys,
    out: &mut Vec<Finding>,
) {
    let has_num = |t: &[Token]| t.iter().any(|t| t.kind == TokenKind::Number);
    if !(has_num(toks.0) && has_num(toks.1)) {
        return;
    }
    let ua = units_of(UnitWords::Ar(ar_keys), |c| ar.contains(c));
    let ue = units_of(UnitWords::En(toks.1), |c| en.contains(c));
    for u in &ue {
        if !ua.contains(u) {
            let mut f = base_finding(doc, bi, b, "units", Severity::Error);
            f.expected = u.to_string();
            f.found = format!("en:{u}");
            f.message = format!(
                "{u} in the English has no counterpart in the Arabic{}",
                match ua.as_slice() {
                    [] => String::new(),
                    v => format!(" (the Arabic has {})", v.join(", ")),
                }
            );
            out.push(f);
        }
    }
    for u in &ua {
        if !ue.contains(u) {
            let mut f = base_finding(doc, bi, b, "units", Severity::Warning);
            f.found = format!("ar:{u}");
            f.message = format!("{u} in the Arabic has no counterpart in the English");
            out.push(f);
        }
    }
}

/// Web and e-mail addresses in `text`: (byte range, matching key). A
/// whitespace-separated chunk holding `://`, starting with `www.`, or of the
/// form `name@host.tld`, without surrounding brackets, quotes or final
/// punctuation; the key is lower-cased without a final `/`.
fn links_in(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    for chunk in text.split_whitespace() {
        let start = at + text[at..].find(chunk).unwrap_or(0);
        at = start + chunk.len();
        let lead = |c: char| matches!(c, '(' | '[' | '«' | '"' | '“' | '\'' | '<');
        let trail = |c: char| {
            matches!(
                c,
                '.' | ','
                    | ';'
                    | ':'
                    | ')'
                    | ']'
                    | '»'
                    | '"'
                    | '”'
                    | '\''
                    | '>'
                    | '،'
                    | '؛'
                    | '؟'
                    | '!'
                    | '?'
            )
        };
        let t = chunk.trim_start_matches(lead);
        let off = start + (chunk.len() - t.len());
        let t = t.trim_end_matches(trail);
        let is_email = {
            let mut parts = t.splitn(2, '@');
            match (parts.next(), parts.next()) {
                (Some(user), Some(host)) => {
                    !user.is_empty()
                        && host.contains('.')
                        && !host.starts_with('.')
                        && !host.ends_with('.')
                        && t.is_ascii()
                }
                _ => false,
            }
        };
        let is_url = (t.contains("://") && t.len() > 8)
            || (t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www.")) && t.len() > 6);
        if is_url || is_email {
            let key = t.to_ascii_lowercase().trim_end_matches('/').to_string();
            out.push((off..off + t.len(), key));
        }
    }
    out
}

/// `links`: an address on one side only (web addresses and e-mail addresses
/// are copied, never translated). English only: an error (the reader of the
/// Arabic loses it); Arabic only: a warning.
fn link_checks(doc: &AlignedDoc, bi: usize, b: &Bead, ar: &str, en: &str, out: &mut Vec<Finding>) {
    // What every address `links_in` accepts holds: `@`, `://` or `www.`
    // (in any case). Almost no bead has one.
    let may_link = |s: &str| {
        s.contains('@')
            || s.contains("://")
            || s.as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"www."))
    };
    if !(may_link(ar) || may_link(en)) {
        return;
    }
    let (la, le) = (links_in(ar), links_in(en));
    if la.is_empty() && le.is_empty() {
        return;
    }
    let keys = |v: &[(std::ops::Range<usize>, String)]| -> HashSet<String> {
        v.iter().map(|(_, k)| k.clone()).collect()
    };
    let (ka, ke) = (keys(&la), keys(&le));
    let mut seen = HashSet::new();
    for (r, k) in &le {
        if !ka.contains(k) && seen.insert(k.clone()) {
            let mut f = base_finding(doc, bi, b, "links", Severity::Error);
            f.expected = en[r.clone()].to_string();
            f.found = format!("en:{}", &en[r.clone()]);
            f.message = format!(
                "address {} is in the English but not in the Arabic",
                &en[r.clone()]
            );
            f.en_excerpt = excerpt(en, r.start, r.end, 80);
            out.push(f);
        }
    }
    for (r, k) in &la {
        if !ke.contains(k) && seen.insert(k.clone()) {
            let mut f = base_finding(doc, bi, b, "links", Severity::Warning);
            f.found = format!("ar:{}", &ar[r.clone()]);
            f.message = format!(
                "address {} is in the Arabic but not in the English",
                &ar[r.clone()]
            );
            f.ar_excerpt = excerpt(ar, r.start, r.end, 80);
            out.push(f);
        }
    }
}

fn untranslated(
    doc: &AlignedDoc,
    bi: usize,
    b: &Bead,
    ar: &str,
    en: &str,
    toks: (&[Token], &[Token]),
    out: &mut Vec<Finding>,
) {
    if b.ar
        .iter()
        .all(|&i| doc.ar.get(i).is_some_and(|s| s.kind == SegKind::Meta))
    {
        return;
    }
    let _ = en;
    let latin = |t: &Token| {
        t.kind == TokenKind::Word
            && t.text
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
    };
    if !toks.0.iter().any(latin) {
        return;
    }
    let en_words: HashSet<String> = toks
        .1
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| english_key(t.text))
        .collect();
    let mut seen = HashSet::new();
    for t in toks.0 {
        if t.kind != TokenKind::Word
            || !t
                .text
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
        {
            continue;
        }
        if t.text.chars().filter(|c| c.is_ascii_alphabetic()).count() < 2 {
            continue;
        }
        let k = english_key(t.text);
        // Names, acronyms and symbols (capitalised) that the English also
        // has are kept on purpose; a lower-case word is left untranslated
        // whether or not the English has it.
        let name_like = t
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase());
        if (name_like && en_words.contains(&k)) || !seen.insert(k.clone()) {
            continue;
        }
        let mut f = base_finding(doc, bi, b, "untranslated", Severity::Warning);
        f.found = t.text.to_string();
        f.message = format!("Latin word \u{201C}{}\u{201D} left in the Arabic", t.text);
        f.ar_excerpt = excerpt(ar, t.start, t.end, 80);
        out.push(f);
    }
}

/// Matching key of a whole segment for the consistency checks: the
/// language key with punctuation dropped and spaces collapsed; and its word
/// count.
fn seg_key(text: &str, lang: Lang) -> (String, usize) {
    let k = match lang {
        Lang::Ar => arabic_key(text, ArabicMode::Strict),
        Lang::En => english_key(text),
    };
    let mut out = String::with_capacity(k.len());
    let mut n = 0;
    for w in k.split(|c: char| !(c.is_alphanumeric() || c == '/' || c == '.' || c == ',')) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
        n += 1;
    }
    (out, n)
}

fn consistency(
    keyed: &[KeyedBead],
    names: &[String],
    opts: &CheckOptions,
    fetch: &mut dyn FnMut(u64) -> std::io::Result<BeadDetail>,
) -> std::io::Result<Vec<(usize, Finding)>> {
    let mut out = Vec::new();
    for (check, from, to) in [
        ("inconsistent-target", Lang::En, Lang::Ar),
        ("inconsistent-source", Lang::Ar, Lang::En),
    ] {
        // key of `from` side → list of (bead record, key of `to` side)
        let mut groups: BTreeMap<u128, Vec<(usize, u128)>> = BTreeMap::new();
        for (ki, k) in keyed.iter().enumerate() {
            let (f, t) = match from {
                Lang::En => (k.en, k.ar),
                Lang::Ar => (k.ar, k.en),
            };
            if (f.1 as usize) < opts.consistency_min_words {
                continue;
            }
            groups.entry(f.0).or_default().push((ki, t.0));
        }
        for (_, list) in groups {
            let mut counts: Vec<(u128, usize)> = Vec::new();
            for (_, k) in &list {
                match counts.iter_mut().find(|c| c.0 == *k) {
                    Some(c) => c.1 += 1,
                    None => counts.push((*k, 1)),
                }
            }
            if counts.len() < 2 {
                continue;
            }
            // Majority (first seen on ties) is the reference.
            let best = counts
                .iter()
                .enumerate()
                .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(b.0.cmp(&a.0)))
                .map(|(_, c)| c.0)
                .unwrap_or_default();
            let Some(&(ri, _)) = list.iter().find(|x| x.1 == best) else {
                continue;
            };
            let r = &keyed[ri];
            let (rdoc, rb) = (&names[r.doc as usize], r.bead);
            let rd = fetch(r.detail)?;
            for (ki, k) in &list {
                if *k == best {
                    continue;
                }
                let kb = &keyed[*ki];
                let kd = fetch(kb.detail)?;
                let reference = match to {
                    Lang::Ar => &rd.ar_excerpt,
                    Lang::En => &rd.en_excerpt,
                };
                let f = Finding {
                    check: check.into(),
                    severity: Severity::Warning,
                    doc: names[kb.doc as usize].clone(),
                    bead: kb.bead as usize,
                    ar: kd.ar_idx,
                    en: kd.en_idx,
                    term: String::new(),
                    // trunc(trunc(t, 240), 120) == trunc(t, 120)
                    expected: trunc(reference, 120),
                    found: format!("{rdoc}#{rb}"),
                    message: match check {
                        "inconsistent-target" => {
                            format!("the same English is translated differently in {rdoc}#{rb}")
                        }
                        _ => format!("the same Arabic translates different English in {rdoc}#{rb}"),
                    },
                    ar_excerpt: kd.ar_excerpt,
                    en_excerpt: kd.en_excerpt,
                };
                out.push((kb.doc as usize, f));
            }
        }
    }
    Ok(out)
}

/// One row of the variant report: one Arabic form of one concept, with its
/// occurrences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantRow {
    /// Concept id.
    pub concept: String,
    /// Preferred English term.
    pub term: String,
    /// `approved`, `forbidden`, `forbidden-contrast` (a forbidden form in a
    /// segment that also uses an approved rendering of the same concept:
    /// usually a deliberate contrast, as in "the distinction between
    /// smuggling and trafficking", to be read in context rather than
    /// corrected), or `near-miss` (a run of words nearly equal to an
    /// approved multi-word rendering: a likely misspelling).
    pub status: String,
    /// The glossary rendering this form is an inflection/clitic form of (for
    /// a near miss: the rendering it nearly matches).
    pub rendering: String,
    /// The form found, as displayed (the most frequent spelling of the key).
    pub form: String,
    /// Other displayed spellings with the same matching key (e.g. with
    /// hamza, harakat or tatweel), `|`-joined.
    pub spellings: String,
    /// Normalised matching key of the form.
    pub key: String,
    /// Occurrences in the corpus.
    pub count: usize,
    /// Beads holding it: `doc#bead`, `;`-joined, in corpus order.
    pub beads: String,
    /// Similarity to the rendering (1 for matched forms; below 1 for near
    /// misses), rounded to 3 decimals.
    pub similarity: f64,
}

/// Minimum word similarity for a near miss in the variant report.
pub const NEAR_MISS_MIN_SIM: f64 = 0.8;

/// Per-concept report of every Arabic rendering found in the corpus, with
/// counts and bead links, plus near misses of multi-word renderings. Works
/// on Arabic-only documents too. Rows: concepts in glossary order; within a
/// concept, approved and forbidden forms then near misses, each by
/// descending count then key.
pub fn variant_report(docs: &[AlignedDoc], glossary: &Glossary) -> Vec<VariantRow> {
    let m = TermMatcher::new(glossary);
    variant_report_with(docs, glossary, &m)
}

/// [`variant_report`] with a prebuilt matcher.
pub fn variant_report_with(
    docs: &[AlignedDoc],
    glossary: &Glossary,
    m: &TermMatcher,
) -> Vec<VariantRow> {
    let mut v = Variants::new(glossary, m);
    v.add(docs);
    v.finish()
}

/// The variant report built incrementally over a corpus given chunk by
/// chunk (in input order); holds only the forms found and their bead links,
/// not the documents. Same rows as [`variant_report`] whatever the chunks.
pub struct Variants<'a> {
    glossary: &'a Glossary,
    m: &'a TermMatcher,
    acc: BTreeMap<(usize, u8, String), VariantAcc>,
}

struct VariantAcc {
    rendering: String,
    spellings: BTreeMap<String, usize>,
    count: usize,
    beads: Vec<String>,
    sim: f64,
}

impl<'a> Variants<'a> {
    /// An empty report for `glossary` (with `m` built for it).
    pub fn new(glossary: &'a Glossary, m: &'a TermMatcher) -> Self {
        Variants {
            glossary,
            m,
            acc: BTreeMap::new(),
        }
    }

    /// Add the next documents of the corpus.
    pub fn add(&mut self, docs: &[AlignedDoc]) {
        let m = self.m;
        // Per document: (bead, concept, status, rendering, variant, similarity).
        type Hit = (usize, usize, u8, String, String, f64);
        let hits: Vec<Vec<Hit>> = docs
            .par_iter()
            .map(|d| {
                let mut out = Vec::new();
                for (bi, b) in d.alignment.beads.iter().enumerate() {
                    let text = d.ar_text(b);
                    let exact = m.find(&text, Lang::Ar);
                    for n in m.near_misses(&text, NEAR_MISS_MIN_SIM) {
                        if exact.iter().all(|h| n.end <= h.start || n.start >= h.end) {
                            out.push((bi, n.concept, 2, n.rendering, n.variant, n.similarity));
                        }
                    }
                    // A forbidden form beside an approved rendering of the
                    // same concept in one segment is usually a deliberate
                    // contrast ("smuggling and trafficking"), not a slip.
                    let approved: Vec<usize> = exact
                        .iter()
                        .filter(|h| !h.forbidden)
                        .map(|h| h.concept)
                        .collect();
                    for h in exact {
                        let status = match (h.forbidden, approved.contains(&h.concept)) {
                            (false, _) => 0,
                            (true, false) => 1,
                            (true, true) => 3,
                        };
                        out.push((bi, h.concept, status, h.rendering, h.variant, 1.0));
                    }
                }
                out
            })
            .collect();
        // (concept, status, key) → acc
        let acc = &mut self.acc;
        for (di, list) in hits.iter().enumerate() {
            for (bi, c, status, rendering, variant, sim) in list {
                let key = arabic_key(variant, ArabicMode::Strict);
                let a = acc.entry((*c, *status, key)).or_insert_with(|| VariantAcc {
                    rendering: rendering.clone(),
                    spellings: BTreeMap::new(),
                    count: 0,
                    beads: Vec::new(),
                    sim: *sim,
                });
                *a.spellings.entry(variant.clone()).or_default() += 1;
                a.count += 1;
                let link = format!("{}#{}", docs[di].name, bi);
                if a.beads.last() != Some(&link) {
                    a.beads.push(link);
                }
            }
        }
    }

    /// The report rows (see [`variant_report`] for their order).
    pub fn finish(self) -> Vec<VariantRow> {
        let (glossary, acc) = (self.glossary, self.acc);
        let mut rows: Vec<(usize, u8, VariantRow)> = Vec::new();
        for ((c, status, key), a) in &acc {
            let mut sp: Vec<(&String, &usize)> = a.spellings.iter().collect();
            // Most frequent spelling first; on ties the unmarked one (equal to
            // its key: no hamza, harakat or tatweel), then byte order.
            sp.sort_by(|x, y| {
                y.1.cmp(x.1)
                    .then((x.0 != key).cmp(&(y.0 != key)))
                    .then(x.0.cmp(y.0))
            });
            let form = sp.first().map(|s| s.0.clone()).unwrap_or_default();
            let others: Vec<String> = sp.iter().skip(1).map(|s| s.0.clone()).collect();
            rows.push((
                *c,
                (*status == 2) as u8,
                VariantRow {
                    concept: glossary.concepts[*c].id.clone(),
                    term: glossary.term(*c).to_string(),
                    status: match status {
                        0 => "approved",
                        1 => "forbidden",
                        3 => "forbidden-contrast",
                        _ => "near-miss",
                    }
                    .into(),
                    rendering: a.rendering.clone(),
                    form,
                    spellings: others.join("|"),
                    key: key.clone(),
                    count: a.count,
                    beads: a.beads.join(";"),
                    similarity: (a.sim * 1000.0).round() / 1000.0,
                },
            ));
        }
        rows.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.cmp(&b.1))
                .then(b.2.count.cmp(&a.2.count))
                .then(a.2.key.cmp(&b.2.key))
        });
        rows.into_iter().map(|r| r.2).collect()
    }
}

/// Read an accept file: one accepted finding per line, either its
/// [`Finding::key`] (tab-separated `check doc bead term found`) or a
/// finding as a JSON object (a line of `check --format jsonl` output).
/// Blank lines and lines starting with `#` are ignored.
pub fn load_accept(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') {
            continue;
        }
        if l.trim_start().starts_with('{') {
            let f: Finding = serde_json::from_str(l)
                .map_err(|e| Error::parse(path, Some(i + 1), format!("not a finding: {e}")))?;
            out.insert(f.key());
        } else if l.split('\t').count() == 5 {
            out.insert(l.to_string());
        } else {
            return Err(Error::parse(
                path,
                Some(i + 1),
                "expected a finding key (check, doc, bead, term, found separated by tabs) or a JSON finding",
            ));
        }
    }
    Ok(out)
}

/// Drop the findings whose [`Finding::key`] is in `accepted`.
pub fn filter_accepted(findings: Vec<Finding>, accepted: &HashSet<String>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| !accepted.contains(&f.key()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Concept;

    /// A check of one bead's numbers (number_checks, unit_checks).
    type BeadCheck = fn(
        &AlignedDoc,
        usize,
        &Bead,
        (&str, &str),
        (&[Token], &[Token]),
        &ArKeys,
        &mut Vec<Finding>,
    );

    /// The findings of a bead check on a one-bead document.
    fn one_bead(ar: &str, en: &str, check: BeadCheck) -> Vec<Finding> {
        let d = doc(&[(ar, en)]);
        let (at, et) = (tokenize(ar), tokenize(en));
        let mut out = Vec::new();
        check(
            &d,
            0,
            &d.alignment.beads[0],
            (ar, en),
            (&at, &et),
            &ArKeys::new(&at),
            &mut out,
        );
        out
    }

    fn doc(pairs: &[(&str, &str)]) -> AlignedDoc {
        AlignedDoc::one_to_one("t", pairs)
    }

    #[test]
    fn number_table() {
        // (arabic, english, findings expected)
        let table = [
            ("القرار ١٤٤/٦١ المؤرخ ٢٠٠٧", "resolution 61/144 of 2007", 0),
            ("تناهز ٩,٥ بلايين دولار", "some $9.5 billion", 0),
            ("١ - نظمت ٤٠٠ شخص", "1. Organized 400 people", 0),
            ("أكثر من ١٢٠ مشاركا", "more than 1,200 participants", 1),
            ("يوم ٥ آذار/مارس ٢٠٠٧", "on 5 March 2007", 0),
            ("يوم ٥ نيسان/أبريل ٢٠٠٧", "on 5 March 2007", 2),
            ("انظر E/2002/68/Add.1", "see E/2002/68/Add.1", 0),
            ("انظر E/2002/68", "see E/2002/68/Add.1", 2),
            ("في ١٩٤٨", "in 1949", 1),
            ("في ١٩٤٨ و ٥", "in 1949", 2),
        ];
        for (ar, en, n) in table {
            let out = one_bead(ar, en, number_checks);
            assert_eq!(out.len(), n, "{ar} / {en}: {out:#?}");
        }
    }

    #[test]
    fn terms_accept_and_order() {
        let g = Glossary {
            concepts: vec![
                Concept {
                    id: "tip".into(),
                    en: vec!["trafficking in persons".into(), "trafficking".into()],
                    ar: vec!["الاتجار بالأشخاص".into(), "الاتجار".into()],
                    forbidden: vec!["تهريب".into()],
                    ..Concept::default()
                },
                Concept {
                    id: "v".into(),
                    en: vec!["victims".into()],
                    ar: vec!["ضحايا".into(), "ضحية".into()],
                    ..Concept::default()
                },
            ],
        };
        let d = doc(&[
            (
                "مكافحة الاتجار بالأشخاص وحماية الضحايا",
                "Combating trafficking in persons and protecting victims",
            ),
            ("مكافحة تهريب الأشخاص", "Combating trafficking in persons"),
            ("حماية الناس", "Protecting victims of trafficking"),
            (
                "حماية ضحية الاتجار",
                "Protecting victims and victims of trafficking",
            ),
        ]);
        let f = check(
            std::slice::from_ref(&d),
            &g,
            &CheckOptions {
                length_ratio: false,
                ..CheckOptions::default()
            },
        );
        let got: Vec<(usize, &str, &str)> = f
            .iter()
            .map(|f| (f.bead, f.check.as_str(), f.term.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "term-forbidden", "trafficking in persons"),
                (2, "term-missing", "trafficking in persons"),
                (2, "term-missing", "victims"),
                (3, "term-count", "victims"),
            ]
        );
        assert_eq!(f[0].found, "تهريب");
        let accepted: HashSet<String> = [f[1].key()].into_iter().collect();
        let left = filter_accepted(f.clone(), &accepted);
        assert_eq!(left.len(), 3);
        // Variant report counts every form, on the Arabic side only.
        let rows = variant_report(&[d], &g);
        let tip: Vec<(&str, usize)> = rows
            .iter()
            .filter(|r| r.concept == "tip")
            .map(|r| (r.form.as_str(), r.count))
            .collect();
        assert_eq!(
            tip,
            vec![("الاتجار", 1), ("الاتجار بالأشخاص", 1), ("تهريب", 1)]
        );
    }

    #[test]
    fn forbidden_beside_approved_is_a_contrast() {
        let g = Glossary {
            concepts: vec![Concept {
                id: "tip".into(),
                en: vec!["trafficking in persons".into()],
                ar: vec!["الاتجار بالبشر".into()],
                forbidden: vec!["تهريب البشر".into()],
                ..Concept::default()
            }],
        };
        // (Arabic segment, status of the تهريب البشر row)
        let table = [
            ("مكافحة تهريب البشر", "forbidden"),
            (
                "التمييز بين تهريب البشر والاتجار بالبشر",
                "forbidden-contrast",
            ),
            (
                "الاتجار بالبشر جريمة، وتهريب البشر كذلك",
                "forbidden-contrast",
            ),
        ];
        for (ar, want) in table {
            let rows = variant_report(&[doc(&[(ar, "")])], &g);
            let got: Vec<&str> = rows
                .iter()
                .filter(|r| r.rendering == "تهريب البشر")
                .map(|r| r.status.as_str())
                .collect();
            assert_eq!(got, vec![want], "{ar}");
        }
    }

    #[test]
    fn spellings_grouped_by_key() {
        let g = Glossary {
            concepts: vec![Concept {
                id: "tip".into(),
                en: vec!["trafficking".into()],
                ar: vec!["الاتجار".into()],
                ..Concept::default()
            }],
        };
        let d = doc(&[
            ("مكافحة الاتجار", "a"),
            ("مكافحة الإتجار", "b"),
            ("مكافحة الاتّجار والاتجار", "c"),
        ]);
        let rows = variant_report(&[d], &g);
        let got: Vec<(&str, &str, usize, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.form.as_str(),
                    r.spellings.as_str(),
                    r.count,
                    r.beads.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("الاتجار", "الإتجار|الاتّجار", 3, "t#0;t#1;t#2"),
                ("والاتجار", "", 1, "t#2"),
            ]
        );
    }

    #[test]
    fn nested_rendering_counts() {
        let c = |id: &str, en: &str, ar: &str| Concept {
            id: id.into(),
            en: vec![en.into()],
            ar: vec![ar.into()],
            ..Concept::default()
        };
        let g = Glossary {
            concepts: vec![
                c("tip", "trafficking", "الاتجار"),
                c(
                    "twg",
                    "trafficking in women and girls",
                    "الاتجار بالنساء والفتيات",
                ),
            ],
        };
        let d = doc(&[(
            "مكافحة الاتجار بالنساء والفتيات",
            "Combating trafficking of women and girls",
        )]);
        assert!(check(&[d], &g, &CheckOptions::default()).is_empty());
    }

    #[test]
    fn inconsistency_in_target_and_source() {
        let d = doc(&[
            (
                "حماية ضحايا الاتجار بالأشخاص",
                "Protection of victims of trafficking",
            ),
            (
                "حماية ضحايا الاتجار بالبشر",
                "Protection of victims of trafficking",
            ),
            (
                "حماية ضحايا الاتجار بالأشخاص",
                "Protection of victims of trafficking",
            ),
            ("دعم الضحايا في كل مكان", "Support for victims everywhere"),
            ("دعم الضحايا في كل مكان", "Assistance to victims everywhere"),
        ]);
        let f = check(
            &[d],
            &Glossary::default(),
            &CheckOptions {
                length_ratio: false,
                ..CheckOptions::default()
            },
        );
        let got: Vec<(usize, &str, &str)> = f
            .iter()
            .map(|f| (f.bead, f.check.as_str(), f.found.as_str()))
            .collect();
        // Target: bead 1 departs from the majority (beads 0 and 2).
        // Source: beads 3 and 4 tie; the first seen is the reference.
        assert_eq!(
            got,
            vec![
                (1, "inconsistent-target", "t#0"),
                (4, "inconsistent-source", "t#3")
            ]
        );
    }

    #[test]
    fn units_table() {
        // (arabic, english, findings as found)
        let table: &[(&str, &str, &[&str])] = &[
            // The seed's own figures (paras 11 and 13), correctly rendered.
            (
                "بأرباح تناهز ٩,٥ بلايين دولار",
                "profits of some $9.5 billion",
                &[],
            ),
            (
                "يشكلن نسبة ٨٠ في المائة من مجموع الضحايا",
                "80 per cent of all victims",
                &[],
            ),
            ("يشكلن نسبة ٨٠ في المائة", "80% of all victims", &[]),
            ("يصل إلى ٣٠ مليون امرأة", "up to 30 million women", &[]),
            ("تناهز ٩,٥ مليارات دولار", "some 9.5 billion dollars", &[]),
            // Off by a thousand, a lost percentage, a changed currency.
            (
                "بأرباح تناهز ٩,٥ ملايين دولار",
                "profits of some $9.5 billion",
                &["en:billion", "ar:million"],
            ),
            (
                "يشكلن ٨٠ من مجموع الضحايا",
                "80 per cent of all victims",
                &["en:per cent"],
            ),
            (
                "تناهز ٩,٥ بلايين يورو",
                "some $9.5 billion",
                &["en:dollar", "ar:euro"],
            ),
            // No number on a side: nothing compared (English alone has
            // a number and a unit, which a missing gate would report).
            ("ملايين الضحايا", "millions of victims", &[]),
            ("آلاف الضحايا", "30 million victims", &[]),
        ];
        for (ar, en, want) in table {
            let out = one_bead(ar, en, unit_checks);
            let got: Vec<&str> = out.iter().map(|f| f.found.as_str()).collect();
            assert_eq!(&got, want, "{ar} / {en}");
        }
    }

    #[test]
    fn links_table() {
        // (arabic, english, findings as (severity, found))
        type Row<'a> = (&'a str, &'a str, &'a [(Severity, &'a str)]);
        let table: &[Row] = &[
            (
                "انظر www.ohchr.org/ar/trafficking.",
                "See (www.ohchr.org/AR/trafficking/).",
                &[],
            ),
            (
                "راسلوا info@unodc.org، أو زوروا https://www.unodc.org",
                "Write to info@unodc.org or visit https://www.unodc.org.",
                &[],
            ),
            (
                "زوروا الموقع الشبكي.",
                "Visit https://www.unodc.org/human-trafficking.",
                &[(
                    Severity::Error,
                    "en:https://www.unodc.org/human-trafficking",
                )],
            ),
            (
                "راسلوا info@unicef.org.",
                "Write to info@unodc.org.",
                &[
                    (Severity::Error, "en:info@unodc.org"),
                    (Severity::Warning, "ar:info@unicef.org"),
                ],
            ),
            // Not addresses: a document symbol, a date, an ellipsis.
            (
                "القرار ٦١/١٨٠ في ٥/٣...",
                "resolution 61/180 of 5/3...",
                &[],
            ),
        ];
        for (ar, en, want) in table {
            let d = doc(&[(ar, en)]);
            let mut out = Vec::new();
            link_checks(&d, 0, &d.alignment.beads[0], ar, en, &mut out);
            let got: Vec<(Severity, &str)> =
                out.iter().map(|f| (f.severity, f.found.as_str())).collect();
            assert_eq!(&got, want, "{ar} / {en}");
        }
    }

    #[test]
    fn untranslated_table() {
        // (arabic, english, flagged words)
        let table: &[(&str, &str, &[&str])] = &[
            ("مكتب UNODC في فيينا", "UNODC office in Vienna", &[]),
            ("منظمة UNICEF", "the Children's Fund", &["UNICEF"]),
            ("الحق في life", "the right to life", &["life"]),
            ("انظر E/2002/68/Add.1", "see E/2002/68/Add.1", &[]),
        ];
        for (ar, en, want) in table {
            let d = doc(&[(ar, en)]);
            let mut out = Vec::new();
            let (at, et) = (tokenize(ar), tokenize(en));
            untranslated(&d, 0, &d.alignment.beads[0], ar, en, (&at, &et), &mut out);
            let got: Vec<&str> = out.iter().map(|f| f.found.as_str()).collect();
            assert_eq!(&got, want, "{ar}");
        }
    }

    #[test]
    fn symbols() {
        assert_eq!(
            document_symbols("(see E/2002/68/Add.1)."),
            vec!["E/2002/68/Add.1"]
        );
        assert_eq!(
            document_symbols("A/RES/61/144 and 61/180"),
            vec!["A/RES/61/144"]
        );
    }
}
