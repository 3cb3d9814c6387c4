//! Term matching (many terms at once, on normalised keys, with Arabic clitic
//! variants) and bilingual term extraction ([`extract`]).
//!
//! # How matching works
//!
//! The text is tokenised ([`crate::normalize::tokenize`]) and every token's
//! matching key is written into a *slot haystack*: each token gets its own
//! pair of spaces (`" w1  w2  w3 "`), so word boundaries are part of the
//! haystack and a multi-word pattern (`"w1  w2"`) can only match whole
//! tokens in sequence, never across punctuation (punctuation tokens get
//! slots too). All patterns of all concepts go into one Aho–Corasick
//! automaton with [`MatchKind::LeftmostLongest`], so `الاتجار بالأشخاص`
//! wins over `الاتجار` in one pass.
//!
//! Arabic renderings are reduced to a *core* (the first word without its
//! article, the last word without a final ة); the clitics around the core
//! are checked against closed lists on each match: proclitics و ف ب ك ل
//! and the article (ال, لل after ل) before the first word, and suffixes on
//! the last word (ات ون ين ان ه ها هم هن ي ية for one-word terms, pronoun
//! suffixes only for the last word of longer terms; for words in
//! ة: ة ات ته تها تهم تي تين تان). Later words may drop or add ال. This is the
//! same as generating every clitic variant of each rendering, without the
//! combinatorial pattern count, so automaton size grows linearly with the
//! glossary. English keys are case-folded; the last word may take a plural
//! (s, es, y→ies), possessive or -ing/-ed ending.
//!
//! Broken plurals (ضحية / ضحايا) cannot be reached by rules: list them as
//! renderings of one concept.

pub(crate) mod compact;
pub mod extract;

pub use extract::{candidates_to_glossary, extract, Candidate, ExtractOptions};

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use crate::glossary::Glossary;
use crate::model::Lang;
use crate::normalize::{
    arabic_key, arabic_key_map, english_key, english_key_map, tokenize, ArabicMode, Token,
    TokenKind,
};

/// One term occurrence found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    /// Index of the concept in the glossary.
    pub concept: usize,
    /// Start byte offset in the original (displayed) text, at the start of
    /// the first word including its proclitics.
    pub start: usize,
    /// End byte offset in the original text, at the end of the last word
    /// including its suffix.
    pub end: usize,
    /// True if the match is a forbidden/deprecated rendering.
    pub forbidden: bool,
    /// What matched, as displayed (`text[start..end]`).
    pub variant: String,
    /// The glossary term or rendering that matched (as written in the
    /// glossary): an English variant, an approved or a forbidden rendering.
    pub rendering: String,
}

/// Which word-ending rule applies to a pattern's last word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    /// English: plural, possessive, -ing, -ed.
    En,
    /// English word in consonant + y: y, ies, y's.
    EnY,
    /// English word in e: e, es, ed, ing, e's.
    EnE,
    /// Arabic one-word term: bare or with a suffix.
    ArSingle,
    /// Arabic word in ة (the ة is not part of the core).
    ArTa,
    /// Arabic last word of a multi-word term: bare or with a pronoun suffix.
    ArBare,
}

const EN_SUFFIXES: &[&str] = &["", "s", "es", "'s", "s'", "ing", "ed"];
const EN_Y: &[&str] = &["y", "ies", "y's"];
const EN_E: &[&str] = &["e", "es", "ed", "ing", "e's"];
const AR_SINGLE: &[&str] = &[
    "", "ات", "ون", "ين", "ان", "ه", "ها", "هم", "هن", "ي", "ية", "يه",
];
const AR_TA: &[&str] = &[
    "ة", "ه", "ات", "ته", "تها", "تهم", "تهن", "تي", "تين", "تان",
];
const AR_BARE: &[&str] = &["", "ه", "ها", "هم", "هن"];

impl Suffix {
    fn allowed(self) -> &'static [&'static str] {
        match self {
            Suffix::En => EN_SUFFIXES,
            Suffix::EnY => EN_Y,
            Suffix::EnE => EN_E,
            Suffix::ArSingle => AR_SINGLE,
            Suffix::ArTa => AR_TA,
            Suffix::ArBare => AR_BARE,
        }
    }
    /// The suffix of the form as written in the glossary.
    fn base(self) -> &'static str {
        match self {
            Suffix::EnY => "y",
            Suffix::EnE => "e",
            Suffix::ArTa => "ة",
            _ => "",
        }
    }
}

