//! The aligner on real text: the UDHR pair against a hand-made gold
//! alignment, a UN-numbered UDHR with damage, mismatched inputs, the
//! output formats; property tests of coverage and order at library level.

use std::path::Path;

use proptest::prelude::*;
use termalign::align::{align, align_sentences, link_f1, AlignOptions};
use termalign::model::{Bead, SegKind, Segment};

use crate::util::{jsonl, repo, run, stderr, stdout};

/// UDHR paragraphs (blank-line blocks) without the article titles.
fn udhr_paragraphs(lang: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo(&format!("corpora/udhr.{lang}.txt"))).unwrap();
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .filter(|p| !is_article_title(p))
        .collect()
}

/// `^Article \d+$` / `^المادة \d+$`.
fn is_article_title(p: &str) -> bool {
    let rest = p
        .strip_prefix("Article ")
        .or_else(|| p.strip_prefix("المادة "));
    rest.is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
}

fn segs(paras: &[String]) -> Vec<Segment> {
    paras
        .iter()
        .enumerate()
        .map(|(i, t)| Segment::paragraph(i, t.as_str()))
        .collect()
}

fn read_gold(path: &Path) -> Vec<Bead> {
    let parse = |s: &str| -> Vec<usize> {
        s.split(',')
            .filter(|x| !x.is_empty())
            .map(|x| x.parse().unwrap())
            .collect()
    };
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (a, e) = l.split_once('\t').unwrap();
            Bead {
                ar: parse(a),
                en: parse(e),
                score: 1.0,
            }
        })
        .collect()
}

fn write_paragraph_file(dir: &Path, name: &str, paras: &[String]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, paras.join("\n\n") + "\n").unwrap();
    p.to_string_lossy().into_owned()
}

fn assert_covers(beads: &[Bead], n: usize, m: usize) {
    let (mut i, mut j) = (0, 0);
    for b in beads {
        assert!(!(b.ar.is_empty() && b.en.is_empty()), "empty bead");
        for &x in &b.ar {
            assert_eq!(x, i, "Arabic out of order in {beads:?}");
            i += 1;
        }
        for &y in &b.en {
            assert_eq!(y, j, "English out of order in {beads:?}");
            j += 1;
        }
        assert!((0.0..=1.0).contains(&b.score), "score {}", b.score);
    }
    assert_eq!((i, j), (n, m), "not every segment covered");
}

/// The UDHR pair, paragraph level, titles removed: link F1 ≥ 0.98 against
/// the hand-made gold, and every article body aligned exactly — through
/// the real binary and its `--input text` segmentation.
#[test]
fn udhr_paragraphs_match_gold() {
    let dir = tempfile::tempdir().unwrap();
    let ar = write_paragraph_file(dir.path(), "udhr.ar.txt", &udhr_paragraphs("ar"));
    let en = write_paragraph_file(dir.path(), "udhr.en.txt", &udhr_paragraphs("en"));
    let out = run(&["align", &ar, &en]);
    assert!(out.status.success(), "{}", stderr(&out));
    let beads: Vec<Bead> = jsonl(&out)
        .iter()
        .map(|v| Bead {
            ar: serde_json::from_value(v["ar"].clone()).unwrap(),
            en: serde_json::from_value(v["en"].clone()).unwrap(),
            score: v["score"].as_f64().unwrap(),
        })
        .collect();
    assert_covers(&beads, 62, 62);
    let gold = read_gold(&repo("tests/data/udhr.gold.tsv"));
    let (p, r, f) = link_f1(&beads, &gold);
    eprintln!("UDHR paragraph level: P={p:.3} R={r:.3} F1={f:.3}");
    assert!(f >= 0.98, "link F1 {f:.3} < 0.98");
    // Article bodies are Arabic and English paragraphs 12..62.
    for k in 12..62 {
        assert!(
            beads.iter().any(|b| b.ar == [k] && b.en == [k]),
            "article body {k} not aligned 1–1"
        );
    }
    // The real mismatches of the preamble are found.
    assert!(
        beads.iter().any(|b| b.ar == [1] && b.en.is_empty()),
        "adoption note 1–0"
    );
    assert!(
        beads.iter().any(|b| b.ar == [9] && b.en == [9, 10]),
        "1–2 bead"
    );
    assert!(
        beads.iter().any(|b| b.ar == [10, 11] && b.en == [11]),
        "2–1 bead"
    );
}

