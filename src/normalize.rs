//! Matching keys for Arabic and English text.
//!
//! Keys are for matching only; displayed text is never altered. A key can be
//! built with an offset map ([`Key`]) so a match found in the key can be
//! highlighted in the original text.
//!
//! Both keys start from the NFC form of the text (a decomposed hamza or
//! accent composes first). Arabic key ([`arabic_key`]): presentation forms
//! folded to base letters;
//! harakat (U+064B–U+0652), superscript alef (U+0670) and tatweel (U+0640)
//! removed; direction and zero-width marks removed; أ إ آ ٱ → ا; ى → ي;
//! Persian ی/ک → ي/ك; Arabic-Indic and Extended Arabic-Indic digits → ASCII,
//! U+066B → `.`, U+066C → `,`; Latin lower-cased. [`ArabicMode::Loose`] also
//! folds ة → ه and ؤ ئ → ء.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use crate::model::Lang;

/// The months of the year: the English name, then the Arabic names as
/// strict matching keys (hamza folded): the names UN documents use, with
/// their spelling variants, and the Levantine name (`كانون الأول /
/// ديسمبر`). Dates are evidence for alignment, furniture for
/// segmentation and a check of their own.
pub const MONTHS: [Month; 12] = [
    Month::new("january", &["يناير"], "كانون الثاني"),
    Month::new("february", &["فبراير"], "شباط"),
    Month::new("march", &["مارس"], "اذار"),
    Month::new("april", &["ابريل"], "نيسان"),
    Month::new("may", &["مايو"], "ايار"),
    Month::new("june", &["يونيه", "يونيو"], "حزيران"),
    Month::new("july", &["يوليه", "يوليو"], "تموز"),
    Month::new("august", &["اغسطس"], "اب"),
    Month::new("september", &["سبتمبر"], "ايلول"),
    Month::new("october", &["اكتوبر"], "تشرين الاول"),
    Month::new("november", &["نوفمبر"], "تشرين الثاني"),
    Month::new("december", &["ديسمبر"], "كانون الاول"),
];

/// One month of [`MONTHS`].
#[derive(Debug, Clone, Copy)]
pub struct Month {
    /// English name, lower case.
    pub en: &'static str,
    /// The Arabic names of UN usage (keys).
    pub ar: &'static [&'static str],
    /// The Levantine name (key; two words for four months).
    pub levantine: &'static str,
}

impl Month {
    const fn new(en: &'static str, ar: &'static [&'static str], levantine: &'static str) -> Self {
        Month { en, ar, levantine }
    }

    /// Every Arabic name (keys): UN usage, then the Levantine name.
    pub fn ar_names(&self) -> impl Iterator<Item = &'static str> {
        self.ar.iter().copied().chain([self.levantine])
    }
}

/// How aggressively Arabic letters are folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArabicMode {
    /// Hamza-carrying alefs and alef maqsura folded; ta marbuta kept.
    #[default]
    Strict,
    /// Also ة → ه and ؤ ئ → ء.
    Loose,
}

/// A normalised key with a map back to the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key text.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original string of the
    /// character it came from; one extra entry at the end holds the original
    /// length.
    pub offsets: Vec<usize>,
}

impl Key {
    /// Map a byte range of the key back to a byte range of the original.
    pub fn source_range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let s = self.offsets[start];
        // End: the start of the original character after the last key byte.
        let e = if end == 0 {
            s
        } else {
            let last = self.offsets[end - 1];
            // advance to the next distinct original offset
            let mut j = end;
            while j < self.offsets.len() - 1 && self.offsets[j] == last {
                j += 1;
            }
            let next = self.offsets[j];
            if next > last {
                next
            } else {
                *self.offsets.last().unwrap_or(&last)
            }
        };
        s..e.max(s)
    }
}

/// True for Arabic harakat and other marks removed from keys.
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

/// True for invisible direction and zero-width formatting characters.
pub fn is_format_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// True for a letter of the Arabic script (base block, supplements,
/// presentation forms). Tatweel (U+0640) is not a letter.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// Fold one digit of any Arabic digit set to ASCII.
pub fn fold_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + '0' as u32),
        '\u{06F0}'..='\u{06F9}' => char::from_u32(c as u32 - 0x06F0 + '0' as u32),
        _ => None,
    }
}