/// Arabic proclitic sequences allowed before a term's first word (keys):
/// conjunctions و ف, prepositions ب ك ل, the article ال (لل after ل).
const AR_PREFIXES: &[&str] = &[
    "", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل", "ال", "وال", "فال", "بال",
    "كال", "لل", "وبال", "وكال", "ولل", "فبال", "فكال", "فلل",
];

#[derive(Debug, Clone)]
struct Owner {
    concept: usize,
    forbidden: bool,
    rendering: String,
    suffix: Suffix,
}

/// A compiled matcher for every term of a glossary, one automaton per
/// language.
#[derive(Debug, Clone)]
pub struct TermMatcher {
    ar: Automaton,
    en: Automaton,
    /// Approved rendering keys per concept (for suggestions).
    approved_keys: Vec<Vec<(String, String)>>,
    /// Multi-word approved renderings indexed by their first and last word
    /// (clitic-stripped keys), for near-miss search.
    near_index: HashMap<String, Vec<NearEntry>>,
}

#[derive(Debug, Clone)]
struct NearEntry {
    concept: usize,
    rendering: String,
    words: Vec<String>,
    /// The indexed word is the last one (else the first).
    last: bool,
}

/// A run of words that nearly matches an approved multi-word rendering
/// (a likely misspelling or altered name), found by
/// [`TermMatcher::near_misses`].
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// Index of the concept in the glossary.
    pub concept: usize,
    /// Start byte offset in the original text.
    pub start: usize,
    /// End byte offset in the original text.
    pub end: usize,
    /// The words found, as displayed.
    pub variant: String,
    /// The approved rendering they nearly match.
    pub rendering: String,
    /// Mean word-by-word similarity (normalised Levenshtein on
    /// clitic-stripped keys), below 1.
    pub similarity: f64,
}

#[derive(Debug, Clone)]
struct Automaton {
    ac: Option<AhoCorasick>,
    owners: Vec<Vec<Owner>>,
    lang: Lang,
}

/// One-byte code for the Arabic block U+0620..=U+065E (letters, hamza
/// forms, marks): bytes 0xC0..=0xFE. The automaton is built over, and run
/// on, this code instead of UTF-8: an Arabic letter becomes one byte
/// instead of two sharing the lead bytes 0xD8/0xD9, which halves the
/// automaton and shortens its failure links (the build is dominated by
/// them). ASCII stays as is; any other character becomes 0xFF and four
/// bytes 0x80..=0xBF holding its code point. Every character's code
/// starts with a byte outside 0x80..=0xBF, so a match can only start and
/// end on character boundaries, and the code is one-to-one: matches are
/// exactly those of the UTF-8 text.
const CODE_BASE: u32 = 0x0620;
const CODE_LAST: u32 = 0x065E;

fn push_code(out: &mut Vec<u8>, c: char) {
    let u = c as u32;
    if u < 0x80 {
        out.push(u as u8);
    } else if (CODE_BASE..=CODE_LAST).contains(&u) {
        out.push(0xC0 + (u - CODE_BASE) as u8);
    } else {
        out.push(0xFF);
        for shift in [18, 12, 6, 0] {
            out.push(0x80 | ((u >> shift) & 0x3F) as u8);
        }
    }
}

fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        push_code(&mut out, c);
    }
    out
}

/// Encode `hay`; `back[k]` is the byte offset in `hay` of the character
/// whose code holds byte `k` (`back[code.len()] == hay.len()`).
fn encode_map(hay: &str) -> (Vec<u8>, Vec<usize>) {
    let mut code = Vec::with_capacity(hay.len());
    let mut back = Vec::with_capacity(hay.len() + 1);
    for (i, c) in hay.char_indices() {
        let before = code.len();
        push_code(&mut code, c);
        back.resize(back.len() + (code.len() - before), i);
    }
    back.push(hay.len());
    (code, back)
}

/// A text turned into a slot haystack.
struct Slots {
    hay: String,
    /// (hay start, hay end, original start, original end), in order.
    slots: Vec<(usize, usize, usize, usize)>,
}

fn token_key(t: &str, lang: Lang) -> String {
    match lang {
        Lang::Ar => arabic_key(t, ArabicMode::Strict),
        Lang::En => english_key(t),
    }
}

