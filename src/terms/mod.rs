//! Term matching (many terms at once, on normalised keys, with Arabic clitic
//! variants) and bilingual term extraction ([`extract()`]).
//!
//! # How matching works
//!
//! The text is tokenised ([`crate::normalize::tokenize`]) and every token's
//! matching key is written into a *slot haystack*: each token gets its own
//! pair of spaces (`" w1  w2  w3 "`), so word boundaries are part of the
//! haystack and a multi-word pattern (`"w1  w2"`) can only match whole
//! tokens in sequence, never across punctuation (punctuation tokens get
//! slots too). All patterns of all concepts of a language go into one
//! compressed trie (`prefix::PrefixSet`), queried at each word start (after
//! each allowed proclitic sequence) for the longest pattern beginning
//! there, so `الاتجار بالأشخاص` wins over `الاتجار`. Only word starts can
//! begin a match, so the trie needs no failure links and builds in one
//! pass over the sorted patterns (an Aho–Corasick automaton over the same
//! patterns gives the same matches but spends seconds filling failure
//! transitions for a 50,000-concept glossary).
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
mod prefix;

pub use extract::{candidates_to_glossary, extract, Candidate, ExtractOptions};

use std::collections::HashMap;
use std::sync::OnceLock;

use prefix::PrefixSet;

use crate::glossary::Glossary;
use crate::model::Lang;
use crate::normalize::{
    arabic_key, arabic_key_map, english_key_map, tokenize, ArabicMode, Token, TokenKind,
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
/// Shortest first: the order in which a word's match starts are tried.
const AR_PREFIXES: &[&str] = &[
    "", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل", "ال", "لل", "وال", "فال",
    "بال", "كال", "ولل", "فلل", "وبال", "وكال", "فبال", "فكال",
];

#[derive(Debug, Clone, Copy)]
struct Owner {
    concept: usize,
    forbidden: bool,
    /// Index in [`Automaton::renderings`].
    rendering: u32,
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
    /// (clitic-stripped keys), for near-miss search; built on first use.
    near_index: OnceLock<HashMap<String, Vec<NearEntry>>>,
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
    /// Every distinct pattern; pattern `k` is owned by
    /// `owners[owner_starts[k]..owner_starts[k + 1]]`.
    set: PrefixSet,
    owners: Vec<Owner>,
    owner_starts: Vec<u32>,
    /// The glossary terms, as written, the patterns come from.
    renderings: Vec<String>,
    lang: Lang,
}

/// Collects the patterns of one language while the glossary is walked:
/// pattern text in one arena, so a pattern costs no allocation of its own.
struct Patterns {
    lang: Lang,
    arena: String,
    /// (arena start, arena end, owner)
    items: Vec<(u32, u32, Owner)>,
    renderings: Vec<String>,
}

impl Patterns {
    fn new(lang: Lang) -> Self {
        Patterns {
            lang,
            arena: String::new(),
            items: Vec::new(),
            renderings: Vec::new(),
        }
    }

    /// Add the patterns of one glossary term.
    fn add(&mut self, term: &str, concept: usize, forbidden: bool) {
        let rendering = self.renderings.len() as u32;
        let before = self.items.len();
        let (arena, items) = (&mut self.arena, &mut self.items);
        patterns_for(term, self.lang, |p, suffix| {
            let start = arena.len() as u32;
            arena.push_str(p);
            items.push((
                start,
                arena.len() as u32,
                Owner {
                    concept,
                    forbidden,
                    rendering,
                    suffix,
                },
            ));
        });
        if self.items.len() > before {
            self.renderings.push(term.to_string());
        }
    }
}

/// A text turned into a slot haystack.
struct Slots {
    hay: String,
    /// (hay start, hay end, original start, original end), in order.
    slots: Vec<(usize, usize, usize, usize)>,
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
        .map(|t| crate::normalize::key(t.text, lang))
        .filter(|k| !k.is_empty())
        .collect()
}

fn strip_article(w: &str) -> &str {
    match w.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => w,
    }
}

