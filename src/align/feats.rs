//! Per-segment features computed once before the dynamic programme:
//! content lengths (prefix sums), stemmed word-key ids, anchor ids
//! (numbers in either digit set, document symbols, Latin names and
//! acronyms), paragraph numbers. Ids are 32-bit hashes of normalised keys,
//! kept as sorted, deduplicated lists in one flat array per side.

use rayon::prelude::*;

use crate::model::{Lang, SegKind, Segment};
use crate::normalize::{self, ArabicMode, TokenKind};

/// Anchor classes, stored in the low two bits of an anchor id.
pub(crate) const ANCHOR_SMALL_NUMBER: u32 = 0;
pub(crate) const ANCHOR_NUMBER: u32 = 1;
pub(crate) const ANCHOR_NAME: u32 = 2;
pub(crate) const ANCHOR_SYMBOL: u32 = 3;

/// Weight of a shared anchor of each class (a shared word weighs 1).
pub(crate) const ANCHOR_WEIGHT: [f32; 4] = [0.3, 1.0, 1.0, 2.0];

/// Sorted id lists of many segments in one flat array.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub off: Vec<usize>,
    pub ids: Vec<u32>,
}

impl Csr {
    pub fn row(&self, i: usize) -> &[u32] {
        &self.ids[self.off[i]..self.off[i + 1]]
    }
    pub fn len(&self) -> usize {
        self.off.len().saturating_sub(1)
    }
    /// Rows already sorted and deduplicated (e.g. filtered rows).
    pub fn from_rows<R: IntoIterator<Item = u32>>(rows: impl Iterator<Item = R>) -> Csr {
        let mut out = Csr {
            off: vec![0],
            ids: Vec::new(),
        };
        for r in rows {
            out.ids.extend(r);
            out.off.push(out.ids.len());
        }
        out
    }
    fn push_row(&mut self, row: &mut Vec<u32>) {
        row.sort_unstable();
        row.dedup();
        if self.off.is_empty() {
            self.off.push(0);
        }
        self.ids.extend_from_slice(row);
        self.off.push(self.ids.len());
        row.clear();
    }
    /// Append the rows of `p` (whose offsets start at 0).
    fn append(&mut self, p: &Csr) {
        if self.off.is_empty() {
            self.off.push(0);
        }
        let base = self.ids.len();
        self.ids.extend_from_slice(&p.ids);
        self.off.extend(p.off.iter().skip(1).map(|o| o + base));
    }
}

/// Features of one side of a document pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    /// Prefix sums of content lengths (n + 1 entries).
    pub plen: Vec<f64>,
    /// Stemmed word ids.
    pub words: Csr,
    /// Anchor ids (class in the low two bits).
    pub anchors: Csr,
    /// Consonant skeletons of names (see [`skeleton_ar`]); low bit set for
    /// skeletons of three consonants or more.
    pub names: Csr,
    /// Paragraph number, `u32::MAX` when none.
    pub number: Vec<u32>,
    /// Heading or metadata (not body text).
    pub heading: Vec<bool>,
    /// Lead key of each segment: its first word or number (see
    /// [`lead_key`]), `u32::MAX` when it has none. Kept only until
    /// [`Side::find_units`].
    lead: Vec<u32>,
    /// Lead keys of the sentences inside each segment after its first
    /// (until [`Side::find_units`]).
    inner: Csr,
    /// Where units (records, numbered paragraphs) start; empty until
    /// [`Side::find_units`].
    pub units: Units,
}

/// The units of a side: a document of records or numbered paragraphs
/// opens most of its segments with the same few words (`حدثنا`,
/// `Narrated`; a paragraph number). A segment opening with one of them
/// starts a unit, and a sentence inside a segment opening with one shows
/// two units joined there.
#[derive(Debug, Clone, Default)]
pub(crate) struct Units {
    /// The segment opens with an opener.
    pub opens: Vec<bool>,
    /// An inner sentence of the segment opens with an opener.
    pub joins: Vec<bool>,
    /// Share of the side's nonblank segments that open with an opener:
    /// how surely the start of a unit shows.
    pub rate: f32,
    /// Share of the side's nonblank segments with a unit starting inside.
    pub join_rate: f32,
}

/// A first word that opens at least this share of a side's nonblank
/// segments is an opener. Chosen on the 30 tuning documents: 0.20 keeps
/// `Narrated` (a third of the English records) and drops `Abu` (a sixth,
/// and as often the opening of `Abu Dawud said:` inside a record); mean
/// link F1 0.9747 against 0.9740 with 0.15, 0.9737 with 0.08 and 0.9739
/// with 0.35 (no English opener at all).
const OPENER_SHARE: f64 = 0.20;