fn slots_of(text: &str, toks: &[Token], lang: Lang) -> Slots {
    // Key the whole text once (folding is per character, so a token's key
    // is the slice of the text key between its offsets).
    let key = match lang {
        Lang::Ar => arabic_key_map(text, ArabicMode::Strict),
        Lang::En => english_key_map(text),
    };
    let offs = &key.offsets[..key.offsets.len().saturating_sub(1)];
    let mut hay = String::with_capacity(key.text.len() + toks.len() * 2);
    let mut slots = Vec::with_capacity(toks.len());
    for t in toks {
        let ks = offs.partition_point(|&o| o < t.start);
        let ke = offs.partition_point(|&o| o < t.end);
        let k = key.text.get(ks..ke).unwrap_or("");
        if k.is_empty() {
            continue;
        }
        hay.push(' ');
        let s = hay.len();
        hay.push_str(k);
        slots.push((s, hay.len(), t.start, t.end));
        hay.push(' ');
    }
    Slots { hay, slots }
}

/// Keys of the words of a term (punctuation inside a term kept as words).
fn term_words(term: &str, lang: Lang) -> Vec<String> {
    tokenize(term)
        .into_iter()
        .map(|t| token_key(t.text, lang))
        .filter(|k| !k.is_empty())
        .collect()
}

fn strip_article(w: &str) -> &str {
    match w.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => w,
    }
}

/// Patterns (core strings) and the suffix rule for one term.
fn patterns_for(term: &str, lang: Lang) -> Vec<(String, Suffix)> {
    let words = term_words(term, lang);
    if words.is_empty() {
        return Vec::new();
    }
    match lang {
        Lang::En => {
            let mut w = words.clone();
            let last = w.pop().unwrap_or_default();
            let ends_consonant_y = last.ends_with('y')
                && last.len() > 2
                && !matches!(last.as_bytes()[last.len() - 2], b'a' | b'e' | b'o' | b'u');
            let (core, suf) = if ends_consonant_y {
                (last[..last.len() - 1].to_string(), Suffix::EnY)
            } else if last.ends_with('e') && last.len() > 3 {
                (last[..last.len() - 1].to_string(), Suffix::EnE)
            } else {
                (last, Suffix::En)
            };
            w.push(core);
            vec![(w.join("  "), suf)]
        }
        Lang::Ar => {
            let n = words.len();
            let first = strip_article(&words[0]).to_string();
            // Later words: with and without the article (up to 4 toggled words).
            let mut alts: Vec<Vec<String>> = vec![vec![first]];
            for (i, w) in words.iter().enumerate().skip(1) {
                let mut forms = vec![w.clone()];
                if i <= 4 {
                    let is_letter_word = w.chars().all(crate::normalize::is_arabic_letter);
                    if is_letter_word {
                        let bare = strip_article(w);
                        if bare != w {
                            forms.push(bare.to_string());
                        } else if w.chars().count() >= 2 {
                            forms.push(format!("ال{w}"));
                        }
                    }
                }
                let mut next = Vec::new();
                for a in &alts {
                    for f in &forms {
                        let mut v = a.clone();
                        v.push(f.clone());
                        next.push(v);
                    }
                }
                alts = next;
            }
            let mut out = Vec::new();
            for mut v in alts {
                let last = v.pop().unwrap_or_default();
                let (core, suf) = match last.strip_suffix('ة') {
                    Some(c) if c.chars().count() >= 2 => (c.to_string(), Suffix::ArTa),
                    _ if n == 1 => (last.clone(), Suffix::ArSingle),
                    _ => (last.clone(), Suffix::ArBare),
                };
                v.push(core);
                out.push((v.join("  "), suf));
            }
            out
        }
    }
}

