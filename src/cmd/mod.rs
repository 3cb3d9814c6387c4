//! One module per subcommand: its `Args` (the help text is the doc
//! comments) and its `run`. Shared flags and output handling in `common`.

pub mod align;
pub mod check;
pub mod common;
pub mod convert;
pub mod exportopts;
pub mod extract;
pub mod run;
pub mod segment;
