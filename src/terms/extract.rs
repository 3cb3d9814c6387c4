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

use rayon::prelude::*;
use serde::Serialize;

use crate::glossary::{Concept, Glossary};
use crate::model::{AlignedDoc, Lang};
use crate::normalize::{arabic_key, english_key, tokenize, ArabicMode, TokenKind};
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

/// One bead of the corpus with both sides present.
struct BeadRef {
    doc: u32,
    bead: usize,
    en: Box<str>,
    ar: Box<str>,
}

/// Extraction fed chunk by chunk (in input order) so the documents need not
/// all be held at once. It keeps only the text of each two-sided bead
/// (both sides, as displayed) and the document names — about the size of
/// the bilingual input, not of the aligned documents with their segment
/// metadata — and ranks at [`Extractor::finish`]: the candidates are those
/// [`extract`] gives over the same documents.
#[derive(Default)]
pub struct Extractor {
    names: Vec<String>,
    beads: Vec<BeadRef>,
}

impl Extractor {
    /// An empty extractor.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the next documents of the corpus.
    pub fn add(&mut self, docs: &[AlignedDoc]) {
        for d in docs {
            let di = self.names.len() as u32;
            self.names.push(d.name.clone());
            for (i, b) in d.alignment.beads.iter().enumerate() {
                if b.ar.is_empty() || b.en.is_empty() {
                    continue;
                }
                self.beads.push(BeadRef {
                    doc: di,
                    bead: i,
                    en: d.en_text(b).into(),
                    ar: d.ar_text(b).into(),
                });
            }
        }
    }

    /// Rank the candidates (see [`extract`]).
    pub fn finish(self, glossary: Option<&Glossary>, opts: &ExtractOptions) -> Vec<Candidate> {
        extract_beads(&self.names, &self.beads, glossary, opts)
    }
}

/// Arabic side of a bead: n-gram ids present, and for each a surface span.
struct ArBead {
    grams: Vec<(u32, usize, usize)>,
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
    x.add(docs);
    x.finish(glossary, opts)
}