impl Automaton {
    fn build(items: Vec<(String, Owner)>, lang: Lang) -> Self {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut pats: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        for (p, o) in items {
            let id = *index.entry(p.clone()).or_insert_with(|| {
                pats.push(p);
                owners.push(Vec::new());
                owners.len() - 1
            });
            let list = &mut owners[id];
            if !list.iter().any(|x| {
                x.concept == o.concept && x.forbidden == o.forbidden && x.suffix == o.suffix
            }) {
                list.push(o);
            }
        }
        // Approved before forbidden, then glossary order.
        for l in &mut owners {
            l.sort_by_key(|o| (o.forbidden, o.concept));
        }
        let ac = if pats.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats.iter().map(|p| encode(p)))
                .ok()
        };
        Automaton { ac, owners, lang }
    }

    fn find(&self, text: &str, toks: &[Token]) -> Vec<TermHit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let sl = slots_of(text, toks, self.lang);
        let hay = sl.hay.as_str();
        let (code, back) = encode_map(hay);
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < code.len() {
            let m = match ac.try_find(Input::new(&code).span(pos..code.len())) {
                Ok(Some(m)) => m,
                _ => break,
            };
            let (ms, me) = (back[m.start()], back[m.end()]);
            // Slot holding the match start and the match end.
            let si = sl.slots.partition_point(|s| s.0 <= ms).saturating_sub(1);
            let ei = sl.slots.partition_point(|s| s.0 < me).saturating_sub(1);
            let ok = sl.slots.get(si).zip(sl.slots.get(ei)).and_then(|(s, e)| {
                if ms < s.0 || me > e.1 {
                    return None;
                }
                let prefix = &hay[s.0..ms];
                let suffix = &hay[me..e.1];
                let prefix_ok = match self.lang {
                    Lang::Ar => AR_PREFIXES.contains(&prefix),
                    Lang::En => prefix.is_empty(),
                };
                if !prefix_ok {
                    return None;
                }
                let owners = &self.owners[m.pattern().as_usize()];
                // Exact forms first, then inflected ones.
                owners
                    .iter()
                    .find(|o| o.suffix.base() == suffix)
                    .or_else(|| owners.iter().find(|o| o.suffix.allowed().contains(&suffix)))
                    .map(|o| (o, s.2, e.3))
            });
            match ok {
                Some((o, start, end)) => {
                    out.push(TermHit {
                        concept: o.concept,
                        start,
                        end,
                        forbidden: o.forbidden,
                        variant: text[start..end].to_string(),
                        rendering: o.rendering.clone(),
                    });
                    // Continue after the slot of the match end.
                    let next = sl.slots.get(ei).map(|e| e.1).unwrap_or(me).max(me);
                    pos = back.partition_point(|&b| b < next);
                }
                None => {
                    // Not at a word boundary: retry one character further.
                    pos = m.start() + if code[m.start()] == 0xFF { 5 } else { 1 };
                }
            }
        }
        out
    }
}

impl TermMatcher {
    /// Compile every English variant, approved rendering and forbidden
    /// rendering of `g`.
    pub fn new(g: &Glossary) -> Self {
        let mut ar_items = Vec::new();
        let mut en_items = Vec::new();
        let mut approved_keys = Vec::with_capacity(g.concepts.len());
        for (ci, c) in g.concepts.iter().enumerate() {
            for t in &c.en {
                for (p, suffix) in patterns_for(t, Lang::En) {
                    en_items.push((
                        p,
                        Owner {
                            concept: ci,
                            forbidden: false,
                            rendering: t.clone(),
                            suffix,
                        },
                    ));
                }
            }
            for (list, forbidden) in [(&c.ar, false), (&c.forbidden, true)] {
                for t in list {
                    for (p, suffix) in patterns_for(t, Lang::Ar) {
                        ar_items.push((
                            p,
                            Owner {
                                concept: ci,
                                forbidden,
                                rendering: t.clone(),
                                suffix,
                            },
                        ));
                    }
                }
            }
            approved_keys.push(
                c.ar.iter()
                    .map(|a| (a.clone(), arabic_key(a, ArabicMode::Strict)))
                    .collect(),
            );
        }
        let mut near_index: HashMap<String, Vec<NearEntry>> = HashMap::new();
        for (ci, c) in g.concepts.iter().enumerate() {
            for a in &c.ar {
                let words: Vec<String> = term_words(a, Lang::Ar)
                    .iter()
                    .map(|w| strip_clitics(w).to_string())
                    .collect();
                if words.len() < 2 {
                    continue;
                }
                for last in [false, true] {
                    let k = if last {
                        &words[words.len() - 1]
                    } else {
                        &words[0]
                    };
                    near_index.entry(k.clone()).or_default().push(NearEntry {
                        concept: ci,
                        rendering: a.clone(),
                        words: words.clone(),
                        last,
                    });
                }
            }
        }
        TermMatcher {
            ar: Automaton::build(ar_items, Lang::Ar),
            en: Automaton::build(en_items, Lang::En),
            approved_keys,
            near_index,
        }
    }

