//! Bilingual term extraction over aligned beads.
//!
//! 1. English candidates: 1–4-word n-grams of each English bead side that
//!    neither start nor end with a stopword and do not cross punctuation or
//!    numbers; kept when they occur at least `min_count` times; a candidate
//!    that only ever occurs inside one longer candidate (same count) is
//!    dropped, as `poterminology` does. Glossary terms and
//!    [`ExtractOptions::terms`] are always candidates, whatever their count.
//! 2. Arabic renderings: for each candidate, every Arabic 1–3-gram (on
//!    normalised keys with proclitics and the article stripped,
//!    [`super::strip_clitics`]) of the beads holding the candidate, ranked by
//!    logDice over bead co-occurrence:
//!    `14 + log2(2·f(en,ar) / (f(en) + f(ar)))`, where `f` counts beads.
//!    Ties (common for terms seen once or twice) go to the rendering whose
//!    word count is closest to the English, then to the higher
//!    co-occurrence count, then to the key.
//!
//! The displayed rendering is the most frequent surface form of the n-gram
//! in the corpus (shortest on ties); one example excerpt is kept per
//! rendering.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::glossary::{Concept, Glossary};
use crate::model::{AlignedDoc, Lang};
use crate::normalize::{arabic_key, english_key, tokenize, ArabicMode, TokenKind};
use crate::terms::compact::{
    put_sorted, put_str, put_varint, read_field, read_sorted, read_str, read_varint, Interner,
    PackedLists, PackedSizer, Spill,
};
use crate::terms::{strip_clitics, TermMatcher};

/// Options for [`extract`].
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Longest English candidate, in words.
    pub max_en_words: usize,
    /// Longest Arabic rendering, in words.
    pub max_ar_words: usize,
    /// Minimum number of occurrences of an English n-gram.
    pub min_count: usize,
    /// Renderings kept per English candidate.
    pub top: usize,
    /// Extra English terms to always extract (like glossary terms).
    pub terms: Vec<String>,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_en_words: 4,
            max_ar_words: 3,
            min_count: 2,
            top: 3,
            terms: Vec::new(),
        }
    }
}

/// One (English term, Arabic rendering) candidate pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// English term (lower-cased key form).
    pub en: String,
    /// Arabic rendering, as displayed (most frequent surface form).
    pub ar: String,
    /// 1-based rank of this rendering for the English term.
    pub rank: usize,
    /// logDice score (max 14).
    pub score: f64,
    /// Beads holding both.
    pub co_count: usize,
    /// Beads holding the English term.
    pub en_count: usize,
    /// Beads holding the Arabic rendering.
    pub ar_count: usize,
    /// An Arabic excerpt around the rendering from one bead holding both,
    /// prefixed with `doc#bead: `.
    pub example: String,
}

const EN_STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "among",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "else",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "you",
    "your",
    "s",
    "shall",
    "therefore",
    "well",
    "whatever",
];

const AR_STOP: &[&str] = &[
    "في",
    "من",
    "علي",
    "الي",
    "ان",
    "عن",
    "مع",
    "او",
    "ما",
    "لا",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "كل",
    "لكل",
    "اي",
    "هو",
    "هي",
    "هم",
    "قد",
    "كان",
    "كانت",
    "لم",
    "لن",
    "اذا",
    "حتي",
    "بين",
    "غير",
    "عند",
    "ثم",
    "ايضا",
    "كما",
    "به",
    "بها",
    "له",
    "لها",
    "لهم",
    "منها",
    "فيها",
    "عليه",
    "عليها",
    "ذات",
    "الا",
    "انه",
    "انها",
    "اية",
    "يجوز",
    "دون",
    "اجل",
    "لما",
    "تي",
    "ذي",
    "ذين",
    "لكي",
    "كي",
    "وقد",
    "ولا",
    "ومن",
    "وفي",
    "او",
    "فيه",
    "منه",
    "اليه",
    "عليهم",
    "هذا",
    "بهذا",
    "لهذا",
    "بهذه",
    "لهذه",
    "وهو",
    "وهي",
    "يكون",
    "تكون",
    "سواء",
    "بما",
    "مما",
    "ولكل",
    "كافة",
    "جميع",
    "حق",
];

