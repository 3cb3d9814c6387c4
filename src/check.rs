//! Consistency checks: terms, numbers, completeness.
//!
//! PLACEHOLDER (skeleton): filled by the terminology issue.
