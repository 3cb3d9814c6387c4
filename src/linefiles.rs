//! Line files (`--input lines`) aligned in bounded memory.
//!
//! [`align_line_files`] reads each file once, line by line, keeping only
//! the features of the lines ([`crate::align::stream::LineSide`]), aligns
//! them, and [`write_line_beads`] reads both files again in step to write
//! one record per bead: beads are monotone, so each file is read
//! sequentially (the two files side by side) and the text of at most
//! 4096 beads (`WRITE_BEADS`) is held at a time; a file
//! whose bytes differ between the two reads (compared by hash) is an
//! error, whatever its line count. The output
//! is byte for byte that of the in-memory path
//! ([`crate::pipeline::load_pair`] then
//! [`crate::export::write_aligned_jsonl`] / [`crate::export::write_aligned_tsv`]).
//!
//! Only plain files of clean UTF-8 are streamed. Anything else the reader
//! of [`crate::read`] treats specially — another encoding, a UTF-16 or
//! windows-1256 guess, control or NUL bytes, a lone carriage return, a
//! file with no text — makes [`align_line_files`] return `Ok(None)`, and
//! the caller uses the in-memory path, which decodes the file or reports
//! the error with its file and line exactly as before. A FIFO or other
//! non-regular file (which cannot be read twice) also goes that way.

use std::fs::File;
use std::hash::Hasher;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::align::stream::{align_lines, LineAlignment, LineSide};
use crate::align::{AlignOptions, FxHasher};
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::read::Encoding;

/// Lines handed to the feature builder at a time.
const BATCH_LINES: usize = 16_384;
/// Bytes of text handed to the feature builder at a time (at most).
const BATCH_BYTES: usize = 8 << 20;

/// One line of a file, or why the file must take the in-memory path.
enum Step<'a> {
    Line(&'a str),
    Eof,
    /// Not plain UTF-8 text as the streaming reader accepts it.
    Unusual,
}

/// Reads a UTF-8 file line by line with the line semantics of
/// [`crate::read::read_text`] followed by [`crate::segment::segment_lines`]:
/// a leading byte-order mark dropped, LF or CRLF ending a line, a last line
/// without an ending kept, no extra line after a final newline.
struct LineReader {
    path: PathBuf,
    rdr: BufReader<File>,
    buf: Vec<u8>,
    /// Lines read so far (the 1-based number of the last one).
    line: usize,
    /// Whether any line had text (not only whitespace or invisible marks).
    nonblank: bool,
    /// Hash of the bytes read so far, line endings included: the second
    /// read must see the same file as the first.
    hash: FxHasher,
}

impl LineReader {
    fn open(path: &Path) -> Result<LineReader> {
        let f = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(LineReader {
            path: path.to_path_buf(),
            rdr: BufReader::with_capacity(1 << 20, f),
            buf: Vec::new(),
            line: 0,
            nonblank: false,
            hash: FxHasher::default(),
        })
    }

    fn next_line(&mut self) -> Result<Step<'_>> {
        self.buf.clear();
        let k = self
            .rdr
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::io(&self.path, e))?;
        if k == 0 {
            return Ok(Step::Eof);
        }
        self.hash.write(&self.buf);
        self.line += 1;
        let mut b = &self.buf[..];
        if let Some(r) = b.strip_suffix(b"\n") {
            b = r.strip_suffix(b"\r").unwrap_or(r);
        }
        if self.line == 1 {
            // The reader drops a byte-order mark, then one more U+FEFF at
            // the start of the decoded text.
            for _ in 0..2 {
                b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
            }
        }
        // Control bytes other than tab, VT and FF (NUL, a lone CR…) need
        // the checks or the line-ending rules of the in-memory reader.
        if b.iter()
            .any(|&c| c < 0x20 && !matches!(c, b'\t' | 0x0B | 0x0C))
        {
            return Ok(Step::Unusual);
        }
        let Ok(s) = std::str::from_utf8(b) else {
            return Ok(Step::Unusual);
        };
        if !self.nonblank
            && s.chars()
                .any(|c| !c.is_whitespace() && !crate::read::is_invisible(c))
        {
            self.nonblank = true;
        }
        Ok(Step::Line(s))
    }
}

/// Read one side's features and the hash of the file's bytes, or `None`
/// when the file needs the in-memory reader.
fn read_side(path: &Path, lang: Lang) -> Result<Option<(LineSide, u64)>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Ok(None);
    }
    let mut rd = LineReader::open(path)?;
    let mut side = LineSide::new(lang);
    let mut text = String::new();
    let mut ends: Vec<usize> = Vec::with_capacity(BATCH_LINES);
    let flush = |side: &mut LineSide, text: &mut String, ends: &mut Vec<usize>| {
        let mut start = 0;
        let lines: Vec<&str> = ends
            .iter()
            .map(|&e| {
                let l = &text[start..e];
                start = e;
                l
            })
            .collect();
        side.push_lines(&lines);
        text.clear();
        ends.clear();
    };
    loop {
        match rd.next_line()? {
            Step::Line(l) => {
                text.push_str(l);
                ends.push(text.len());
            }
            Step::Eof => break,
            Step::Unusual => return Ok(None),
        }
        if ends.len() >= BATCH_LINES || text.len() >= BATCH_BYTES {
            flush(&mut side, &mut text, &mut ends);
        }
    }
    flush(&mut side, &mut text, &mut ends);
    Ok(rd.nonblank.then_some((side, rd.hash.finish())))
}

