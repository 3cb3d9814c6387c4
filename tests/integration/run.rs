//! `termalign run`: every output, determinism across thread counts, atomic
//! replacement, bad documents skipped (or, with `--strict`, stopping the
//! run), manifest and TMX inputs, glossary merging, the report limit and
//! SIGINT.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{bin, repo, run_in, stderr};

const FILES: [&str; 3] = [
    "udhr.ar.txt",
    "udhr.en.txt",
    "un-a-61-trafficking-women-girls-2007.ar.txt",
];

/// `dir/corpora` with the bundled corpus, and `dir/glossaries` with the
/// bundled glossary if `glossary`.
fn corpus_copy(dir: &Path, glossary: bool) {
    let c = dir.join("corpora");
    std::fs::create_dir_all(&c).unwrap();
    for f in FILES {
        std::fs::copy(repo(&format!("corpora/{f}")), c.join(f)).unwrap();
    }
    if glossary {
        let g = dir.join("glossaries");
        std::fs::create_dir_all(&g).unwrap();
        let f = "un-trafficking-human-rights.csv";
        std::fs::copy(repo(&format!("glossaries/{f}")), g.join(f)).unwrap();
    }
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn run_env(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(String::from).collect())
        .collect()
}

/// `<tu>` elements of a TMX file, proving it parses.
fn tmx_units(xml: &[u8]) -> usize {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        match r.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"tu" => n += 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
        buf.clear();
    }
    n
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".termalign"))
        .collect()
}

#[test]
fn run_writes_everything_deterministically() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), true);
    // No arguments: ./corpora and ./glossaries → ./out.
    let o = run_env(t.path(), &["run"]);
    let e = stderr(&o);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{e}");
    assert!(
        e.contains("2 documents (1 bilingual, 1 Arabic-only)"),
        "{e}"
    );
    let one = tree(&t.path().join("out"));
    for f in [
        "report.html",
        "findings.csv",
        "findings.jsonl",
        "variants.csv",
        "variants.jsonl",
        "glossary-candidates.csv",
        "glossary-candidates.tbx",
        "term-candidates.csv",
        "corpus.csv",
        "corpus.tmx",
        "aligned/udhr.csv",
        "aligned/udhr.tmx",
        "aligned/un-a-61-trafficking-women-girls-2007.csv",
        "aligned/un-a-61-trafficking-women-girls-2007.tmx",
    ] {
        assert!(
            one.contains_key(f),
            "out/{f} missing; have {:?}",
            one.keys()
        );
    }
    // The corpus files are the per-document files put together.
    let rows = csv_rows(&one["corpus.csv"]);
    let per_doc: usize = ["udhr", "un-a-61-trafficking-women-girls-2007"]
        .iter()
        .map(|d| csv_rows(&one[&format!("aligned/{d}.csv")]).len() - 1)
        .sum();
    assert_eq!(rows.len() - 1, per_doc);
    let beads = per_doc;
    assert_eq!(tmx_units(&one["corpus.tmx"]), beads);
    let corpus_tmx = String::from_utf8(one["corpus.tmx"].clone()).unwrap();
    assert!(corpus_tmx.contains("creationdate=\"20231114T221320Z\""));
    let html = String::from_utf8(one["report.html"].clone()).unwrap();
    assert_eq!(html.matches(" class=\"bead").count(), beads);
    assert!(!html.contains("Partial report"));
    // Terms highlighted in both languages.
    assert!(html.contains("<mark>"), "no highlighted term");
    // The variant report covers the Arabic-only seed: its renderings of
    // trafficking, counted with links to its beads.
    let variants = csv_rows(&one["variants.csv"]);
    let seed_rows: Vec<&Vec<String>> = variants
        .iter()
        .filter(|r| r[8].contains("un-a-61-trafficking-women-girls-2007#"))
        .collect();
    assert!(
        seed_rows.iter().any(|r| r[4].contains("الاتجار")),
        "{variants:?}"
    );
    let counted: usize = seed_rows
        .iter()
        .map(|r| r[7].parse::<usize>().unwrap())
        .sum();
    assert!(counted >= 10, "{counted}");
    // The extracted glossary is TBX that parses, with as many concepts as
    // the CSV has rows.
    let tbx = String::from_utf8(one["glossary-candidates.tbx"].clone()).unwrap();
    let csv_concepts = csv_rows(&one["glossary-candidates.csv"]).len() - 1;
    assert!(csv_concepts > 10, "{csv_concepts}");
    assert_eq!(tbx.matches("<conceptEntry").count(), csv_concepts);

    // Same bytes whatever the thread count; the old output is replaced;
    // --quiet prints only the summary line.
    for jobs in ["1", "2"] {
        let o = run_env(t.path(), &["run", "--jobs", jobs, "-q"]);
        let e = stderr(&o);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{e}");
        assert_eq!(e.lines().count(), 1, "--quiet: one summary line: {e}");
        assert!(e.starts_with("termalign run: 2 documents"), "{e}");
        assert!(
            tree(&t.path().join("out")) == one,
            "--jobs {jobs}: output differs"
        );
    }
    // The same with chunks of one document (streamed writers, per-chunk
    // checks): identical output.
    let o = run_env(t.path(), &["run", "--jobs", "2", "-q", "--chunk", "1"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(
        tree(&t.path().join("out")) == one,
        "--chunk 1: output differs"
    );
    assert!(leftovers(t.path()).is_empty(), "{:?}", leftovers(t.path()));
}

#[test]
fn bad_document_skipped_rest_written_exit_2() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), false);
    std::fs::write(
        t.path().join("corpora/broken.ar.txt"),
        b"plain text \xc3\x28 then \x81\x00 bytes",
    )
    .unwrap();
    std::fs::write(t.path().join("corpora/lonely.en.txt"), "English only.\n").unwrap();
    let o = run_env(t.path(), &["run", "-o", "res"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.lines()
            .any(|l| l.starts_with("termalign: error: ") && l.contains("broken.ar.txt")),
        "{e}"
    );
    assert!(e.contains("lonely.en.txt"), "unpaired file listed: {e}");
    assert!(
        e.contains("1 documents could not be read and were skipped"),
        "{e}"
    );
    // The rest of the corpus was written.
    let res = tree(&t.path().join("res"));
    assert!(res.contains_key("aligned/udhr.csv"), "{:?}", res.keys());
    assert!(!res.keys().any(|k| k.contains("broken")));
    assert!(
        e.contains("2 documents (1 bilingual, 1 Arabic-only)"),
        "{e}"
    );
}