fn push_folded(out: &mut Key, src_off: usize, c: char) {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    out.text.push_str(s);
    for _ in 0..s.len() {
        out.offsets.push(src_off);
    }
}

/// Fold one character for an Arabic matching key and hand the result to
/// `emit` (nothing for a dropped mark, one character usually, several for a
/// rare lower-casing). Shared by [`arabic_key_map`] and the aligner's
/// offset-free key so both fold exactly alike.
pub(crate) fn fold_arabic_char(c: char, mode: ArabicMode, mut emit: impl FnMut(char)) {
    if is_arabic_mark(c) || is_format_mark(c) {
        return;
    }
    if let Some(d) = fold_digit(c) {
        return emit(d);
    }
    let m = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        'ة' if mode == ArabicMode::Loose => 'ه',
        'ؤ' | 'ئ' if mode == ArabicMode::Loose => 'ء',
        _ => c,
    };
    // ASCII and the Arabic block (no cased letters) skip the Unicode case table.
    let upper = if m.is_ascii() {
        m.is_ascii_uppercase()
    } else {
        !('\u{0600}'..='\u{06FF}').contains(&m) && m.is_uppercase()
    };
    if upper {
        m.to_lowercase().for_each(emit);
    } else {
        emit(m);
    }
}

fn arabic_fold_char(c: char, mode: ArabicMode, out: &mut Key, off: usize) {
    fold_arabic_char(c, mode, |f| push_folded(out, off, f));
}

/// Visit `s` in NFC: `f(offset, char)` for every character of the composed
/// text, with the byte offset in `s` of the character it came from (the
/// first character of the cluster when characters were composed). Linear;
/// text already in NFC (the usual case) takes a fast path.
fn visit_nfc(s: &str, mut f: impl FnMut(usize, char)) {
    let mut it = s.char_indices().peekable();
    while let Some((off, c)) = it.next() {
        let base_end = off + c.len_utf8();
        let mut end = base_end;
        // Arabic letters and ASCII/Latin-1 never change alone under NFC.
        let mut compose =
            c >= '\u{0300}' && !('\u{0600}'..='\u{06FF}').contains(&c) && !is_format_mark(c);
        while let Some(&(o, n)) = it.peek() {
            if canonical_combining_class(n) == 0 {
                break;
            }
            // Harakat are dropped from Arabic keys whatever their order;
            // combining madda/hamza (U+0653–U+0655) and other marks compose.
            if !is_arabic_mark(n) || matches!(n, '\u{0653}'..='\u{0655}') {
                compose = true;
            }
            end = o + n.len_utf8();
            it.next();
        }
        if compose {
            for d in s[off..end].nfc() {
                f(off, d);
            }
        } else {
            f(off, c);
            for (o, m) in s[base_end..end].char_indices() {
                f(base_end + o, m);
            }
        }
    }
}

/// Build an Arabic matching key with its offset map.
pub fn arabic_key_map(s: &str, mode: ArabicMode) -> Key {
    let mut out = Key {
        text: String::with_capacity(s.len()),
        offsets: Vec::with_capacity(s.len() + 1),
    };
    visit_nfc(s, |off, c| {
        if matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}') {
            // Presentation forms: compatibility-decompose, then fold.
            for d in std::iter::once(c).nfkc() {
                arabic_fold_char(d, mode, &mut out, off);
            }
        } else {
            arabic_fold_char(c, mode, &mut out, off);
        }
    });
    out.offsets.push(s.len());
    out
}

/// Whether NFC and the presentation-form decomposition leave `s`'s key as
/// it is: ASCII and Latin-1, and Arabic-block characters that either do
/// not combine or are marks the key drops whatever their order — not the
/// combining madda and hamzas (U+0653–U+0655), which compose with the
/// letter before, nor the kept combining signs (U+0610–U+061A), which NFC
/// reorders.
fn nfc_inert(s: &str) -> bool {
    s.chars().all(|c| {
        c < '\u{0300}'
            || (('\u{0600}'..='\u{06FF}').contains(&c)
                && !('\u{0653}'..='\u{0655}').contains(&c)
                // The block's other combining characters are all marks the
                // key drops (`is_arabic_mark`).
                && !('\u{0610}'..='\u{061A}').contains(&c))
    })
}