/// The alignment of two line files, and what the files held when they
/// were read (so that [`write_line_beads`] can tell if they changed).
pub struct AlignedLines {
    /// Beads and warnings.
    pub alignment: LineAlignment,
    /// Hashes of the Arabic and English files' bytes.
    hashes: [u64; 2],
}

/// Align two line files (`--input lines`, paragraph level) without holding
/// their text: `Ok(None)` when either file is not a plain file of clean
/// UTF-8 (or `enc` is neither auto nor UTF-8), in which case the caller
/// uses the in-memory path. Errors (a missing file) name the file, the
/// Arabic one first.
pub fn align_line_files(
    ar: &Path,
    en: &Path,
    enc: Encoding,
    opts: &AlignOptions,
) -> Result<Option<AlignedLines>> {
    if !matches!(enc, Encoding::Auto | Encoding::Utf8) {
        return Ok(None);
    }
    let mut t = std::time::Instant::now();
    let (a, e) = rayon::join(|| read_side(ar, Lang::Ar), || read_side(en, Lang::En));
    let Some((a, ha)) = a? else { return Ok(None) };
    let Some((e, he)) = e? else { return Ok(None) };
    if std::env::var_os("TERMALIGN_DEBUG").is_some() {
        eprintln!("align: streamed features {:.3}s", t.elapsed().as_secs_f64());
    }
    t = std::time::Instant::now();
    let al = align_lines(a, e, opts);
    if std::env::var_os("TERMALIGN_DEBUG").is_some() {
        eprintln!("align: aligned {:.3}s", t.elapsed().as_secs_f64());
    }
    Ok(Some(AlignedLines {
        alignment: al,
        hashes: [ha, he],
    }))
}

/// Beads whose text [`write_line_beads`] reads (each file on its own
/// thread) and formats (in parallel pieces) at a time: bounded memory,
/// records written in order.
const WRITE_BEADS: usize = 4096;
/// Beads formatted by one task of [`write_line_beads`].
const FORMAT_BEADS: usize = 256;

/// Output format of [`write_line_beads`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    /// As [`crate::export::write_aligned_jsonl`].
    Jsonl,
    /// As [`crate::export::write_aligned_tsv`].
    Tsv,
}

/// Write the beads of `al` (an alignment of the files `ar` and `en` by
/// [`align_line_files`]) as records of document `doc`, reading the texts
/// from the files again, in step. A file whose bytes differ from the first
/// read (even with the same lines count) is an error. Errors writing to `w` are returned as
/// they are (so a broken pipe stays one); a problem reading the inputs (a
/// file that no longer matches the alignment) is an I/O error wrapping the
/// [`Error`] that names the file and line.
pub fn write_line_beads(
    w: &mut dyn Write,
    doc: &str,
    ar: &Path,
    en: &Path,
    al: &AlignedLines,
    format: LineFormat,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let inp = std::io::Error::other;
    let mut ra = LineReader::open(ar).map_err(inp)?;
    let mut re = LineReader::open(en).map_err(inp)?;
    for batch in al.alignment.beads.chunks(WRITE_BEADS) {
        let (ta, te) = rayon::join(
            || batch_texts(&mut ra, batch.iter().map(|b| b.ar.clone())),
            || batch_texts(&mut re, batch.iter().map(|b| b.en.clone())),
        );
        let (ta, te) = (ta.map_err(inp)?, te.map_err(inp)?);
        let parts = batch
            .par_chunks(FORMAT_BEADS)
            .zip(ta.par_chunks(FORMAT_BEADS))
            .zip(te.par_chunks(FORMAT_BEADS))
            .map(|((beads, ta), te)| -> std::io::Result<Vec<u8>> {
                let mut buf = Vec::new();
                let (mut ia, mut ie) = (Vec::new(), Vec::new());
                for ((b, x), y) in beads.iter().zip(ta).zip(te) {
                    ia.clear();
                    ia.extend(b.ar.clone());
                    ie.clear();
                    ie.extend(b.en.clone());
                    match format {
                        LineFormat::Jsonl => {
                            crate::export::write_bead_jsonl(&mut buf, doc, &ia, &ie, b.score, x, y)?
                        }
                        LineFormat::Tsv => {
                            crate::export::write_bead_tsv(&mut buf, &ia, &ie, b.score, x, y)?
                        }
                    }
                }
                Ok(buf)
            })
            .collect::<std::io::Result<Vec<Vec<u8>>>>()?;
        for p in parts {
            w.write_all(&p)?;
        }
    }
    for (rd, first) in [(&mut ra, al.hashes[0]), (&mut re, al.hashes[1])] {
        if !matches!(rd.next_line().map_err(inp)?, Step::Eof) {
            return Err(inp(changed(rd, Some(rd.line), "")));
        }
        if rd.hash.finish() != first {
            return Err(inp(changed(
                rd,
                None,
                " (its text differs from the first read)",
            )));
        }
    }
    Ok(())
}