/// Library-level UDHR run, also checked to be deterministic across thread
/// counts.
#[test]
fn udhr_alignment_is_deterministic() {
    let a = segs(&udhr_paragraphs("ar"));
    let e = segs(&udhr_paragraphs("en"));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| align(&a, &e, &AlignOptions::default()));
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| align(&a, &e, &AlignOptions::default()));
    assert_eq!(one, two);
}

const ARABIC_DIGITS: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];

fn arabic_number(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| ARABIC_DIGITS[c.to_digit(10).unwrap() as usize])
        .collect()
}

/// The UDHR article bodies written the UN way (`١ - …` / `1. …`), with
/// Arabic paragraphs 20 and 21 merged under one number and English
/// paragraph 30's number lost: the numbers guide the alignment (even with
/// the Arabic adoption note and the unmatched English preamble paragraph
/// left in) without forcing it.
#[test]
fn numbered_paragraphs_guide_without_forcing() {
    let ar_all = udhr_paragraphs("ar");
    let en_all = udhr_paragraphs("en");
    // Article bodies: Arabic/English paragraphs 12..62, numbered 1..=50.
    let mut ar: Vec<Segment> = Vec::new();
    let mut en: Vec<Segment> = Vec::new();
    let push = |v: &mut Vec<Segment>, text: String, number: Option<usize>| {
        v.push(Segment {
            index: v.len(),
            kind: SegKind::Paragraph,
            number: number.map(|n| n.to_string()),
            text,
            line: None,
            parent: None,
        })
    };
    for k in 1..=50 {
        let a = &ar_all[11 + k];
        if k == 21 {
            // merged into paragraph 20 below
            continue;
        }
        let text = if k == 20 {
            format!("{} - {} {}", arabic_number(k), a, ar_all[11 + 21])
        } else {
            format!("{} - {}", arabic_number(k), a)
        };
        push(&mut ar, text, Some(k));
    }
    for k in 1..=50 {
        let e = &en_all[11 + k];
        if k == 30 {
            push(&mut en, e.clone(), None);
        } else {
            push(&mut en, format!("{k}. {e}"), Some(k));
        }
    }
    let al = align(&ar, &en, &AlignOptions::default());
    assert_covers(&al.beads, ar.len(), en.len());
    // Gold: Arabic index i ↔ English i for i < 19; Arabic 19 (numbered 20,
    // holding 20 and 21) ↔ English 19 + 20; then Arabic i ↔ English i + 1.
    let mut gold = Vec::new();
    for i in 0..19 {
        gold.push(Bead {
            ar: vec![i],
            en: vec![i],
            score: 1.0,
        });
    }
    gold.push(Bead {
        ar: vec![19],
        en: vec![19, 20],
        score: 1.0,
    });
    for i in 20..49 {
        gold.push(Bead {
            ar: vec![i],
            en: vec![i + 1],
            score: 1.0,
        });
    }
    let (_, _, f) = link_f1(&al.beads, &gold);
    eprintln!("numbered UDHR: F1={f:.3}");
    assert!(f >= 0.98, "F1 {f:.3}: {:?}", al.beads);
    assert!(
        al.beads.iter().any(|b| b.ar == [19] && b.en == [19, 20]),
        "merged paragraph"
    );
    assert!(
        al.beads.iter().any(|b| b.ar == [28] && b.en == [29]),
        "unnumbered paragraph"
    );

    // A wrong number must not drag the alignment: renumber one English
    // paragraph to the number of its neighbour.
    let mut en2 = en.clone();
    en2[40].number = Some("40".into());
    let al2 = align(&ar, &en2, &AlignOptions::default());
    let (_, _, f2) = link_f1(&al2.beads, &gold);
    assert!(
        f2 >= 0.98,
        "one wrong number dragged the alignment: F1 {f2:.3}"
    );
}

