//! How the term extractor's corpus-wide state grows with the corpus (issue
//! 6): loads the first documents of a corpus directory (as `termalign run`
//! finds them), then for each prefix size given feeds that many documents to
//! an [`Extractor`] spilling to a temporary directory and prints what it
//! held: beads, spilled bytes, distinct English and Arabic n-grams, ranked
//! candidates, heap bytes of the n-gram tables and of the coded lists.
//!
//! ```text
//! cargo run --release --example extract_growth -- CORPUS_DIR 250 500 1000
//! ```
//!
//! Output: one tab-separated line per prefix.

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use termalign::corpus::{discover, load};
use termalign::pipeline::LoadOptions;
use termalign::terms::extract::{ExtractOptions, Extractor};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dir, sizes)) = args.split_first() else {
        bail!("usage: extract_growth CORPUS_DIR N [N…]");
    };
    let sizes: Vec<usize> = sizes
        .iter()
        .map(|s| s.parse().with_context(|| format!("{s}: not a number")))
        .collect::<Result<_>>()?;
    let max = sizes.iter().copied().max().unwrap_or(0);
    let (inputs, _) = discover(std::path::Path::new(dir))?;
    let opts = LoadOptions::default();
    let docs: Vec<_> = inputs
        .par_iter()
        .take(max)
        .map(|i| load(i, &opts).map(|(d, _)| d))
        .collect::<termalign::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    println!("docs\tbeads\tinput_text_MB\tspill_MB\ten_ngrams\tar_ngrams\tcandidates\trows\ttables_MB\tlists_MB");
    for n in sizes {
        let part = &docs[..n.min(docs.len())];
        let text: usize = part
            .iter()
            .flat_map(|d| d.ar.iter().chain(&d.en))
            .map(|s| s.text.len())
            .sum();
        let tmp = tempfile::tempdir()?;
        let mut x = Extractor::spill_in(tmp.path())?;
        for chunk in part.chunks(128) {
            x.add(chunk)?;
        }
        let (c, st) = x.finish_with_stats(None, &ExtractOptions::default())?;
        let mb = |b: f64| b / 1e6;
        println!(
            "{}\t{}\t{:.1}\t{:.1}\t{}\t{}\t{}\t{}\t{:.1}\t{:.1}",
            part.len(),
            st.beads,
            mb(text as f64),
            mb(st.spill_bytes as f64),
            st.en_ngrams,
            st.ar_ngrams,
            st.candidates,
            c.len(),
            mb(st.table_bytes as f64),
            mb(st.list_bytes as f64)
        );
    }
    Ok(())
}
