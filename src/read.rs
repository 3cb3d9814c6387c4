//! Reading text files: encoding detection and decoding.
//!
//! [`read_text`] turns the bytes of a file into a `String` with LF line
//! endings, or a typed [`Error`] naming the file (and the line, where there
//! is one). What is accepted:
//!
//! - UTF-8, with or without a byte-order mark;
//! - UTF-16 little- or big-endian with a BOM, and UTF-16LE/BE without a BOM
//!   when the NUL bytes fall in the pattern of UTF-16 text (a warning says so);
//! - windows-1256 (the legacy Arabic code page), by [`Encoding::Windows1256`]
//!   or detected when the bytes are not UTF-8 but decode as cp1256 to text
//!   that is mostly Arabic (a warning says so).
//!
//! CRLF and lone CR become LF. Errors: a missing or unreadable file
//! ([`Error::Io`]), bytes invalid in the encoding or a binary file (NUL
//! bytes in a file that is not UTF-16) ([`Error::Decode`], with the line of
//! the first bad byte), an empty or whitespace-only file ([`Error::Empty`]).

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::normalize::is_arabic_letter;

/// Text encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Detect from BOM and content.
    #[default]
    Auto,
    /// UTF-8 (BOM optional).
    Utf8,
    /// UTF-16 little-endian.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// windows-1256, the legacy Arabic code page.
    Windows1256,
}

impl Encoding {
    /// Conventional name (as `--encoding` spells it).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1256 => "windows-1256",
        }
    }
}

/// Decoded text with what was learnt on the way.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, BOM removed, every line ending (CRLF, lone CR) turned into LF.
    pub text: String,
    /// Encoding actually used.
    pub encoding: Encoding,
    /// Non-fatal notes (guessed encoding…).
    pub diagnostics: Vec<Diagnostic>,
}

/// Read and decode a text file.
pub fn read_text(path: &Path, enc: Encoding) -> Result<Decoded> {
    let mut bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    // Fast path, no copy: clean UTF-8 (the usual case) becomes the String.
    if matches!(enc, Encoding::Auto | Encoding::Utf8)
        && !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && !bytes.contains(&0)
    {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => return finish(text, Encoding::Utf8, Vec::new(), path),
            Err(e) => bytes = e.into_bytes(),
        }
    }
    decode(&bytes, path, enc)
}

/// Decode bytes that came from `path` (used in messages).
pub fn decode(bytes: &[u8], path: &Path, enc: Encoding) -> Result<Decoded> {
    let mut diagnostics = Vec::new();
    let (text, used) = match enc {
        Encoding::Auto => decode_auto(bytes, path, &mut diagnostics)?,
        Encoding::Utf8 => (decode_utf8(strip_utf8_bom(bytes), path)?, Encoding::Utf8),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let body = match (enc, bytes) {
                (Encoding::Utf16Le, [0xFF, 0xFE, rest @ ..]) => rest,
                (Encoding::Utf16Be, [0xFE, 0xFF, rest @ ..]) => rest,
                _ => bytes,
            };
            (decode_utf16(body, enc == Encoding::Utf16Le, path)?, enc)
        }
        Encoding::Windows1256 => {
            let body = strip_utf8_bom(bytes);
            check_no_nul(body, path)?;
            (decode_1256(body), Encoding::Windows1256)
        }
    };
    finish(text, used, diagnostics, path)
}

/// Checks and line endings common to every encoding.
fn finish(
    text: String,
    used: Encoding,
    diagnostics: Vec<Diagnostic>,
    path: &Path,
) -> Result<Decoded> {
    check_text(&text, path)?;
    let text = normalize_newlines(text);
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Decoded {
        text,
        encoding: used,
        diagnostics,
    })
}

fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Invisible characters that do not make a file non-empty.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2060}'
    )
}