/// Arabic given where English is expected, unrelated texts, sizes 10×
/// apart: a warning, low scores, still a complete alignment.
#[test]
fn mismatched_inputs_warn_and_score_low() {
    let a = segs(&udhr_paragraphs("ar"));
    let e = segs(&udhr_paragraphs("en"));
    let good = align(&a, &e, &AlignOptions::default());
    assert!(good.warnings.is_empty(), "{:?}", good.warnings);
    let mean = |b: &[Bead]| b.iter().map(|x| x.score).sum::<f64>() / b.len() as f64;
    let good_mean = mean(&good.beads);

    // English given as the Arabic side.
    let swapped = align(&e, &e, &AlignOptions::default());
    assert_covers(&swapped.beads, e.len(), e.len());
    assert!(!swapped.warnings.is_empty());
    assert!(mean(&swapped.beads) < good_mean / 2.0);

    // Different documents: the UDHR Arabic against the seed (Arabic-only
    // UN document) is not possible, so pair the UDHR English with the
    // seed's Arabic.
    let seed = std::fs::read_to_string(repo("corpora/un-a-61-trafficking-women-girls-2007.ar.txt"))
        .unwrap();
    let seed_paras: Vec<String> = seed
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let unrelated = align(&segs(&seed_paras), &e, &AlignOptions::default());
    assert_covers(&unrelated.beads, seed_paras.len(), e.len());
    assert!(
        !unrelated.warnings.is_empty(),
        "no warning for unrelated texts"
    );
    assert!(
        mean(&unrelated.beads) < good_mean / 2.0,
        "{} vs {good_mean}",
        mean(&unrelated.beads)
    );

    // Sizes 10× apart: six Arabic paragraphs against the whole English.
    let small = align(&a[12..18], &e, &AlignOptions::default());
    assert_covers(&small.beads, 6, e.len());
    assert!(
        small.warnings.iter().any(|w| w.contains("differ")),
        "{:?}",
        small.warnings
    );

    // Empty sides.
    let none = align(&[], &e, &AlignOptions::default());
    assert_covers(&none.beads, 0, e.len());
    let both = align(&[], &[], &AlignOptions::default());
    assert!(both.beads.is_empty());
}

/// Sentence level on the UDHR: sentences of each aligned paragraph pair
/// are aligned inside it, with `parent` set and indices over the document.
#[test]
fn udhr_sentences_inside_paragraphs() {
    let a = segs(&udhr_paragraphs("ar"));
    let e = segs(&udhr_paragraphs("en"));
    let opts = AlignOptions::default();
    let para = align(&a, &e, &opts);
    let (sa, se, sal) = align_sentences(&a, &e, &para, &opts);
    assert_covers(&sal.beads, sa.len(), se.len());
    for (k, s) in sa.iter().enumerate() {
        assert_eq!(s.index, k);
        assert!(s.parent.is_some_and(|p| p < a.len()));
    }
    // No sentence bead crosses a paragraph bead.
    for b in &sal.beads {
        let pa: Vec<usize> = b.ar.iter().map(|&i| sa[i].parent.unwrap()).collect();
        let pe: Vec<usize> = b.en.iter().map(|&j| se[j].parent.unwrap()).collect();
        let inside = para
            .beads
            .iter()
            .any(|pb| pa.iter().all(|p| pb.ar.contains(p)) && pe.iter().all(|p| pb.en.contains(p)));
        assert!(inside, "sentence bead {b:?} crosses paragraph beads");
    }
    // Article 1: two sentences each side, aligned 1–1.
    let art1_ar: Vec<usize> = (0..sa.len())
        .filter(|&i| sa[i].parent == Some(12))
        .collect();
    let art1_en: Vec<usize> = (0..se.len())
        .filter(|&j| se[j].parent == Some(12))
        .collect();
    assert_eq!((art1_ar.len(), art1_en.len()), (2, 2));
    assert!(sal
        .beads
        .iter()
        .any(|b| b.ar == [art1_ar[0]] && b.en == [art1_en[0]]));
}