fn is_en_stop(w: &str) -> bool {
    EN_STOP.contains(&w)
}

/// A function word: the key itself, or after a conjunction (وفي, فمن), is on
/// the stoplist. The stripped form is not tested against the list: الله
/// strips to له, which is not the preposition له.
fn is_ar_stop(raw: &str, stripped: &str) -> bool {
    let after_conj = raw
        .strip_prefix('و')
        .or_else(|| raw.strip_prefix('ف'))
        .unwrap_or(raw);
    AR_STOP.contains(&raw) || AR_STOP.contains(&after_conj) || stripped.chars().count() < 2
}

/// Beads tokenised in parallel at a time by the extractor.
const KEY_BLOCK: usize = 4096;

/// One bead of the corpus with both sides present, as read back from the
/// spill.
struct BeadRef {
    doc: u32,
    bead: usize,
    en: String,
    ar: String,
}

/// Extraction fed chunk by chunk (in input order) so the documents need not
/// all be held at once, in memory that does not follow the text volume.
///
/// [`Extractor::add`] appends the text of each two-sided bead to a spill
/// (memory for [`Extractor::new`], an unlinked temporary file for
/// [`Extractor::spill_in`]). [`Extractor::finish`] reads it back in blocks:
/// a first pass interns every n-gram (one string arena per language) with
/// its counts, and keeps for each bead its Arabic n-gram ids and for each
/// candidate its bead list, delta- and varint-coded (a few bytes per
/// posting); after ranking, a second pass fetches the displayed surface
/// forms and example excerpts of the renderings actually reported. What
/// grows with the corpus is then the distinct n-grams and the coded
/// postings, not the bead texts. The candidates are those [`extract`] gives
/// over the same documents.
pub struct Extractor {
    names: Vec<String>,
    beads: usize,
    spill: Spill,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

/// Figures about the extractor's corpus-wide state, for benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractStats {
    /// Two-sided beads seen.
    pub beads: usize,
    /// Bytes of bead text spilled.
    pub spill_bytes: u64,
    /// Distinct English n-grams counted.
    pub en_ngrams: usize,
    /// Distinct Arabic n-grams counted.
    pub ar_ngrams: usize,
    /// English candidates ranked.
    pub candidates: usize,
    /// Approximate heap bytes of the n-gram tables (arenas and indexes).
    pub table_bytes: usize,
    /// Heap bytes of the coded per-bead Arabic id lists and candidate
    /// postings.
    pub list_bytes: usize,
}

impl Extractor {
    /// An extractor spilling bead texts to memory.
    pub fn new() -> Self {
        Extractor {
            names: Vec::new(),
            beads: 0,
            spill: Spill::memory(),
        }
    }

    /// An extractor spilling bead texts (and its working lists) to unlinked
    /// temporary files in `dir`, so memory does not grow with the text.
    pub fn spill_in(dir: &Path) -> Result<Self> {
        Ok(Extractor {
            names: Vec::new(),
            beads: 0,
            spill: Spill::file_in(dir).map_err(|e| Error::io(dir, e))?,
        })
    }

    /// Add the next documents of the corpus.
    pub fn add(&mut self, docs: &[AlignedDoc]) -> Result<()> {
        let mut buf = Vec::new();
        for d in docs {
            let di = self.names.len() as u64;
            self.names.push(d.name.clone());
            for (i, b) in d.alignment.beads.iter().enumerate() {
                if b.ar.is_empty() || b.en.is_empty() {
                    continue;
                }
                put_varint(&mut buf, di);
                put_varint(&mut buf, i as u64);
                put_str(&mut buf, &d.en_text(b));
                put_str(&mut buf, &d.ar_text(b));
                self.beads += 1;
            }
        }
        let place = self.spill.place().to_path_buf();
        self.spill.put(&buf).map_err(|e| Error::io(place, e))
    }

