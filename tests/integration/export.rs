//! Exports checked by real, independent consumers:
//!
//! - TMX: well-formed (parsed back with quick-xml), read back by termalign,
//!   and read by Python's Translate Toolkit (`translate.storage.tmx`) with
//!   the same number of units and the same texts;
//! - CSV: read by the `csv` crate and by Python's `csv` module with the same
//!   cells, Arabic byte for byte;
//! - HTML report: opened in headless Chromium (`--dump-dom`: bead rows and
//!   findings counted; a screenshot of the UDHR report saved as
//!   `target/artifacts/udhr-report.png`);
//!
//! `termalign run` is tested in `run.rs`.
//!
//! The external consumers are optional locally: a test that needs one prints
//! `SKIPPED: …` and returns when it is missing. Under CI (`CI` set) a
//! missing consumer fails the test instead; `.ci/run` installs them
//! (`.ci/run`).
//!
//! TODO(lead): TBX-Basic validation (quick-xml well-formedness +
//! `translate.storage.tbx.tbxfile`, same concepts and terms) belongs here once
//! the terminology branch's TBX writer is merged; `check_exports.py probe`
//! already imports `translate.storage.tbx`.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use quick_xml::events::Event;
use termalign::export::csv::{CsvOptions, Delimiter};
use termalign::export::html::Report;
use termalign::export::tmx::TmxOptions;
use termalign::export::{csv_safe, xml_clean, LangCodes};
use termalign::model::{AlignedDoc, Alignment, Bead, Finding, Lang, Segment, Severity};
use termalign::pipeline::{self, LoadOptions, PairSpec};

use crate::util::{repo, run, stderr};

// ---------------------------------------------------------------------------
// External consumers

/// Skip (locally) or fail (CI) when a consumer is missing.
fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is required under CI (.ci/run installs it; see .ci/run)");
    }
    eprintln!("SKIPPED: {what} not installed (CI installs it; see .ci/run)");
}

/// The consumer script, if python3 and Translate Toolkit are available.
fn python() -> Option<PathBuf> {
    let script = repo("tests/consumers/check_exports.py");
    let ok = Command::new("python3")
        .arg(&script)
        .arg("probe")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Some(script)
    } else {
        missing("python3 with translate-toolkit (pip install translate-toolkit)");
        None
    }
}

fn py_json(script: &Path, args: &[&str]) -> serde_json::Value {
    let o = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "check_exports.py {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("check_exports.py prints JSON")
}

/// Headless Chromium, if installed.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(p) = std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        }) {
            return Some(p);
        }
    }
    missing("chromium (apt-get install chromium)");
    None
}

/// One Chromium at a time: the machine is small.
static BROWSER: Mutex<()> = Mutex::new(());

