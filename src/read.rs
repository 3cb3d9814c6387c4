//! Reading text files: encoding detection and decoding.
//!
//! PLACEHOLDER (skeleton): UTF-8 only. The foundation issue replaces this
//! with UTF-16 / windows-1256 support and full error reporting.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

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

/// Decoded text with what was learnt on the way.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, line endings as in the file.
    pub text: String,
    /// Encoding actually used.
    pub encoding: Encoding,
    /// Non-fatal notes (guessed encoding…).
    pub diagnostics: Vec<Diagnostic>,
}

/// Read and decode a text file.
pub fn read_text(path: &Path, enc: Encoding) -> Result<Decoded> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode(&bytes, path, enc)
}

/// Decode bytes that came from `path` (used in messages).
pub fn decode(bytes: &[u8], path: &Path, enc: Encoding) -> Result<Decoded> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| Error::Decode {
        path: path.to_path_buf(),
        line: Some(
            body[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        ),
        msg: "invalid UTF-8".into(),
    })?;
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Decoded {
        text: text.to_string(),
        encoding: if enc == Encoding::Auto {
            Encoding::Utf8
        } else {
            enc
        },
        diagnostics: Vec::new(),
    })
}
