//! # termalign
//!
//! Arabic–English translation alignment and terminology toolkit.
//!
//! The library is a pipeline of stages, each a module, passing typed values
//! (see [`model`]):
//!
//! 1. [`read`] — bytes on disk to text (UTF-8, UTF-16, windows-1256);
//!    [`segment`] — text to typed segments (UN paragraph numbering, headings,
//!    page-break repair, sentences);
//! 2. [`normalize`] — matching keys for Arabic and English (displayed text is
//!    never altered);
//! 3. [`align`] — paragraph and sentence alignment of an Arabic/English pair;
//! 4. [`glossary`] and [`terms`] — glossaries, term matching and extraction;
//! 5. [`check`] — terminology, number and completeness checks;
//! 6. [`export`] — CSV, TMX, TBX, JSON Lines and HTML writers.
//!
//! [`pipeline`] strings the stages together for a corpus, [`corpus`] runs a
//! whole corpus in bounded memory (the engine of `termalign run`); [`output`] writes
//! files atomically.
#![deny(missing_docs)]

pub mod align;
pub mod check;
pub mod corpus;
pub mod error;
pub mod export;
pub mod glossary;
pub mod linefiles;
pub mod model;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod read;
pub mod segment;
pub mod terms;

pub use error::{Diagnostic, Error, Result};
pub use model::{AlignedDoc, Alignment, Bead, Document, Finding, Lang, SegKind, Segment, Severity};