impl Side {
    pub fn n(&self) -> usize {
        self.plen.len() - 1
    }
    pub fn len_of(&self, i: usize, k: usize) -> f64 {
        self.plen[i + k] - self.plen[i]
    }
    pub fn seg_len(&self, i: usize) -> f64 {
        self.len_of(i, 1)
    }

    /// Compute the features of a segment list.
    pub fn build(segs: &[Segment], lang: Lang) -> Side {
        let mut side = Side::empty();
        side.extend_with(segs, |s| s.text.as_str(), lang);
        side.number = segs
            .iter()
            .map(|s| {
                s.number
                    .as_deref()
                    .and_then(|n| normalize::fold_digits(n).trim().parse::<u32>().ok())
                    .unwrap_or(u32::MAX)
            })
            .collect();
        side.heading = segs.iter().map(|s| s.kind != SegKind::Paragraph).collect();
        side
    }

    /// Append the lengths and the word, anchor and name rows of `items`'
    /// texts, in order (in parallel over chunks).
    fn extend_with<T: Sync>(&mut self, items: &[T], text: impl Fn(&T) -> &str + Sync, lang: Lang) {
        const CHUNK: usize = 1024;
        let parts: Vec<Part> = items
            .par_chunks(CHUNK)
            .map_init(WordMemo::default, |memo, chunk| {
                part_of(chunk.iter().map(&text), lang, memo)
            })
            .collect();
        self.plen.reserve(items.len());
        // Room for all rows at once (appending chunk by chunk would
        // otherwise grow each list by doubling).
        let total = |row: fn(&Part) -> &Csr| parts.iter().map(|p| row(p).ids.len()).sum::<usize>();
        self.words.ids.reserve(total(|p| &p.words));
        self.anchors.ids.reserve(total(|p| &p.anchors));
        self.names.ids.reserve(total(|p| &p.names));
        self.inner.ids.reserve(total(|p| &p.inner));
        for c in [
            &mut self.words,
            &mut self.anchors,
            &mut self.names,
            &mut self.inner,
        ] {
            c.off.reserve(items.len());
        }
        self.lead.reserve(items.len());
        for p in parts {
            for l in p.lens {
                let last = *self.plen.last().unwrap_or(&0.0);
                self.plen.push(last + l);
            }
            self.words.append(&p.words);
            self.anchors.append(&p.anchors);
            self.names.append(&p.names);
            self.inner.append(&p.inner);
            self.lead.extend_from_slice(&p.lead);
        }
    }

    /// Find the side's openers and where its units start (see [`Units`]).
    /// The lead keys are not needed afterwards and are released.
    pub(crate) fn find_units(&mut self) {
        let mut count: super::HashMap<u32, usize> = super::HashMap::default();
        for &k in self.lead.iter().filter(|&&k| k != u32::MAX) {
            *count.entry(k).or_default() += 1;
        }
        let nonblank = (0..self.n()).filter(|&i| self.seg_len(i) > 0.0).count();
        let least = (OPENER_SHARE * nonblank as f64).max(2.0);
        let is_opener = |k: &u32| count.get(k).is_some_and(|&c| c as f64 >= least);
        let opens: Vec<bool> = self.lead.iter().map(is_opener).collect();
        let joins: Vec<bool> = (0..self.inner.len())
            .map(|i| self.inner.row(i).iter().any(is_opener))
            .collect();
        let share =
            |v: &[bool]| (v.iter().filter(|&&o| o).count() as f64 / nonblank.max(1) as f64) as f32;
        self.units = Units {
            rate: share(&opens),
            join_rate: share(&joins),
            opens,
            joins,
        };
        self.lead = Vec::new();
        self.inner = Csr::default();
    }
}

/// Features of a run of segments: content lengths, the word, anchor and
/// name rows, and the lead keys of the segments and of their inner
/// sentences.
struct Part {
    lens: Vec<f64>,
    words: Csr,
    anchors: Csr,
    names: Csr,
    lead: Vec<u32>,
    inner: Csr,
}

/// The per-segment features of consecutive texts (one chunk of
/// [`Side::build`] or of [`Side::extend_lines`]).
fn part_of<'t>(texts: impl Iterator<Item = &'t str>, lang: Lang, memo: &mut WordMemo<'t>) -> Part {
    let mut p = Part {
        lens: Vec::new(),
        words: Csr::default(),
        anchors: Csr::default(),
        names: Csr::default(),
        lead: Vec::new(),
        inner: Csr::default(),
    };
    let mut row = Rows::default();
    for text in texts {
        p.lens.push(normalize::content_len(text) as f64);
        seg_ids_memo(text, lang, &mut row, memo);
        p.words.push_row(&mut row.words);
        p.anchors.push_row(&mut row.anchors);
        p.names.push_row(&mut row.names);
        p.lead.push(row.lead);
        p.inner.push_row(&mut row.inner);
    }
    p
}