/// The error of a file that changed between its two reads, at `line`
/// when the change shows at one.
fn changed(rd: &LineReader, line: Option<usize>, detail: &str) -> Error {
    Error::Decode {
        path: rd.path.clone(),
        line,
        msg: format!("the file changed while it was being aligned{detail}"),
    }
}

/// The text of each of `ranges` (consecutive, the next lines of the
/// reader), as [`join_lines`] joins it.
fn batch_texts(
    rd: &mut LineReader,
    ranges: impl Iterator<Item = std::ops::Range<usize>>,
) -> Result<Vec<String>> {
    ranges
        .map(|r| {
            let mut s = String::new();
            join_lines(rd, r, &mut s)?;
            Ok(s)
        })
        .collect()
}

/// The lines `range` (the next ones of the reader) joined by one space.
fn join_lines(rd: &mut LineReader, range: std::ops::Range<usize>, out: &mut String) -> Result<()> {
    out.clear();
    if range.start != rd.line {
        return Err(changed(rd, Some(rd.line), ""));
    }
    for _ in range {
        match rd.next_line()? {
            Step::Line(l) => {
                // As `AlignedDoc::ar_text`: a space only after some text.
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(l);
            }
            _ => return Err(changed(rd, Some(rd.line), "")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of a file by the streaming reader, `None` if it declines
    /// the file (unusual bytes, or no text at all).
    fn stream_lines(path: &Path) -> Option<Vec<String>> {
        let mut rd = LineReader::open(path).unwrap();
        let mut out = Vec::new();
        loop {
            match rd.next_line().unwrap() {
                Step::Line(l) => out.push(l.to_string()),
                Step::Eof => break,
                Step::Unusual => return None,
            }
        }
        rd.nonblank.then_some(out)
    }

    /// The streaming reader splits exactly as the in-memory reader and
    /// `segment_lines` do, or declines the file.
    #[test]
    fn lines_as_the_in_memory_reader_reads_them() {
        let ok: &[&[u8]] = &[
            "حقوق الإنسان\nHuman rights\n".as_bytes(),
            b"one\r\ntwo\r\nthree",
            "\u{feff}first\n\nthird\n\n".as_bytes(),
            "\u{feff}\u{feff}x\n".as_bytes(),
            b"\n\n x\n",
            b"tab\there\x0bvt\x0cff\n",
            "\u{200f}١ - نص\n".as_bytes(),
        ];
        let declined: &[&[u8]] = &[
            b"lone\rcarriage return\n",
            b"trailing cr\r",
            b"a\0b\n",
            b"ctl\x01\n",
            b"\xff\xfe\x41\x00",
            b"caf\xe9\n",
            b" \n\t\n",
            "\u{200f}\n\u{feff}\n".as_bytes(),
            b"",
        ];
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt");
        for bytes in ok {
            std::fs::write(&p, bytes).unwrap();
            let want: Vec<String> = crate::segment::segment_lines(
                &crate::read::read_text(&p, Encoding::Auto).unwrap().text,
            )
            .into_iter()
            .map(|s| s.text)
            .collect();
            assert_eq!(stream_lines(&p), Some(want), "{bytes:?}");
        }
        for bytes in declined {
            std::fs::write(&p, bytes).unwrap();
            assert_eq!(stream_lines(&p), None, "{bytes:?}");
        }
    }

    /// A device or a directory cannot be read twice (or at all) as a line
    /// file: the in-memory reader takes it (and reports the error). The
    /// same `is_file` test declines a FIFO (the integration test
    /// `fifos_are_read_once_and_align_like_plain_files`).
    #[test]
    fn non_regular_files_are_not_streamed() {
        let dir = tempfile::tempdir().unwrap();
        let en = dir.path().join("e.txt");
        std::fs::write(&en, "One.\n").unwrap();
        let opts = AlignOptions::default();
        let mut others = vec![dir.path().to_path_buf()];
        if cfg!(unix) {
            others.push(PathBuf::from("/dev/null"));
        }
        for p in others {
            let r = align_line_files(&p, &en, Encoding::Auto, &opts).unwrap();
            assert!(r.is_none(), "{}", p.display());
        }
        // Other encodings are never streamed.
        let r = align_line_files(&en, &en, Encoding::Windows1256, &opts).unwrap();
        assert!(r.is_none());
    }
}