fn decode_auto(
    bytes: &[u8],
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<(String, Encoding)> {
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => return Ok((decode_utf8(rest, path)?, Encoding::Utf8)),
        [0xFF, 0xFE, rest @ ..] => {
            return Ok((decode_utf16(rest, true, path)?, Encoding::Utf16Le));
        }
        [0xFE, 0xFF, rest @ ..] => {
            return Ok((decode_utf16(rest, false, path)?, Encoding::Utf16Be));
        }
        _ => {}
    }
    if let Some(le) = utf16_without_bom(bytes) {
        let enc = if le {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        let text = decode_utf16(bytes, le, path)?;
        diags.push(Diagnostic {
            path: path.to_path_buf(),
            line: None,
            msg: format!(
                "no byte-order mark; NUL-byte pattern says {}, decoded as such (use --encoding to override)",
                enc.name()
            ),
        });
        return Ok((text, enc));
    }
    check_no_nul(bytes, path)?;
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => {
            let line = line_of_byte(bytes, e.valid_up_to());
            let text = decode_1256(bytes);
            if looks_arabic(&text) {
                diags.push(Diagnostic {
                    path: path.to_path_buf(),
                    line: Some(line),
                    msg: "not valid UTF-8; decoded as windows-1256 (Arabic) \
                          (use --encoding to override)"
                        .into(),
                });
                Ok((text, Encoding::Windows1256))
            } else {
                Err(invalid_utf8(path, line))
            }
        }
    }
}

fn invalid_utf8(path: &Path, line: usize) -> Error {
    Error::Decode {
        path: path.to_path_buf(),
        line: Some(line),
        msg: "invalid UTF-8 (and not windows-1256 Arabic); \
              give the encoding with --encoding"
            .into(),
    }
}

fn decode_utf8(bytes: &[u8], path: &Path) -> Result<String> {
    check_no_nul(bytes, path)?;
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(Error::Decode {
            path: path.to_path_buf(),
            line: Some(line_of_byte(bytes, e.valid_up_to())),
            msg: "invalid UTF-8".into(),
        }),
    }
}

fn decode_1256(bytes: &[u8]) -> String {
    // windows-1256 maps every byte: decoding cannot fail.
    let (text, _, _) = encoding_rs::WINDOWS_1256.decode(bytes);
    text.into_owned()
}

fn decode_utf16(bytes: &[u8], le: bool, path: &Path) -> Result<String> {
    let name = if le { "UTF-16LE" } else { "UTF-16BE" };
    let chunks = bytes.chunks_exact(2);
    let odd = !chunks.remainder().is_empty();
    let units = chunks.map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2 * 3);
    let mut line = 1usize;
    let mut prev_cr = false;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => {
                if (c == '\n' && !prev_cr) || c == '\r' {
                    line += 1;
                }
                prev_cr = c == '\r';
                out.push(c);
            }
            Err(_) => {
                return Err(Error::Decode {
                    path: path.to_path_buf(),
                    line: Some(line),
                    msg: format!("invalid {name}: unpaired surrogate"),
                })
            }
        }
    }
    if odd {
        return Err(Error::Decode {
            path: path.to_path_buf(),
            line: Some(line),
            msg: format!("invalid {name}: odd number of bytes"),
        });
    }
    Ok(out)
}

/// Guess UTF-16 without a BOM from where the NUL bytes fall: text in
/// UTF-16LE has NUL high bytes (odd offsets) for every ASCII character
/// (spaces, newlines, digits, Latin letters) and almost never a NUL low
/// byte. Returns `Some(true)` for LE, `Some(false)` for BE.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let pairs = sample.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for p in sample.chunks_exact(2) {
        even_nul += usize::from(p[0] == 0);
        odd_nul += usize::from(p[1] == 0);
    }
    // At least a tenth of the characters ASCII, and the other half of the
    // pairs (nearly) never NUL.
    let pattern = |hit: usize, miss: usize| hit * 10 >= pairs && miss * 100 <= pairs;
    if pattern(odd_nul, even_nul) {
        Some(true)
    } else if pattern(even_nul, odd_nul) {
        Some(false)
    } else {
        None
    }
}