/// The features of one segment (see [`seg_ids`]).
#[derive(Default)]
struct Rows {
    words: Vec<u32>,
    anchors: Vec<u32>,
    names: Vec<u32>,
    /// Lead key of the segment (`u32::MAX` when none).
    lead: u32,
    /// Lead keys of its inner sentences.
    inner: Vec<u32>,
}

/// A side built line by line, for input too large to hold as segments:
/// every line is body text without a paragraph number (`--input lines`).
/// The result is the same as [`Side::build`] on the lines as segments.
impl Side {
    /// A side with no segments yet.
    pub(crate) fn empty() -> Side {
        let csr = || Csr {
            off: vec![0],
            ids: Vec::new(),
        };
        Side {
            plen: vec![0.0],
            words: csr(),
            anchors: csr(),
            names: csr(),
            number: Vec::new(),
            heading: Vec::new(),
            lead: Vec::new(),
            inner: csr(),
            units: Units::default(),
        }
    }

    /// Append the features of `lines`, in order (in parallel over chunks).
    pub(crate) fn extend_lines<S: AsRef<str> + Sync>(&mut self, lines: &[S], lang: Lang) {
        self.extend_with(lines, |s| s.as_ref(), lang);
        self.number
            .extend(std::iter::repeat(u32::MAX).take(lines.len()));
        self.heading
            .extend(std::iter::repeat(false).take(lines.len()));
    }

    /// Release spare capacity once every line is in.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.plen.shrink_to_fit();
        for c in [&mut self.words, &mut self.anchors, &mut self.names] {
            c.off.shrink_to_fit();
            c.ids.shrink_to_fit();
        }
        self.number.shrink_to_fit();
        self.heading.shrink_to_fit();
    }

    /// Ids held per row of the word, anchor and name lists (for
    /// `TERMALIGN_DEBUG`).
    pub(crate) fn ids_per_row(&self) -> [f64; 3] {
        let per = |c: &Csr| c.ids.len() as f64 / c.len().max(1) as f64;
        [per(&self.words), per(&self.anchors), per(&self.names)]
    }

    /// Heap bytes held by the features (for `TERMALIGN_DEBUG`).
    pub(crate) fn heap_bytes(&self) -> usize {
        let csr = |c: &Csr| c.off.capacity() * 8 + c.ids.capacity() * 4;
        self.plen.capacity() * 8
            + csr(&self.words)
            + csr(&self.anchors)
            + csr(&self.names)
            + self.number.capacity() * 4
            + self.heading.capacity()
            + self.lead.capacity() * 4
            + csr(&self.inner)
            + self.units.opens.capacity()
            + self.units.joins.capacity()
    }
}