/// Patterns (core strings) and the suffix rule for one term, handed to
/// `emit` (Arabic: every combination of later words with and without the
/// article, the last word varying fastest).
fn patterns_for(term: &str, lang: Lang, mut emit: impl FnMut(&str, Suffix)) {
    let words = term_words(term, lang);
    if words.is_empty() {
        return;
    }
    match lang {
        Lang::En => {
            let n = words.len();
            let last = &words[n - 1];
            let ends_consonant_y = last.ends_with('y')
                && last.len() > 2
                && !matches!(last.as_bytes()[last.len() - 2], b'a' | b'e' | b'o' | b'u');
            let (core, suf) = if ends_consonant_y {
                (&last[..last.len() - 1], Suffix::EnY)
            } else if last.ends_with('e') && last.len() > 3 {
                (&last[..last.len() - 1], Suffix::EnE)
            } else {
                (last.as_str(), Suffix::En)
            };
            let mut p = String::with_capacity(term.len() + n);
            for w in &words[..n - 1] {
                p.push_str(w);
                p.push_str("  ");
            }
            p.push_str(core);
            emit(&p, suf);
        }
        Lang::Ar => {
            let n = words.len();
            // Later words (up to the fourth) also with the article toggled.
            let alts: Vec<Option<String>> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 || i > 4 || !w.chars().all(crate::normalize::is_arabic_letter) {
                        return None;
                    }
                    let bare = strip_article(w);
                    if bare != w {
                        Some(bare.to_string())
                    } else if w.chars().count() >= 2 {
                        Some(format!("ال{w}"))
                    } else {
                        None
                    }
                })
                .collect();
            let form = |i: usize, k: usize| -> &str {
                if i == 0 {
                    strip_article(&words[0])
                } else if k == 0 {
                    &words[i]
                } else {
                    alts[i].as_deref().unwrap_or_default()
                }
            };
            let radix: Vec<usize> = alts.iter().map(|a| 1 + a.is_some() as usize).collect();
            let mut pick = vec![0usize; n];
            let mut p = String::with_capacity(term.len() + 2 * n + 8);
            loop {
                p.clear();
                for (i, &k) in pick.iter().enumerate().take(n - 1) {
                    p.push_str(form(i, k));
                    p.push_str("  ");
                }
                let last = form(n - 1, pick[n - 1]);
                let suf = match last.strip_suffix('ة') {
                    Some(c) if c.chars().count() >= 2 => {
                        p.push_str(c);
                        Suffix::ArTa
                    }
                    _ => {
                        p.push_str(last);
                        if n == 1 {
                            Suffix::ArSingle
                        } else {
                            Suffix::ArBare
                        }
                    }
                };
                emit(&p, suf);
                // Next combination, last word fastest.
                let mut i = n;
                loop {
                    if i == 0 {
                        return;
                    }
                    i -= 1;
                    pick[i] += 1;
                    if pick[i] < radix[i] {
                        break;
                    }
                    pick[i] = 0;
                }
            }
        }
    }
}

impl Automaton {
    fn build(pats: Patterns) -> Self {
        let Patterns {
            lang,
            arena,
            mut items,
            renderings,
        } = pats;
        let text = |&(a, b, _): &(u32, u32, Owner)| &arena.as_bytes()[a as usize..b as usize];
        // Ties by arena position: owners of one pattern stay in the order
        // they came.
        items.sort_unstable_by(|x, y| text(x).cmp(text(y)).then(x.0.cmp(&y.0)));
        let mut keep: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Owner> = Vec::with_capacity(items.len());
        let mut owner_starts: Vec<u32> = Vec::new();
        for it in &items {
            let (p, o) = (text(it), it.2);
            if p.is_empty() {
                continue;
            }
            if keep.last() != Some(&p) {
                keep.push(p);
                owner_starts.push(owners.len() as u32);
            }
            let first = owner_starts.last().map_or(0, |&s| s as usize);
            if !owners[first..].iter().any(|x| {
                x.concept == o.concept && x.forbidden == o.forbidden && x.suffix == o.suffix
            }) {
                owners.push(o);
            }
        }
        owner_starts.push(owners.len() as u32);
        // Approved before forbidden, then glossary order.
        for w in owner_starts.windows(2) {
            owners[w[0] as usize..w[1] as usize].sort_by_key(|o| (o.forbidden, o.concept));
        }
        let set = PrefixSet::from_sorted(keep);
        Automaton {
            set,
            owners,
            owner_starts,
            renderings,
            lang,
        }
    }

    /// Owners of pattern `k`.
    fn owners_of(&self, k: usize) -> &[Owner] {
        &self.owners[self.owner_starts[k] as usize..self.owner_starts[k + 1] as usize]
    }

