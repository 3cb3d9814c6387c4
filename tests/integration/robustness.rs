//! Robustness (issue 6): bad encodings, wrong pairs, glossary and manifest
//! errors, file-system failures, large inputs. Every case runs the real
//! binary on real text (the UDHR pair, the seed) or on copies of it damaged
//! in one precise way. The table of cases is docs/ROBUSTNESS.md.

use std::path::{Path, PathBuf};
use std::process::Output;

use termalign::glossary;

use crate::util::{jsonl, repo, run, stderr, stdout};

const SEED: &str = "corpora/un-a-61-trafficking-women-girls-2007.ar.txt";
const UDHR_AR: &str = "corpora/udhr.ar.txt";
const UDHR_EN: &str = "corpora/udhr.en.txt";
const GLOSSARY: &str = "glossaries/un-trafficking-human-rights.csv";

fn read(p: &str) -> String {
    std::fs::read_to_string(repo(p)).expect("read corpus file")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Run with owned/borrowed argument mix.
fn run_args(args: &[&str]) -> Output {
    run(args)
}

/// A bad-input failure: exit 2, one line `termalign: error: …` naming
/// `want`, nothing on stdout, no panic.
fn assert_fails_naming(o: &Output, want: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("termalign: error: "), "{err}");
    assert!(err.contains(want), "{err:?} should name {want:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(o).is_empty(), "nothing on stdout");
}

/// The findings of `check -g glossary ar en` as JSON lines (exit 0 or 1).
fn check_findings(glossary: &str, extra: &[&str]) -> (Vec<serde_json::Value>, String) {
    let mut args = vec!["check", "-g", glossary];
    args.extend(extra);
    let o = run_args(&args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "check failed: {}",
        stderr(&o)
    );
    (jsonl(&o), stderr(&o))
}

// ---------------------------------------------------------------- encodings

/// The seed with its line endings mixed: CRLF, LF and lone CR in turn.
#[test]
fn mixed_crlf_lf_line_endings_segment_like_lf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = read(SEED);
    let mut mixed = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            mixed.push_str(["\r\n", "\n", "\r\n", "\r"][i % 4]);
        }
        mixed.push_str(line);
    }
    assert!(mixed.contains("\r\n") && mixed.contains("\r") && mixed.matches('\n').count() > 10);
    let p = write(dir.path(), "mixed.ar.txt", mixed.as_bytes());
    let want = run(&["segment", SEED]);
    let got = run(&["segment", s(&p)]);
    assert!(got.status.success(), "{}", stderr(&got));
    assert_eq!(
        stdout(&got),
        stdout(&want),
        "same segments, same line numbers"
    );
    assert_eq!(stderr(&got), "", "no warning for mixed line endings");
    assert!(jsonl(&got).len() > 40);
    // No segment keeps a carriage return.
    assert!(!stdout(&got).contains("\\r"));
}

/// A NUL byte inside otherwise valid UTF-8 text (line 7 of the seed): the
/// file is refused with its name and the line, not silently truncated.
#[test]
fn nul_byte_in_text_refused_with_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = read(SEED);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut bytes = lines[..6].join("\n").into_bytes();
    bytes.extend(b"\n");
    bytes.extend(lines[6].as_bytes());
    bytes.extend(b"\x00\x00 tail\n");
    bytes.extend(lines[7..].join("\n").as_bytes());
    let p = write(dir.path(), "nul.ar.txt", &bytes);
    let o = run(&["segment", s(&p)]);
    assert_fails_naming(&o, &format!("{}:7: ", s(&p)));
    // The same file as one side of a pair given to `check`.
    let o = run(&["check", "-g", GLOSSARY, s(&p), UDHR_EN]);
    assert_fails_naming(&o, &format!("{}:7: ", s(&p)));
}