#[test]
fn failed_run_leaves_previous_outputs_intact() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), true);
    let o = run_env(t.path(), &["run", "-o", "res"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let before = tree(&t.path().join("res"));
    // --strict: a document that cannot be read stops the run, outputs untouched.
    std::fs::write(
        t.path().join("corpora/broken.ar.txt"),
        b"plain text \xc3\x28 then \x81\x00 bytes",
    )
    .unwrap();
    let o = run_env(t.path(), &["run", "-o", "res", "--strict"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.ar.txt"), "{}", stderr(&o));
    assert!(stderr(&o).contains("left unchanged"), "{}", stderr(&o));
    assert!(
        tree(&t.path().join("res")) == before,
        "previous outputs intact"
    );
    assert!(leftovers(t.path()).is_empty(), "{:?}", leftovers(t.path()));
    // A directory that is not ours is never replaced.
    std::fs::create_dir(t.path().join("mine")).unwrap();
    std::fs::write(t.path().join("mine/notes.txt"), "precious").unwrap();
    std::fs::remove_file(t.path().join("corpora/broken.ar.txt")).unwrap();
    let o = run_in(t.path(), &["run", "-o", "mine"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refusing to replace"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(t.path().join("mine/notes.txt")).unwrap(),
        "precious"
    );
    // A missing glossary named on the command line is an error.
    let o = run_in(t.path(), &["run", "-o", "res", "--glossary", "nope.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.csv"));
    assert!(tree(&t.path().join("res")) == before);
}

#[test]
fn manifest_tmx_inputs_and_merged_glossaries() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), true);
    // Two glossaries with the same concept: merged, with a warning.
    std::fs::write(
        t.path().join("glossaries/zz-extra.csv"),
        "id,en,ar\nx1,Trafficking in persons,الاتجار غير المشروع بالأشخاص\nx2,forced labour,العمل القسري\n",
    )
    .unwrap();
    let m = t.path().join("list.csv");
    std::fs::write(
        &m,
        "doc,ar_path,en_path\nrights,corpora/udhr.ar.txt,corpora/udhr.en.txt\n../../evil,corpora/udhr.ar.txt,\n",
    )
    .unwrap();
    let o = run_env(t.path(), &["run", "--manifest", "list.csv", "-o", "m"]);
    let e = stderr(&o);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{e}");
    assert!(e.contains("list.csv:3"), "bad manifest row named: {e}");
    assert!(
        e.contains("zz-extra.csv: warning:") && e.contains("merged"),
        "{e}"
    );
    assert!(e.contains("1 documents (1 bilingual"), "{e}");
    let m_out = tree(&t.path().join("m"));
    assert!(m_out.contains_key("aligned/rights.tmx"));
    assert!(!t.path().join("evil").exists());
    // The variant report knows the merged rendering (concept of the first file).
    let vars = String::from_utf8(m_out["variants.csv"].clone()).unwrap();
    assert!(
        !vars.lines().any(|l| l.starts_with("x1,")),
        "merged concept keeps the first id"
    );

    // A TMX written by the run is an input pair of a later run: its units
    // are checked and exported as they are, not re-aligned.
    let c2 = t.path().join("tm");
    std::fs::create_dir(&c2).unwrap();
    std::fs::write(c2.join("memory.tmx"), &m_out["corpus.tmx"]).unwrap();
    let o = run_env(
        t.path(),
        &[
            "run",
            "--corpus",
            "tm",
            "-o",
            "t",
            "--glossary",
            "glossaries",
        ],
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let t_out = tree(&t.path().join("t"));
    assert_eq!(
        tmx_units(&t_out["corpus.tmx"]),
        tmx_units(&m_out["corpus.tmx"])
    );
    let a = csv_rows(&m_out["corpus.csv"]);
    let b = csv_rows(&t_out["corpus.csv"]);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b).skip(1) {
        assert_eq!((&x[0], &x[1], &x[3]), (&y[0], &y[1], &y[3]), "same texts");
    }
    // Outputs written inside the corpus are not read back as inputs.
    for _ in 0..2 {
        let o = run_env(
            t.path(),
            &[
                "run",
                "--corpus",
                "tm",
                "-o",
                "tm/out",
                "-q",
                "--glossary",
                "glossaries",
            ],
        );
        let e = stderr(&o);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{e}");
        assert!(e.starts_with("termalign run: 1 documents"), "{e}");
    }
}

#[test]
fn report_limit_keeps_large_corpora_usable() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), true);
    for i in 0..6 {
        for l in ["ar", "en"] {
            std::fs::copy(
                repo(&format!("corpora/udhr.{l}.txt")),
                t.path().join(format!("corpora/copy{i}.{l}.txt")),
            )
            .unwrap();
        }
    }
    let o = run_env(t.path(), &["run", "-q", "--report-beads", "100"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let html = std::fs::read_to_string(t.path().join("out/report.html")).unwrap();
    assert!(
        html.contains("Partial report"),
        "the report says it is partial"
    );
    let rows = html.matches(" class=\"bead").count();
    assert!(rows > 0 && rows <= 200, "{rows} bead rows");
    // Every document is still in the CSV.
    let csv = std::fs::read(t.path().join("out/corpus.csv")).unwrap();
    let docs: std::collections::BTreeSet<String> = csv_rows(&csv)
        .iter()
        .skip(1)
        .map(|r| r[3].clone())
        .collect();
    assert_eq!(docs.len(), 8, "{docs:?}");
}

#[test]
fn sigint_leaves_previous_outputs_and_no_temporary_files() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), true);
    let o = run_env(t.path(), &["run", "-q"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let before = tree(&t.path().join("out"));
    // A corpus that takes a while: 300 copies of the UDHR pair.
    for i in 0..300 {
        for l in ["ar", "en"] {
            std::fs::copy(
                repo(&format!("corpora/udhr.{l}.txt")),
                t.path().join(format!("corpora/copy{i:03}.{l}.txt")),
            )
            .unwrap();
        }
    }
    let child = Command::new(bin())
        .args(["run", "-q", "--chunk", "2"])
        .current_dir(t.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it is writing its temporary output, then interrupt.
    let start = Instant::now();
    while leftovers(t.path()).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    let k = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(k.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("interrupted"), "{}", stderr(&o));
    assert!(
        tree(&t.path().join("out")) == before,
        "previous outputs intact"
    );
    assert!(leftovers(t.path()).is_empty(), "{:?}", leftovers(t.path()));
}

#[test]
fn accepted_findings_stay_quiet() {
    let t = tempfile::tempdir().unwrap();
    corpus_copy(t.path(), true);
    let o = run_env(t.path(), &["run", "-o", "a", "-q"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let all = std::fs::read_to_string(t.path().join("a/findings.jsonl")).unwrap();
    let n = all.lines().count();
    assert!(n > 0, "the bundled corpus has findings");
    // Accept every finding but the first: one remains.
    let rest: String = all.lines().skip(1).map(|l| format!("{l}\n")).collect();
    std::fs::write(t.path().join("accepted.jsonl"), rest).unwrap();
    let o = run_env(
        t.path(),
        &["run", "-o", "b", "-q", "--accept", "accepted.jsonl"],
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let left = std::fs::read_to_string(t.path().join("b/findings.jsonl")).unwrap();
    assert_eq!(
        left.lines().collect::<Vec<_>>(),
        [all.lines().next().unwrap()]
    );
    assert!(stderr(&o).contains(" 1 findings"), "{}", stderr(&o));
}
