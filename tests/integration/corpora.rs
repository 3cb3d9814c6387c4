//! The bundled UDHR plain-text pair is a reproducible conversion of the
//! "UDHR in Unicode" XML in ../shared/corpora/udhr: every `<title>`,
//! `<para>` and `<listitem>` in document order becomes one paragraph, with a
//! blank line between paragraphs. Run with `TERMALIGN_REGEN=1` to rewrite
//! `corpora/udhr.{ar,en}.txt` from the XML.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::util::repo;

/// Flatten a UDHR XML file to paragraphs.
fn flatten(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut depth_in_leaf = 0usize;
    loop {
        match reader.read_event().expect("well-formed UDHR XML") {
            Event::Start(e) => {
                let name = e.local_name();
                let leaf = matches!(name.as_ref(), b"title" | b"para");
                // A listitem holds a <para> in some files and text in others.
                if leaf || name.as_ref() == b"listitem" {
                    if cur.is_none() {
                        cur = Some(String::new());
                        depth_in_leaf = 0;
                    } else {
                        depth_in_leaf += 1;
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                if matches!(name.as_ref(), b"title" | b"para" | b"listitem") {
                    if depth_in_leaf > 0 {
                        depth_in_leaf -= 1;
                    } else if let Some(t) = cur.take() {
                        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !t.is_empty() {
                            out.push(t);
                        }
                    }
                }
            }
            Event::Text(t) => {
                if let Some(c) = cur.as_mut() {
                    c.push_str(&t.unescape().expect("valid XML text"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn to_text(paras: &[String]) -> String {
    let mut s = paras.join("\n\n");
    s.push('\n');
    s
}

#[test]
fn udhr_pair_is_the_conversion_of_the_xml() {
    let shared = repo("../shared/corpora/udhr");
    if !shared.exists() {
        eprintln!("skipping: {} not present", shared.display());
        return;
    }
    for (xml, txt) in [
        ("udhr_arb.xml", "corpora/udhr.ar.txt"),
        ("udhr_eng.xml", "corpora/udhr.en.txt"),
    ] {
        let x = std::fs::read_to_string(shared.join(xml)).unwrap();
        let want = to_text(&flatten(&x));
        if std::env::var_os("TERMALIGN_REGEN").is_some() {
            std::fs::write(repo(txt), &want).unwrap();
        }
        let have = std::fs::read_to_string(repo(txt)).unwrap();
        assert!(
            have == want,
            "{txt} differs from the conversion of {xml}; rerun with TERMALIGN_REGEN=1"
        );
    }
}