/// Run headless Chromium on a local file with extra arguments; stdout.
fn browse(chrome: &Path, file: &Path, extra: &[&str]) -> String {
    let _guard = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `target/artifacts/`.
fn artifacts() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("artifacts");
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---------------------------------------------------------------------------
// Real documents

fn udhr_spec() -> PairSpec {
    PairSpec {
        name: "udhr".into(),
        ar: repo("corpora/udhr.ar.txt"),
        en: Some(repo("corpora/udhr.en.txt")),
    }
}

fn seed_spec() -> PairSpec {
    PairSpec {
        name: "un-a-61-trafficking-women-girls-2007".into(),
        ar: repo("corpora/un-a-61-trafficking-women-girls-2007.ar.txt"),
        en: None,
    }
}

fn load(spec: &PairSpec) -> AlignedDoc {
    pipeline::load_pair(spec, &LoadOptions::default())
        .expect("corpus loads")
        .0
}

fn seg(index: usize, text: &str) -> Segment {
    Segment::paragraph(index, text)
}

/// A document made to break every exporter: markup, entities, formula
/// cells, control characters, line breaks, RTL text with Latin, and 0–1,
/// 1–0 and 1–2 beads.
fn hostile_doc() -> AlignedDoc {
    let en = [
        "<script>alert(1)</script>",
        "Tom & Jerry say \"hi\" & 'bye' <b>bold</b>",
        "=HYPERLINK(\"http://example.com\",\"click\")",
        "line one\nline two, with comma",
        "-5 degrees; +3; @user",
        "An English paragraph the translator left out.",
        "One English paragraph",
    ];
    let ar = [
        "<script>alert(1)</script> نص",
        "توم & جيري «مرحبا»",
        "=HYPERLINK(\"http://example.com\",\"انقر\")",
        "سطر أول\nسطر ثان، بفاصلة",
        "تحكم\u{1}بالرموز",
        "فقرة عربية لا مقابل لها.",
        "فقرة إنكليزية واحدة",
        "مقسومة إلى فقرتين عربيتين.",
    ];
    AlignedDoc {
        name: "hostile <doc> & co".into(),
        ar: ar.iter().enumerate().map(|(i, t)| seg(i, t)).collect(),
        en: en.iter().enumerate().map(|(i, t)| seg(i, t)).collect(),
        alignment: Alignment {
            beads: (0..5)
                .map(|i| Bead {
                    ar: vec![i],
                    en: vec![i],
                    score: 0.2 * i as f64,
                })
                .chain([
                    Bead {
                        ar: vec![],
                        en: vec![5],
                        score: 0.1,
                    },
                    Bead {
                        ar: vec![5],
                        en: vec![],
                        score: 0.1,
                    },
                    Bead {
                        ar: vec![6, 7],
                        en: vec![6],
                        score: 0.7,
                    },
                ])
                .collect(),
            warnings: vec![],
        },
    }
}

// ---------------------------------------------------------------------------
// Findings and highlights for the report come from the real checks and term
// matcher, with the shipped glossary.

fn shipped_glossary() -> termalign::glossary::Glossary {
    let path = repo("glossaries/un-trafficking-human-rights.csv");
    termalign::glossary::load(&path, true)
        .expect("shipped glossary loads")
        .0
}

fn matcher() -> &'static termalign::terms::TermMatcher {
    static M: std::sync::OnceLock<termalign::terms::TermMatcher> = std::sync::OnceLock::new();
    M.get_or_init(|| termalign::terms::TermMatcher::new(&shipped_glossary()))
}

fn highlight(text: &str, lang: Lang) -> Vec<Range<usize>> {
    matcher()
        .find(text, lang)
        .into_iter()
        .map(|h| h.start..h.end)
        .collect()
}

/// The real checks of `termalign check` over `docs`.
fn real_findings(docs: &[AlignedDoc]) -> Vec<Finding> {
    termalign::check::check(
        docs,
        &shipped_glossary(),
        &termalign::check::CheckOptions::default(),
    )
}

// ---------------------------------------------------------------------------
// TMX

/// Every element and text of an XML file, proving it parses; the number of
/// `<tu>` elements and their `<seg>` texts in order.
fn parse_xml(xml: &str) -> (usize, Vec<String>) {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut tus = 0;
    let mut segs = Vec::new();
    let mut in_seg = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"tu" => tus += 1,
            Ok(Event::Start(e)) if e.name().as_ref() == b"seg" => {
                in_seg = true;
                segs.push(String::new());
            }
            Ok(Event::End(e)) if e.name().as_ref() == b"seg" => in_seg = false,
            Ok(Event::Text(t)) if in_seg => {
                segs.last_mut().unwrap().push_str(&t.unescape().unwrap());
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", r.error_position()),
        }
    }
    (tus, segs)
}

fn tmx_string(docs: &[AlignedDoc], opts: &TmxOptions) -> String {
    let mut v = Vec::new();
    termalign::export::tmx::write(&mut v, docs, opts).unwrap();
    String::from_utf8(v).unwrap()
}