/// windows-1256 Arabic without `--encoding`, through the whole check
/// pipeline: detected (warning naming the file), and the findings are those
/// of the same text in UTF-8.
#[test]
fn windows_1256_detected_through_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    // windows-1256 has no Arabic-Indic digits: compare with the UTF-8 text
    // with its digits folded to ASCII.
    let folded = termalign::normalize::fold_digits(&read(SEED));
    let (cp, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&folded);
    assert!(!unmappable, "the seed fits windows-1256");
    // Same file name in two folders: the document name is the same.
    let utf8 = write(dir.path(), "utf8/seed.ar.txt", folded.as_bytes());
    let legacy = write(dir.path(), "legacy/seed.ar.txt", &cp);
    let (want, _) = check_findings(GLOSSARY, &["--variants", s(&utf8)]);
    let (got, warn) = check_findings(GLOSSARY, &["--variants", s(&legacy)]);
    assert!(!want.is_empty(), "the seed has glossary terms");
    assert_eq!(got, want);
    assert!(
        warn.contains("legacy/seed.ar.txt")
            && warn.contains("warning")
            && warn.contains("windows-1256"),
        "{warn}"
    );
}

/// The English side of the UDHR pair as UTF-16LE without a byte-order mark:
/// detected (warning), same findings as the UTF-8 pair.
#[test]
fn utf16le_without_bom_detected_through_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let en = read(UDHR_EN);
    let bytes: Vec<u8> = en.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert!(!bytes.starts_with(&[0xFF, 0xFE]));
    let p = write(dir.path(), "udhr16.en.txt", &bytes);
    let (want, _) = check_findings(GLOSSARY, &[UDHR_AR, UDHR_EN]);
    let (got, warn) = check_findings(GLOSSARY, &[UDHR_AR, s(&p)]);
    assert!(!want.is_empty());
    assert_eq!(
        got, want,
        "same findings (the document is named after the Arabic file)"
    );
    assert!(
        warn.contains("udhr16.en.txt") && warn.contains("utf-16le"),
        "{warn}"
    );
}

