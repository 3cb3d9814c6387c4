//! `termalign segment` on the bundled corpora (issue 2): UN numbering,
//! page-break repair, headings and metadata, no text lost, encodings, and
//! bad inputs.

use std::path::Path;

use serde_json::Value;

use crate::util::{jsonl, repo, run, stderr, stdout};

const SEED: &str = "corpora/un-a-61-trafficking-women-girls-2007.ar.txt";

fn segment(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["segment"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.status.success(),
        "termalign {all:?} failed: {}",
        stderr(&out)
    );
    jsonl(&out)
}

fn text_of(v: &Value) -> &str {
    v["text"].as_str().expect("text is a string")
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn numbered(segs: &[Value]) -> Vec<&Value> {
    segs.iter().filter(|s| !s["number"].is_null()).collect()
}

fn seed_text() -> String {
    std::fs::read_to_string(repo(SEED)).expect("seed readable")
}

#[test]
fn seed_has_forty_numbered_paragraphs_in_order() {
    let segs = segment(&[SEED]);
    let nums: Vec<&str> = numbered(&segs)
        .iter()
        .map(|s| s["number"].as_str().expect("number is a string"))
        .collect();
    let want: Vec<String> = (1..=40).map(|n| n.to_string()).collect();
    assert_eq!(nums, want);
    for (i, s) in segs.iter().enumerate() {
        assert_eq!(s["index"], i, "indices are 0-based positions");
    }
    for s in numbered(&segs) {
        assert_eq!(s["kind"], "paragraph");
        // Each numbered paragraph is complete: it ends its last sentence.
        let t = text_of(s);
        assert!(t.ends_with('.'), "paragraph {} ends {:?}", s["number"], t);
        // The displayed text keeps its Arabic-Indic number prefix.
        assert!(t.contains(" - "), "{t}");
    }
}

#[test]
fn seed_page_breaks_repaired() {
    let segs = segment(&[SEED]);
    let para = |n: &str| -> String {
        let found: Vec<&Value> = segs.iter().filter(|s| s["number"] == n).collect();
        assert_eq!(found.len(), 1, "paragraph {n} once");
        text_of(found[0]).to_string()
    };
    // (paragraph, end of the first half, start of the second half)
    let table = [
        (
            "5",
            "التابعة لمكتب",
            "الأمم المتحدة المعني بالمخدرات والجريمة ورئيس مكتب",
        ),
        ("9", "كما شددت على أهمية", "اتخاذ مبادرات وطرح نماذج"),
        ("14", "ما لهم من حقوق الإنسان؛", "فهم معرّضون لظروف"),
        ("31", "إدارات إنفاذ القانون", "المعنية في أستراليا وكندا"),
        (
            "39",
            "لكرامة الضحايا وما لهم",
            "من حقوق الإنسان، باعتبار ذلك",
        ),
    ];
    for (n, first, second) in table {
        let t = para(n);
        let joined = format!("{first} {second}");
        assert!(t.contains(&joined), "paragraph {n} not whole: {t}");
    }
    // Nothing else starts with the continuation text.
    for s in &segs {
        let t = text_of(s);
        assert!(!t.starts_with("الأمم المتحدة المعني بالمخدرات"), "{t}");
        assert!(!t.starts_with("من حقوق الإنسان"), "{t}");
    }
}

#[test]
fn seed_headings_and_metadata() {
    let segs = segment(&[SEED]);
    let kind_of = |text: &str| -> String {
        let s = segs
            .iter()
            .find(|s| text_of(s) == text)
            .unwrap_or_else(|| panic!("no segment {text:?}"));
        s["kind"].as_str().unwrap_or_default().to_string()
    };
    for (text, kind) in [
        ("Distr.: General", "meta"),
        ("4 April 2007", "meta"),
        ("Arabic", "meta"),
        ("Original: English", "meta"),
        ("نيويورك، ٥ آذار/مارس ٢٠٠٧", "meta"),
        ("أولاً - مقدمة", "heading"),
        ("ثانياً - النتائج الرئيسية", "heading"),
        ("ثالثاً - استنتاجات المؤتمر", "heading"),
        ("فهم المخاطر التي يشكلها الاتجار بالأشخاص", "heading"),
        ("الأبعاد الهامة لاستجابة منسقة ومتكاملة", "heading"),
    ] {
        assert_eq!(kind_of(text), kind, "{text}");
    }
    // A line-wrapped block comes out as one segment, wraps joined by a space.
    assert_eq!(
        kind_of(
            "رسالة مؤرخة ٣٠ آذار/مارس ٢٠٠٧ موجهة إلى الأمين العام من الممثلين \
             الدائمين لبيلاروس والفلبين لدى الأمم المتحدة"
        ),
        "heading"
    );
}

#[test]
fn no_text_lost() {
    for f in [SEED, "corpora/udhr.ar.txt", "corpora/udhr.en.txt"] {
        let input = std::fs::read_to_string(repo(f)).expect("readable");
        for level in ["paragraph", "sentence"] {
            let segs = segment(&[f, "--level", level]);
            let joined: String = segs.iter().map(text_of).collect();
            assert_eq!(no_space(&joined), no_space(&input), "{f} at {level} level");
        }
    }
}

#[test]
fn udhr_articles_match_on_both_sides() {
    let en = segment(&["corpora/udhr.en.txt", "--lang", "en"]);
    let ar = segment(&["corpora/udhr.ar.txt", "--lang", "ar"]);
    let articles = |segs: &[Value], word: &str| -> Vec<String> {
        segs.iter()
            .filter(|s| s["kind"] == "heading")
            .filter_map(|s| text_of(s).strip_prefix(word).map(|n| n.trim().to_string()))
            .collect()
    };
    let want: Vec<String> = (1..=30).map(|n| n.to_string()).collect();
    assert_eq!(articles(&en, "Article "), want);
    assert_eq!(articles(&ar, "المادة "), want);
    assert_eq!(en.len(), ar.len(), "same number of segments on both sides");
    // --lang auto detects each side the same way.
    assert_eq!(segment(&["corpora/udhr.ar.txt"]), ar);
}

#[test]
fn sentence_level_on_seed() {
    let paras = segment(&[SEED]);
    let sents = segment(&[SEED, "--level", "sentence"]);
    assert!(sents.len() > paras.len() + 40, "{} sentences", sents.len());
    // Sentences of each paragraph, in order, rebuild it; number on the first only.
    for p in &paras {
        let idx = p["index"].as_u64().expect("index");
        let mine: Vec<&Value> = sents.iter().filter(|s| s["parent"] == idx).collect();
        assert!(!mine.is_empty());
        let joined: String = mine
            .iter()
            .map(|s| text_of(s))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, text_of(p));
        assert_eq!(mine[0]["number"], p["number"]);
        assert!(mine[1..].iter().all(|s| s["number"].is_null()));
        assert!(mine.iter().all(|s| s["kind"] == p["kind"]));
    }
    // Not split inside the number ٩,٥ ; split after دولار.
    let s = sents
        .iter()
        .map(text_of)
        .find(|t| t.contains("٩,٥"))
        .expect("sentence with 9.5");
    assert!(s.ends_with("بأرباح تناهز ٩,٥ بلايين دولار."), "{s}");
    // ؛ does not end a sentence (paragraph 14 has one mid-sentence).
    assert!(sents.iter().all(|s| !text_of(s).ends_with('؛')));
}