/// FNV-1a over a tag byte and the key, folded to 32 bits.
pub(crate) fn hash_key(tag: u8, key: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(tag).chain(key.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

fn anchor_id(class: u32, key: &str) -> u32 {
    (hash_key(b'#', key) & !3) | class
}

/// Light Arabic stem of a matching key: one proclitic group and one
/// suffix removed when at least three letters remain.
pub(crate) fn arabic_stem(key: &str) -> &str {
    const PRE: [&str; 12] = [
        "وبال", "وال", "بال", "كال", "فال", "ولل", "لل", "ال", "و", "ف", "ب", "ل",
    ];
    const SUF: [&str; 10] = ["هما", "ها", "هم", "ات", "ون", "ين", "يه", "ه", "ي", "ا"];
    let nchars = |s: &str| s.chars().count();
    let mut s = key;
    for p in PRE {
        if let Some(r) = s.strip_prefix(p) {
            if nchars(r) >= 3 {
                s = r;
                break;
            }
        }
    }
    for x in SUF {
        if let Some(r) = s.strip_suffix(x) {
            if nchars(r) >= 3 {
                s = r;
                break;
            }
        }
    }
    s
}

/// Light English stem: lower case, possessive and plural `s` removed,
/// truncated to six characters.
pub(crate) fn english_stem(key: &str) -> String {
    let mut s = key.trim_end_matches("'s").trim_end_matches('\'');
    if s.len() > 3 && s.ends_with('s') && !s.ends_with("ss") {
        s = &s[..s.len() - 1];
    }
    s.chars().take(6).collect()
}

fn arabic_word_key(k: &str) -> Option<String> {
    arabic_word_stem(k).map(str::to_string)
}

/// [`arabic_word_key`] borrowed from the key (no allocation).
fn arabic_word_stem(k: &str) -> Option<&str> {
    if k.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let st = arabic_stem(k);
    (st.chars().count() >= 2).then_some(st)
}

/// Word key of a token for the dictionary (`None` for words too short to
/// carry meaning on their own).
pub(crate) fn word_key(tok: &str, lang: Lang) -> Option<String> {
    match lang {
        Lang::Ar => arabic_word_key(&normalize::arabic_key(tok, ArabicMode::Loose)),
        Lang::En => {
            let k = normalize::english_key(tok);
            if k.chars().count() < 3
                || !k
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
            {
                return None;
            }
            Some(english_stem(&k))
        }
    }
}

/// Word id of a dictionary word.
pub(crate) fn word_id(key: &str, lang: Lang) -> u32 {
    hash_key(if lang == Lang::Ar { b'a' } else { b'e' }, key)
}

/// Canonical form of a number: digits of any set folded; `.` `,` and the
/// Arabic separators dropped; the parts of `a/b` sorted (so `١٤٤/٦١` meets
/// `61/144`).
pub(crate) fn canonical_number(tok: &str) -> String {
    let folded = normalize::fold_digits(tok);
    let mut parts: Vec<String> = folded
        .split('/')
        .map(|p| p.chars().filter(|c| c.is_ascii_digit()).collect::<String>())
        .filter(|p| !p.is_empty())
        .map(|p| p.trim_start_matches('0').to_string())
        .collect();
    parts.sort();
    parts.join("/")
}

fn is_symbol(chunk: &str) -> bool {
    chunk.contains('/')
        && chunk.chars().any(|c| c.is_ascii_alphabetic())
        && chunk.chars().any(|c| normalize::fold_digit(c).is_some())
        && !chunk.chars().any(normalize::is_arabic_letter)
}

/// Word ids and anchor ids of one segment's text (rows are cleared first).
#[cfg(test)]
pub(crate) fn seg_ids(
    text: &str,
    lang: Lang,
    words: &mut Vec<u32>,
    anchors: &mut Vec<u32>,
    names: &mut Vec<u32>,
) {
    let mut row = Rows::default();
    seg_ids_memo(text, lang, &mut row, &mut WordMemo::default());
    *words = row.words;
    *anchors = row.anchors;
    *names = row.names;
}

/// The lead key of a word token: its matching key (Arabic) or its text
/// as written (English: `Narrated` opens a record, `narrated` does not).
fn lead_key(text: &str, ar_key: Option<&str>) -> u32 {
    hash_key(b'o', ar_key.unwrap_or(text))
}

/// The lead key of every number (a paragraph number opens its paragraph).
fn number_lead() -> u32 {
    hash_key(b'o', "#")
}

/// Punctuation that ends a sentence.
fn ends_sentence(p: &str) -> bool {
    matches!(p, "." | "!" | "?" | "\u{061F}")
}

/// What one word token adds to its segment's rows: name skeleton ids, a
/// Latin-name anchor, a word id.
#[derive(Clone, Copy, Default)]
struct WordFeats {
    names: [u32; 2],
    n_names: u8,
    anchor: Option<u32>,
    word: Option<u32>,
    /// See [`lead_key`].
    lead: u32,
}

/// Features of the word tokens seen so far (by their text): text repeats
/// its words, and keying, stemming and skeletons of each occurrence were
/// most of the feature time.
type WordMemo<'t> = super::HashMap<&'t str, WordFeats>;

/// The features of one word token (a pure function of the token and the
/// language).
fn word_feats(text: &str, lang: Lang) -> WordFeats {
    let ar_key = (lang == Lang::Ar).then(|| normalize::arabic_key(text, ArabicMode::Loose));
    let mut f = WordFeats {
        lead: lead_key(text, ar_key.as_deref()),
        ..WordFeats::default()
    };
    let mut names = Vec::new();
    name_of(text, ar_key.as_deref(), lang, &mut names);
    for (k, id) in names.into_iter().take(2).enumerate() {
        f.names[k] = id;
        f.n_names = k as u8 + 1;
    }
    let latin = text.chars().all(|c| c.is_ascii_alphabetic());
    match lang {
        Lang::Ar if latin => f.anchor = Some(anchor_id(ANCHOR_NAME, &text.to_ascii_lowercase())),
        Lang::En if latin && text.chars().any(|c| c.is_ascii_uppercase()) => {
            f.anchor = Some(anchor_id(ANCHOR_NAME, &text.to_ascii_lowercase()));
            if let Some(k) = word_key(text, lang) {
                f.word = Some(word_id(&k, lang));
            }
        }
        _ => {
            f.word = match &ar_key {
                Some(k) => arabic_word_stem(k).map(|st| word_id(st, lang)),
                None => word_key(text, lang).map(|k| word_id(&k, lang)),
            };
        }
    }
    f
}

/// [`seg_ids`] with the word features of earlier segments remembered.
fn seg_ids_memo<'t>(text: &'t str, lang: Lang, row: &mut Rows, memo: &mut WordMemo<'t>) {
    let Rows {
        words,
        anchors,
        names,
        lead,
        inner,
    } = row;
    words.clear();
    anchors.clear();
    names.clear();
    inner.clear();
    *lead = u32::MAX;
    // The lead key of the next word or number: the segment's own, then
    // one after each sentence end.
    let mut first = true;
    let mut after_end = false;
    let number_key = number_lead();
    let mut lead_of = |key: u32, after_end: &mut bool| {
        if first {
            *lead = key;
            first = false;
        } else if *after_end {
            inner.push(key);
        }
        *after_end = false;
    };
    // Document symbols: whitespace chunks such as E/2002/68/Add.1.
    if text.contains('/') {
        for chunk in text.split_whitespace() {
            let c = chunk.trim_matches(|c: char| !c.is_alphanumeric());
            if is_symbol(c) {
                anchors.push(anchor_id(
                    ANCHOR_SYMBOL,
                    &normalize::fold_digits(c).to_lowercase(),
                ));
            }
        }
    }
    for t in normalize::tokenize(text) {
        match t.kind {
            TokenKind::Number => {
                lead_of(number_key, &mut after_end);
                let c = canonical_number(t.text);
                if c.is_empty() {
                    continue;
                }
                let class = if c.len() >= 3 || c.contains('/') {
                    ANCHOR_NUMBER
                } else {
                    ANCHOR_SMALL_NUMBER
                };
                anchors.push(anchor_id(class, &c));
            }
            TokenKind::Word => {
                let f = *memo
                    .entry(t.text)
                    .or_insert_with(|| word_feats(t.text, lang));
                lead_of(f.lead, &mut after_end);
                names.extend_from_slice(&f.names[..f.n_names as usize]);
                anchors.extend(f.anchor);
                words.extend(f.word);
            }
            TokenKind::Punct => {
                if ends_sentence(t.text) {
                    after_end = true;
                }
            }
        }
    }
}

/// Consonant skeleton of an Arabic word (matching key): letters mapped to
/// broad sound classes shared with [`skeleton_en`], long vowels, alef,
/// hamza and ʿayn dropped, doubled classes collapsed, a final `h` (ta
/// marbuta) dropped. `جابر` → `JBR`, `هريرة` → `HR`.
pub(crate) fn skeleton_ar(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        let m = match c {
            'ب' => 'B',
            'ت' | 'ث' | 'ط' => 'T',
            'ج' => 'J',
            'ح' | 'ه' => 'H',
            'خ' | 'ق' | 'ك' => 'K',
            'د' | 'ذ' | 'ض' => 'D',
            'ر' => 'R',
            'ز' | 'ظ' => 'Z',
            'س' | 'ش' | 'ص' => 'S',
            'غ' => 'G',
            'ف' => 'F',
            'ل' => 'L',
            'م' => 'M',
            'ن' => 'N',
            _ => continue,
        };
        if !out.ends_with(m) {
            out.push(m);
        }
    }
    if out.len() > 1 && out.ends_with('H') {
        out.pop();
    }
    out
}