/// 50 MB of real Arabic sentences on one line, no newline anywhere: one
/// paragraph holding every byte; at sentence level one segment per sentence.
#[test]
fn fifty_megabytes_without_newline() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A real sentence of the seed (paragraph 8), repeated.
    let sentence = "وأشار المشاركون إلى أن النساء يشكلن نسبة ٨٠ في المائة من الضحايا. ";
    let n = 50_000_000 / sentence.len();
    let text = sentence.repeat(n);
    let text = text.trim_end();
    assert!(text.len() > 49_000_000 && !text.contains('\n'));
    let p = write(dir.path(), "huge.ar.txt", text.as_bytes());
    let o = run(&["segment", s(&p), "--format", "tsv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 1, "one paragraph");
    let cols: Vec<&str> = rows[0].splitn(4, '\t').collect();
    assert_eq!(cols[0], "0");
    assert_eq!(cols[3], text, "every byte kept");
    let o = run(&["segment", s(&p), "--level", "sentence", "--format", "tsv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), n, "one segment per sentence");
}

// ------------------------------------------------- glossary and manifest

/// The shipped glossary with malformed rows spliced in: each is reported
/// with its line and skipped, the findings are those of the clean glossary;
/// `--strict` stops at the first with exit 2 naming the line.
#[test]
fn malformed_glossary_rows_named_skipped_strict_stops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = read(GLOSSARY);
    let mut lines: Vec<String> = clean.lines().map(String::from).collect();
    // Inserted after the rows they follow; 1-based lines in the new file.
    lines.insert(3, ",الاتجار بالأعضاء,,,,,".into()); // line 4: no English term
    lines.insert(8, "organ removal,,,,,,".into()); // line 9: no Arabic rendering
                                                   // Last line: an unclosed quote swallows the rest of the file into one
                                                   // field (so the row has no `en`).
    lines.push("\"unclosed quote,ضحية,,,,,".into());
    let last = lines.len();
    let dirty = lines.join("\n") + "\n";
    let g = write(dir.path(), "dirty.csv", dirty.as_bytes());
    let (want, want_err) = check_findings(GLOSSARY, &[UDHR_AR, UDHR_EN]);
    let (got, err) = check_findings(s(&g), &[UDHR_AR, UDHR_EN]);
    assert!(!want_err.contains("warning: "), "{want_err}");
    assert!(!want.is_empty());
    assert_eq!(got, want, "bad rows skipped, nothing else changed");
    for line in [4, 9, last] {
        let tag = format!("dirty.csv:{line}: warning: ");
        assert!(err.contains(&tag), "{tag} in {err}");
    }
    assert_eq!(err.matches("row skipped").count(), 3, "{err}");
    let o = run(&["check", "-g", s(&g), "--strict", UDHR_AR, UDHR_EN]);
    assert_fails_naming(&o, "dirty.csv:4: ");
}

/// A TBX glossary (the shipped one written by `write_tbx`) with unknown
/// elements, attributes, namespaces and descrip types added everywhere:
/// they are ignored, the glossary and the findings are unchanged.
#[test]
fn unknown_tbx_elements_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (g, _) = glossary::load(&repo(GLOSSARY), true).expect("shipped glossary");
    let mut buf = Vec::new();
    glossary::write_tbx(&mut buf, &g).expect("write tbx");
    let tbx = String::from_utf8(buf).expect("utf-8");
    let plain = write(dir.path(), "plain.tbx", tbx.as_bytes());
    let noisy = tbx
        .replace(
            "<conceptEntry ",
            "<conceptEntry data-x=\"1\" ",
        )
        .replace(
            "<langSec ",
            "<x:review xmlns:x=\"urn:example\" by=\"me\"><x:ok/></x:review><langSec ",
        )
        .replace(
            "<termSec>",
            "<termSec><descrip type=\"partOfSpeech\">noun</descrip><xref target=\"http://example.org\">see</xref><transac type=\"origination\"><date>2007-03-30</date></transac>",
        )
        .replace(
            "</conceptEntry>",
            "<unknownElement attr=\"v\">text <b>bold</b> &amp; more<![CDATA[ <raw> ]]></unknownElement><!-- comment --><?pi data?></conceptEntry>",
        );
    assert!(noisy.len() > tbx.len() + 1000, "noise added");
    let noisy_p = write(dir.path(), "noisy.tbx", noisy.as_bytes());
    let (back, d) = glossary::load(&noisy_p, true).expect("noisy TBX loads in strict mode");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(back, g, "same concepts");
    let (want, _) = check_findings(s(&plain), &[UDHR_AR, UDHR_EN]);
    let (got, _) = check_findings(s(&noisy_p), &[UDHR_AR, UDHR_EN]);
    assert_eq!(got, want);
}

/// Every concept of the shipped glossary repeated under another id, with
/// the English term in another case and one extra rendering on one of
/// them: merged into the first with one warning each; the findings are
/// those of the shipped glossary (and the extra rendering is kept).
#[test]
fn duplicate_concepts_merged_with_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = read(GLOSSARY);
    let mut rdr = csv::Reader::from_reader(clean.as_bytes());
    let headers = rdr.headers().expect("header").clone();
    assert_eq!(&headers[0], "id");
    assert_eq!(&headers[1], "en");
    assert_eq!(&headers[2], "ar");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).expect("csv");
    for r in &rows {
        w.write_record(r).expect("csv");
    }
    for r in &rows {
        let mut d: Vec<String> = r.iter().map(String::from).collect();
        d[0] = format!("dup-{}", d[0]);
        d[1] = d[1].to_uppercase();
        if r[0] == *"victims" {
            d[2].push_str("|المجني عليهم");
        }
        w.write_record(&d).expect("csv");
    }
    let dup = write(dir.path(), "dup.csv", &w.into_inner().expect("csv buffer"));
    let (shipped, _) = glossary::load(&repo(GLOSSARY), true).expect("shipped");
    let (merged, diags) = glossary::load(&dup, false).expect("duplicates load");
    assert_eq!(merged.len(), shipped.len(), "every duplicate merged");
    assert_eq!(
        diags.len(),
        shipped.len(),
        "one warning per merge: {diags:?}"
    );
    let first = diags[0].to_string();
    assert!(
        first.contains("dup.csv: warning: concept \"dup-") && first.contains("merged"),
        "{first}"
    );
    assert!(diags.iter().all(|d| d.msg.contains("duplicates concept")));
    let victims = merged
        .concepts
        .iter()
        .find(|c| c.id == "victims")
        .expect("victims concept");
    assert!(
        victims.ar.iter().any(|a| a == "المجني عليهم"),
        "{victims:?}"
    );
    // Same findings as the shipped glossary on the UDHR pair, through the CLI.
    let (want, _) = check_findings(GLOSSARY, &[UDHR_AR, UDHR_EN]);
    let (got, err) = check_findings(s(&dup), &[UDHR_AR, UDHR_EN]);
    assert_eq!(got, want);
    assert_eq!(err.matches("duplicates concept").count(), shipped.len());
    // Duplicates are merged, not refused, in strict mode too.
    let (_, d) = glossary::load(&dup, true).expect("strict load merges");
    assert_eq!(d.len(), shipped.len());
}