    /// The owner of pattern `k` that accepts the inflectional `suffix`
    /// after it: exact forms first, then inflected ones.
    fn owner_for(&self, k: usize, suffix: &str) -> Option<&Owner> {
        let owners = self.owners_of(k);
        owners
            .iter()
            .find(|o| o.suffix.base() == suffix)
            .or_else(|| owners.iter().find(|o| o.suffix.allowed().contains(&suffix)))
    }

    /// The hit of owner `o` on `text[start..end]`.
    fn hit(&self, o: &Owner, text: &str, start: usize, end: usize) -> TermHit {
        TermHit {
            concept: o.concept,
            start,
            end,
            forbidden: o.forbidden,
            variant: text[start..end].to_string(),
            rendering: self.renderings[o.rendering as usize].clone(),
        }
    }

    fn find(&self, text: &str, toks: &[Token]) -> Vec<TermHit> {
        if self.owner_starts.len() < 2 {
            return Vec::new();
        }
        let sl = slots_of(text, toks, self.lang);
        let hay = sl.hay.as_str();
        let starts: &[&str] = match self.lang {
            Lang::Ar => AR_PREFIXES,
            Lang::En => &[""],
        };
        let mut out = Vec::new();
        // Matches are tried at each word start after each allowed prefix,
        // in text order; the longest pattern there is taken or refused
        // (then the next start is tried), and a taken match skips the
        // rest of its last word.
        let mut pos = 0;
        for s in &sl.slots {
            if s.1 < pos {
                continue;
            }
            let word = &hay[s.0..s.1];
            for prefix in starts {
                let ms = s.0 + prefix.len();
                if ms < pos || !word.starts_with(prefix) {
                    continue;
                }
                let Some((pat, len)) = self.set.longest_prefix(&hay.as_bytes()[ms..]) else {
                    continue;
                };
                let me = ms + len;
                // Slot holding the match end.
                let ei = sl.slots.partition_point(|s| s.0 < me).saturating_sub(1);
                let Some(e) = sl.slots.get(ei).filter(|e| me <= e.1) else {
                    continue;
                };
                let Some(o) = self.owner_for(pat, &hay[me..e.1]) else {
                    continue;
                };
                out.push(self.hit(o, text, s.2, e.3));
                pos = e.1.max(me);
            }
        }
        out
    }
}

impl TermMatcher {
    /// Compile every English variant, approved rendering and forbidden
    /// rendering of `g`.
    pub fn new(g: &Glossary) -> Self {
        // The two languages and the suggestion keys are independent: built
        // side by side, each in glossary order.
        let arabic = || {
            let mut ar = Patterns::new(Lang::Ar);
            for (ci, c) in g.concepts.iter().enumerate() {
                for (list, forbidden) in [(&c.ar, false), (&c.forbidden, true)] {
                    for t in list {
                        ar.add(t, ci, forbidden);
                    }
                }
            }
            Automaton::build(ar)
        };
        let english = || {
            let mut en = Patterns::new(Lang::En);
            for (ci, c) in g.concepts.iter().enumerate() {
                for t in &c.en {
                    en.add(t, ci, false);
                }
            }
            Automaton::build(en)
        };
        let approved = || {
            g.concepts
                .iter()
                .map(|c| {
                    c.ar.iter()
                        .map(|a| (a.clone(), arabic_key(a, ArabicMode::Strict)))
                        .collect()
                })
                .collect()
        };
        let (ar, (en, approved_keys)) = rayon::join(arabic, || rayon::join(english, approved));
        TermMatcher {
            ar,
            en,
            approved_keys,
            near_index: OnceLock::new(),
        }
    }

