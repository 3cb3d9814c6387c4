//! `--input lines` streamed in bounded memory (termalign::linefiles) gives
//! the same bytes as the in-memory path, on the UDHR pair and on a
//! multi-thousand-line input built from real text; inputs it cannot
//! stream fall back to the in-memory reader with its errors unchanged.

use std::path::Path;

use termalign::align::AlignOptions;
use termalign::linefiles::{align_line_files, write_line_beads, LineFormat};
use termalign::model::Lang;
use termalign::pipeline::{load_pair, InputMode, LoadOptions, PairSpec};
use termalign::read::Encoding;

use crate::util::{repo, run, stderr};

fn opts() -> LoadOptions {
    LoadOptions {
        input: InputMode::Lines,
        ..LoadOptions::default()
    }
}

const FORMATS: [LineFormat; 2] = [LineFormat::Jsonl, LineFormat::Tsv];

/// Output of the in-memory path (read, segment into lines, align, export)
/// in each of [`FORMATS`].
fn in_memory(ar: &Path, en: &Path) -> Vec<Vec<u8>> {
    let spec = PairSpec {
        name: "doc".into(),
        ar: ar.to_path_buf(),
        en: Some(en.to_path_buf()),
    };
    let (doc, _) = load_pair(&spec, &opts()).unwrap();
    let docs = [doc];
    FORMATS
        .iter()
        .map(|f| {
            let mut out = Vec::new();
            match f {
                LineFormat::Jsonl => termalign::export::write_aligned_jsonl(&mut out, &docs),
                LineFormat::Tsv => termalign::export::write_aligned_tsv(&mut out, &docs),
            }
            .unwrap();
            out
        })
        .collect()
}

/// Output of the streaming path in each of [`FORMATS`], or None when it
/// declines the input.
fn streamed(ar: &Path, en: &Path) -> Option<Vec<Vec<u8>>> {
    let al = align_line_files(ar, en, Encoding::Auto, &AlignOptions::default()).unwrap()?;
    let outs = FORMATS
        .iter()
        .map(|&f| {
            let mut out = Vec::new();
            write_line_beads(&mut out, "doc", ar, en, &al, f).unwrap();
            out
        })
        .collect();
    Some(outs)
}

fn assert_same(ar: &Path, en: &Path) {
    let want = in_memory(ar, en);
    let got = streamed(ar, en).expect("clean UTF-8 is streamed");
    for ((format, got), want) in FORMATS.iter().zip(got).zip(want) {
        assert!(!want.is_empty());
        if got != want {
            let (g, w) = (
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
            );
            let k = g
                .lines()
                .zip(w.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{format:?} differs at record {k}:\n streamed  {:?}\n in memory {:?}",
                g.lines().nth(k),
                w.lines().nth(k)
            );
        }
    }
}

fn corpus(name: &str) -> String {
    std::fs::read_to_string(repo(&format!("corpora/{name}"))).unwrap()
}

/// One sentence a line (blank lines between paragraphs kept).
fn sentence_lines(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        if para.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        for r in termalign::segment::split_sentences(para, lang) {
            let s = para[r].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
        }
    }
    out
}

#[test]
fn udhr_lines_streamed_match_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    // The files as they are: one paragraph a line, blank lines between.
    assert_same(&repo("corpora/udhr.ar.txt"), &repo("corpora/udhr.en.txt"));
    // One sentence a line.
    let ar = dir.path().join("s.ar.txt");
    let en = dir.path().join("s.en.txt");
    let sa = sentence_lines(&corpus("udhr.ar.txt"), Lang::Ar);
    let se = sentence_lines(&corpus("udhr.en.txt"), Lang::En);
    assert!(sa.len() > 150 && se.len() > 150);
    std::fs::write(&ar, sa.join("\n") + "\n").unwrap();
    std::fs::write(&en, se.join("\n") + "\n").unwrap();
    assert_same(&ar, &en);
}

