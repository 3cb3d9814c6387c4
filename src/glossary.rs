//! Glossaries: concepts with English terms and Arabic renderings.
//!
//! PLACEHOLDER (skeleton): the data model only. The terminology issue adds
//! CSV and TBX-Basic reading and writing.

use serde::{Deserialize, Serialize};

/// One concept: English term variants and their Arabic renderings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Stable identifier.
    pub id: String,
    /// English term and its variants; the first is the preferred term.
    pub en: Vec<String>,
    /// Approved Arabic renderings (broken plurals listed as renderings too).
    pub ar: Vec<String>,
    /// Forbidden or deprecated Arabic renderings.
    pub forbidden: Vec<String>,
    /// Free note.
    pub note: String,
    /// Subject domain.
    pub domain: String,
    /// Where the equivalence comes from.
    pub source: String,
}

/// A glossary: a list of concepts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Glossary {
    /// Concepts in file order.
    pub concepts: Vec<Concept>,
}
