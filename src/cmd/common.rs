//! Flags shared by several subcommands and output handling.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use termalign::pipeline::{InputMode, LoadOptions, PairSpec};
use termalign::read::Encoding;
use termalign::segment::Level;

/// `--encoding`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum EncodingArg {
    /// Detect: BOM, then UTF-8, then windows-1256 with a warning.
    #[default]
    Auto,
    /// UTF-8.
    Utf8,
    /// UTF-16 little-endian.
    Utf16le,
    /// UTF-16 big-endian.
    Utf16be,
    /// windows-1256 (legacy Arabic code page).
    #[value(alias = "windows-1256", alias = "cp1256")]
    Windows1256,
}

impl From<EncodingArg> for Encoding {
    fn from(e: EncodingArg) -> Self {
        match e {
            EncodingArg::Auto => Encoding::Auto,
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Utf16le => Encoding::Utf16Le,
            EncodingArg::Utf16be => Encoding::Utf16Be,
            EncodingArg::Windows1256 => Encoding::Windows1256,
        }
    }
}

/// `--level`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum LevelArg {
    /// Paragraphs.
    #[default]
    Paragraph,
    /// Sentences inside paragraphs.
    Sentence,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Self {
        match l {
            LevelArg::Paragraph => Level::Paragraph,
            LevelArg::Sentence => Level::Sentence,
        }
    }
}

/// `--input`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum InputArg {
    /// Segment as `termalign segment` does.
    #[default]
    Text,
    /// One segment per line (blank lines included).
    Lines,
}

impl From<InputArg> for InputMode {
    fn from(i: InputArg) -> Self {
        match i {
            InputArg::Text => InputMode::Text,
            InputArg::Lines => InputMode::Lines,
        }
    }
}

/// Input of commands that work on aligned pairs: a pair of files or a corpus.
#[derive(Debug, clap::Args)]
pub struct PairInput {
    /// Arabic file (the translation).
    #[arg(required_unless_present_any = ["corpus", "manifest"])]
    pub ar_file: Option<PathBuf>,
    /// English file (the original). Omit for an Arabic-only document.
    pub en_file: Option<PathBuf>,
    /// A corpus directory of `<name>.ar.txt` / `<name>.en.txt` pairs (recursive).
    #[arg(long, conflicts_with_all = ["ar_file", "manifest"])]
    pub corpus: Option<PathBuf>,
    /// A manifest CSV with the columns `doc,ar_path,en_path` (paths relative
    /// to the manifest), for archives named otherwise.
    #[arg(long, conflicts_with = "ar_file")]
    pub manifest: Option<PathBuf>,
    /// Stop at the first bad row or document instead of reporting and skipping it.
    #[arg(long)]
    pub strict: bool,
    /// How the files are segmented.
    #[arg(long, value_enum, default_value_t)]
    pub input: InputArg,
    /// Align paragraphs, or sentences inside aligned paragraphs.
    #[arg(long, value_enum, default_value_t)]
    pub level: LevelArg,
    /// Input encoding.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingArg,
}

impl PairInput {
    /// Documents named by the flags, with discovery diagnostics.
    pub fn specs(&self) -> Result<Vec<PairSpec>> {
        if let Some(m) = &self.manifest {
            let (specs, diags) = termalign::pipeline::read_manifest(m, self.strict)?;
            for d in diags {
                eprintln!("{d}");
            }
            return Ok(specs);
        }
        if let Some(dir) = &self.corpus {
            let (specs, diags) = termalign::pipeline::discover(dir)?;
            for d in diags {
                eprintln!("{d}");
            }
            return Ok(specs);
        }
        let ar = self
            .ar_file
            .clone()
            .context("an Arabic file or --corpus is required")?;
        let name = doc_name(&ar);
        Ok(vec![PairSpec {
            name,
            ar,
            en: self.en_file.clone(),
        }])
    }

    /// Load options from the flags.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            input: self.input.into(),
            level: self.level.into(),
            encoding: self.encoding.into(),
            ..LoadOptions::default()
        }
    }
}

/// Document name from a path: file name without `.ar.txt`, `.en.txt`, `.txt`.
pub fn doc_name(p: &Path) -> String {
    let f = p
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    for suf in [".ar.txt", ".en.txt", ".txt"] {
        if let Some(s) = f.strip_suffix(suf) {
            return s.to_string();
        }
    }
    f
}

/// Write to `-o PATH` atomically, or to stdout when no path (or `-`) is given.
pub fn with_output<F>(out: Option<&Path>, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    match out {
        Some(p) if p != Path::new("-") => {
            termalign::output::write_atomic(p, fill)?;
        }
        _ => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            fill(&mut lock).context("writing to standard output")?;
            lock.flush().context("writing to standard output")?;
        }
    }
    Ok(())
}

/// Load a glossary, printing its diagnostics (skipped rows) to stderr.
pub fn load_glossary(path: &Path, strict: bool) -> Result<termalign::glossary::Glossary> {
    let (g, diags) = termalign::glossary::load(path, strict)?;
    for d in diags {
        eprintln!("{d}");
    }
    Ok(g)
}

/// Load and align the documents named by the input flags, with the
/// glossary's pairs (if any) as the aligner's dictionary. A document that
/// cannot be read is reported and skipped while the rest runs, unless
/// `--strict`; the number skipped is returned so the command can exit 2.
pub fn load_docs(
    input: &PairInput,
    g: Option<&termalign::glossary::Glossary>,
) -> Result<(Vec<termalign::model::AlignedDoc>, usize)> {
    let mut opts = input.load_options();
    if let Some(g) = g {
        opts.align.dictionary = termalign::align::AlignDictionary::new(&g.dictionary_pairs());
    }
    load_with(input, &opts)
}

/// As [`load_docs`], with explicit load options.
pub fn load_with(
    input: &PairInput,
    opts: &LoadOptions,
) -> Result<(Vec<termalign::model::AlignedDoc>, usize)> {
    let specs = input.specs()?;
    let mut docs = Vec::with_capacity(specs.len());
    let mut failed = 0;
    for r in termalign::pipeline::load_all(&specs, opts) {
        match r {
            Ok((doc, diags)) => {
                for d in diags {
                    eprintln!("{d}");
                }
                docs.push(doc);
            }
            Err(e) if input.strict || specs.len() == 1 => return Err(e.into()),
            Err(e) => {
                eprintln!("termalign: error: {e} (document skipped)");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "termalign: {failed} of {} documents skipped because of errors",
            specs.len()
        );
    }
    Ok((docs, failed))
}

/// The exit code of a command: 2 if documents were skipped, else `code`.
pub fn exit_code(failed: usize, code: ExitCode) -> ExitCode {
    if failed > 0 {
        ExitCode::from(2)
    } else {
        code
    }
}
