//! `termalign segment FILE`: print a document's segments.
//!
//! JSON Lines: `index` (0-based), `kind` (`meta`, `heading`, `paragraph`),
//! `number` (UN paragraph number as ASCII digits, or null), `text` (the
//! displayed text, line wraps joined with one space) and, with
//! `--level sentence`, `parent` (index of the paragraph the sentence comes
//! from). TSV: the same fields in that order, `parent` before `text`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use termalign::model::{Lang, SegKind, Segment};
use termalign::{normalize, read, segment};

use super::common::{with_output, EncodingArg, LevelArg};

/// Arguments of `segment`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text file to segment (`-`: standard input).
    pub file: PathBuf,
    /// Language of the file.
    #[arg(long, value_enum, default_value_t = LangArg::Auto)]
    pub lang: LangArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Paragraphs, or sentences inside paragraphs.
    #[arg(long, value_enum, default_value_t)]
    pub level: LevelArg,
    /// Input encoding.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingArg,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Detect from the letters.
    Auto,
    /// Arabic.
    Ar,
    /// English.
    En,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON Lines: index, kind, number, text (and parent for sentences).
    Jsonl,
    /// Tab-separated: index, kind, number, (parent,) text; no header.
    Tsv,
}

/// Run `segment`.
pub fn run(args: Args) -> Result<ExitCode> {
    let dec = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| termalign::Error::io("<stdin>", e))?;
        read::decode(
            &bytes,
            std::path::Path::new("<stdin>"),
            args.encoding.into(),
        )?
    } else {
        read::read_text(&args.file, args.encoding.into())?
    };
    for d in &dec.diagnostics {
        eprintln!("{d}");
    }
    let lang = match args.lang {
        LangArg::Ar => Lang::Ar,
        LangArg::En => Lang::En,
        LangArg::Auto => normalize::detect_lang(&dec.text),
    };
    let level: segment::Level = args.level.into();
    let sentences = level == segment::Level::Sentence;
    let format = args.format;
    // Segments are written as they are finished (streaming).
    with_output(args.output.as_deref(), |w| {
        segment::for_each_segment(&dec.text, lang, level, |s| {
            write_row(w, &s, format, sentences)
        })
    })?;
    Ok(ExitCode::SUCCESS)
}

fn write_row(
    w: &mut dyn std::io::Write,
    s: &Segment,
    format: Format,
    sentences: bool,
) -> std::io::Result<()> {
    match format {
        Format::Jsonl => {
            let row = Row {
                index: s.index,
                kind: s.kind,
                number: s.number.as_deref(),
                parent: s.parent.filter(|_| sentences),
                text: &s.text,
            };
            serde_json::to_writer(&mut *w, &row)?;
            w.write_all(b"\n")
        }
        Format::Tsv => {
            write!(w, "{}\t{}\t", s.index, kind_name(s.kind))?;
            write!(w, "{}\t", s.number.as_deref().unwrap_or(""))?;
            if sentences {
                write!(
                    w,
                    "{}\t",
                    s.parent.map(|p| p.to_string()).unwrap_or_default()
                )?;
            }
            if s.text.contains(['\t', '\n', '\r']) {
                w.write_all(s.text.replace(['\t', '\n', '\r'], " ").as_bytes())?;
            } else {
                w.write_all(s.text.as_bytes())?;
            }
            w.write_all(b"\n")
        }
    }
}

/// One JSON Lines record (borrows the segment: no copy of the text).
#[derive(serde::Serialize)]
struct Row<'a> {
    index: usize,
    kind: SegKind,
    number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<usize>,
    text: &'a str,
}

fn kind_name(k: SegKind) -> &'static str {
    match k {
        SegKind::Meta => "meta",
        SegKind::Heading => "heading",
        SegKind::Paragraph => "paragraph",
        SegKind::Footnote => "footnote",
    }
}