/// Consonant skeleton of a romanised name, in the classes of
/// [`skeleton_ar`]: `Jabir` → `JBR`, `Hurairah` → `HR`, `Talq` → `TLK`.
pub(crate) fn skeleton_en(word: &str) -> String {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < w.len() {
        let two = (w[i], w.get(i + 1).copied().unwrap_or(' '));
        let (m, step) = match two {
            ('t', 'h') => (Some('T'), 2),
            ('s', 'h') => (Some('S'), 2),
            ('k', 'h') => (Some('K'), 2),
            ('d', 'h') => (Some('D'), 2),
            ('g', 'h') => (Some('G'), 2),
            ('p', 'h') => (Some('F'), 2),
            (c, _) => (
                match c {
                    'b' | 'p' => Some('B'),
                    't' => Some('T'),
                    'd' => Some('D'),
                    'j' | 'g' => Some('J'),
                    'h' => Some('H'),
                    'k' | 'q' | 'c' | 'x' => Some('K'),
                    'r' => Some('R'),
                    'z' => Some('Z'),
                    's' => Some('S'),
                    'f' | 'v' => Some('F'),
                    'l' => Some('L'),
                    'm' => Some('M'),
                    'n' => Some('N'),
                    _ => None,
                },
                1,
            ),
        };
        if let Some(m) = m {
            if !out.ends_with(m) {
                out.push(m);
            }
        }
        i += step;
    }
    if out.len() > 1 && out.ends_with('H') {
        out.pop();
    }
    out
}