/// Manifest errors at the CLI (`check --manifest`): a `../../x` document
/// name, an empty ar_path, a duplicate name are each reported with their line
/// and skipped while the good rows run; `--strict` stops at the first; a
/// manifest without the right header, a missing manifest and a manifest
/// naming a missing file exit 2 naming the file.
#[test]
fn manifest_errors_via_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ar = repo(UDHR_AR);
    let en = repo(UDHR_EN);
    let seed = repo(SEED);
    let m = write(
        dir.path(),
        "m.csv",
        format!(
            "doc,ar_path,en_path\nudhr,{ar},{en}\n../../x,{ar},{en}\nnoar,,{en}\nudhr,{seed},\nseed,{seed},\n",
            ar = s(&ar),
            en = s(&en),
            seed = s(&seed)
        )
        .as_bytes(),
    );
    let o = run(&["check", "-g", GLOSSARY, "--manifest", s(&m), "--variants"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    for (line, what) in [(3, "../../x"), (4, "empty ar_path"), (5, "duplicate")] {
        let tag = format!("m.csv:{line}: warning: ");
        let l = err.lines().find(|l| l.contains(&tag));
        assert!(l.is_some_and(|l| l.contains(what)), "{tag} {what} in {err}");
    }
    // The good rows ran: the variant report links beads (`doc#bead`) of
    // both good documents and of no other.
    let rows = jsonl(&o);
    let docs: std::collections::BTreeSet<String> = rows
        .iter()
        .filter_map(|r| r["beads"].as_str())
        .flat_map(|b| b.split(';'))
        .filter_map(|b| b.split('#').next().map(String::from))
        .collect();
    assert_eq!(
        docs.into_iter().collect::<Vec<_>>(),
        ["seed", "udhr"],
        "{rows:?}"
    );
    let o = run(&["check", "-g", GLOSSARY, "--manifest", s(&m), "--strict"]);
    assert_fails_naming(&o, "m.csv:3: ");

    let bad_header = write(dir.path(), "h.csv", b"name,arabic,english\nudhr,a,b\n");
    let o = run(&["check", "-g", GLOSSARY, "--manifest", s(&bad_header)]);
    assert_fails_naming(&o, "h.csv:1: ");
    let missing = dir.path().join("nope.csv");
    let o = run(&["check", "-g", GLOSSARY, "--manifest", s(&missing)]);
    assert_fails_naming(&o, "nope.csv");
    let gone = write(
        dir.path(),
        "gone.csv",
        format!("doc,ar_path,en_path\nd,{}/absent.ar.txt,\n", s(dir.path())).as_bytes(),
    );
    let o = run(&["check", "-g", GLOSSARY, "--manifest", s(&gone)]);
    assert_fails_naming(&o, "absent.ar.txt");
}

// -------------------------------------------------------------- file system

/// Missing inputs of every kind: exit 2, one line naming the path.
#[test]
fn missing_inputs_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ghost = dir.path().join("ghost.ar.txt");
    let g = s(&ghost);
    let cases: Vec<Vec<&str>> = vec![
        vec!["segment", g],
        vec!["align", g, UDHR_EN],
        vec!["align", UDHR_AR, g],
        vec!["check", "-g", GLOSSARY, g],
        vec!["check", "-g", g, UDHR_AR, UDHR_EN],
        vec!["extract", g, UDHR_EN],
        vec!["convert", g],
    ];
    for args in cases {
        let o = run(&args);
        assert_fails_naming(&o, "ghost.ar.txt");
    }
    let nodir = dir.path().join("no-such-corpus");
    let o = run(&["align", "--corpus", s(&nodir)]);
    assert_fails_naming(&o, "no-such-corpus");
}