fn extract_beads(
    names: &[String],
    beads: &[BeadRef],
    glossary: Option<&Glossary>,
    opts: &ExtractOptions,
) -> Vec<Candidate> {
    // English n-grams: bead sets and total counts.
    let mut en_beads: HashMap<String, Vec<u32>> = HashMap::new();
    let mut en_tf: HashMap<String, usize> = HashMap::new();
    // Tokenising and keying is done in parallel, a block of beads at a time
    // (bounded extra memory); the counting stays sequential, in bead order.
    let en_runs = |b: &BeadRef| {
        let mut runs: Vec<Vec<String>> = vec![Vec::new()];
        for t in tokenize(&b.en) {
            if t.kind == TokenKind::Word {
                if let Some(r) = runs.last_mut() {
                    r.push(english_key(t.text));
                }
            } else if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(Vec::new());
            }
        }
        runs
    };
    let keyed_en = beads
        .chunks(KEY_BLOCK)
        .flat_map(|blk| blk.par_iter().map(en_runs).collect::<Vec<_>>());
    for (bi, runs) in keyed_en.enumerate() {
        for run in &runs {
            for i in 0..run.len() {
                if is_en_stop(&run[i]) || run[i].chars().count() < 2 {
                    continue;
                }
                for n in 1..=opts.max_en_words.min(run.len() - i) {
                    let last = &run[i + n - 1];
                    if is_en_stop(last) || last.chars().count() < 2 {
                        continue;
                    }
                    let g = run[i..i + n].join(" ");
                    *en_tf.entry(g.clone()).or_default() += 1;
                    let v = en_beads.entry(g).or_default();
                    if v.last() != Some(&(bi as u32)) {
                        v.push(bi as u32);
                    }
                }
            }
        }
    }

    // Frequent candidates, sub-phrases only seen inside a longer one dropped.
    let frequent: Vec<(&String, usize)> = en_tf
        .iter()
        .filter(|(_, &c)| c >= opts.min_count.max(1))
        .map(|(g, &c)| (g, c))
        .collect();
    // A sub-phrase whose count equals that of a frequent super-phrase only
    // ever occurs inside it: drop it. Each super-phrase marks its
    // contiguous sub-phrases (O(candidates × n²)).
    let mut dropped: HashSet<&str> = HashSet::new();
    for (sup, c) in &frequent {
        let words: Vec<&str> = sup.split(' ').collect();
        for len in 1..words.len() {
            for w in words.windows(len) {
                let sub = w.join(" ");
                if let Some((k, &sc)) = en_tf.get_key_value(sub.as_str()) {
                    if sc == *c {
                        dropped.insert(k.as_str());
                    }
                }
            }
        }
    }
    let mut chosen: BTreeSet<String> = frequent
        .iter()
        .filter(|(g, _)| !dropped.contains(g.as_str()))
        .map(|(g, _)| (*g).clone())
        .collect();

    // Forced terms (glossary + options): bead sets via the matcher.
    let mut forced: Vec<String> = opts.terms.clone();
    if let Some(g) = glossary {
        for c in &g.concepts {
            if let Some(t) = c.en.first() {
                forced.push(t.clone());
            }
        }
    }
    let mut forced_beads: HashMap<String, Vec<u32>> = HashMap::new();
    if !forced.is_empty() {
        let fg = Glossary {
            concepts: forced
                .iter()
                .map(|t| Concept {
                    en: vec![t.clone()],
                    ..Concept::default()
                })
                .collect(),
        };
        let m = TermMatcher::new(&fg);
        for (bi, b) in beads.iter().enumerate() {
            for h in m.find(&b.en, Lang::En) {
                let key = english_key(&forced[h.concept]);
                let v = forced_beads.entry(key).or_default();
                if v.last() != Some(&(bi as u32)) {
                    v.push(bi as u32);
                }
            }
        }
        for t in &forced {
            let k = english_key(t);
            forced_beads.entry(k.clone()).or_default();
            chosen.insert(k);
        }
    }

    // Arabic n-grams per bead.
    let mut ar_ids: HashMap<String, u32> = HashMap::new();
    let mut ar_names: Vec<String> = Vec::new();
    let mut ar_df: Vec<u32> = Vec::new();
    let mut surfaces: Vec<HashMap<String, u32>> = Vec::new();
    let mut ar_beads: Vec<ArBead> = Vec::with_capacity(beads.len());
    type ArWord = (String, String, usize, usize);
    let ar_runs = |b: &BeadRef| {
        let mut runs: Vec<Vec<ArWord>> = vec![Vec::new()];
        for t in &tokenize(&b.ar) {
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
        runs
    };
    let keyed_ar = beads.chunks(KEY_BLOCK).flat_map(|blk| {
        blk.iter()
            .zip(blk.par_iter().map(ar_runs).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    });
    for (b, runs) in keyed_ar {
        let mut grams: Vec<(u32, usize, usize)> = Vec::new();
        for run in &runs {
            for i in 0..run.len() {
                if is_ar_stop(&run[i].0, &run[i].1) {
                    continue;
                }
                for n in 1..=opts.max_ar_words.min(run.len() - i) {
                    let last = &run[i + n - 1];
                    if is_ar_stop(&last.0, &last.1) {
                        continue;
                    }
                    let key = run[i..i + n]
                        .iter()
                        .map(|w| w.1.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let id = *ar_ids.entry(key.clone()).or_insert_with(|| {
                        ar_names.push(key);
                        ar_df.push(0);
                        surfaces.push(HashMap::new());
                        (ar_names.len() - 1) as u32
                    });
                    let (s, e) = (run[i].2, last.3);
                    *surfaces[id as usize]
                        .entry(b.ar[s..e].to_string())
                        .or_default() += 1;
                    grams.push((id, s, e));
                }
            }
        }
        grams.sort_by_key(|g| (g.0, g.1));
        grams.dedup_by_key(|g| g.0);
        for g in &grams {
            ar_df[g.0 as usize] += 1;
        }
        ar_beads.push(ArBead { grams });
    }
    let best_surface: Vec<String> = surfaces
        .iter()
        .map(|m| {
            m.iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then(b.0.chars().count().cmp(&a.0.chars().count()))
                        .then(b.0.cmp(a.0))
                })
                .map(|(s, _)| s.clone())
                .unwrap_or_default()
        })
        .collect();

    // Rank renderings per candidate.
    let chosen: Vec<String> = chosen.into_iter().collect();
    let n_ids = ar_names.len();
    // Unigram ids of each n-gram's words (unigrams that are not counted,
    // stopwords inside an n-gram, are left out).
    let ar_parts: Vec<Vec<u32>> = ar_names
        .iter()
        .map(|n| {
            n.split(' ')
                .filter_map(|w| ar_ids.get(w).copied())
                .collect()
        })
        .collect();
    let ar_nwords: Vec<u8> = ar_names
        .iter()
        .map(|n| n.split(' ').count().min(255) as u8)
        .collect();
    let mut per_term: Vec<Vec<Candidate>> = chosen
        .par_iter()
        .map_init(
            || (vec![0u32; n_ids], vec![0u32; n_ids], Vec::<u32>::new()),
            |(cnt, first_bead, touched), en| {
                // The exact n-gram's beads; for a forced term never seen as an
                // n-gram (stopword at an edge, longer than the maximum, only
                // inflected), the matcher's.
                let set: &[u32] = en_beads
                    .get(en)
                    .filter(|v| !v.is_empty())
                    .or_else(|| forced_beads.get(en))
                    .map(|v| v.as_slice())
                    .unwrap_or(&[]);
                if set.is_empty() {
                    return Vec::new();
                }
                let fe = set.len();
                let ne = en.split(' ').count() as i64;
                // Dense per-thread counters, reset through the touched list.
                for &id in touched.iter() {
                    cnt[id as usize] = 0;
                }
                touched.clear();
                for &bi in set {
                    for g in &ar_beads[bi as usize].grams {
                        let c = &mut cnt[g.0 as usize];
                        if *c == 0 {
                            touched.push(g.0);
                            first_bead[g.0 as usize] = bi;
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
                    ar_parts[id as usize]
                        .iter()
                        .filter(|wid| cnt[**wid as usize] > 0)
                        .map(|wid| log_dice(cnt[*wid as usize], ar_df[*wid as usize]))
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
                        let name = ar_names[id as usize].as_str();
                        let na = ar_nwords[id as usize] as i64;
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
                    .map(|(r, (score, _, _, c, _, id, first))| {
                        let b = &beads[first as usize];
                        let span = ar_beads[first as usize]
                            .grams
                            .iter()
                            .find(|g| g.0 == id)
                            .map(|g| (g.1, g.2))
                            .unwrap_or((0, 0));
                        Candidate {
                            en: en.clone(),
                            ar: best_surface[id as usize].clone(),
                            rank: r + 1,
                            score: (score * 1000.0).round() / 1000.0,
                            co_count: c as usize,
                            en_count: fe,
                            ar_count: ar_df[id as usize] as usize,
                            example: format!(
                                "{}#{}: {}",
                                names[b.doc as usize],
                                b.bead,
                                excerpt(&b.ar, span.0, span.1, 60)
                            ),
                        }
                    })
                    .collect()
            },
        )
        .collect();
    per_term.sort_by(|a, b| {
        let (ca, cb) = (a.first(), b.first());
        match (ca, cb) {
            (Some(x), Some(y)) => y.en_count.cmp(&x.en_count).then(x.en.cmp(&y.en)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    per_term.into_iter().flatten().collect()
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
    let mut g = Glossary::default();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for cand in c {
        let i = *index.entry(cand.en.as_str()).or_insert_with(|| {
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
            g.concepts[i].ar.push(cand.ar.clone());
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

    #[test]
    fn excerpt_cuts_on_chars() {
        assert_eq!(excerpt("أبجد هوز حطي", 9, 15, 3), "…جد هوز حط…");
        assert_eq!(excerpt("abc", 0, 3, 5), "abc");
    }
}