fn name_id(skel: &str) -> Option<u32> {
    if skel.len() < 2 || skel == "BN" {
        return None;
    }
    Some((hash_key(b'n', skel) & !1) | u32::from(skel.len() >= 3))
}

/// Name skeleton ids of one word: an Arabic word (with and without an
/// article or conjunction prefix); an English word written with a capital
/// (with any `al-` prefix removed).
fn name_of(word: &str, key: Option<&str>, lang: Lang, out: &mut Vec<u32>) {
    match lang {
        Lang::Ar => {
            if !word.chars().next().is_some_and(normalize::is_arabic_letter) {
                return;
            }
            let Some(k) = key else { return };
            out.extend(name_id(&skeleton_ar(k)));
            for p in ["وال", "بال", "ال", "و", "ب"] {
                if let Some(r) = k.strip_prefix(p) {
                    if r.chars().count() >= 3 {
                        out.extend(name_id(&skeleton_ar(r)));
                    }
                    break;
                }
            }
        }
        Lang::En => {
            let name = word.trim_start_matches(['\'', '\u{2018}', '\u{2019}']);
            if !name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                return;
            }
            let lw = name.to_ascii_lowercase();
            let w = lw
                .strip_prefix("al-")
                .or_else(|| lw.strip_prefix("el-"))
                .unwrap_or(&lw);
            out.extend(name_id(&skeleton_en(w)));
            if let Some(rest) = kunya_rest(name) {
                out.extend(name_id(&skeleton_en(rest)));
            }
        }
    }
}

/// The name after a joined kunya or patronymic prefix of a romanised
/// name (`AbuDharr` → `Dharr`, `Abu-Sa'id` → `Sa'id`), which the
/// Arabic writes as two words.
fn kunya_rest(word: &str) -> Option<&str> {
    let k = word
        .char_indices()
        .skip(2)
        .find(|(_, c)| c.is_ascii_uppercase())?
        .0;
    let head = word[..k].trim_end_matches('-').to_ascii_lowercase();
    matches!(
        head.as_str(),
        "abu" | "abd" | "abdul" | "abdur" | "abdus" | "umm" | "ibn" | "bint"
    )
    .then(|| &word[k..])
}

/// Weighted count of common name skeletons (two-consonant skeletons weigh
/// half).
#[inline]
pub(crate) fn name_weight(id: u32) -> f32 {
    if id & 1 == 1 {
        1.0
    } else {
        0.5
    }
}

/// The merge of two sorted, deduplicated lists `K` ids at a time, from
/// positions `i` and `j`: `block` is given each pair of `K`-blocks whose
/// ranges overlap (every common id lies in exactly one such pair, and the
/// pairs come in increasing order of id), then the list whose block ends
/// lower (or both) moves on. Stops when either list has fewer than `K`
/// ids left. Comparing every id of one block with every id of the other
/// takes no branches (the compiler vectorises it), where a merge one id at
/// a time mispredicts about every other step on the hashed ids of
/// unrelated texts: this is the hot loop of the lexical values.
#[inline(always)]
fn merge_blocks<const K: usize>(
    a: &[u32],
    b: &[u32],
    i: &mut usize,
    j: &mut usize,
    mut block: impl FnMut(&[u32; K], &[u32; K]),
) {
    while let (Some(x), Some(y)) = (a.get(*i..*i + K), b.get(*j..*j + K)) {
        let (Ok(x), Ok(y)) = (<&[u32; K]>::try_from(x), <&[u32; K]>::try_from(y)) else {
            break;
        };
        block(x, y);
        let (ax, by) = (x[K - 1], y[K - 1]);
        *i += K * usize::from(ax <= by);
        *j += K * usize::from(by <= ax);
    }
}