/// A file edited between the two reads — one word of one Arabic line
/// changed, the line count the same — is an error naming the file (the
/// command writes `-o` atomically, so none of that output is kept; on
/// standard output the records before the check are already out).
#[test]
fn a_file_changed_between_the_reads_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let ar = dir.path().join("u.ar.txt");
    let en = dir.path().join("u.en.txt");
    let text = corpus("udhr.ar.txt");
    std::fs::write(&ar, &text).unwrap();
    std::fs::copy(repo("corpora/udhr.en.txt"), &en).unwrap();
    let al = align_line_files(&ar, &en, Encoding::Auto, &AlignOptions::default())
        .unwrap()
        .expect("clean UTF-8 is streamed");
    // Unchanged: written.
    let mut out = Vec::new();
    write_line_beads(&mut out, "doc", &ar, &en, &al, LineFormat::Jsonl).unwrap();
    assert!(!out.is_empty());
    // The same lines, one word different.
    let edited = text.replacen("الإنسان", "الانسان", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.lines().count(), text.lines().count());
    std::fs::write(&ar, edited).unwrap();
    let err = write_line_beads(&mut Vec::new(), "doc", &ar, &en, &al, LineFormat::Jsonl)
        .expect_err("a changed file is not written from");
    let msg = err.to_string();
    assert!(
        msg.contains("u.ar.txt") && msg.contains("differs from the first read"),
        "{msg}"
    );
}

/// Several thousand lines a side (large enough for the coarse-to-fine
/// programme, though in one chunk: the cut points every 8,192 rows are not
/// reached; more beads than the writer reads and formats at a time, 4,096,
/// so the records run across its batches): the UDHR sentences repeated
/// with deletions on the
/// Arabic side and merges on the English side, the seed's Arabic inserted
/// as untranslated text, a byte-order mark, CRLF endings, no final newline.
#[test]
fn thousands_of_real_lines_streamed_match_in_memory() {
    let sa = sentence_lines(&corpus("udhr.ar.txt"), Lang::Ar);
    let se = sentence_lines(&corpus("udhr.en.txt"), Lang::En);
    let seed = corpus("un-a-61-trafficking-women-girls-2007.ar.txt");
    let (mut ar, mut en) = (Vec::new(), Vec::new());
    for rep in 0..26 {
        for (k, l) in sa.iter().enumerate() {
            if (rep * 7 + k) % 23 != 0 {
                ar.push(l.clone());
            }
        }
        if rep == 5 {
            ar.extend(seed.lines().map(str::to_string));
        }
        let mut k = 0;
        while k < se.len() {
            if (rep * 5 + k) % 29 == 0 && k + 1 < se.len() {
                en.push(format!("{} {}", se[k], se[k + 1]));
                k += 2;
            } else {
                en.push(se[k].clone());
                k += 1;
            }
        }
    }
    assert!(
        ar.len() > 3000 && en.len() > 3000,
        "{} {}",
        ar.len(),
        en.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let pa = dir.path().join("big.ar.txt");
    let pe = dir.path().join("big.en.txt");
    std::fs::write(&pa, format!("\u{feff}{}\n", ar.join("\n"))).unwrap();
    std::fs::write(&pe, en.join("\r\n")).unwrap();
    assert_same(&pa, &pe);
    // The command line streams it to the same bytes.
    let got = cli(&pa, &pe);
    assert!(
        got.lines().count() > 4096,
        "{} records",
        got.lines().count()
    );
    assert_eq!(got, cli_want(&pa, &pe, "big"));
}

/// JSON Lines written by the command line for `--input lines`.
/// `termalign align --input lines AR EN`.
fn align_lines(ar: &Path, en: &Path) -> std::process::Output {
    run(&[
        "align",
        "--input",
        "lines",
        ar.to_str().unwrap(),
        en.to_str().unwrap(),
    ])
}

fn cli(ar: &Path, en: &Path) -> String {
    let out = align_lines(ar, en);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// The in-memory output, with the document named `doc` as the CLI names it.
fn cli_want(ar: &Path, en: &Path, doc: &str) -> String {
    String::from_utf8(in_memory(ar, en).swap_remove(0))
        .unwrap()
        .replace("\"doc\":\"doc\"", &format!("\"doc\":\"{doc}\""))
}

/// Inputs the streaming reader declines (windows-1256, a lone CR, a NUL
/// byte, a blank file) go through the in-memory reader; the windows-1256
/// file gives the same output, an invalid file the same error as before.
#[test]
fn unusual_line_files_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("x.en.txt");
    std::fs::write(&en, "One.\nTwo.\nThree.\n").unwrap();
    let ar = dir.path().join("x.ar.txt");
    let cases: [(&str, &[u8]); 4] = [
        (
            "windows-1256",
            b"\xe6\xc7\xcd\xcf.\n\xc7\xcb\xe4\xc7\xe4.\n\xcb\xe1\xc7\xcb\xc9.\n",
        ),
        ("lone CR", "واحد.\rاثنان.\nثلاثة.\n".as_bytes()),
        ("whitespace only", b" \n\n\t\n"),
        ("NUL byte", "واحد.\nاثنان\0.\n".as_bytes()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&ar, bytes).unwrap();
        let s = align_line_files(&ar, &en, Encoding::Auto, &AlignOptions::default()).unwrap();
        assert!(s.is_none(), "{what}: streamed");
    }
    // The windows-1256 file is still aligned, through the in-memory reader.
    std::fs::write(&ar, cases[0].1).unwrap();
    assert_eq!(cli(&ar, &en), cli_want(&ar, &en, "x"));
    // Invalid UTF-8 (not Arabic in windows-1256) on line 3: exit 2 with
    // file and line, as before.
    std::fs::write(
        &ar,
        b"\xd9\x88\xd8\xa7\xd8\xad\xd8\xaf.\nok\n\xff\xfe\xfd\xfc junk\n",
    )
    .unwrap();
    let out = align_lines(&ar, &en);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("x.ar.txt:3"), "{err}");
    // A missing English file is named.
    let gone = dir.path().join("gone.en.txt");
    std::fs::write(&ar, "واحد.\n").unwrap();
    let out = align_lines(&ar, &gone);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gone.en.txt"), "{}", stderr(&out));
}