    /// Every non-overlapping term occurrence in `text`, leftmost-longest,
    /// in text order.
    pub fn find(&self, text: &str, lang: Lang) -> Vec<TermHit> {
        self.find_tokens(text, &tokenize(text), lang)
    }

    /// [`TermMatcher::find`] on a text already tokenised with
    /// [`crate::normalize::tokenize`] (saves tokenising twice).
    pub fn find_tokens(&self, text: &str, toks: &[Token], lang: Lang) -> Vec<TermHit> {
        match lang {
            Lang::Ar => self.ar.find(text, toks),
            Lang::En => self.en.find(text, toks),
        }
    }

    /// Runs of Arabic words that nearly match a multi-word approved
    /// rendering: same number of words, the first or the last word equal
    /// (clitics stripped), mean word similarity at least `min_sim` but not
    /// an exact match. Overlapping candidates keep the most similar; in
    /// text order.
    pub fn near_misses(&self, text: &str, min_sim: f64) -> Vec<NearMiss> {
        let toks: Vec<Token> = tokenize(text)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        let keys: Vec<String> = toks
            .iter()
            .map(|t| strip_clitics(&arabic_key(t.text, ArabicMode::Strict)).to_string())
            .collect();
        let mut found: Vec<NearMiss> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let Some(entries) = self.near_index.get(k) else {
                continue;
            };
            for e in entries {
                let n = e.words.len();
                let start = if e.last {
                    match (i + 1).checked_sub(n) {
                        Some(s) => s,
                        None => continue,
                    }
                } else {
                    i
                };
                if start + n > keys.len() {
                    continue;
                }
                // Words must be contiguous in the text (no punctuation between).
                let span = &text[toks[start].start..toks[start + n - 1].end];
                if tokenize(span).iter().any(|t| t.kind != TokenKind::Word) {
                    continue;
                }
                let sim = keys[start..start + n]
                    .iter()
                    .zip(&e.words)
                    .map(|(a, b)| strsim::normalized_levenshtein(a, b))
                    .sum::<f64>()
                    / n as f64;
                if sim >= min_sim && sim < 1.0 {
                    found.push(NearMiss {
                        concept: e.concept,
                        start: toks[start].start,
                        end: toks[start + n - 1].end,
                        variant: span.to_string(),
                        rendering: e.rendering.clone(),
                        similarity: sim,
                    });
                }
            }
        }
        // Best first, then keep non-overlapping ones, in text order.
        found.sort_by(|a, b| {
            b.similarity
                .partial_cmp(&a.similarity)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.start.cmp(&b.start))
                .then(a.concept.cmp(&b.concept))
        });
        let mut kept: Vec<NearMiss> = Vec::new();
        for f in found {
            if kept.iter().all(|k| f.end <= k.start || f.start >= k.end) {
                kept.push(f);
            }
        }
        kept.sort_by_key(|k| k.start);
        kept
    }

    /// True if the displayed Arabic `text` contains an approved rendering of
    /// `concept` as a run of whole words (article optional), e.g. الاتجار
    /// inside بالاتجار بالنساء والفتيات.
    pub fn contains_rendering(&self, concept: usize, text: &str) -> bool {
        let Some(keys) = self.approved_keys.get(concept) else {
            return false;
        };
        let words: Vec<String> = term_words(text, Lang::Ar)
            .iter()
            .map(|w| strip_clitics(w).to_string())
            .collect();
        keys.iter().any(|(_, k)| {
            let target: Vec<&str> = k.split_whitespace().map(strip_clitics).collect();
            !target.is_empty()
                && words.len() >= target.len()
                && words
                    .windows(target.len())
                    .any(|w| w.iter().zip(&target).all(|(a, b)| a == b))
        })
    }

    /// The approved rendering of `concept` nearest (normalised Levenshtein
    /// on keys) to `found`, with its similarity in 0..=1.
    pub fn suggest(&self, concept: usize, found: &str) -> Option<(String, f64)> {
        let fk = arabic_key(found, ArabicMode::Strict);
        let fk = strip_article(&fk).to_string();
        self.approved_keys
            .get(concept)?
            .iter()
            .fold(None, |best, (disp, k)| {
                let sim = strsim::normalized_levenshtein(&fk, strip_article(k));
                match best {
                    Some((_, b)) if b >= sim => best,
                    _ => Some((disp.clone(), sim)),
                }
            })
    }

    /// The run of words of `ar_text` most similar to an approved rendering
    /// of `concept` (normalised Levenshtein on keys, article stripped), if
    /// its similarity is at least `min_sim`: the likely misspelt or
    /// altered rendering a reviewer should look at.
    pub fn closest_in(&self, concept: usize, ar_text: &str, min_sim: f64) -> Option<String> {
        let keys = self.approved_keys.get(concept)?;
        let toks: Vec<_> = tokenize(ar_text)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        let kt: Vec<String> = toks
            .iter()
            .map(|t| arabic_key(t.text, ArabicMode::Strict))
            .collect();
        let mut best: Option<(f64, usize, usize)> = None;
        for (_, k) in keys {
            let target: Vec<&str> = k.split_whitespace().map(strip_article).collect();
            let n = target.len().max(1);
            let joined = target.join(" ");
            for i in 0..toks.len() {
                for len in n.saturating_sub(1).max(1)..=n + 1 {
                    if i + len > toks.len() {
                        break;
                    }
                    let cand: Vec<&str> = kt[i..i + len].iter().map(|w| strip_clitics(w)).collect();
                    // Same word count: mean word-by-word similarity (a kept
                    // word counts fully); otherwise whole-string similarity,
                    // slightly penalised.
                    let sim = if cand.len() == target.len() {
                        cand.iter()
                            .zip(&target)
                            .map(|(a, b)| strsim::normalized_levenshtein(a, b))
                            .sum::<f64>()
                            / n as f64
                    } else {
                        0.9 * strsim::normalized_levenshtein(&cand.join(" "), &joined)
                    };
                    if best.map_or(true, |b| sim > b.0) {
                        best = Some((sim, i, i + len));
                    }
                }
            }
        }
        let (sim, i, j) = best?;
        (sim >= min_sim).then(|| ar_text[toks[i].start..toks[j - 1].end].to_string())
    }
}