/// Expected (en, ar) of each unit written for `docs`.
fn expected_units(docs: &[AlignedDoc]) -> Vec<(String, String)> {
    docs.iter()
        .flat_map(|d| {
            d.alignment
                .beads
                .iter()
                .map(|b| {
                    (
                        xml_clean(&d.en_text(b)).into_owned(),
                        xml_clean(&d.ar_text(b)).into_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn tmx_of_real_documents_parses_and_reads_back() {
    let docs = [load(&udhr_spec()), load(&seed_spec()), hostile_doc()];
    let x = tmx_string(&docs, &TmxOptions::default());
    let want = expected_units(&docs);
    let (tus, segs) = parse_xml(&x);
    assert_eq!(tus, want.len());
    let flat: Vec<String> = want
        .iter()
        .flat_map(|(e, a)| [e, a])
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    assert_eq!(segs, flat, "quick-xml reads the same texts");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.tmx");
    std::fs::write(&p, &x).unwrap();
    let back = termalign::export::tmx::read(&p).unwrap();
    assert_eq!(
        back.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        docs.iter().map(|d| d.name.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(
        expected_units(&back),
        want,
        "termalign reads back its own TMX"
    );
    // The seed is Arabic-only: every unit has one Arabic variant.
    assert!(back[1].en.is_empty());
    assert_eq!(back[1].ar.len(), docs[1].ar.len());
}

#[test]
fn tmx_read_by_translate_toolkit() {
    let Some(py) = python() else { return };
    let docs = [load(&udhr_spec()), load(&seed_spec()), hostile_doc()];
    let dir = tempfile::tempdir().unwrap();
    for codes in ["en,ar", "en-US,ar-SA"] {
        let opts = TmxOptions {
            codes: LangCodes::parse(codes).unwrap(),
            creation_date: std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000),
            ..TmxOptions::default()
        };
        let p = dir.path().join("udhr.tmx");
        std::fs::write(&p, tmx_string(&docs, &opts)).unwrap();
        let v = py_json(
            &py,
            &["tmx", p.to_str().unwrap(), &opts.codes.en, &opts.codes.ar],
        );
        assert_eq!(v["srclang"], opts.codes.en.as_str());
        assert_eq!(v["header"]["creationdate"], "20231114T221320Z");
        assert_eq!(v["header"]["creationtool"], "termalign");
        let units = v["units"].as_array().unwrap();
        let want = expected_units(&docs);
        assert_eq!(units.len(), want.len(), "{codes}: same number of units");
        for (i, (u, (en, ar))) in units.iter().zip(&want).enumerate() {
            let side = |s: &str| {
                if s.is_empty() {
                    serde_json::Value::Null
                } else {
                    s.into()
                }
            };
            assert_eq!(u["en"], side(en), "{codes}: unit {i} English");
            assert_eq!(u["ar"], side(ar), "{codes}: unit {i} Arabic");
            if !en.is_empty() {
                assert_eq!(u["source"], en.as_str(), "unit {i}: English is the source");
            }
        }
    }
}

#[test]
fn align_format_tmx_cli_and_convert_back_to_csv() {
    let dir = tempfile::tempdir().unwrap();
    let tmx = dir.path().join("udhr.tmx");
    let args = [
        "align",
        "corpora/udhr.ar.txt",
        "corpora/udhr.en.txt",
        "--format",
        "tmx",
        "--lang-codes",
        "en-US,ar",
        "--date",
        "2024-05-01T12:00:00Z",
        "-o",
        tmx.to_str().unwrap(),
    ];
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let x = std::fs::read_to_string(&tmx).unwrap();
    assert!(x.contains(r#"creationdate="20240501T120000Z""#));
    assert!(x.contains(r#"<tuv xml:lang="en-US">"#));
    let doc = load(&udhr_spec());
    assert_eq!(parse_xml(&x).0, doc.alignment.beads.len());
    // Same date, same bytes.
    let again = dir.path().join("again.tmx");
    let mut a2 = args;
    a2[10] = again.to_str().unwrap();
    assert!(run(&a2).status.success());
    assert_eq!(std::fs::read(&again).unwrap(), x.as_bytes());

    // tmx2csv: the memory re-exported as CSV has the texts of `align --format csv`.
    let csv_a = dir.path().join("a.csv");
    let csv_b = dir.path().join("b.csv");
    let o = run(&[
        "align",
        "corpora/udhr.ar.txt",
        "corpora/udhr.en.txt",
        "--format",
        "csv",
        "-o",
        csv_a.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "tmx2csv",
        tmx.to_str().unwrap(),
        "-o",
        csv_b.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cols = |p: &Path| -> Vec<Vec<String>> {
        rust_rows(&std::fs::read(p).unwrap(), b',')
            .into_iter()
            .skip(1)
            .map(|r| r[..4].to_vec())
            .collect()
    };
    assert_eq!(
        cols(&csv_a),
        cols(&csv_b),
        "en, ar, score, doc survive TMX → CSV"
    );
}

#[test]
fn convert_reports_malformed_tmx_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.tmx");
    std::fs::write(
        &p,
        "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"en\"><seg>a</tuv>\n</body></tmx>\n",
    )
    .unwrap();
    let o = run(&["convert", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad.tmx:3:"), "{e}");
    assert_eq!(e.lines().count(), 1, "one-line message: {e}");
}

// ---------------------------------------------------------------------------
// CSV

fn rust_rows(bytes: &[u8], delim: u8) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delim)
        .from_reader(body)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(String::from).collect())
        .collect()
}

#[test]
fn csv_round_trips_through_rust_and_python() {
    let py = python();
    let docs = [load(&udhr_spec()), load(&seed_spec()), hostile_doc()];
    let dir = tempfile::tempdir().unwrap();
    for (bom, delim, codes) in [
        (true, Delimiter::Comma, "en,ar"),
        (false, Delimiter::Tab, "en-US,ar-SA"),
    ] {
        let opts = CsvOptions {
            bom,
            delimiter: delim,
            codes: LangCodes::parse(codes).unwrap(),
        };
        let mut bytes = Vec::new();
        termalign::export::csv::write_aligned(&mut bytes, &docs, &opts).unwrap();
        assert_eq!(bytes.starts_with(b"\xEF\xBB\xBF"), bom);
        let rows = rust_rows(&bytes, delim.byte());
        assert_eq!(rows[0][..2], [opts.codes.en.clone(), opts.codes.ar.clone()]);
        let mut i = 1;
        for d in &docs {
            for (bi, b) in d.alignment.beads.iter().enumerate() {
                let r = &rows[i];
                assert_eq!(r[0], csv_safe(&d.en_text(b)), "row {i} en");
                // Arabic byte for byte (nothing to neutralise in real Arabic).
                assert_eq!(
                    r[1].as_bytes(),
                    csv_safe(&d.ar_text(b)).as_bytes(),
                    "row {i} ar"
                );
                assert_eq!(r[3], d.name);
                assert_eq!(r[4], bi.to_string());
                i += 1;
            }
        }
        assert_eq!(rows.len(), i);
        // The hostile rows: formula neutralised, line break kept.
        let h: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r[3] == "hostile <doc> & co")
            .collect();
        assert_eq!(h.len(), 8);
        assert_eq!(h[5][7], "unaligned: en only");
        assert_eq!(h[6][7], "unaligned: ar only");
        assert_eq!(
            (h[7][5].as_str(), h[7][6].as_str(), h[7][7].as_str()),
            ("6", "6-7", "1-2")
        );
        assert!(h[2][0].starts_with("'=HYPERLINK("), "{:?}", h[2][0]);
        assert!(h[2][1].starts_with("'=HYPERLINK("));
        assert_eq!(h[3][0], "line one\nline two, with comma");
        assert_eq!(h[4][0], "'-5 degrees; +3; @user");

        if let Some(py) = &py {
            let p = dir.path().join("a.csv");
            std::fs::write(&p, &bytes).unwrap();
            let d = if delim == Delimiter::Tab {
                "tab"
            } else {
                "comma"
            };
            let v = py_json(py, &["csv", p.to_str().unwrap(), d]);
            assert_eq!(v["bom"], bom);
            let py_rows: Vec<Vec<String>> = serde_json::from_value(v["rows"].clone()).unwrap();
            assert_eq!(py_rows, rows, "Python's csv module reads the same cells");
        }
    }
}

// ---------------------------------------------------------------------------
// HTML report

fn report_html(title: &str, docs: &[AlignedDoc], findings: &[Finding], hl: bool) -> String {
    let f = highlight;
    let r = Report {
        title,
        docs,
        findings,
        highlight: if hl { Some(&f) } else { None },
        low_confidence: 0.5,
        note: None,
    };
    let mut v = Vec::new();
    termalign::export::html::write_report(&mut v, &r).unwrap();
    String::from_utf8(v).unwrap()
}

#[test]
fn report_escapes_and_highlights() {
    let docs = [load(&udhr_spec()), hostile_doc()];
    let findings = real_findings(&docs);
    let h = report_html("termalign review — test corpus", &docs, &findings, true);
    assert!(!h.contains("<script"), "no script element, ever");
    assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(h.contains("Tom &amp; Jerry say &quot;hi&quot;"));
    assert!(h.contains("<mark>human rights</mark>") || h.contains("<mark>Human Rights</mark>"));
    assert!(h.contains("<mark>حقوق الإنسان</mark>") || h.contains("<mark>لحقوق الإنسان</mark>"));
    assert_eq!(h.matches("<li class=\"finding ").count(), findings.len());
    let beads: usize = docs.iter().map(|d| d.alignment.beads.len()).sum();
    assert_eq!(h.matches(" class=\"bead").count(), beads);
    // Every finding links to a bead row that exists, and back.
    let mut linked = 0;
    for li in h.split("<li class=\"finding ").skip(1) {
        let href = li.split("href=\"#").nth(1).unwrap();
        let target = &href[..href.find('"').unwrap()];
        assert!(h.contains(&format!("<tr id=\"{target}\"")), "{target}");
        linked += 1;
    }
    assert_eq!(linked, findings.len());
    assert!(
        findings.iter().any(|f| f.doc.contains('<')),
        "hostile doc name exercised"
    );
    for i in 0..findings.len() {
        assert!(
            h.contains(&format!("href=\"#f-{i}\"")),
            "row links back to finding {i}"
        );
    }
}

#[test]
fn report_in_headless_chromium() {
    let Some(chrome) = chromium() else { return };
    let docs = [load(&udhr_spec()), load(&seed_spec()), hostile_doc()];
    let findings = real_findings(&docs);
    assert!(
        !findings.is_empty(),
        "the checks find something on the UDHR"
    );
    let dir = artifacts();
    let html = dir.join("report.html");
    std::fs::write(
        &html,
        report_html("termalign review — test corpus", &docs, &findings, true),
    )
    .unwrap();
    let dom = browse(&chrome, &html, &["--dump-dom"]);
    let beads: usize = docs.iter().map(|d| d.alignment.beads.len()).sum();
    assert_eq!(
        dom.matches("class=\"bead").count(),
        beads,
        "one table row per bead in the rendered DOM"
    );
    assert_eq!(dom.matches("class=\"finding ").count(), findings.len());
    assert!(
        !dom.contains("<script"),
        "the segment's <script> is text, not an element"
    );
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Arabic cells are right-to-left.
    assert!(dom.contains("class=\"ar\" dir=\"rtl\" lang=\"ar\""));

    // The UDHR report alone, screenshot kept as an artifact.
    let udhr = [docs[0].clone(), docs[1].clone()];
    let uf = real_findings(&udhr);
    let page = dir.join("udhr-report.html");
    std::fs::write(
        &page,
        report_html(
            "termalign review — UDHR and the trafficking conference (A/61/…)",
            &udhr,
            &uf,
            true,
        ),
    )
    .unwrap();
    let png = dir.join("udhr-report.png");
    let _ = std::fs::remove_file(&png);
    browse(
        &chrome,
        &page,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1400,2400",
        ],
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    assert!(bytes.len() > 50_000, "a real page, not a blank one");
    eprintln!("screenshot: {}", png.display());
}

/// The shipped glossary as TBX v2 is read by Translate Toolkit (which reads
/// only v2) and as TBX v3 by Python's ElementTree: the same concepts with the
/// same preferred terms, and every v3 term with its administrative status.
#[test]
fn tbx_read_by_translate_toolkit_and_elementtree() {
    let Some(py) = python() else { return };
    let g = shipped_glossary();
    let dir = tempfile::tempdir().unwrap();
    let (p2, p3) = (dir.path().join("g2.tbx"), dir.path().join("g3.tbx"));
    for (p, v) in [
        (&p2, termalign::glossary::TbxVersion::V2),
        (&p3, termalign::glossary::TbxVersion::V3),
    ] {
        let mut buf = Vec::new();
        termalign::glossary::write_tbx_version(&mut buf, &g, v).unwrap();
        let xml = String::from_utf8(buf).unwrap();
        parse_xml(&xml); // well-formed for quick-xml too
        std::fs::write(p, xml).unwrap();
    }
    let v = py_json(&py, &["tbx", p2.to_str().unwrap(), p3.to_str().unwrap()]);
    assert_eq!(v["root"], "{urn:iso:std:iso:30042:ed-2}tbx");
    let v2 = v["v2"].as_array().unwrap();
    let v3 = v["v3"].as_array().unwrap();
    assert_eq!(v2.len(), g.concepts.len(), "Translate Toolkit units");
    assert_eq!(v3.len(), g.concepts.len(), "ElementTree concepts");
    for ((c, u2), u3) in g.concepts.iter().zip(v2).zip(v3) {
        assert_eq!(u2["en"], c.en[0], "v2 source of {}", c.id);
        assert_eq!(u2["ar"], c.ar[0], "v2 target of {}", c.id);
        assert_eq!(u3["id"], c.id.as_str());
        let ar: Vec<(String, String)> = serde_json::from_value(u3["ar"].clone()).unwrap();
        let want: Vec<(String, String)> =
            c.ar.iter()
                .enumerate()
                .map(|(i, t)| {
                    let st = if i == 0 {
                        "preferredTerm-admn-sts"
                    } else {
                        "admittedTerm-admn-sts"
                    };
                    (t.clone(), st.to_string())
                })
                .chain(
                    c.forbidden
                        .iter()
                        .map(|t| (t.clone(), "deprecatedTerm-admn-sts".to_string())),
                )
                .collect();
        assert_eq!(ar, want, "v3 Arabic terms of {}", c.id);
    }
}

#[test]
fn convert_to_jsonl_and_tmx_keeps_every_unit() {
    let docs = [load(&udhr_spec()), load(&seed_spec()), hostile_doc()];
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("mem.tmx");
    std::fs::write(&src, tmx_string(&docs, &TmxOptions::default())).unwrap();
    let want = expected_units(&docs);

    let jl = dir.path().join("mem.jsonl");
    let o = run(&[
        "convert",
        src.to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        jl.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&jl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(String, String)> = lines
        .iter()
        .map(|v| {
            (
                v["en_text"].as_str().unwrap().to_string(),
                v["ar_text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);

    let tm = dir.path().join("again.tmx");
    let o = run(&[
        "convert",
        src.to_str().unwrap(),
        "--format",
        "tmx",
        "--date",
        "0",
        "--lang-codes",
        "ar-SA,en-GB",
        "-o",
        tm.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let x = std::fs::read_to_string(&tm).unwrap();
    assert!(x.contains(r#"<tuv xml:lang="ar-SA">"#) && x.contains(r#"srclang="en-GB""#));
    let back = termalign::export::tmx::read(&tm).unwrap();
    assert_eq!(expected_units(&back), want);
}

#[test]
fn align_csv_flags_tab_no_bom_codes() {
    let o = run(&[
        "align",
        "corpora/udhr.ar.txt",
        "corpora/udhr.en.txt",
        "--format",
        "csv",
        "--delimiter",
        "tab",
        "--no-bom",
        "--lang-codes",
        "en-US,ar",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o
        .stdout
        .starts_with(b"en-US\tar\tscore\tdoc\tbead\ten_index\tar_index\tnote\n"));
    let rows = rust_rows(&o.stdout, b'\t');
    let doc = load(&udhr_spec());
    assert_eq!(rows.len(), doc.alignment.beads.len() + 1);
    let bad = run(&[
        "align",
        "corpora/udhr.ar.txt",
        "--format",
        "csv",
        "--lang-codes",
        "fr,ar",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--lang-codes"), "{}", stderr(&bad));
}

#[test]
fn findings_csv_and_jsonl_read_by_python() {
    let Some(py) = python() else { return };
    let docs = [load(&udhr_spec()), hostile_doc()];
    let findings = real_findings(&docs);
    assert!(findings.iter().any(|f| f.severity == Severity::Warning));
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    termalign::export::findings::write_findings_csv(&mut bytes, &findings, &CsvOptions::default())
        .unwrap();
    let p = dir.path().join("findings.csv");
    std::fs::write(&p, &bytes).unwrap();
    let v = py_json(&py, &["csv", p.to_str().unwrap(), "comma"]);
    let py_rows: Vec<Vec<String>> = serde_json::from_value(v["rows"].clone()).unwrap();
    let rows = rust_rows(&bytes, b',');
    assert_eq!(py_rows, rows);
    assert_eq!(rows.len(), findings.len() + 1);
    for (r, f) in rows[1..].iter().zip(&findings) {
        assert_eq!(r[0], f.check);
        assert_eq!(
            r[9].as_bytes(),
            csv_safe(&f.ar_excerpt).as_bytes(),
            "Arabic byte for byte"
        );
    }
    // The hostile formula excerpt is neutralised.
    assert!(rows.iter().any(|r| r[8].starts_with("'-5 degrees")));

    let mut jl = Vec::new();
    termalign::export::findings::write_findings_jsonl(&mut jl, &findings).unwrap();
    let p = dir.path().join("findings.jsonl");
    std::fs::write(&p, &jl).unwrap();
    let v = py_json(&py, &["jsonl", p.to_str().unwrap()]);
    let back: Vec<Finding> = serde_json::from_value(v).unwrap();
    assert_eq!(back, findings);
}