/// Compare two outputs line by line, reporting the first difference only.
fn assert_same(got: &str, want: &str, what: &str) {
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "{what}: first difference at output line {}", i + 1);
    }
    assert_eq!(
        got.lines().count(),
        want.lines().count(),
        "{what}: line count"
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p.to_string_lossy().into_owned()
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn encoded_copies_segment_identically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = seed_text();
    let original = stdout(&run(&["segment", SEED]));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    let copies = [
        ("utf8-bom.txt", bom),
        ("crlf.txt", text.replace('\n', "\r\n").into_bytes()),
        ("cr.txt", text.replace('\n', "\r").into_bytes()),
        ("utf16le-bom.txt", utf16(&text, true, true)),
        ("utf16be-bom.txt", utf16(&text, false, true)),
        ("utf16le.txt", utf16(&text, true, false)),
    ];
    for (name, bytes) in copies {
        let p = write(dir.path(), name, &bytes);
        let out = run(&["segment", &p]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_same(&stdout(&out), &original, name);
    }

    // windows-1256 has no Arabic-Indic digits (legacy files carry ASCII
    // digits): compare with the UTF-8 text with its digits folded.
    let folded = termalign::normalize::fold_digits(&text);
    let (cp, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&folded);
    assert!(!unmappable, "seed with ASCII digits fits windows-1256");
    let utf8 = write(dir.path(), "folded.txt", folded.as_bytes());
    let cp1256 = write(dir.path(), "cp1256.txt", &cp);
    let want = run(&["segment", &utf8]);
    let auto = run(&["segment", &cp1256]);
    assert!(auto.status.success(), "{}", stderr(&auto));
    assert_same(&stdout(&auto), &stdout(&want), "windows-1256 detected");
    assert_eq!(numbered(&jsonl(&auto)).len(), 40);
    let warn = stderr(&auto);
    assert!(
        warn.contains("cp1256.txt") && warn.contains("warning") && warn.contains("windows-1256"),
        "detection is reported: {warn}"
    );
    let named = run(&["segment", "--encoding", "windows-1256", &cp1256]);
    assert!(named.status.success(), "{}", stderr(&named));
    assert_same(&stdout(&named), &stdout(&want), "windows-1256 named");
    assert_eq!(stderr(&named), "", "no warning when the encoding is given");
}

#[test]
fn bad_inputs_exit_2_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.ar.txt");
    let mut cases = vec![(missing.to_string_lossy().into_owned(), None)];
    cases.push((write(dir.path(), "empty.txt", b""), None));
    cases.push((write(dir.path(), "blank.txt", b"  \n\r\n\t\n"), None));
    cases.push((
        write(
            dir.path(),
            "binary.txt",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00data",
        ),
        Some(1),
    ));
    let mut bad = "line one\nline two\n".as_bytes().to_vec();
    bad.extend(b"caf\xE9 \xFF\xFE bad\n");
    cases.push((write(dir.path(), "invalid.txt", &bad), Some(3)));
    for (path, line) in cases {
        let out = run(&["segment", &path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("termalign: error: "), "{err}");
        let want = match line {
            Some(l) => format!("{path}:{l}: "),
            None => format!("{path}: "),
        };
        assert!(err.contains(&want), "{err} should name {want}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn long_line_without_newline_is_linear() {
    // About 4 MB on one line, no newline: one paragraph; sentences split.
    let dir = tempfile::tempdir().expect("tempdir");
    let sentence = "وأشار المشاركون إلى أن النساء يشكلن نسبة ٨٠ في المائة من الضحايا. ";
    let text = sentence.repeat(4_000_000 / sentence.len());
    let p = write(dir.path(), "long.txt", text.trim_end().as_bytes());
    let paras = segment(&[&p]);
    assert_eq!(paras.len(), 1);
    assert_eq!(text_of(&paras[0]), text.trim_end());
    let out = run(&["segment", &p, "--level", "sentence", "--format", "tsv"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).lines().count(),
        4_000_000 / sentence.len(),
        "one sentence per repetition"
    );
}

#[test]
fn tsv_matches_jsonl() {
    let segs = segment(&[SEED]);
    let out = run(&["segment", SEED, "--format", "tsv"]);
    assert!(out.status.success());
    let tsv = stdout(&out);
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), segs.len());
    for (r, s) in rows.iter().zip(&segs) {
        assert_eq!(r.len(), 4);
        assert_eq!(r[0], s["index"].to_string());
        assert_eq!(r[1], s["kind"].as_str().unwrap_or_default());
        assert_eq!(r[2], s["number"].as_str().unwrap_or(""));
        assert_eq!(r[3], text_of(s));
    }
}

#[test]
fn reads_standard_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(crate::util::bin())
        .args(["segment", "-", "--format", "tsv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start termalign");
    let text = seed_text();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    let from_file = run(&["segment", SEED, "--format", "tsv"]);
    assert_same(&stdout(&out), &stdout(&from_file), "stdin");
}

/// Body segment texts of `path` (no metadata, no footnotes).
fn texts(path: &str) -> Vec<String> {
    segment(&[path])
        .iter()
        .filter(|s| s["kind"] != "meta" && s["kind"] != "footnote")
        .map(|s| text_of(s).to_string())
        .collect()
}

#[test]
fn page_breaks_planted_in_real_text_are_repaired() {
    let dir = tempfile::tempdir().expect("tempdir");
    // (file, text after which the page breaks, what the break leaves there)
    let table = [
        // After an Arabic comma, with a job number and page number between:
        // the furniture is the evidence that the page, not the clause, ended.
        (SEED, "هو ثالث الأنشطة الإجرامية التي تعود بأرباح طائلة على الصعيد العالمي بعد تهريب الأسلحة والاتجار بالمخدرات،", "\n\n07-29563\n\n- 5 -\n\n"),
        // A short first half ending on a preposition is not a heading.
        ("corpora/udhr.ar.txt", "لكل فرد الحق في", "\n\n"),
        ("corpora/udhr.en.txt", "Everyone has the right to", "\n\n"),
        // Footnotes at the foot of the page, between the two halves.
        (SEED, "مكتب الأمم المتحدة المعني بالمخدرات والجريمة،", "\n__________\n(١) انظر القرار ٥٥/٢٥، المرفق الثاني.\n(٢) المرجع نفسه.\n\n07-29563\n\n"),
        ("corpora/udhr.en.txt", "Everyone has the right to", "\n\n__________\n1 General Assembly resolution 217 A (III).\n\n"),
    ];
    for (i, (file, after, brk)) in table.iter().enumerate() {
        let text = std::fs::read_to_string(repo(file)).expect("readable");
        let at = text.find(after).expect("split point present") + after.len();
        let rest = text[at..].trim_start_matches(' ');
        let damaged = format!("{}{brk}{rest}", &text[..at]);
        let p = write(dir.path(), &format!("damaged{i}.txt"), damaged.as_bytes());
        assert_eq!(
            texts(&p),
            texts(repo(file).to_str().expect("utf-8 path")),
            "{file}: break after {after:?} not repaired"
        );
        let notes = segment(&[&p])
            .iter()
            .filter(|s| s["kind"] == "footnote")
            .count();
        assert_eq!(
            notes,
            brk.matches("\n(").count() + brk.matches("\n1 ").count()
        );
    }
}