/// A text that windows-1256 turned into Arabic: most non-ASCII characters
/// are Arabic letters, marks or punctuation, and there is a fair number of
/// Arabic letters. Judged on the first million characters.
fn looks_arabic(text: &str) -> bool {
    let (mut non_ascii, mut arabic, mut letters) = (0usize, 0usize, 0usize);
    for c in text.chars().take(1 << 20) {
        if !c.is_ascii() {
            non_ascii += 1;
            if is_arabic_letter(c) {
                letters += 1;
                arabic += 1;
            } else if matches!(
                c,
                '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{0640}' | '\u{064B}'..='\u{0652}'
            ) {
                arabic += 1;
            }
        }
    }
    non_ascii > 0 && arabic * 10 >= non_ascii * 8 && letters >= 3
}

fn check_no_nul(bytes: &[u8], path: &Path) -> Result<()> {
    if !bytes.contains(&0) {
        return Ok(()); // memchr: fast on the usual, clean file
    }
    match bytes.iter().position(|&b| b == 0) {
        Some(i) => Err(binary(path, line_of_byte(bytes, i))),
        None => Ok(()),
    }
}

fn binary(path: &Path, line: usize) -> Error {
    Error::Decode {
        path: path.to_path_buf(),
        line: Some(line),
        msg: "binary file (NUL byte), not text".into(),
    }
}

/// Decoded text must not hold NUL or other control characters that only
/// binary data has (tab, LF, CR, vertical tab and form feed are text).
/// Control characters are ASCII, so the UTF-8 bytes are scanned directly.
fn check_text(text: &str, path: &Path) -> Result<()> {
    let bytes = text.as_bytes();
    let is_bad = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
    // Branch-free scan of each block (vectorises), exact search only in a
    // block that has a bad byte.
    let bad = bytes.chunks(4096).enumerate().find_map(|(k, chunk)| {
        let any = chunk.iter().fold(false, |acc, &b| acc | is_bad(b));
        if any {
            chunk.iter().position(|&b| is_bad(b)).map(|i| k * 4096 + i)
        } else {
            None
        }
    });
    match bad {
        None => Ok(()),
        Some(i) if bytes[i] == 0 => Err(binary(path, line_of_byte(bytes, i))),
        Some(i) => Err(Error::Decode {
            path: path.to_path_buf(),
            line: Some(line_of_byte(bytes, i)),
            msg: "binary file (control characters), not text".into(),
        }),
    }
}

/// 1-based line of byte `pos` (LF, CRLF and lone CR each end a line).
fn line_of_byte(bytes: &[u8], pos: usize) -> usize {
    let head = &bytes[..pos.min(bytes.len())];
    let mut line = 1;
    for (i, &b) in head.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && head.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    line
}