/// TSV output: comma-joined indices, score, texts; JSONL keeps `doc`.
#[test]
fn align_formats() {
    let dir = tempfile::tempdir().unwrap();
    let ar = write_paragraph_file(dir.path(), "udhr.ar.txt", &udhr_paragraphs("ar"));
    let en = write_paragraph_file(dir.path(), "udhr.en.txt", &udhr_paragraphs("en"));
    let out = run(&["align", &ar, &en, "--format", "tsv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 5));
    assert!(rows.iter().any(|r| r[0] == "10,11" && r[1] == "11"));
    assert!(rows.iter().any(|r| r[0] == "1" && r[1].is_empty()));
    let j = jsonl(&run(&["align", &ar, &en]));
    assert_eq!(j.len(), rows.len());
    assert_eq!(j[0]["doc"], "udhr");
    assert!(j[0]["ar_text"].as_str().unwrap().contains("الإعلان"));
    // --input lines: indices are line numbers, blank lines included.
    let lines = jsonl(&run(&["align", "--input", "lines", &ar, &en]));
    let n_ar: usize = lines
        .iter()
        .map(|v| v["ar"].as_array().unwrap().len())
        .sum();
    let want = std::fs::read_to_string(&ar).unwrap().lines().count();
    assert_eq!(n_ar, want);
}

/// A dictionary file is read (bad lines reported with file:line) and used.
#[test]
fn dictionary_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let ar = write_paragraph_file(dir.path(), "udhr.ar.txt", &udhr_paragraphs("ar"));
    let en = write_paragraph_file(dir.path(), "udhr.en.txt", &udhr_paragraphs("en"));
    let dict = dir.path().join("dict.tsv");
    std::fs::write(
        &dict,
        "# en\tar\nfriendly\tودية\nnations\tالأمم\nno tab here\n",
    )
    .unwrap();
    let d = dict.to_string_lossy().into_owned();
    let out = run(&["align", &ar, &en, "--dictionary", &d]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("dict.tsv:4: warning"),
        "{}",
        stderr(&out)
    );
    let strict = run(&["align", &ar, &en, "--dictionary", &d, "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(stderr(&strict).contains("dict.tsv"));
}

fn arb_segments(lang_ar: bool) -> impl Strategy<Value = Vec<Segment>> {
    let words_ar = ["حقوق", "الإنسان", "لكل", "فرد", "الحق", "١٩٤٨", "UNODC", ""];
    let words_en = [
        "human", "rights", "everyone", "has", "the", "right", "1948", "",
    ];
    prop::collection::vec(prop::collection::vec(0usize..8, 0..12), 0..25).prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, ws)| Segment {
                index: i,
                kind: SegKind::Paragraph,
                number: (i % 3 == 0).then(|| (i / 3 + 1).to_string()),
                text: ws
                    .iter()
                    .map(|&w| if lang_ar { words_ar[w] } else { words_en[w] })
                    .collect::<Vec<_>>()
                    .join(" "),
                line: None,
                parent: None,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Beads cover every segment of both sides exactly once, in order,
    /// never crossing — for random inputs including empty and one-sided.
    #[test]
    fn beads_cover_each_segment_once(a in arb_segments(true), e in arb_segments(false)) {
        let al = align(&a, &e, &AlignOptions::default());
        assert_covers(&al.beads, a.len(), e.len());
        let (sa, se, sal) = align_sentences(&a, &e, &al, &AlignOptions::default());
        assert_covers(&sal.beads, sa.len(), se.len());
    }
}

/// The issue's exact input: the UDHR without article titles, the document
/// title or the preamble heading (60 paragraphs a side, no free anchors at
/// the start). Gold: the 62-paragraph gold without those two heading
/// beads, renumbered. The adoption note must be the 1–0 bead (not an
/// English paragraph deleted instead) and every article body exact.
#[test]
fn udhr_without_headings_matches_gold() {
    let (ar, en, gold) = udhr_without_headings();
    let al = align(&segs(&ar), &segs(&en), &AlignOptions::default());
    assert_covers(&al.beads, 60, 60);
    let (p, r, f) = link_f1(&al.beads, &gold);
    eprintln!("UDHR without headings: P={p:.3} R={r:.3} F1={f:.3}");
    assert!(f >= 0.98, "link F1 {f:.3} < 0.98: {:?}", al.beads);
    assert!(
        al.beads.iter().any(|b| b.ar == [0] && b.en.is_empty()),
        "adoption note 1–0: {:?}",
        &al.beads[..4]
    );
    for k in 10..60 {
        assert!(
            al.beads.iter().any(|b| b.ar == [k] && b.en == [k]),
            "article body {k} not aligned 1–1"
        );
    }
}

/// Short true pairs are not called unrelated: stretches of 16, 20 and 25
/// gold beads of the issue's UDHR input (six windows each, as lines) get
/// no "share almost no vocabulary" warning. With so few beads each fold
/// of the held-out test learns its dictionary from a dozen pairs and
/// cannot tell, so the test gives no verdict.
#[test]
fn short_true_pairs_are_not_called_unrelated() {
    let (ar, en, gold) = udhr_without_headings();
    for size in [16, 20, 25] {
        for start in [0, 5, 10, 15, 20, 25] {
            let sub = &gold[start..start + size];
            let a: Vec<String> = sub
                .iter()
                .flat_map(|b| b.ar.iter().map(|&i| ar[i].clone()))
                .collect();
            let e: Vec<String> = sub
                .iter()
                .flat_map(|b| b.en.iter().map(|&j| en[j].clone()))
                .collect();
            let al = align(&segs(&a), &segs(&e), &AlignOptions::default());
            assert!(
                !al.warnings
                    .iter()
                    .any(|w| w.contains("share almost no vocabulary")),
                "{size} beads from {start}: {:?}",
                al.warnings
            );
        }
    }
}

/// The issue's input (see [`udhr_without_headings_matches_gold`]): the
/// paragraphs of both sides and the gold.
fn udhr_without_headings() -> (Vec<String>, Vec<String>, Vec<Bead>) {
    let drop_ar = [0usize, 2];
    let drop_en = [0usize, 1];
    let keep = |v: Vec<String>, drop: &[usize]| -> Vec<String> {
        v.into_iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, p)| p)
            .collect()
    };
    let ar = keep(udhr_paragraphs("ar"), &drop_ar);
    let en = keep(udhr_paragraphs("en"), &drop_en);
    assert_eq!((ar.len(), en.len()), (60, 60));
    assert!(ar[0].contains("217"), "adoption note first: {}", ar[0]);
    let renum = |i: usize, drop: &[usize]| i - drop.iter().filter(|&&d| d < i).count();
    let gold: Vec<Bead> = read_gold(&repo("tests/data/udhr.gold.tsv"))
        .into_iter()
        .filter(|b| {
            !(b.ar.iter().any(|i| drop_ar.contains(i)) || b.en.iter().any(|j| drop_en.contains(j)))
        })
        .map(|b| Bead {
            ar: b.ar.iter().map(|&i| renum(i, &drop_ar)).collect(),
            en: b.en.iter().map(|&j| renum(j, &drop_en)).collect(),
            score: 1.0,
        })
        .collect();
    assert_covers(&gold, 60, 60);
    (ar, en, gold)
}

/// The issue's input written the UN way as plain lines (`--input lines`:
/// the numbers stay in the text, none is read as a paragraph number):
/// English `N. `, Arabic `N - ` in Arabic-Indic digits, the adoption note
/// unnumbered; then Arabic paragraphs 30 and 31 joined on one line and
/// Arabic 45 without its number. A number opens nearly every line, so a
/// bead joining two numbered paragraphs needs the other side to show a
/// number starting inside its line: preamble paragraph 4, which has no
/// Arabic, stays alone instead of joining Arabic 3 as a 1–2 bead, the
/// joined line takes both English paragraphs, and every bead is the
/// gold's.
#[test]
fn numbered_lines_join_only_where_a_number_starts_inside() {
    let (ar0, en0, gold0) = udhr_without_headings();
    // One group per gold bead: (Arabic texts, English texts, number).
    let mut groups: Vec<(Vec<String>, Vec<String>, Option<usize>)> = Vec::new();
    let mut k = 0;
    for b in &gold0 {
        let mut at: Vec<String> = b.ar.iter().map(|&i| ar0[i].clone()).collect();
        let mut et: Vec<String> = b.en.iter().map(|&j| en0[j].clone()).collect();
        let num = (!et.is_empty()).then(|| {
            k += 1;
            k
        });
        if let Some(n) = num {
            et[0] = format!("{n}. {}", et[0]);
            if !at.is_empty() && n != 45 {
                at[0] = format!("{} - {}", arabic_number(n), at[0]);
            }
        }
        if num == Some(31) {
            let (pa, pe, pn) = groups.pop().expect("paragraph 30");
            let joined = format!("{} {}", pa.join(" "), at.join(" "));
            groups.push((vec![joined], [pe, et].concat(), pn));
        } else {
            groups.push((at, et, num));
        }
    }
    let (mut ar, mut en, mut gold) = (Vec::new(), Vec::new(), Vec::new());
    for (at, et, _) in groups {
        gold.push(Bead {
            ar: (ar.len()..ar.len() + at.len()).collect(),
            en: (en.len()..en.len() + et.len()).collect(),
            score: 1.0,
        });
        ar.extend(at);
        en.extend(et);
    }
    let lone = gold
        .iter()
        .find(|b| b.ar.is_empty())
        .expect("an English paragraph without Arabic")
        .en
        .clone();
    let joined = gold
        .iter()
        .find(|b| b.en.len() == 2)
        .expect("the joined line")
        .clone();
    let al = align(&segs(&ar), &segs(&en), &AlignOptions::default());
    assert_covers(&al.beads, ar.len(), en.len());
    let (_, _, f) = link_f1(&al.beads, &gold);
    eprintln!("UDHR numbered lines: F1={f:.3}");
    assert!(
        al.beads.iter().any(|b| b.ar.is_empty() && b.en == lone),
        "English {lone:?} (no Arabic) joined a neighbour: {:?}",
        &al.beads[..6]
    );
    assert!(
        al.beads
            .iter()
            .any(|b| b.ar == joined.ar && b.en == joined.en),
        "joined line {joined:?}"
    );
    // Every bead exact (F1 1.000; the issue asks for 0.98 and every
    // article body exact).
    let pairs = |v: &[Bead]| -> Vec<(Vec<usize>, Vec<usize>)> {
        v.iter().map(|b| (b.ar.clone(), b.en.clone())).collect()
    };
    assert_eq!(pairs(&al.beads), pairs(&gold), "F1 {f:.3}");
}

/// Issue 3 (accuracy on damaged text): paragraphs deleted from one side
/// come out as 1–0 / 0–1 beads, not absorbed into a neighbour's bead as a
/// 2–1 / 1–2 merge, and their neighbours stay 1–1. Real text: the UDHR
/// article bodies (paragraphs 12..62 of both sides are 1–1) with some
/// deleted on one side or the other. (Arabic 40 deleted was absorbed into
/// a 2–1 bead before the coverage test of merged parts.)
#[test]
fn issue_3_deleted_paragraphs_stay_unaligned() {
    // (Arabic paragraphs deleted, English paragraphs deleted)
    let table: [(&[usize], &[usize]); 3] = [(&[20], &[33]), (&[40], &[]), (&[18, 31, 45], &[])];
    for (row, (del_ar, del_en)) in table.into_iter().enumerate() {
        check_deletions(row, del_ar, del_en);
    }
}

/// Deletion patterns the aligner still gets partly wrong (a deleted
/// paragraph's partner absorbed into a 1–2 / 2–1 / 2–2 bead, or a run of
/// shifted 1–1 beads). Measured, not ignored: the share of deleted
/// paragraphs whose partner comes out alone must not fall below what the
/// aligner achieves today (see the issue 3 note), so a regression fails.
#[test]
fn issue_3_harder_deletions_floor() {
    let table: [(&[usize], &[usize]); 6] = [
        (&[14, 40], &[27, 55]),
        (&[23, 47], &[17, 36]),
        (&[], &[30, 44, 58]),
        (&[14], &[]),
        (&[25, 50], &[]),
        (&[], &[22, 38]),
    ];
    let (found, total) = recovery_over(&table);
    eprintln!("harder UDHR deletions: {found}/{total} partners left unaligned");
    assert!(
        found * 100 >= total * FLOOR_PERCENT,
        "{found}/{total} deleted partners unaligned, below {FLOOR_PERCENT}%"
    );
}

/// 9 of 16 when this floor was set.
const FLOOR_PERCENT: usize = 56;

/// [`deletion_recovery`] summed over a table of deletion patterns.
fn recovery_over(table: &[(&[usize], &[usize])]) -> (usize, usize) {
    table.iter().fold((0, 0), |(f, t), (del_ar, del_en)| {
        let (f1, t1) = deletion_recovery(del_ar, del_en);
        (f + f1, t + t1)
    })
}

/// How many of the deleted paragraphs' partners come out alone (1–0 / 0–1)
/// when `del_ar` / `del_en` are deleted from the UDHR, out of how many.
fn deletion_recovery(del_ar: &[usize], del_en: &[usize]) -> (usize, usize) {
    let (ar, ia, en, ie) = udhr_with_deletions(del_ar, del_en);
    let al = align(&segs(&ar), &segs(&en), &AlignOptions::default());
    assert_covers(&al.beads, ar.len(), en.len());
    let alone_en = |j: usize| al.beads.iter().any(|b| b.ar.is_empty() && b.en == [j]);
    let alone_ar = |i: usize| al.beads.iter().any(|b| b.en.is_empty() && b.ar == [i]);
    let found = del_ar.iter().filter(|&&d| alone_en(ie[d])).count()
        + del_en.iter().filter(|&&d| alone_ar(ia[d])).count();
    (found, del_ar.len() + del_en.len())
}

/// Align the UDHR paragraphs with `del_ar` / `del_en` deleted and check
/// that each deleted paragraph's partner is alone in its bead and every
/// other article body is 1–1.
fn check_deletions(row: usize, del_ar: &[usize], del_en: &[usize]) {
    let (ar, ia, en, ie) = udhr_with_deletions(del_ar, del_en);
    let al = align(&segs(&ar), &segs(&en), &AlignOptions::default());
    assert_covers(&al.beads, ar.len(), en.len());
    for &d in del_ar {
        let j = ie[d];
        assert!(
            al.beads.iter().any(|b| b.ar.is_empty() && b.en == [j]),
            "row {row}: English {j} (partner of deleted Arabic {d}) not 0–1: {:?}",
            al.beads
                .iter()
                .filter(|b| b.en.contains(&j))
                .collect::<Vec<_>>()
        );
    }
    for &d in del_en {
        let i = ia[d];
        assert!(
            al.beads.iter().any(|b| b.en.is_empty() && b.ar == [i]),
            "row {row}: Arabic {i} (partner of deleted English {d}) not 1–0: {:?}",
            al.beads
                .iter()
                .filter(|b| b.ar.contains(&i))
                .collect::<Vec<_>>()
        );
    }
    for k in 12..62 {
        if del_ar.contains(&k) || del_en.contains(&k) {
            continue;
        }
        let (i, j) = (ia[k], ie[k]);
        assert!(
            al.beads.iter().any(|b| b.ar == [i] && b.en == [j]),
            "row {row}: article body {k} (Arabic {i}, English {j}) not 1–1"
        );
    }
}

/// The UDHR paragraphs of both sides with `del_ar` / `del_en` deleted, and
/// each original paragraph's new index (`usize::MAX` when deleted).
fn udhr_with_deletions(
    del_ar: &[usize],
    del_en: &[usize],
) -> (Vec<String>, Vec<usize>, Vec<String>, Vec<usize>) {
    let drop = |v: Vec<String>, del: &[usize]| -> (Vec<String>, Vec<usize>) {
        let mut kept = Vec::new();
        let mut new_index = vec![usize::MAX; v.len()];
        for (i, p) in v.into_iter().enumerate() {
            if !del.contains(&i) {
                new_index[i] = kept.len();
                kept.push(p);
            }
        }
        (kept, new_index)
    };
    let (ar, ia) = drop(udhr_paragraphs("ar"), del_ar);
    let (en, ie) = drop(udhr_paragraphs("en"), del_en);
    (ar, ia, en, ie)
}

/// Two crossing deletions a paragraph apart (Arabic `k` and English `k+2`
/// deleted, or the reverse): the deleted paragraphs' partners should come
/// out alone, not joined with a neighbour's in a 2–2 bead. With the old
/// 2–2 prior none of these 10 partners came out alone. Held as a floor:
/// at least 6 of the 10, and both of the (18, 20) row.
#[test]
fn crossing_deletions_two_apart_stay_unaligned() {
    let table: [(&[usize], &[usize]); 5] = [
        (&[10], &[12]),
        (&[18], &[20]),
        (&[23], &[21]),
        (&[49], &[47]),
        (&[56], &[54]),
    ];
    let (found, total) = recovery_over(&table);
    assert!(found >= 6, "{found}/{total} deleted partners unaligned");
    assert_eq!(deletion_recovery(&[18], &[20]), (2, 2));
}

/// A pair too large for one full programme (coarse to fine, in a band)
/// still learns its dictionary well (from a pilot around the length path):
/// the UDHR paragraphs repeated 26 times (1,600 lines a side), each time
/// with one Arabic paragraph deleted and two English ones merged at
/// shifting places, aligned against the gold that follows.
#[test]
fn large_input_aligns_like_a_document() {
    let (pa, pe) = (udhr_paragraphs("ar"), udhr_paragraphs("en"));
    let gold1 = read_gold(&repo("tests/data/udhr.gold.tsv"));
    let one = |b: &Bead| b.ar.len() == 1 && b.en.len() == 1;
    let (mut ar, mut en, mut gold) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..26 {
        let del = (rep * 11 + 3) % gold1.len();
        let merge = (rep * 5 + 20) % (gold1.len() - 1);
        let mut t = 0;
        while t < gold1.len() {
            let b = &gold1[t];
            let (a0, e0) = (ar.len(), en.len());
            if t == merge && one(b) && one(&gold1[t + 1]) {
                let b2 = &gold1[t + 1];
                ar.push(pa[b.ar[0]].clone());
                ar.push(pa[b2.ar[0]].clone());
                en.push(format!("{} {}", pe[b.en[0]], pe[b2.en[0]]));
                gold.push(Bead {
                    ar: vec![a0, a0 + 1],
                    en: vec![e0],
                    score: 1.0,
                });
                t += 2;
                continue;
            }
            let keep_ar = !(t == del && one(b));
            if keep_ar {
                ar.extend(b.ar.iter().map(|&k| pa[k].clone()));
            }
            en.extend(b.en.iter().map(|&k| pe[k].clone()));
            gold.push(Bead {
                ar: (a0..ar.len()).collect(),
                en: (e0..en.len()).collect(),
                score: 1.0,
            });
            t += 1;
        }
    }
    assert!((ar.len() + 1) * (en.len() + 1) > 1_500_000, "{}", ar.len());
    let al = align(&segs(&ar), &segs(&en), &AlignOptions::default());
    assert_covers(&al.beads, ar.len(), en.len());
    let (p, r, f) = link_f1(&al.beads, &gold);
    eprintln!("UDHR x26: P={p:.3} R={r:.3} F1={f:.3}");
    // 0.970 learning from the length path itself, 0.960 from windows
    // aligned without its dictionary (both measured while the last band
    // was 8, doubled to 16 where needed; it is 12 now).
    assert!(f >= 0.99, "link F1 {f:.3}");
}
