//! Integration tests: run the real binary on real files.
//! One test binary; one module per area.

mod align;
mod corpora;
mod export;
mod lines_stream;
mod robustness;
mod run;
mod segment;
mod terms;
mod util;
