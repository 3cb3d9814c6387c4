//! Typed library errors carrying the file (and line) they concern.

use std::path::{Path, PathBuf};

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error the library reports. Each names the file it concerns and,
/// where there is one, the 1-based line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Bytes that are not valid in the file's encoding, or a binary file.
    #[error("{}{}: {msg}", path.display(), line_suffix(*line))]
    Decode {
        /// File concerned.
        path: PathBuf,
        /// 1-based line of the first bad byte, if known.
        line: Option<usize>,
        /// What is wrong.
        msg: String,
    },
    /// The file is empty or holds only whitespace.
    #[error("{}: file is empty (no text to read)", path.display())]
    Empty {
        /// File concerned.
        path: PathBuf,
    },
    /// A structured input (CSV, TMX, TBX, manifest) is malformed.
    #[error("{}{}: {msg}", path.display(), line_suffix(*line))]
    Parse {
        /// File concerned.
        path: PathBuf,
        /// 1-based line, if known.
        line: Option<usize>,
        /// What is wrong.
        msg: String,
    },
    /// Bad arguments or an impossible request (no file involved).
    #[error("{0}")]
    Invalid(String),
}

fn line_suffix(line: Option<usize>) -> String {
    match line {
        Some(l) => format!(":{l}"),
        None => String::new(),
    }
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
    /// A parse error at `path:line`.
    pub fn parse(path: impl AsRef<Path>, line: Option<usize>, msg: impl Into<String>) -> Self {
        Error::Parse {
            path: path.as_ref().to_path_buf(),
            line,
            msg: msg.into(),
        }
    }
}

/// A non-fatal problem: a bad row that was skipped, a guessed encoding.
/// Printed to stderr as `path:line: warning: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File concerned.
    pub path: PathBuf,
    /// 1-based line, if known.
    pub line: Option<usize>,
    /// What happened.
    pub msg: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{}: warning: {}",
            self.path.display(),
            line_suffix(self.line),
            self.msg
        )
    }
}