/// CRLF and lone CR to LF; a BOM left inside the text (after decoding) is
/// dropped at the start.
fn normalize_newlines(text: String) -> String {
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(t) => t.to_string(),
        None => text,
    };
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\r' {
            if it.peek() == Some(&'\n') {
                it.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("t.txt")
    }

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    // windows-1256 has no Arabic-Indic digits: legacy files carry ASCII digits.
    const AR: &str = "1 - نظمت البعثتان الدائمتان لبيلاروس والفلبين لدى الأمم المتحدة،\r\nومكتب الأمم المتحدة المعني بالمخدرات والجريمة.\r\n";
    const AR_LF: &str = "1 - نظمت البعثتان الدائمتان لبيلاروس والفلبين لدى الأمم المتحدة،\nومكتب الأمم المتحدة المعني بالمخدرات والجريمة.\n";

    #[test]
    fn encodings_table() {
        let (cp, _, unmappable) = encoding_rs::WINDOWS_1256.encode(AR);
        assert!(!unmappable);
        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend(AR.as_bytes());
        // (bytes, requested, expected encoding, expect a warning)
        let table: Vec<(Vec<u8>, Encoding, Encoding, bool)> = vec![
            (
                AR.as_bytes().to_vec(),
                Encoding::Auto,
                Encoding::Utf8,
                false,
            ),
            (bom8.clone(), Encoding::Auto, Encoding::Utf8, false),
            (bom8, Encoding::Utf8, Encoding::Utf8, false),
            (
                utf16(AR, true, true),
                Encoding::Auto,
                Encoding::Utf16Le,
                false,
            ),
            (
                utf16(AR, false, true),
                Encoding::Auto,
                Encoding::Utf16Be,
                false,
            ),
            (
                utf16(AR, true, false),
                Encoding::Auto,
                Encoding::Utf16Le,
                true,
            ),
            (
                utf16(AR, false, false),
                Encoding::Auto,
                Encoding::Utf16Be,
                true,
            ),
            (
                utf16(AR, true, false),
                Encoding::Utf16Le,
                Encoding::Utf16Le,
                false,
            ),
            (
                utf16(AR, false, true),
                Encoding::Utf16Be,
                Encoding::Utf16Be,
                false,
            ),
            (cp.to_vec(), Encoding::Auto, Encoding::Windows1256, true),
            (
                cp.to_vec(),
                Encoding::Windows1256,
                Encoding::Windows1256,
                false,
            ),
        ];
        for (i, (bytes, req, want, warn)) in table.into_iter().enumerate() {
            let d = decode(&bytes, p(), req).unwrap_or_else(|e| panic!("row {i}: {e}"));
            assert_eq!(d.text, AR_LF, "row {i}");
            assert_eq!(d.encoding, want, "row {i}");
            assert_eq!(
                !d.diagnostics.is_empty(),
                warn,
                "row {i}: {:?}",
                d.diagnostics
            );
        }
    }

    #[test]
    fn line_endings() {
        for (input, want) in [
            ("a\r\nb\r\n", "a\nb\n"),
            ("a\rb\r", "a\nb\n"),
            ("a\r\r\nb", "a\n\nb"),
            ("a\nb", "a\nb"),
        ] {
            assert_eq!(
                decode(input.as_bytes(), p(), Encoding::Auto).unwrap().text,
                want
            );
        }
    }

    #[test]
    fn bad_inputs_table() {
        // (bytes, encoding, expected line, message fragment)
        let table: Vec<(&[u8], Encoding, Option<usize>, &str)> = vec![
            (
                b"ok\nline two\n\x00\x01\x02\x03binary",
                Encoding::Auto,
                Some(3),
                "binary",
            ),
            (
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                Encoding::Auto,
                Some(3),
                "binary",
            ),
            (
                b"hello\nw\xFFrld\n",
                Encoding::Auto,
                Some(2),
                "invalid UTF-8",
            ),
            (
                b"one\ntwo\n\xC3\x28",
                Encoding::Utf8,
                Some(3),
                "invalid UTF-8",
            ),
            (b"ab\x01cd", Encoding::Auto, Some(1), "control"),
        ];
        for (bytes, enc, line, frag) in table {
            match decode(bytes, p(), enc) {
                Err(Error::Decode { line: l, msg, .. }) => {
                    assert_eq!(l, line, "{bytes:?}");
                    assert!(msg.contains(frag), "{msg}");
                }
                other => panic!("{bytes:?}: expected a decode error, got {other:?}"),
            }
        }
        for empty in [
            &b""[..],
            b"   \n\r\n\t ",
            b"\xEF\xBB\xBF\n",
            b"\xFF\xFE \x00\n\x00",
        ] {
            assert!(
                matches!(decode(empty, p(), Encoding::Auto), Err(Error::Empty { .. })),
                "{empty:?}"
            );
        }
        let odd = [0xFF, 0xFE, b'a', 0, b'b'];
        assert!(matches!(
            decode(&odd, p(), Encoding::Auto),
            Err(Error::Decode { .. })
        ));
        let lone = utf16("a", true, true)
            .into_iter()
            .chain([0x00, 0xD8, b'b', 0])
            .collect::<Vec<_>>();
        assert!(matches!(
            decode(&lone, p(), Encoding::Auto),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn latin1_is_not_taken_for_arabic() {
        // "Café résumé" in Latin-1: invalid UTF-8, and cp1256 does not make it Arabic.
        let bytes = b"Caf\xE9 r\xE9sum\xE9 na\xEFve \xFC\xF1\xEE";
        assert!(matches!(
            decode(bytes, p(), Encoding::Auto),
            Err(Error::Decode { .. })
        ));
    }
}