/// Arabic matching key (see the module docs): [`arabic_key_map`]'s text,
/// built without the offset map (and without the NFC pass when
/// `nfc_inert`), since words are keyed by the million.
pub fn arabic_key(s: &str, mode: ArabicMode) -> String {
    if !nfc_inert(s) {
        return arabic_key_map(s, mode).text;
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_arabic_char(c, mode, |f| out.push(f));
    }
    out
}

/// Build an English matching key with its offset map: NFC, case folding, typographic apostrophes and hyphens folded to ASCII, digits of
/// any Arabic digit set folded to ASCII.
pub fn english_key_map(s: &str) -> Key {
    let mut out = Key {
        text: String::with_capacity(s.len()),
        offsets: Vec::with_capacity(s.len() + 1),
    };
    visit_nfc(s, |off, c| {
        if is_format_mark(c) {
            return;
        }
        if let Some(d) = fold_digit(c) {
            push_folded(&mut out, off, d);
            return;
        }
        let m = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => '-',
            '\u{00A0}' => ' ',
            _ => c,
        };
        for l in m.to_lowercase() {
            push_folded(&mut out, off, l);
        }
    });
    out.offsets.push(s.len());
    out
}

/// English matching key: [`english_key_map`]'s text (ASCII text is only
/// lower-cased, without the map).
pub fn english_key(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    english_key_map(s).text
}

/// Key for either language.
pub fn key(s: &str, lang: Lang) -> String {
    match lang {
        Lang::Ar => arabic_key(s, ArabicMode::Strict),
        Lang::En => english_key(s),
    }
}

/// Fold every Arabic-Indic / Extended digit (and the Arabic decimal and
/// thousands separators) to ASCII, leaving everything else as it is.
pub fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{066B}' => '.',
            '\u{066C}' => ',',
            _ => fold_digit(c).unwrap_or(c),
        })
        .collect()
}

/// NFC form of a string (for display-preserving comparisons).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Number of characters that carry length for a length model: letters,
/// digits and punctuation, without whitespace, harakat, tatweel or
/// formatting marks (harakat are over a third of fully vowelled text).
pub fn content_len(s: &str) -> usize {
    s.chars()
        .filter(|&c| !c.is_whitespace() && !is_arabic_mark(c) && !is_format_mark(c))
        .count()
}

/// Guess the language of a text from its letters: Arabic if Arabic letters
/// outnumber Latin ones.
pub fn detect_lang(s: &str) -> Lang {
    let (mut ar, mut la) = (0usize, 0usize);
    for c in s.chars().take(200_000) {
        if is_arabic_letter(c) {
            ar += 1;
        } else if c.is_ascii_alphabetic() {
            la += 1;
        }
    }
    if ar > la {
        Lang::Ar
    } else {
        Lang::En
    }
}

/// One token of a text, as a byte range of the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as it stands in the text.
    pub text: &'a str,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Word (letters/digits) or punctuation.
    pub kind: TokenKind,
}

/// Kind of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word of letters (possibly with harakat, tatweel, inner apostrophe or hyphen).
    Word,
    /// A number (digits of any set, with inner `.` `,` `/` `٫` `٬`).
    Number,
    /// A punctuation character (Latin or Arabic: `، ؛ ؟`).
    Punct,
}

fn is_word_char(c: char) -> bool {
    // Fast paths for the two scripts that make up nearly all the text: the
    // general Unicode table lookup was a tenth of the aligner's time.
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if ('\u{0621}'..='\u{064A}').contains(&c) {
        return true;
    }
    // Harakat before the Unicode table (same result, far cheaper).
    is_arabic_mark(c) || c.is_alphabetic() || c == '\u{200C}' || c == '\u{200D}'
}

