//! Consistency checks: terms, numbers, completeness.
