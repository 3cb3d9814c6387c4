//! Benchmark for `termalign check`: checking N bead pairs against glossaries
//! of increasing size. Run through `scripts/bench_check.sh` (release build).
//!
//! Data: the UDHR pair (bundled, real text) aligned by its article structure
//! (paragraph i ↔ i from the first article heading), repeated to the wanted
//! number of beads; one bead in three gets a glossary term inserted on both
//! sides so the term checks have work to do. Glossaries: the shipped UN
//! glossary plus synthetic concepts (pseudo-words of 1–3 words, Arabic and
//! English, with a forbidden rendering in one concept in five), written to a
//! CSV file so the load time includes parsing.
//!
//! The synthetic concepts come from one fixed seed, so a smaller glossary
//! is a prefix of a larger one and every size checks the same text.
//!
//! Usage: bench_check [BEADS] [CONCEPTS...]   (defaults: 100000 2000 50000)
//!
//! With `BENCH_CHECK_DIR=DIR` the glossaries are kept as `DIR/g<N>.csv` and
//! the first `BENCH_CHECK_DOCS` documents (default 10, 1,000 beads each)
//! are written as text pairs under `DIR/corpus/`, for timing the real
//! `termalign check --corpus` (reading, alignment and checks) against each
//! glossary; `scripts/bench_check.sh` does that.

use std::time::Instant;

use termalign::check::{self, CheckOptions};
use termalign::glossary::{self, Concept, Glossary};
use termalign::model::{AlignedDoc, Alignment, Bead, SegKind, Segment};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const AR_LETTERS: &[char] = &[
    'ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض', 'ط', 'ظ', 'ع', 'غ', 'ف',
    'ق', 'ك', 'ل', 'م', 'ن', 'ه', 'و', 'ي', 'ا',
];

fn word(rng: &mut Rng, letters: &[char], min: usize) -> String {
    let n = min + rng.below(4);
    (0..n).map(|_| letters[rng.below(letters.len())]).collect()
}

fn synthetic(shipped: &Glossary, n: usize, rng: &mut Rng) -> Glossary {
    let latin: Vec<char> = ('a'..='z').collect();
    let mut g = shipped.clone();
    while g.concepts.len() < n {
        let words = 1 + rng.below(3);
        let en: Vec<String> = (0..words).map(|_| word(rng, &latin, 4)).collect();
        let ar: Vec<String> = (0..words)
            .map(|i| {
                let w = word(rng, AR_LETTERS, 3);
                if i == 0 {
                    format!("ال{w}")
                } else {
                    w
                }
            })
            .collect();
        let id = g.concepts.len();
        g.concepts.push(Concept {
            id: format!("s{id}"),
            en: vec![en.join(" ")],
            ar: vec![ar.join(" ")],
            forbidden: if id % 5 == 0 {
                vec![word(rng, AR_LETTERS, 4)]
            } else {
                vec![]
            },
            source: "synthetic".into(),
            ..Concept::default()
        });
    }
    g
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn seg(i: usize, t: String) -> Segment {
    Segment {
        index: i,
        kind: SegKind::Paragraph,
        number: None,
        text: t,
        line: None,
        parent: None,
    }
}

fn corpus(n_beads: usize, g: &Glossary, rng: &mut Rng) -> Vec<AlignedDoc> {
    let root = env!("CARGO_MANIFEST_DIR");
    let ar = paragraphs(&std::fs::read_to_string(format!("{root}/corpora/udhr.ar.txt")).unwrap());
    let en = paragraphs(&std::fs::read_to_string(format!("{root}/corpora/udhr.en.txt")).unwrap());
    let pairs: Vec<(String, String)> = (12..ar.len().min(en.len()))
        .map(|i| (ar[i].clone(), en[i].clone()))
        .collect();
    // Documents of 1,000 beads each.
    let mut docs = Vec::new();
    let mut made = 0;
    while made < n_beads {
        let n = 1000.min(n_beads - made);
        let mut a = Vec::with_capacity(n);
        let mut e = Vec::with_capacity(n);
        for i in 0..n {
            let (mut at, mut et) = pairs[(made + i) % pairs.len()].clone();
            if rng.below(3) == 0 {
                let c = &g.concepts[rng.below(g.concepts.len())];
                et.push(' ');
                et.push_str(&c.en[0]);
                at.push(' ');
                at.push_str(&c.ar[0]);
            }
            a.push(seg(i, at));
            e.push(seg(i, et));
        }
        docs.push(AlignedDoc {
            name: format!("d{}", docs.len()),
            ar: a,
            en: e,
            alignment: Alignment {
                beads: (0..n)
                    .map(|i| Bead {
                        ar: vec![i],
                        en: vec![i],
                        score: 1.0,
                    })
                    .collect(),
                warnings: vec![],
            },
        });
        made += n;
    }
    docs
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n_beads: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let sizes: Vec<usize> = if args.len() > 1 {
        args[1..].iter().filter_map(|a| a.parse().ok()).collect()
    } else {
        vec![2_000, 50_000]
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let (shipped, _) = glossary::load(
        std::path::Path::new(&format!(
            "{root}/glossaries/un-trafficking-human-rights.csv"
        )),
        true,
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("BENCH_CHECK_DIR").map(std::path::PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let cli_docs: usize = std::env::var("BENCH_CHECK_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut corpus_written = false;
    println!("threads={} beads={n_beads}", rayon::current_num_threads());
    println!("concepts\tload_ms\tmatcher_ms\tcheck_s\tbeads_per_s\tsegments_per_s\tfindings");
    for &n in &sizes {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let g = synthetic(&shipped, n, &mut rng);
        let path = dir.join(format!("g{n}.csv"));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        glossary::write_csv(&mut f, &g).unwrap();
        drop(f);
        // Corpus built with the 2,000-concept prefix so every size checks
        // the same text.
        let mut crng = Rng(42);
        let small = Glossary {
            concepts: g.concepts[..g.concepts.len().min(2_000)].to_vec(),
        };
        let docs = corpus(n_beads, &small, &mut crng);
        if keep.is_some() && !corpus_written {
            let cdir = dir.join("corpus");
            std::fs::create_dir_all(&cdir).unwrap();
            for d in docs.iter().take(cli_docs) {
                let join = |segs: &[Segment]| {
                    segs.iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n\n")
                };
                std::fs::write(cdir.join(format!("{}.ar.txt", d.name)), join(&d.ar)).unwrap();
                std::fs::write(cdir.join(format!("{}.en.txt", d.name)), join(&d.en)).unwrap();
            }
            corpus_written = true;
        }
        let t0 = Instant::now();
        let (loaded, _) = glossary::load(&path, true).unwrap();
        let load = t0.elapsed();
        let t1 = Instant::now();
        let m = termalign::terms::TermMatcher::new(&loaded);
        let build = t1.elapsed();
        let t2 = Instant::now();
        let findings = check::check_with(&docs, &loaded, &m, &CheckOptions::default());
        let secs = t2.elapsed().as_secs_f64();
        println!(
            "{}\t{:.0}\t{:.0}\t{:.2}\t{:.0}\t{:.0}\t{}",
            loaded.len(),
            load.as_secs_f64() * 1000.0,
            build.as_secs_f64() * 1000.0,
            secs,
            n_beads as f64 / secs,
            2.0 * n_beads as f64 / secs,
            findings.len()
        );
    }
}