    /// The near-miss index (built on first use: only the variant report
    /// needs it).
    fn near_index(&self) -> &HashMap<String, Vec<NearEntry>> {
        self.near_index.get_or_init(|| {
            let mut index: HashMap<String, Vec<NearEntry>> = HashMap::new();
            for (ci, keys) in self.approved_keys.iter().enumerate() {
                for (a, _) in keys {
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
                        index.entry(k.clone()).or_default().push(NearEntry {
                            concept: ci,
                            rendering: a.clone(),
                            words: words.clone(),
                            last,
                        });
                    }
                }
            }
            index
        })
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
        let index = self.near_index();
        let mut found: Vec<NearMiss> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let Some(entries) = index.get(k) else {
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
    fn patterns_of_terms() {
        use Suffix::*;
        type Row<'a> = (&'a str, Lang, &'a [(&'a str, Suffix)]);
        let table: &[Row] = &[
            ("الاتجار", Lang::Ar, &[("اتجار", ArSingle)]),
            ("ضحية", Lang::Ar, &[("ضحي", ArTa)]),
            (
                "حقوق الإنسان",
                Lang::Ar,
                &[("حقوق  الانسان", ArBare), ("حقوق  انسان", ArBare)],
            ),
            (
                "المنظمة الدولية للشرطة",
                Lang::Ar,
                &[
                    ("منظمة  الدولية  للشرط", ArTa),
                    ("منظمة  الدولية  الللشرط", ArTa),
                    ("منظمة  دولية  للشرط", ArTa),
                    ("منظمة  دولية  الللشرط", ArTa),
                ],
            ),
            (
                "بلد المنشأة",
                Lang::Ar,
                &[("بلد  المنشا", ArTa), ("بلد  منشا", ArTa)],
            ),
            ("Human Rights", Lang::En, &[("human  rights", En)]),
            ("country", Lang::En, &[("countr", EnY)]),
            ("State", Lang::En, &[("stat", EnE)]),
            ("day", Lang::En, &[("day", En)]),
            ("", Lang::En, &[]),
        ];
        for &(term, lang, want) in table {
            let mut got = Vec::new();
            patterns_for(term, lang, |p, s| got.push((p.to_string(), s)));
            let want: Vec<(String, Suffix)> =
                want.iter().map(|&(p, s)| (p.to_string(), s)).collect();
            assert_eq!(got, want, "{term}");
        }
    }

    #[test]
    fn prefixes_are_shortest_first() {
        assert!(AR_PREFIXES.windows(2).all(|w| w[0].len() <= w[1].len()));
        let mut v = AR_PREFIXES.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), AR_PREFIXES.len());
    }

    /// The matcher as it was before the trie (kept as a test oracle): one
    /// leftmost-longest Aho–Corasick automaton over every pattern, scanned
    /// over the whole haystack; a match refused at a non-boundary is
    /// retried one character further.
    fn aho_corasick_find(a: &Automaton, text: &str, toks: &[Token]) -> Vec<TermHit> {
        use aho_corasick::{AhoCorasickBuilder, Input, MatchKind};
        let pats: Vec<&[u8]> = (0..a.owner_starts.len() - 1)
            .map(|k| a.set.pattern(k))
            .collect();
        if pats.is_empty() {
            return Vec::new();
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .unwrap();
        let sl = slots_of(text, toks, a.lang);
        let hay = sl.hay.as_str();
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = ac.find(Input::new(hay).span(pos..hay.len())) else {
                break;
            };
            let (ms, me) = (m.start(), m.end());
            let si = sl.slots.partition_point(|s| s.0 <= ms).saturating_sub(1);
            let ei = sl.slots.partition_point(|s| s.0 < me).saturating_sub(1);
            let ok = sl.slots.get(si).zip(sl.slots.get(ei)).and_then(|(s, e)| {
                if ms < s.0 || me > e.1 {
                    return None;
                }
                let prefix = &hay[s.0..ms];
                let suffix = &hay[me..e.1];
                let prefix_ok = match a.lang {
                    Lang::Ar => AR_PREFIXES.contains(&prefix),
                    Lang::En => prefix.is_empty(),
                };
                if !prefix_ok {
                    return None;
                }
                a.owner_for(m.pattern().as_usize(), suffix)
                    .map(|o| (o, s.2, e.3))
            });
            match ok {
                Some((o, start, end)) => {
                    out.push(a.hit(o, text, start, end));
                    pos = sl.slots.get(ei).map(|e| e.1).unwrap_or(me).max(me);
                }
                None => {
                    pos = ms + hay[ms..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        out
    }

    #[test]
    fn trie_matches_equal_aho_corasick_on_real_text() {
        // The shipped glossary over the UDHR pair and the seed document.
        let root = env!("CARGO_MANIFEST_DIR");
        let (gl, _) = crate::glossary::load(
            std::path::Path::new(&format!(
                "{root}/glossaries/un-trafficking-human-rights.csv"
            )),
            true,
        )
        .unwrap();
        let m = TermMatcher::new(&gl);
        let mut n = 0;
        for (file, lang) in [
            ("udhr.ar.txt", Lang::Ar),
            ("udhr.en.txt", Lang::En),
            ("un-a-61-trafficking-women-girls-2007.ar.txt", Lang::Ar),
        ] {
            let text = std::fs::read_to_string(format!("{root}/corpora/{file}")).unwrap();
            let a = match lang {
                Lang::Ar => &m.ar,
                Lang::En => &m.en,
            };
            for para in text.split("\n\n") {
                let toks = tokenize(para);
                let got = m.find_tokens(para, &toks, lang);
                assert_eq!(got, aho_corasick_find(a, para, &toks), "{file}: {para}");
                n += got.len();
            }
        }
        assert!(n > 50, "only {n} hits");
    }

    mod oracle_props {
        use super::*;
        use proptest::prelude::*;

        const AR_WORDS: &[&str] = &[
            "الاتجار",
            "اتجار",
            "بالبشر",
            "البشر",
            "بشر",
            "حقوق",
            "الإنسان",
            "إنسان",
            "ضحية",
            "ضحايا",
            "المنظمة",
            "الدولية",
            "دولية",
            "للشرطة",
            "الشرطة",
            "لل",
            "و",
            "ال",
            "تهريب",
            "منشأ",
            "بلد",
        ];
        const AR_AROUND: &[&str] = &[
            "", "", "", "و", "ف", "ب", "ل", "ك", "وب", "ال", "لل", "وال", "بال", "فلل", "ة", "ات",
            "ها", "ين", "ية", "تهم", "ي", "x",
        ];
        const EN_WORDS: &[&str] = &[
            "victim",
            "traffic",
            "trafficking",
            "in",
            "persons",
            "human",
            "rights",
            "country",
            "countries",
            "origin",
            "law",
            "lawyer",
            "state",
            "free",
            "party",
        ];
        const EN_AROUND: &[&str] = &["", "", "", "s", "es", "'s", "ing", "ed", "ies", "y", "x"];
        const SEPS: &[&str] = &[" ", " ", " ", "، ", ". ", " - ", "  ", "\u{200F} "];

        fn term(words: &[usize], vocab: &[&str]) -> String {
            words
                .iter()
                .map(|&w| vocab[w % vocab.len()])
                .collect::<Vec<_>>()
                .join(" ")
        }

        fn text(parts: &[(usize, usize, usize, usize)], vocab: &[&str], around: &[&str]) -> String {
            let mut t = String::new();
            for &(pre, w, suf, sep) in parts {
                t.push_str(around[pre % around.len()]);
                t.push_str(vocab[w % vocab.len()]);
                t.push_str(around[suf % around.len()]);
                t.push_str(SEPS[sep % SEPS.len()]);
            }
            t
        }

        proptest! {
            /// Random glossaries (one- to three-word terms, forbidden
            /// renderings) over random texts of the same words with clitics,
            /// endings and punctuation: the trie scan finds exactly what the
            /// Aho–Corasick scan found.
            #[test]
            fn trie_matches_equal_aho_corasick(
                concepts in proptest::collection::vec(
                    (
                        proptest::collection::vec(proptest::collection::vec(0usize..30, 1..4), 1..3),
                        proptest::collection::vec(proptest::collection::vec(0usize..30, 1..4), 1..3),
                        proptest::collection::vec(proptest::collection::vec(0usize..30, 1..3), 0..2),
                    ),
                    1..12,
                ),
                ar_parts in proptest::collection::vec((0usize..30, 0usize..30, 0usize..30, 0usize..8), 0..30),
                en_parts in proptest::collection::vec((0usize..30, 0usize..30, 0usize..30, 0usize..8), 0..30),
            ) {
                let gl = Glossary {
                    concepts: concepts
                        .iter()
                        .map(|(en, ar, fb)| Concept {
                            en: en.iter().map(|t| term(t, EN_WORDS)).collect(),
                            ar: ar.iter().map(|t| term(t, AR_WORDS)).collect(),
                            forbidden: fb.iter().map(|t| term(t, AR_WORDS)).collect(),
                            ..Concept::default()
                        })
                        .collect(),
                };
                let m = TermMatcher::new(&gl);
                for (t, lang, a) in [
                    (text(&ar_parts, AR_WORDS, AR_AROUND), Lang::Ar, &m.ar),
                    (text(&en_parts, EN_WORDS, EN_AROUND), Lang::En, &m.en),
                ] {
                    let toks = tokenize(&t);
                    prop_assert_eq!(m.find_tokens(&t, &toks, lang), aho_corasick_find(a, &t, &toks), "{}", t);
                }
            }
        }
    }
}
