//! Term matching (many terms at once, on normalised keys, with Arabic clitic
//! variants) and bilingual term extraction.
//!
//! PLACEHOLDER (skeleton): filled by the terminology issue.