/// Tokenise text of either language into words, numbers and punctuation.
/// Whitespace is skipped. `،` `؛` `؟` are punctuation, so `الضحايا،` yields
/// the word `الضحايا` then `،`; `٩,٥` and `E/2002/68` keep their digits together.
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    // Walks byte offsets (no per-call character buffer): `at(i)` is the
    // character starting at byte `i`, `None` at the end.
    let at = |i: usize| s.get(i..).and_then(|r| r.chars().next());
    let after = |i: usize, c: char| i + c.len_utf8();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        if c.is_whitespace() || is_format_mark(c) {
            i = after(i, c);
            continue;
        }
        if fold_digit(c).is_some() {
            let mut j = after(i, c);
            while let Some(cj) = at(j) {
                let nj = after(j, cj);
                if fold_digit(cj).is_some() {
                    j = nj;
                } else if let Some(d) = at(nj).filter(|&d| {
                    matches!(cj, '.' | ',' | '/' | '\u{066B}' | '\u{066C}')
                        && fold_digit(d).is_some()
                }) {
                    j = after(nj, d);
                } else {
                    break;
                }
            }
            out.push(Token {
                text: &s[start..j],
                start,
                end: j,
                kind: TokenKind::Number,
            });
            i = j;
        } else if is_word_char(c) {
            let mut j = after(i, c);
            while let Some(cj) = at(j) {
                let nj = after(j, cj);
                if is_word_char(cj) || fold_digit(cj).is_some() {
                    j = nj;
                } else if let Some(d) = at(nj).filter(|&d| {
                    matches!(cj, '\'' | '\u{2019}' | '-' | '\u{2010}')
                        && d.is_alphabetic()
                        && !is_arabic_letter(cj)
                        && !is_arabic_letter(d)
                }) {
                    j = after(nj, d);
                } else {
                    break;
                }
            }
            out.push(Token {
                text: &s[start..j],
                start,
                end: j,
                kind: TokenKind::Word,
            });
            i = j;
        } else {
            let e = after(i, c);
            out.push(Token {
                text: &s[start..e],
                start,
                end: e,
                kind: TokenKind::Punct,
            });
            i = e;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys built without the offset map are the map's text: on every
    /// token and line of the bundled corpora and glossary, and on strings
    /// that need NFC or compatibility decomposition.
    #[test]
    fn keys_without_the_map_are_the_maps_text() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut texts = Vec::new();
        for f in [
            "corpora/udhr.ar.txt",
            "corpora/udhr.en.txt",
            "corpora/un-a-61-trafficking-women-girls-2007.ar.txt",
            "glossaries/un-trafficking-human-rights.csv",
        ] {
            texts.push(std::fs::read_to_string(format!("{root}/{f}")).unwrap());
        }
        let tricky = [
            "حُقُوق",
            "ﻻ ﷺ",
            "ABC Ünited",
            "٢٠٠٧ ۱۲",
            "أإآى ؤئة",
            "x\u{0301}",
            "e\u{0301}t\u{00E9}",
            "ا\u{0653}ي\u{0654}و\u{0655}",
            "co\u{2010}operation \u{2019}s\u{00A0}x",
            "a\u{200C}ب\u{200F}",
            // Kept combining signs in non-canonical order: NFC reorders.
            "ب\u{0610}\u{0618}",
            "a\u{0610}\u{061A}",
        ];
        let mut n = 0;
        for text in texts.iter().map(String::as_str).chain(tricky) {
            let tokens = tokenize(text);
            let pieces = tokens.iter().map(|t| t.text).chain(text.lines());
            for p in pieces {
                for mode in [ArabicMode::Strict, ArabicMode::Loose] {
                    assert_eq!(arabic_key(p, mode), arabic_key_map(p, mode).text, "{p:?}");
                }
                assert_eq!(english_key(p), english_key_map(p).text, "{p:?}");
                n += 1;
            }
        }
        assert!(n > 10_000, "{n}");
        // The tricky strings do take the map's path.
        for p in ["e\u{0301}", "ي\u{0654}", "ب\u{0610}\u{0618}"] {
            assert!(!nfc_inert(p), "{p:?}");
        }
        // Fast-path text that still meets marks: harakat in any order,
        // tatweel, superscript alef.
        for p in ["حُقُوق", "بِّ", "بّـِ", "هٰذا", "ABC ١٢"] {
            assert!(nfc_inert(p), "{p:?}");
            assert_eq!(
                arabic_key(p, ArabicMode::Strict),
                arabic_key_map(p, ArabicMode::Strict).text
            );
        }
    }

    #[test]
    fn arabic_key_table() {
        // (input, strict key, loose key) — words from the seed and the UDHR.
        let table = [
            ("الإنسان", "الانسان", "الانسان"),
            ("ونُظِم", "ونظم", "ونظم"),
            ("ويجسّد", "ويجسد", "ويجسد"),
            ("أُلغيت", "الغيت", "الغيت"),
            ("إسترقاق", "استرقاق", "استرقاق"),
            ("مستوى", "مستوي", "مستوي"),
            ("التربية", "التربية", "التربيه"),
            ("مسؤولية", "مسؤولية", "مسءوليه"),
            ("ـــالاتجار", "الاتجار", "الاتجار"),
            ("\u{200F}الضحايا\u{200E}", "الضحايا", "الضحايا"),
            ("٢٠٠٧", "2007", "2007"),
            ("٩٫٥", "9.5", "9.5"),
            ("۱۹۴۸", "1948", "1948"),
            ("ﻻ", "لا", "لا"),
            ("UNODC", "unodc", "unodc"),
            // More from the seed (A/61/...): harakat, shadda, tanween, hamza seats.
            ("وأُقتِر", "واقتر", "واقتر"),
            ("معرّضون", "معرضون", "معرضون"),
            ("وُجِّه", "وجه", "وجه"),
            ("شرطاً", "شرطا", "شرطا"),
            ("أيضاً", "ايضا", "ايضا"),
            ("إلى", "الي", "الي"),
            ("الإنتربول", "الانتربول", "الانتربول"),
            ("المسؤولين", "المسؤولين", "المسءولين"),
            ("هيئات", "هيئات", "هيءات"),
            ("ضحية", "ضحية", "ضحيه"),
            ("آذار/مارس", "اذار/مارس", "اذار/مارس"),
            ("١٤٤/٦١", "144/61", "144/61"),
            ("٩,٥", "9,5", "9,5"),
            ("١٬٠٠٠", "1,000", "1,000"),
            // Decomposed (NFD) hamza and madda compose first (NFC).
            ("\u{0648}\u{0654}", "ؤ", "ء"),
            ("\u{064A}\u{0654}", "ئ", "ء"),
            ("\u{0627}\u{0654}\u{064E}", "ا", "ا"),
            ("\u{0627}\u{0653}", "ا", "ا"),
            // Presentation forms: ﺍﻟﻀﺤﺎﻳﺎ (isolated/final/medial glyphs).
            (
                "\u{FE8D}\u{FEDF}\u{FEC0}\u{FEA4}\u{FE8E}\u{FEF3}\u{FE8E}",
                "الضحايا",
                "الضحايا",
            ),
            ("\u{FEF7}", "لا", "لا"),
            // Direction marks: RLM, LRM, ALM.
            ("\u{061C}الأمم\u{200F}", "الامم", "الامم"),
        ];
        for (input, strict, loose) in table {
            assert_eq!(
                arabic_key(input, ArabicMode::Strict),
                strict,
                "strict {input}"
            );
            assert_eq!(arabic_key(input, ArabicMode::Loose), loose, "loose {input}");
        }
    }

    #[test]
    fn key_offsets_map_back() {
        let s = "حقوقُ الإنسانِ";
        let k = arabic_key_map(s, ArabicMode::Strict);
        let pos = k.text.find("الانسان").unwrap();
        let r = k.source_range(pos, pos + "الانسان".len());
        assert!(s[r.clone()].starts_with("الإنسان"), "{}", &s[r]);
    }

    #[test]
    fn english_key_folds() {
        for (input, want) in [
            ("Co‐operation", "co-operation"),
            ("Women’s", "women's"),
            ("Human Rights", "human rights"),
            ("UNODC", "unodc"),
            ("Cafe\u{0301}", "café"),
            ("CAFÉ", "café"),
            ("E/2002/68/Add.1", "e/2002/68/add.1"),
            ("\u{200E}Article ١", "article 1"),
        ] {
            assert_eq!(english_key(input), want, "{input}");
        }
    }

    #[test]
    fn nfc_offsets_map_back() {
        // A decomposed hamza composes into one key character that maps back
        // to both original characters.
        let s = "ال\u{0648}\u{0654}لي";
        let k = arabic_key_map(s, ArabicMode::Strict);
        assert_eq!(k.text, "الؤلي");
        let pos = k.text.find('ؤ').unwrap();
        let r = k.source_range(pos, pos + 'ؤ'.len_utf8());
        assert_eq!(&s[r], "\u{0648}\u{0654}");
    }

    #[test]
    fn tokenize_table() {
        use TokenKind::*;
        let table: Vec<(&str, Vec<(&str, TokenKind)>)> = vec![
            (
                "الضحايا، وخاصة",
                vec![("الضحايا", Word), ("،", Punct), ("وخاصة", Word)],
            ),
            (
                "(اليونيسيف)،",
                vec![
                    ("(", Punct),
                    ("اليونيسيف", Word),
                    (")", Punct),
                    ("،", Punct),
                ],
            ),
            (
                "المتاجرين/المجرمين",
                vec![("المتاجرين", Word), ("/", Punct), ("المجرمين", Word)],
            ),
            (
                "تناهز ٩,٥ بلايين دولار.",
                vec![
                    ("تناهز", Word),
                    ("٩,٥", Number),
                    ("بلايين", Word),
                    ("دولار", Word),
                    (".", Punct),
                ],
            ),
            (
                "القرار ١٤٤/٦١، المعنون",
                vec![
                    ("القرار", Word),
                    ("١٤٤/٦١", Number),
                    ("،", Punct),
                    ("المعنون", Word),
                ],
            ),
            (
                "ضحاياه؛ هل؟",
                vec![("ضحاياه", Word), ("؛", Punct), ("هل", Word), ("؟", Punct)],
            ),
            ("معاً ونُظِم", vec![("معاً", Word), ("ونُظِم", Word)]),
            ("بـ ٤٠٠", vec![("بـ", Word), ("٤٠٠", Number)]),
            (
                "آشا - روز",
                vec![("آشا", Word), ("-", Punct), ("روز", Word)],
            ),
            (
                "women’s co‐operation, 9.5",
                vec![
                    ("women’s", Word),
                    ("co‐operation", Word),
                    (",", Punct),
                    ("9.5", Number),
                ],
            ),
            ("", vec![]),
        ];
        for (input, want) in table {
            let got: Vec<(&str, TokenKind)> =
                tokenize(input).iter().map(|t| (t.text, t.kind)).collect();
            assert_eq!(got, want, "{input}");
            for t in tokenize(input) {
                assert_eq!(&input[t.start..t.end], t.text);
            }
        }
    }

    #[test]
    fn tokenize_arabic_punct_and_numbers() {
        let toks = tokenize("من ضحايا الاتجار بالبشر؛ في ارتفاع، ٩,٥ بلايين E/2002/68/Add.1");
        let words: Vec<_> = toks.iter().map(|t| t.text).collect();
        assert!(words.contains(&"؛"));
        assert!(words.contains(&"،"));
        assert!(words.contains(&"٩,٥"));
        assert!(words.contains(&"بالبشر"));
        assert!(words.contains(&"2002/68"));
    }

    #[test]
    fn word_char_fast_paths_agree_with_unicode() {
        // The fast paths must classify exactly as the general rule does.
        let general =
            |c: char| c.is_alphabetic() || is_arabic_mark(c) || c == '\u{200C}' || c == '\u{200D}';
        for c in ('\0'..='\u{07FF}').chain('\u{FB50}'..='\u{FEFF}') {
            assert_eq!(is_word_char(c), general(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn content_len_ignores_harakat() {
        assert_eq!(content_len("ونُظِم"), content_len("ونظم"));
        assert_eq!(content_len("a b"), 2);
    }

    proptest::proptest! {
        // Keys are fixed points: keying a key changes nothing, and the
        // offset map has one entry per key byte plus the end.
        #[test]
        fn keys_are_idempotent(s in "\\PC{0,40}") {
            for mode in [ArabicMode::Strict, ArabicMode::Loose] {
                let k = arabic_key_map(&s, mode);
                proptest::prop_assert_eq!(k.offsets.len(), k.text.len() + 1);
                proptest::prop_assert!(k.offsets.windows(2).all(|w| w[0] <= w[1]));
                proptest::prop_assert_eq!(arabic_key(&k.text, mode), k.text.clone());
            }
            let e = english_key(&s);
            proptest::prop_assert_eq!(english_key(&e), e);
        }

        // Text with no Arabic, no marks and nothing to fold keys to itself
        // in lower case.
        #[test]
        fn plain_latin_only_lowercases(s in "[a-zA-Z0-9 .,;:()/-]{0,40}") {
            proptest::prop_assert_eq!(arabic_key(&s, ArabicMode::Strict), s.to_lowercase());
            proptest::prop_assert_eq!(english_key(&s), s.to_lowercase());
        }
    }

    #[test]
    fn detect() {
        assert_eq!(detect_lang("الجمعية العامة"), Lang::Ar);
        assert_eq!(detect_lang("General Assembly"), Lang::En);
    }
}