/// Which ids of `x` are in `y`: bit `p` for `x[p]`.
#[inline(always)]
fn block_hits<const K: usize>(x: &[u32; K], y: &[u32; K]) -> u32 {
    let mut mask = 0;
    for (p, &v) in x.iter().enumerate() {
        let hit = y.iter().fold(false, |h, &w| h | (v == w));
        mask |= u32::from(hit) << p;
    }
    mask
}

/// Number of common elements of two sorted, deduplicated lists.
#[inline]
pub(crate) fn intersect_count(a: &[u32], b: &[u32]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0u32);
    let mut count = |x: &[u32], y: &[u32]| {
        for &v in x {
            n += y.iter().map(|&w| u32::from(v == w)).sum::<u32>();
        }
    };
    merge_blocks::<8>(a, b, &mut i, &mut j, |x, y| count(x, y));
    merge_blocks::<4>(a, b, &mut i, &mut j, |x, y| count(x, y));
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += u32::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Weighted count of the common elements of two sorted, deduplicated
/// lists, added in increasing order of id.
#[inline]
pub(crate) fn intersect_weighted(a: &[u32], b: &[u32], weight: impl Fn(u32) -> f32) -> f32 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() <= 8 && long.len() >= 2 * short.len() {
        // A few ids against many (an English segment's name skeletons
        // against every Arabic word's): each of the few is looked up by
        // bisection, from where the last one was.
        let (mut rest, mut w) = (long, 0.0f32);
        for &y in short {
            match rest.binary_search(&y) {
                Ok(k) => {
                    w += weight(y);
                    rest = &rest[k + 1..];
                }
                Err(k) => rest = &rest[k..],
            }
        }
        return w;
    }
    let (mut i, mut j, mut w) = (0, 0, 0.0f32);
    merge_blocks::<4>(a, b, &mut i, &mut j, |x, y| {
        let mut m = block_hits(x, y);
        while m != 0 {
            w += weight(x[m.trailing_zeros() as usize]);
            m &= m - 1;
        }
    });
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x == y {
            w += weight(x);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    w
}