/// Strip Arabic proclitics (و ف, then ب ك ل, then the article) from a word
/// key, keeping at least two letters (three after a bare preposition).
/// Used for extraction and similarity, never for matching.
pub fn strip_clitics(w: &str) -> &str {
    let len = |s: &str| s.chars().count();
    let mut s = w;
    for p in ["و", "ف"] {
        if let Some(r) = s.strip_prefix(p) {
            if len(r) >= 3 {
                s = r;
                break;
            }
        }
    }
    if let Some(r) = s.strip_prefix("لل") {
        if len(r) >= 2 {
            return r;
        }
    }
    for p in ["بال", "كال", "ال"] {
        if let Some(r) = s.strip_prefix(p) {
            if len(r) >= 2 {
                return r;
            }
        }
    }
    for p in ["ب", "ل", "ك"] {
        if let Some(r) = s.strip_prefix(p) {
            if len(r) >= 3 {
                return r;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Concept;

    fn g() -> Glossary {
        let c = |en: &[&str], ar: &[&str], fb: &[&str]| Concept {
            en: en.iter().map(|s| s.to_string()).collect(),
            ar: ar.iter().map(|s| s.to_string()).collect(),
            forbidden: fb.iter().map(|s| s.to_string()).collect(),
            ..Concept::default()
        };
        Glossary {
            concepts: vec![
                c(
                    &["trafficking in persons", "human trafficking", "trafficking"],
                    &["الاتجار بالأشخاص", "الاتجار بالبشر", "الاتجار", "المتاجرة"],
                    &["تهريب"],
                ),
                c(&["victim"], &["ضحية", "ضحايا"], &[]),
                c(&["traffickers"], &["المتاجرون", "المتاجرين"], &[]),
                c(&["human rights"], &["حقوق الإنسان"], &[]),
                c(&["smuggling of migrants"], &["تهريب المهاجرين"], &[]),
                c(&["country of origin"], &["بلد المنشأ", "بلدان المنشأ"], &[]),
                c(&["law"], &["القانون"], &[]),
            ],
        }
    }

    fn hits(m: &TermMatcher, text: &str, lang: Lang) -> Vec<(usize, String, bool)> {
        m.find(text, lang)
            .into_iter()
            .map(|h| {
                assert_eq!(&text[h.start..h.end], h.variant);
                (h.concept, h.variant, h.forbidden)
            })
            .collect()
    }

    #[test]
    fn arabic_clitics_and_longest() {
        let m = TermMatcher::new(&g());
        let v = |c: usize, s: &str| (c, s.to_string(), false);
        type Row = (usize, String, bool);
        let table: Vec<(&str, Vec<Row>)> = vec![
            ("مكافحة الاتجار بالأشخاص", vec![v(0, "الاتجار بالأشخاص")]),
            (
                "والاتجار بالبشر؛ بالاتجار",
                vec![v(0, "والاتجار بالبشر"), v(0, "بالاتجار")],
            ),
            ("للاتجار بالأشخاص", vec![v(0, "للاتجار بالأشخاص")]),
            ("للمتاجرة بهم", vec![v(0, "للمتاجرة")]),
            (
                "المتاجرين بالبشر والمتاجرون",
                vec![v(2, "المتاجرين"), v(2, "والمتاجرون")],
            ),
            (
                "ضحية وضحايا الضحايا ضحيتها",
                vec![
                    v(1, "ضحية"),
                    v(1, "وضحايا"),
                    v(1, "الضحايا"),
                    v(1, "ضحيتها"),
                ],
            ),
            (
                "لحقوقِ الإنسانِ وحقوق إنسان",
                vec![v(3, "لحقوقِ الإنسانِ"), v(3, "وحقوق إنسان")],
            ),
            (
                "تهريب المهاجرين وتهريب الأسلحة",
                vec![v(4, "تهريب المهاجرين"), (0, "وتهريب".into(), true)],
            ),
            ("بلدان المنشأ", vec![v(5, "بلدان المنشأ")]),
            // Not at word boundaries / not clitics: no match.
            (
                "الاتجاري استجار الحقوق الإنسانية قانونا",
                vec![v(0, "الاتجاري")],
            ),
            ("حقوق، الإنسان", vec![]),
            (
                "القانونية والقوانين بالقانون",
                vec![v(6, "القانونية"), v(6, "بالقانون")],
            ),
        ];
        for (text, want) in table {
            assert_eq!(hits(&m, text, Lang::Ar), want, "{text}");
        }
    }

    #[test]
    fn english_case_plural_ing() {
        let m = TermMatcher::new(&g());
        let table = [
            (
                "Trafficking in Persons and trafficking",
                vec![(0, "Trafficking in Persons"), (0, "trafficking")],
            ),
            (
                "victims, Victim's, victimised",
                vec![(1, "victims"), (1, "Victim's")],
            ),
            (
                "countries of origin; Human Rights",
                vec![(3, "Human Rights")],
            ),
            ("by law, lawyers, laws", vec![(6, "law"), (6, "laws")]),
        ];
        for (text, want) in table {
            let want: Vec<_> = want
                .into_iter()
                .map(|(c, s)| (c, s.to_string(), false))
                .collect();
            assert_eq!(hits(&m, text, Lang::En), want, "{text}");
        }
    }

    #[test]
    fn near_misses_find_altered_names() {
        let mut gl = g();
        gl.concepts.push(Concept {
            en: vec!["INTERPOL".into()],
            ar: vec!["المنظمة الدولية للشرطة الجنائية".into()],
            ..Concept::default()
        });
        let m = TermMatcher::new(&gl);
        // The seed's slip (para 8): للشركة for للشرطة.
        let n = m.near_misses("وممثلين عن المنظمة الدولية للشركة الجنائية (الإنتربول)", 0.8);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].variant, "المنظمة الدولية للشركة الجنائية");
        assert_eq!(n[0].concept, 7);
        assert!(n[0].similarity > 0.9 && n[0].similarity < 1.0);
        // Exact renderings and unrelated runs are not near misses.
        assert!(m
            .near_misses("المنظمة الدولية للشرطة الجنائية", 0.8)
            .is_empty());
        assert!(m.near_misses("حقوق الطفل، الإنسان", 0.8).is_empty());
        assert_eq!(m.near_misses("لحقوق الإنسانية", 0.8).len(), 1);
    }

    #[test]
    fn rendering_inside_longer_terms() {
        let m = TermMatcher::new(&g());
        assert!(m.contains_rendering(0, "بالاتجار بالنساء والفتيات"));
        assert!(m.contains_rendering(3, "مفوضية الأمم المتحدة لحقوق الإنسان"));
        assert!(!m.contains_rendering(3, "حقوق الطفل"));
        assert!(!m.contains_rendering(0, "الاتجارية"));
    }

    #[test]
    fn suggestions() {
        let m = TermMatcher::new(&g());
        let (s, sim) = m.suggest(0, "الإتجار بالاشخاص").unwrap();
        assert_eq!(s, "الاتجار بالأشخاص");
        assert!(sim > 0.99);
        assert_eq!(
            m.closest_in(3, "تنتهك حقوق البشر وحرياته", 0.5).as_deref(),
            Some("حقوق البشر")
        );
        assert_eq!(m.closest_in(3, "في ارتفاع سنة بعد الأخرى", 0.7), None);
    }

    #[test]
    fn clitic_stripping() {
        for (w, want) in [
            ("والاتجار", "اتجار"),
            ("للمتاجرة", "متاجرة"),
            ("بالبشر", "بشر"),
            ("ولد", "ولد"),
            ("لحقوق", "حقوق"),
            ("بحقوق", "حقوق"),
            ("لكل", "لكل"),
            ("فهم", "فهم"),
            ("الضحايا", "ضحايا"),
        ] {
            assert_eq!(strip_clitics(w), want, "{w}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Hits are in order, never overlap, sit on char boundaries and
            /// show exactly the text they cover; the matcher never panics,
            /// whatever mix of glossary words, clitics, harakat and noise.
            #[test]
            fn hits_are_ordered_disjoint_and_exact(
                parts in proptest::collection::vec(
                    prop_oneof![
                        Just("الاتجار"), Just("بالأشخاص"), Just("و"), Just("لل"), Just("ضحايا"),
                        Just("حقوقُ"), Just("الإنسانِ"), Just("، "), Just(" "), Just("ـ"),
                        Just("تهريب"), Just("المهاجرين"), Just("ة"), Just("ها"), Just("Victims"),
                        Just("trafficking"), Just("in"), Just("persons"), Just("\u{200F}"), Just("٢٠٠٧"),
                    ],
                    0..40,
                )
            ) {
                let text: String = parts.concat();
                let m = TermMatcher::new(&g());
                for lang in [Lang::Ar, Lang::En] {
                    let hits = m.find(&text, lang);
                    let mut last_end = 0;
                    for h in &hits {
                        prop_assert!(h.start >= last_end && h.start < h.end && h.end <= text.len());
                        prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
                        prop_assert_eq!(&text[h.start..h.end], h.variant.as_str());
                        last_end = h.end;
                    }
                }
            }
        }
    }

    #[test]
    fn code_is_one_byte_for_arabic_and_maps_back() {
        // (text, code length, boundaries mapped back)
        let table: &[(&str, usize)] = &[
            ("", 0),
            ("abc", 3),
            ("الاتجار", 7),
            ("a ب c", 5),
            ("é€😀", 15),
            ("\u{0620}\u{065E}\u{065F}\u{0660}", 2 + 10),
        ];
        for &(t, n) in table {
            let (code, back) = encode_map(t);
            assert_eq!(code, encode(t), "{t:?}");
            assert_eq!(code.len(), n, "{t:?}");
            assert_eq!(back.len(), n + 1);
            assert_eq!(back[n], t.len());
            // Every code starts outside 0x80..=0xBF at a char boundary.
            for (k, &b) in code.iter().enumerate() {
                let start = !(0x80..=0xBF).contains(&b);
                assert_eq!(start, k == 0 || back[k] != back[k - 1], "{t:?} byte {k}");
                assert!(t.is_char_boundary(back[k]));
            }
        }
    }

    mod code_props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Leftmost-longest matches of the coded automaton on the coded
            /// text are exactly those of a UTF-8 automaton on the text.
            #[test]
            fn coded_matches_equal_utf8_matches(
                pats in proptest::collection::vec("[ابتةالو é😀a ]{1,5}", 1..8),
                hay in "[ابتةالو é😀a ]{0,40}",
            ) {
                let plain = AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&pats)
                    .unwrap();
                let coded = AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(pats.iter().map(|p| encode(p)))
                    .unwrap();
                let (code, back) = encode_map(&hay);
                let want: Vec<(usize, usize, usize)> = plain
                    .find_iter(&hay)
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                    .collect();
                let got: Vec<(usize, usize, usize)> = coded
                    .find_iter(&code)
                    .map(|m| (back[m.start()], back[m.end()], m.pattern().as_usize()))
                    .collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