/// Named pipes cannot be read twice: `align --input lines` on two FIFOs
/// (each written once, by a writer that then closes it) reads each once,
/// through the in-memory reader, and prints what it prints for the same
/// text in plain files. A second read of either pipe would wait for a
/// writer that never comes; the test gives up after a minute.
#[cfg(unix)]
#[test]
fn fifos_are_read_once_and_align_like_plain_files() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    // Named as the corpus files are, so the document's name is the same.
    let (ar, en) = (
        dir.path().join("udhr.ar.txt"),
        dir.path().join("udhr.en.txt"),
    );
    for p in [&ar, &en] {
        let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
        assert!(st.success());
    }
    let want = cli(&repo("corpora/udhr.ar.txt"), &repo("corpora/udhr.en.txt"));
    let writers: Vec<_> = [(&ar, "corpora/udhr.ar.txt"), (&en, "corpora/udhr.en.txt")]
        .into_iter()
        .map(|(p, src)| {
            let (p, bytes) = (p.clone(), std::fs::read(repo(src)).unwrap());
            // Opening a FIFO for writing waits for its reader.
            std::thread::spawn(move || {
                let mut f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
                f.write_all(&bytes).unwrap();
            })
        })
        .collect();
    // Output and errors go to files: a pipe nobody reads could fill and
    // stall the child, which the timeout would then blame on the FIFOs.
    let (out, err) = (dir.path().join("out.jsonl"), dir.path().join("err.txt"));
    let mut child = Command::new(crate::util::bin())
        .args(["align", "--input", "lines"])
        .args([&ar, &en])
        .arg("-o")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("align on two FIFOs did not finish (a pipe read twice?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let errors = std::fs::read_to_string(&err).unwrap();
    assert!(status.success(), "{errors}");
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), want);
}