    /// Rank the candidates (see [`extract`]).
    pub fn finish(
        self,
        glossary: Option<&Glossary>,
        opts: &ExtractOptions,
    ) -> Result<Vec<Candidate>> {
        self.finish_with_stats(glossary, opts).map(|r| r.0)
    }

    /// [`Extractor::finish`], with figures about the state it held.
    pub fn finish_with_stats(
        mut self,
        glossary: Option<&Glossary>,
        opts: &ExtractOptions,
    ) -> Result<(Vec<Candidate>, ExtractStats)> {
        let place = self.spill.place().to_path_buf();
        rank(&self.names, self.beads, &mut self.spill, glossary, opts)
            .map_err(|e| Error::io(place, e))
    }
}

/// Extract term candidates from aligned documents. Output order: English
/// candidates by descending bead count then alphabetically, renderings by
/// rank. Deterministic whatever the thread count.
pub fn extract(
    docs: &[AlignedDoc],
    glossary: Option<&Glossary>,
    opts: &ExtractOptions,
) -> Vec<Candidate> {
    let mut x = Extractor::new();
    // An in-memory spill cannot fail to write or read back.
    x.add(docs)
        .and_then(|()| x.finish(glossary, opts))
        .expect("in-memory extraction spill")
}

/// Read the spilled beads back, a block at a time, calling `f` with each
/// block and the index of its first bead.
fn for_blocks(
    spill: &mut Spill,
    mut f: impl FnMut(usize, &[BeadRef]) -> io::Result<()>,
) -> io::Result<()> {
    let mut r = spill.reader()?;
    let mut block = Vec::with_capacity(KEY_BLOCK);
    let mut first = 0;
    while let Some(doc) = read_varint(&mut r)? {
        let bead = read_field(&mut r)? as usize;
        let en = read_str(&mut r)?;
        let ar = read_str(&mut r)?;
        block.push(BeadRef {
            doc: doc as u32,
            bead,
            en,
            ar,
        });
        if block.len() == KEY_BLOCK {
            f(first, &block)?;
            first += block.len();
            block.clear();
        }
    }
    if !block.is_empty() {
        f(first, &block)?;
    }
    Ok(())
}