/// Inputs that exist but cannot be read as files — even as root, which
/// ignores permission bits: a directory where a file is expected, and a
/// dangling symbolic link. Exit 2 naming the path.
#[test]
fn unreadable_inputs_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let as_dir = dir.path().join("folder.ar.txt");
    std::fs::create_dir(&as_dir).expect("mkdir");
    let gloss_dir = dir.path().join("g.csv");
    std::fs::create_dir(&gloss_dir).expect("mkdir");
    let link = dir.path().join("dangling.en.txt");
    std::os::unix::fs::symlink(dir.path().join("target-gone"), &link).expect("symlink");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["segment", s(&as_dir)], "folder.ar.txt"),
        (vec!["align", s(&as_dir), UDHR_EN], "folder.ar.txt"),
        (
            vec!["check", "-g", s(&gloss_dir), UDHR_AR, UDHR_EN],
            "g.csv",
        ),
        (vec!["align", UDHR_AR, s(&link)], "dangling.en.txt"),
    ];
    for (args, want) in cases {
        let o = run(&args);
        assert_fails_naming(&o, want);
    }
}

/// `-o` where the output cannot be written (its parent is a regular file;
/// its target is a directory): exit 2 naming the output path, nothing
/// created, an earlier output left intact.
#[test]
fn unwritable_output_exit_2_and_nothing_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = write(dir.path(), "blocker", b"a regular file\n");
    let under_file = blocker.join("out.jsonl");
    let o = run(&["align", UDHR_AR, UDHR_EN, "-o", s(&under_file)]);
    assert_fails_naming(&o, "blocker/out.jsonl");
    assert_eq!(
        std::fs::read(&blocker).expect("blocker"),
        b"a regular file\n"
    );
    let o = run(&[
        "check",
        "-g",
        GLOSSARY,
        UDHR_AR,
        UDHR_EN,
        "-o",
        s(&under_file),
    ]);
    assert_fails_naming(&o, "blocker/out.jsonl");

    // Target is a directory: refused; the directory is untouched.
    let target_dir = dir.path().join("outdir");
    std::fs::create_dir(&target_dir).expect("mkdir");
    let o = run(&["align", UDHR_AR, UDHR_EN, "-o", s(&target_dir)]);
    assert_fails_naming(&o, "outdir");
    assert!(target_dir.is_dir());

    // A good earlier output survives a failed later run (bad input).
    let out = dir.path().join("good.jsonl");
    let o = run(&["align", UDHR_AR, UDHR_EN, "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = std::fs::read(&out).expect("output");
    assert!(!before.is_empty());
    let empty = write(dir.path(), "empty.en.txt", b"");
    let o = run(&["align", UDHR_AR, s(&empty), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&out).expect("output"), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left");
}

// -------------------------------------------------------------- wrong pairs

fn mean_score(o: &Output) -> f64 {
    let rows = jsonl(o);
    assert!(!rows.is_empty());
    rows.iter()
        .map(|r| r["score"].as_f64().expect("score"))
        .sum::<f64>()
        / rows.len() as f64
}

/// Arabic and English given the wrong way round: a warning naming the
/// file ("swapped"), scores far below those of the right order.
#[test]
fn swapped_sides_warn_and_score_low() {
    let good = run(&["align", UDHR_AR, UDHR_EN]);
    assert!(good.status.success(), "{}", stderr(&good));
    assert!(
        !stderr(&good).contains("warning"),
        "the true pair has no warning: {}",
        stderr(&good)
    );
    let o = run(&["align", UDHR_EN, UDHR_AR]);
    assert!(
        o.status.success(),
        "a warning, not an error: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with(UDHR_EN) && l.contains("warning") && l.contains("swapped")),
        "{err}"
    );
    let (m_good, m_bad) = (mean_score(&good), mean_score(&o));
    assert!(m_bad < m_good / 4.0, "mean score {m_bad} vs {m_good}");
}

/// The two sides of different documents (the seed's Arabic against the
/// UDHR's English): a warning that they share almost no vocabulary, and
/// a mean score under half the true UDHR pair's. The path has only 8 1–1
/// beads, so the held-out relatedness test runs on every two-sided bead.
#[test]
fn different_documents_warn_and_score_low() {
    let good = run(&["align", UDHR_AR, UDHR_EN]);
    let o = run(&["align", SEED, UDHR_EN]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.lines().any(|l| l.starts_with(SEED)
            && l.contains("warning")
            && l.contains("share almost no vocabulary")),
        "no warning for different documents: {err}"
    );
    let (m_good, m_bad) = (mean_score(&good), mean_score(&o));
    assert!(m_bad < m_good / 2.0, "mean score {m_bad} vs {m_good}");
}

/// A corpus where one document's English side is blank, another's Arabic
/// side is empty, another's English side is missing (manifest) and an
/// English file has no partner: each is reported and skipped, the UDHR
/// pair is aligned and checked in full; exit 2 says documents were
/// skipped. `--strict` stops at the first bad document.
#[test]
fn empty_or_missing_side_skipped_rest_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let c = dir.path().join("corpus");
    let ar = read(UDHR_AR);
    let en = read(UDHR_EN);
    write(&c, "udhr.ar.txt", ar.as_bytes());
    write(&c, "udhr.en.txt", en.as_bytes());
    write(&c, "blank.ar.txt", ar.as_bytes());
    write(&c, "blank.en.txt", b" \n\r\n\t\n");
    write(&c, "nothing.ar.txt", b"");
    write(&c, "nothing.en.txt", en.as_bytes());
    write(
        &c,
        "lonely.en.txt",
        b"An English file without its Arabic.\n",
    );
    let want = run(&["align", UDHR_AR, UDHR_EN]);
    assert!(want.status.success());
    let want_beads = jsonl(&want).len();

    let o = run(&["align", "--corpus", s(&c)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for name in ["blank.en.txt", "nothing.ar.txt"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("empty") && l.contains("skipped")),
            "{name} reported: {err}"
        );
    }
    assert!(
        err.contains("lonely.en.txt") && err.contains("no Arabic partner"),
        "{err}"
    );
    assert!(err.contains("2 of 3 documents skipped"), "{err}");
    let rows = jsonl(&o);
    assert_eq!(rows.len(), want_beads, "the UDHR aligned in full");
    assert!(rows.iter().all(|r| r["doc"] == "udhr"));

    // Same through check, and a manifest naming a missing English file.
    let o = run(&["check", "-g", GLOSSARY, "--corpus", s(&c)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(jsonl(&o).iter().all(|r| r["doc"] == "udhr"));
    let m = write(
        dir.path(),
        "m.csv",
        "doc,ar_path,en_path\nudhr,corpus/udhr.ar.txt,corpus/udhr.en.txt\ngone,corpus/udhr.ar.txt,corpus/gone.en.txt\n"
        .as_bytes(),
    );
    let o = run(&["align", "--manifest", s(&m)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("gone.en.txt") && l.contains("skipped")),
        "{err}"
    );
    assert_eq!(jsonl(&o).len(), want_beads);

    let o = run(&["align", "--strict", "--corpus", s(&c)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("termalign: error: ") && last.contains("blank.en.txt"),
        "{err}"
    );
    assert!(stdout(&o).is_empty(), "strict: nothing written");
}

// ------------------------------------------------- run: output paths

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("under base");
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `run --manifest` naming documents `../../x`, `/etc/evil` and `a b<c>`:
/// the first two are refused (warning with the manifest line), the third is
/// sanitised (`a_b_c_`); nothing is written outside `-o`. With `--strict`
/// the first bad row stops the run before anything is written.
#[test]
fn run_document_names_cannot_escape_the_output_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("a/b/work");
    let ar = read(UDHR_AR);
    let en = read(UDHR_EN);
    write(&work, "in/udhr.ar.txt", ar.as_bytes());
    write(&work, "in/udhr.en.txt", en.as_bytes());
    write(
        &work,
        "m.csv",
        b"doc,ar_path,en_path\nudhr,in/udhr.ar.txt,in/udhr.en.txt\n../../x,in/udhr.ar.txt,in/udhr.en.txt\n/etc/evil,in/udhr.ar.txt,\na b<c>,in/udhr.ar.txt,in/udhr.en.txt\n",
    );
    let before = files_under(dir.path());
    let o = crate::util::run_in(&work, &["run", "--manifest", "m.csv", "-o", "out"]);
    let err = stderr(&o);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{err}");
    for (line, name) in [(3, "../../x"), (4, "/etc/evil")] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("m.csv:{line}: warning: "))
                    && l.contains(name)
                    && l.contains("skipped")),
            "{name} refused: {err}"
        );
    }
    let after = files_under(dir.path());
    let new: Vec<&String> = after.iter().filter(|f| !before.contains(f)).collect();
    assert!(!new.is_empty());
    for f in &new {
        assert!(f.starts_with("a/b/work/out/"), "written outside -o: {f}");
        assert!(
            !f.contains("..") && !f.contains("evil") && !f.contains('<'),
            "{f}"
        );
    }
    for want in [
        "aligned/udhr.csv",
        "aligned/a_b_c_.csv",
        "aligned/a_b_c_.tmx",
    ] {
        assert!(new.iter().any(|f| f.ends_with(want)), "{want} in {new:?}");
    }

    let o = crate::util::run_in(
        &work,
        &["run", "--manifest", "m.csv", "-o", "strict-out", "--strict"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("m.csv:3"), "{err}");
    assert!(!work.join("strict-out").exists(), "nothing written");
}

/// `run -o` under a regular file: exit 2 naming the path, the file
/// untouched, nothing created.
#[test]
fn run_output_directory_not_writable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = write(dir.path(), "blocker", b"a regular file\n");
    let c = dir.path().join("corpus");
    write(&c, "udhr.ar.txt", read(UDHR_AR).as_bytes());
    write(&c, "udhr.en.txt", read(UDHR_EN).as_bytes());
    let before = files_under(dir.path());
    let out = blocker.join("out");
    let o = run(&["run", "--corpus", s(&c), "-o", s(&out), "-q"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("termalign: error: ") && last.contains("blocker"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    assert_eq!(
        std::fs::read(&blocker).expect("blocker"),
        b"a regular file\n"
    );
    assert_eq!(files_under(dir.path()), before, "nothing created");
}