/// Weighted count of common anchors of two sorted anchor lists.
#[inline]
pub(crate) fn anchor_match(a: &[u32], b: &[u32]) -> f32 {
    intersect_weighted(a, b, |id| ANCHOR_WEIGHT[(id & 3) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UDHR article bodies of one side written as numbered lines
    /// (`N. …`, `N - …` in Arabic-Indic digits, as `--input lines` reads
    /// them): paragraph 10 holds paragraph 11 too, and paragraph 20 is
    /// cut in the middle. The number opens every line but the
    /// cut-off rest, so it is the opener; only the line holding two
    /// paragraphs shows one starting inside.
    #[test]
    fn units_of_numbered_lines() {
        use super::super::tests::{line_segments, numbered_udhr};
        for lang in [Lang::En, Lang::Ar] {
            let name = format!("{lang:?}");
            let mut lines = numbered_udhr(lang, 40);
            // Paragraph 11 joined to 10.
            let eleventh = lines.remove(10);
            lines[9] = format!("{} {eleventh}", lines[9]);
            // Paragraph 20 (line 18 now) cut at the space nearest the
            // middle, as a page break cuts a paragraph.
            let t = lines[18].clone();
            let end = t
                .match_indices(' ')
                .map(|(p, _)| p)
                .min_by_key(|&p| p.abs_diff(t.len() / 2))
                .expect("a space");
            let (head, rest) = t.split_at(end);
            lines[18] = head.to_string();
            let cut_rest = 19;
            lines.insert(cut_rest, rest.trim().to_string());
            let segs = line_segments(&lines);
            let mut side = Side::build(&segs, lang);
            assert!(side.units.opens.is_empty(), "units are found on request");
            side.find_units();
            let u = &side.units;
            let opens: Vec<usize> = (0..lines.len()).filter(|&i| !u.opens[i]).collect();
            assert_eq!(opens, [cut_rest], "{name}: lines not opening a unit");
            let joins: Vec<usize> = (0..lines.len()).filter(|&i| u.joins[i]).collect();
            assert_eq!(joins, [9], "{name}: lines joining two units");
            let want = (lines.len() - 1) as f32 / lines.len() as f32;
            assert!((u.rate - want).abs() < 1e-6, "{name}: rate {}", u.rate);
            assert!((u.join_rate - 1.0 / lines.len() as f32).abs() < 1e-6);
        }
    }

    #[test]
    fn numbers_meet_across_digit_sets_and_orders() {
        let table = [
            ("١٤٤/٦١", "61/144"),
            ("٢٠٠٧", "2007"),
            ("٩,٥", "9.5"),
            ("1948", "١٩٤٨"),
        ];
        for (a, b) in table {
            assert_eq!(canonical_number(a), canonical_number(b), "{a} vs {b}");
        }
        assert_ne!(canonical_number("61/144"), canonical_number("61/180"));
    }

    #[test]
    fn anchors_of_real_lines() {
        let (mut wa, mut aa, mut we, mut ae) = (vec![], vec![], vec![], vec![]);
        let mut names = vec![];
        seg_ids(
            "انظر الوثيقة E/2002/68/Add.1 والقرار ١٤٤/٦١ لمكتب UNODC.",
            Lang::Ar,
            &mut wa,
            &mut aa,
            &mut names,
        );
        seg_ids(
            "See document E/2002/68/Add.1, resolution 61/144 and UNODC.",
            Lang::En,
            &mut we,
            &mut ae,
            &mut names,
        );
        aa.sort_unstable();
        ae.sort_unstable();
        // symbol (2) + resolution number (1) + UNODC (1) + the number
        // parts inside the symbol (2002/68 and 1).
        assert!(anchor_match(&aa, &ae) >= 4.0, "{aa:?} {ae:?}");
    }

    #[test]
    fn name_skeletons_meet() {
        let table = [
            ("جابر", "Jabir"),
            ("هريرة", "Hurairah"),
            ("طلق", "Talq"),
            ("سلمة", "Salamah"),
            ("هشام", "Hisham"),
            ("رمضان", "Ramadan"),
            ("محمد", "Muhammad"),
        ];
        for (ar, en) in table {
            let k = normalize::arabic_key(ar, ArabicMode::Loose);
            let k = k.strip_prefix("ال").unwrap_or(&k);
            assert_eq!(skeleton_ar(k), skeleton_en(en), "{ar} / {en}");
        }
        assert_ne!(skeleton_ar("جابر"), skeleton_en("Hisham"));
    }

    #[test]
    fn joined_kunya_meets_the_two_arabic_words() {
        let names = |text: &str, lang: Lang| {
            let (mut w, mut a, mut n) = (Vec::new(), Vec::new(), Vec::new());
            seg_ids(text, lang, &mut w, &mut a, &mut n);
            n.sort_unstable();
            n
        };
        for (ar, en) in [
            ("عن أبي ذر", "Narrated AbuDharr:"),
            ("عن عبد الرحمن", "Narrated AbdurRahman:"),
            ("عن أبي هريرة", "Narrated AbuHurayrah:"),
            ("عن أم سلمة", "Narrated UmmSalamah:"),
        ] {
            let (x, y) = (names(ar, Lang::Ar), names(en, Lang::En));
            assert!(intersect_count(&x, &y) > 0, "{ar} / {en}");
        }
        assert_eq!(kunya_rest("AbuDharr"), Some("Dharr"));
        // Quoted as the translations often write names ('AbuDharr).
        let (x, y) = (
            names("عن أبي ذر", Lang::Ar),
            names("from 'AbuDharr", Lang::En),
        );
        assert!(intersect_count(&x, &y) > 0);
        assert_eq!(kunya_rest("Abu-Sa'id"), Some("Sa'id"));
        assert_eq!(kunya_rest("McDonald"), None);
        assert_eq!(kunya_rest("Abu"), None);
    }

    #[test]
    fn arabic_stems() {
        let table = [
            ("والحريات", "حري"),
            ("الانسان", "انسان"),
            ("لكل", "لكل"),
            ("بالكرامه", "كرام"),
        ];
        for (k, want) in table {
            assert_eq!(arabic_stem(k), want, "{k}");
        }
    }

    proptest::proptest! {
        // The block merges find the same ids as a naive scan, and add
        // their weights in the same (increasing) order, bit for bit.
        #[test]
        fn intersections_match_a_naive_scan(
            a in proptest::collection::btree_set(0u32..200, 0..60),
            b in proptest::collection::btree_set(0u32..200, 0..60),
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let weight = |id: u32| ANCHOR_WEIGHT[(id & 3) as usize];
            let common: Vec<u32> = a.iter().copied().filter(|x| b.contains(x)).collect();
            let want = common.iter().fold(0.0f32, |w, &x| w + weight(x));
            proptest::prop_assert_eq!(intersect_count(&a, &b), common.len() as u32);
            proptest::prop_assert_eq!(intersect_count(&b, &a), common.len() as u32);
            proptest::prop_assert_eq!(intersect_weighted(&a, &b, weight).to_bits(), want.to_bits());
            proptest::prop_assert_eq!(intersect_weighted(&b, &a, weight).to_bits(), want.to_bits());
        }
    }
}