/// English n-gram keys of a bead side, every occurrence in text order.
fn en_grams(text: &str, max: usize) -> Vec<String> {
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    for t in tokenize(text) {
        if t.kind == TokenKind::Word {
            if let Some(r) = runs.last_mut() {
                r.push(english_key(t.text));
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    let mut out = Vec::new();
    for run in &runs {
        for i in 0..run.len() {
            if is_en_stop(&run[i]) || run[i].chars().count() < 2 {
                continue;
            }
            for n in 1..=max.min(run.len() - i) {
                let last = &run[i + n - 1];
                if is_en_stop(last) || last.chars().count() < 2 {
                    continue;
                }
                out.push(run[i..i + n].join(" "));
            }
        }
    }
    out
}

/// Arabic n-gram keys of a bead side (normalised, clitics stripped) with
/// the byte span of each occurrence, in text order.
fn ar_grams(text: &str, max: usize) -> Vec<(String, usize, usize)> {
    type ArWord = (String, String, usize, usize);
    let mut runs: Vec<Vec<ArWord>> = vec![Vec::new()];
    for t in &tokenize(text) {
        if t.kind == TokenKind::Word {
            let raw = arabic_key(t.text, ArabicMode::Strict);
            let st = strip_clitics(&raw).to_string();
            if let Some(r) = runs.last_mut() {
                r.push((raw, st, t.start, t.end));
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    let mut out = Vec::new();
    for run in &runs {
        for i in 0..run.len() {
            if is_ar_stop(&run[i].0, &run[i].1) {
                continue;
            }
            for n in 1..=max.min(run.len() - i) {
                let last = &run[i + n - 1];
                if is_ar_stop(&last.0, &last.1) {
                    continue;
                }
                let key = run[i..i + n]
                    .iter()
                    .map(|w| w.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push((key, run[i].2, last.3));
            }
        }
    }
    out
}

/// A ranked rendering before its display form and example are fetched.
struct Pending {
    cand: Candidate,
    id: u32,
    first: u32,
}

fn rank(
    names: &[String],
    n_beads: usize,
    spill: &mut Spill,
    glossary: Option<&Glossary>,
    opts: &ExtractOptions,
) -> io::Result<(Vec<Candidate>, ExtractStats)> {
    // Forced terms (glossary + options), found with the matcher.
    let mut forced: Vec<String> = opts.terms.clone();
    if let Some(g) = glossary {
        for c in &g.concepts {
            if let Some(t) = c.en.first() {
                forced.push(t.clone());
            }
        }
    }
    let forced_keys: Vec<String> = forced.iter().map(|t| english_key(t)).collect();
    let matcher = (!forced.is_empty()).then(|| {
        TermMatcher::new(&Glossary {
            concepts: forced
                .iter()
                .map(|t| Concept {
                    en: vec![t.clone()],
                    ..Concept::default()
                })
                .collect(),
        })
    });
    let mut forced_beads: HashMap<String, Vec<u32>> = HashMap::new();

    // Pass 1: intern and count every n-gram; keep each bead's English ids
    // (in a second spill) and Arabic ids (coded, in memory).
    let mut en = Interner::default();
    let mut en_tf: Vec<u32> = Vec::new();
    let mut en_df: Vec<u32> = Vec::new();
    let mut ar = Interner::default();
    let mut ar_df: Vec<u32> = Vec::new();
    let mut ar_lists = PackedLists::default();
    let mut en_spill = spill.sibling()?;
    let mut ids: Vec<u32> = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    for_blocks(spill, |first, blk| {
        let keyed: Vec<_> = blk
            .par_iter()
            .map(|b| {
                let hits: Vec<usize> = matcher
                    .as_ref()
                    .map(|m| m.find(&b.en, Lang::En).iter().map(|h| h.concept).collect())
                    .unwrap_or_default();
                let arg: Vec<String> = ar_grams(&b.ar, opts.max_ar_words)
                    .into_iter()
                    .map(|g| g.0)
                    .collect();
                (en_grams(&b.en, opts.max_en_words), arg, hits)
            })
            .collect();
        buf.clear();
        for (k, (eg, ag, hits)) in keyed.into_iter().enumerate() {
            let bi = (first + k) as u32;
            ids.clear();
            for g in &eg {
                let (id, new) = en.intern(g);
                if new {
                    en_tf.push(0);
                    en_df.push(0);
                }
                en_tf[id as usize] += 1;
                ids.push(id);
            }
            ids.sort_unstable();
            ids.dedup();
            put_sorted(&mut buf, &ids);
            for &id in &ids {
                en_df[id as usize] += 1;
            }
            for c in hits {
                let v = forced_beads.entry(forced_keys[c].clone()).or_default();
                if v.last() != Some(&bi) {
                    v.push(bi);
                }
            }
            ids.clear();
            for g in &ag {
                let (id, new) = ar.intern(g);
                if new {
                    ar_df.push(0);
                }
                ids.push(id);
            }
            ids.sort_unstable();
            ids.dedup();
            for &id in &ids {
                ar_df[id as usize] += 1;
            }
            ar_lists.push(&ids);
        }
        en_spill.put(&buf)
    })?;
    ar_lists.shrink();

    // Frequent candidates, sub-phrases only seen inside a longer one dropped.
    let min = opts.min_count.max(1) as u32;
    let frequent: Vec<u32> = (0..en.len() as u32)
        .filter(|&id| en_tf[id as usize] >= min)
        .collect();
    // A sub-phrase whose count equals that of a frequent super-phrase only
    // ever occurs inside it: drop it. Each super-phrase marks its
    // contiguous sub-phrases (O(candidates × n²)).
    let mut dropped: HashSet<u32> = HashSet::new();
    for &sup in &frequent {
        let c = en_tf[sup as usize];
        let words: Vec<&str> = en.name(sup).split(' ').collect();
        for len in 1..words.len() {
            for w in words.windows(len) {
                if let Some(sub) = en.get(&w.join(" ")) {
                    if en_tf[sub as usize] == c {
                        dropped.insert(sub);
                    }
                }
            }
        }
    }
    let mut chosen: BTreeSet<String> = frequent
        .iter()
        .filter(|id| !dropped.contains(id))
        .map(|&id| en.name(id).to_string())
        .collect();
    drop(dropped);
    for k in &forced_keys {
        forced_beads.entry(k.clone()).or_default();
        chosen.insert(k.clone());
    }
    let chosen: Vec<String> = chosen.into_iter().collect();

    // Postings (bead lists) of the chosen n-grams, from the English spill:
    // sized in one pass, filled in a second.
    // Slot of each chosen English n-gram id (dense: ids are 0..en.len()).
    const NO_SLOT: u32 = u32::MAX;
    let mut slot = vec![NO_SLOT; en.len()];
    let mut n_slots = 0u32;
    for c in &chosen {
        if let Some(id) = en.get(c) {
            slot[id as usize] = n_slots;
            n_slots += 1;
        }
    }
    let read_lists = |en_spill: &mut Spill, f: &mut dyn FnMut(u32, u32)| -> io::Result<()> {
        let mut r = en_spill.reader()?;
        for bi in 0..n_beads as u32 {
            read_sorted(&mut r, |id| match slot.get(id as usize) {
                Some(&s) if s != NO_SLOT => f(s, bi),
                _ => {}
            })?;
        }
        Ok(())
    };
    let mut sizer = PackedSizer::new(n_slots as usize);
    read_lists(&mut en_spill, &mut |s, bi| sizer.add(s as usize, bi))?;
    let mut builder = sizer.builder();
    read_lists(&mut en_spill, &mut |s, bi| builder.add(s as usize, bi))?;
    let postings = builder.finish();
    drop(en_spill);

    // Rank renderings per candidate.
    let n_ids = ar.len();
    let (en, ar, ar_lists, en_df, ar_df) = (&en, &ar, &ar_lists, &en_df, &ar_df);
    let (slot, postings, forced_beads) = (&slot, &postings, &forced_beads);
    let mut per_term: Vec<Vec<Pending>> = chosen
        .par_iter()
        .map_init(
            || (vec![0u32; n_ids], vec![0u32; n_ids], Vec::<u32>::new()),
            |(cnt, first_bead, touched), term| {
                // The exact n-gram's beads; for a forced term never seen as an
                // n-gram (stopword at an edge, longer than the maximum, only
                // inflected), the matcher's.
                let (set, fe): (Box<dyn Iterator<Item = u32>>, usize) = match en
                    .get(term)
                    .and_then(|id| Some((id, slot[id as usize])).filter(|x| x.1 != NO_SLOT))
                {
                    Some((id, s)) => (
                        Box::new(postings.iter(s as usize)),
                        en_df[id as usize] as usize,
                    ),
                    None => {
                        let v = forced_beads.get(term).map(|v| v.as_slice()).unwrap_or(&[]);
                        (Box::new(v.iter().copied()), v.len())
                    }
                };
                if fe == 0 {
                    return Vec::new();
                }
                let ne = term.split(' ').count() as i64;
                // Dense per-thread counters, reset through the touched list.
                for &id in touched.iter() {
                    cnt[id as usize] = 0;
                }
                touched.clear();
                for bi in set {
                    for g in ar_lists.iter(bi as usize) {
                        let c = &mut cnt[g as usize];
                        if *c == 0 {
                            touched.push(g);
                            first_bead[g as usize] = bi;
                        }
                        *c += 1;
                    }
                }
                let (cnt, first_bead) = (&*cnt, &*first_bead);
                let log_dice =
                    |c: u32, fa: u32| 14.0 + (2.0 * c as f64 / (fe as f64 + fa as f64)).log2();
                // Weakest link: the lowest association of any of the n-gram's
                // words on its own (words not counted as unigrams ignored).
                let weakest = |id: u32| -> f64 {
                    ar.name(id)
                        .split(' ')
                        .filter_map(|w| ar.get(w))
                        .filter(|wid| cnt[*wid as usize] > 0)
                        .map(|wid| log_dice(cnt[wid as usize], ar_df[wid as usize]))
                        .fold(f64::INFINITY, f64::min)
                };
                // Score everything, keep the best (all ties of the 64th
                // included, so the set does not depend on sort order), then
                // rank those with the tie-breakers.
                let mut pre: Vec<(f64, u32)> = touched
                    .iter()
                    .map(|&id| (log_dice(cnt[id as usize], ar_df[id as usize]), id))
                    .collect();
                const KEEP: usize = 64;
                if pre.len() > KEEP {
                    pre.select_nth_unstable_by(KEEP - 1, |a, b| {
                        b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal)
                    });
                    let thr = pre[KEEP - 1].0;
                    pre.retain(|p| p.0 >= thr);
                }
                type Scored<'s> = (f64, i64, f64, u32, &'s str, u32, u32);
                let mut scored: Vec<Scored> = pre
                    .iter()
                    .map(|&(score, id)| {
                        let (c, first) = (cnt[id as usize], first_bead[id as usize]);
                        let name = ar.name(id);
                        let na = name.split(' ').count().min(255) as i64;
                        (score, (na - ne).abs(), weakest(id), c, name, id, first)
                    })
                    .collect();
                scored.sort_by(|a, b| {
                    b.0.partial_cmp(&a.0)
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then(a.1.cmp(&b.1))
                        .then(b.2.partial_cmp(&a.2).unwrap_or(std::cmp::Ordering::Equal))
                        .then(b.3.cmp(&a.3))
                        .then(a.4.cmp(b.4))
                });
                scored
                    .into_iter()
                    .take(opts.top)
                    .enumerate()
                    .map(|(r, (score, _, _, c, _, id, first))| Pending {
                        cand: Candidate {
                            en: term.clone(),
                            ar: String::new(),
                            rank: r + 1,
                            score: (score * 1000.0).round() / 1000.0,
                            co_count: c as usize,
                            en_count: fe,
                            ar_count: ar_df[id as usize] as usize,
                            example: String::new(),
                        },
                        id,
                        first,
                    })
                    .collect()
            },
        )
        .collect();

    // Pass 2: display forms (most frequent surface in the corpus, shortest
    // on ties) and example excerpts of the reported renderings only.
    let mut surfaces: HashMap<u32, HashMap<String, u32>> = HashMap::new();
    let mut examples: HashMap<(u32, u32), Option<String>> = HashMap::new();
    for p in per_term.iter().flatten() {
        surfaces.entry(p.id).or_default();
        examples.insert((p.first, p.id), None);
    }
    let example_beads: HashSet<u32> = examples.keys().map(|k| k.0).collect();
    let wanted: HashSet<u32> = surfaces.keys().copied().collect();
    for_blocks(spill, |first, blk| {
        let found: Vec<Vec<(u32, usize, usize)>> = blk
            .par_iter()
            .map(|b| {
                ar_grams(&b.ar, opts.max_ar_words)
                    .into_iter()
                    .filter_map(|(k, s, e)| {
                        ar.get(&k)
                            .filter(|id| wanted.contains(id))
                            .map(|id| (id, s, e))
                    })
                    .collect()
            })
            .collect();
        for (k, (b, list)) in blk.iter().zip(found).enumerate() {
            let bi = (first + k) as u32;
            let want = example_beads.contains(&bi);
            for &(id, s, e) in &list {
                if let Some(m) = surfaces.get_mut(&id) {
                    *m.entry(b.ar[s..e].to_string()).or_default() += 1;
                }
                if want {
                    if let Some(x) = examples.get_mut(&(bi, id)) {
                        x.get_or_insert_with(|| {
                            format!(
                                "{}#{}: {}",
                                names[b.doc as usize],
                                b.bead,
                                excerpt(&b.ar, s, e, 60)
                            )
                        });
                    }
                }
            }
        }
        Ok(())
    })?;
    let best: HashMap<u32, String> = surfaces
        .into_iter()
        .map(|(id, m)| {
            let s = m
                .iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then(b.0.chars().count().cmp(&a.0.chars().count()))
                        .then(b.0.cmp(a.0))
                })
                .map(|(s, _)| s.clone())
                .unwrap_or_default();
            (id, s)
        })
        .collect();

    let stats = ExtractStats {
        beads: n_beads,
        spill_bytes: spill.size(),
        en_ngrams: en.len(),
        ar_ngrams: ar.len(),
        candidates: chosen.len(),
        table_bytes: en.heap_bytes()
            + ar.heap_bytes()
            + (en_tf.capacity() + en_df.capacity() + ar_df.capacity()) * 4,
        list_bytes: ar_lists.heap_bytes() + postings.heap_bytes(),
    };
    per_term.sort_by(|a, b| {
        let (ca, cb) = (a.first(), b.first());
        match (ca, cb) {
            (Some(x), Some(y)) => y
                .cand
                .en_count
                .cmp(&x.cand.en_count)
                .then(x.cand.en.cmp(&y.cand.en)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    let out = per_term
        .into_iter()
        .flatten()
        .map(|p| {
            let mut c = p.cand;
            c.ar = best.get(&p.id).cloned().unwrap_or_default();
            c.example = examples
                .get(&(p.first, p.id))
                .cloned()
                .flatten()
                .unwrap_or_default();
            c
        })
        .collect();
    Ok((out, stats))
}

/// Text around `start..end` with up to `ctx` characters either side, cut at
/// character boundaries, with `…` where cut.
pub fn excerpt(text: &str, start: usize, end: usize, ctx: usize) -> String {
    let before: Vec<(usize, char)> = text[..start].char_indices().collect();
    let s = if before.len() > ctx {
        before[before.len() - ctx].0
    } else {
        0
    };
    let e = text[end..]
        .char_indices()
        .nth(ctx)
        .map(|(i, _)| end + i)
        .unwrap_or(text.len());
    let mut out = String::new();
    if s > 0 {
        out.push('…');
    }
    out.push_str(&text[s..e]);
    if e < text.len() {
        out.push('…');
    }
    out
}

/// Turn candidates into a glossary: one concept per English term, its
/// renderings in rank order, the top rendering's example as context.
pub fn candidates_to_glossary(c: &[Candidate]) -> Glossary {
    candidates_into_glossary(c.iter().cloned())
}

/// [`candidates_to_glossary`], consuming the candidates (no copy of their
/// text is kept beside the glossary's).
pub fn candidates_into_glossary(c: impl IntoIterator<Item = Candidate>) -> Glossary {
    let mut g = Glossary::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for cand in c {
        let i = *index.entry(cand.en.clone()).or_insert_with(|| {
            g.concepts.push(Concept {
                id: format!("x{}", g.concepts.len() + 1),
                en: vec![cand.en.clone()],
                source: "termalign extract (logDice over aligned beads)".into(),
                context: cand
                    .example
                    .split_once(": ")
                    .map(|(_, e)| e.to_string())
                    .unwrap_or_default(),
                ..Concept::default()
            });
            g.concepts.len() - 1
        });
        if !g.concepts[i].ar.contains(&cand.ar) {
            g.concepts[i].ar.push(cand.ar);
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(pairs: &[(&str, &str)]) -> AlignedDoc {
        AlignedDoc::one_to_one("t", pairs)
    }

    #[test]
    fn ranks_rendering_and_drops_subphrases() {
        let d = doc(&[
            (
                "مكافحة الاتجار بالأشخاص واجب",
                "Combating trafficking in persons is a duty",
            ),
            (
                "ضحايا الاتجار بالأشخاص كثيرون",
                "Victims of trafficking in persons are many",
            ),
            ("حماية ضحايا الجريمة", "Protection of victims of crime"),
            ("الجريمة المنظمة خطيرة", "Organized crime is dangerous"),
        ]);
        let c = extract(&[d], None, &ExtractOptions::default());
        let top = |en: &str| {
            c.iter()
                .find(|x| x.en == en && x.rank == 1)
                .map(|x| x.ar.clone())
        };
        assert_eq!(
            top("trafficking in persons").as_deref(),
            Some("الاتجار بالأشخاص")
        );
        assert_eq!(top("victims").as_deref(), Some("ضحايا"));
        assert_eq!(top("crime").as_deref(), Some("الجريمة"));
        // "trafficking" and "persons" only occur inside "trafficking in persons".
        assert!(top("trafficking").is_none());
        assert!(top("persons").is_none());
        let g = candidates_to_glossary(&c);
        assert!(g
            .concepts
            .iter()
            .any(|k| k.en[0] == "victims" && k.ar[0] == "ضحايا"));
    }

    /// A file-spilled extractor fed in chunks gives exactly what the
    /// one-shot extraction gives, on the real UDHR text (paragraphs paired
    /// by position, 92 per side).
    #[test]
    fn spilled_chunks_equal_one_shot() {
        let read = |p: &str| std::fs::read_to_string(p).unwrap();
        let (ar, en) = (read("corpora/udhr.ar.txt"), read("corpora/udhr.en.txt"));
        let paras = |t: &str| -> Vec<String> {
            t.split("\n\n")
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        };
        let (ar, en) = (paras(&ar), paras(&en));
        let pairs: Vec<(&str, &str)> = ar
            .iter()
            .zip(&en)
            .map(|(a, e)| (a.as_str(), e.as_str()))
            .collect();
        let docs: Vec<AlignedDoc> = pairs
            .chunks(10)
            .enumerate()
            .map(|(i, c)| AlignedDoc::one_to_one(format!("udhr{i}"), c))
            .collect();
        let mut g = Glossary::default();
        g.concepts.push(Concept {
            en: vec!["human rights".into()],
            ..Concept::default()
        });
        let opts = ExtractOptions {
            terms: vec!["the equal rights".into()],
            ..ExtractOptions::default()
        };
        let want = extract(&docs, Some(&g), &opts);
        assert!(want.len() > 100, "{}", want.len());
        assert!(want
            .iter()
            .any(|c| c.en == "human rights" && !c.example.is_empty()));
        let dir = tempfile::tempdir().unwrap();
        let mut x = Extractor::spill_in(dir.path()).unwrap();
        for part in docs.chunks(3) {
            x.add(part).unwrap();
        }
        let (got, stats) = x.finish_with_stats(Some(&g), &opts).unwrap();
        assert_eq!(got, want);
        assert_eq!(stats.beads, pairs.len());
        assert!(stats.en_ngrams > stats.candidates && stats.ar_ngrams > 0);
        // The spill files are unlinked: nothing is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn excerpt_cuts_on_chars() {
        assert_eq!(excerpt("أبجد هوز حطي", 9, 15, 3), "…جد هوز حط…");
        assert_eq!(excerpt("abc", 0, 3, 5), "abc");
    }
}
