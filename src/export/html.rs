//! The HTML review report: one self-contained file a reviewer opens in a
//! browser, offline.
//!
//! Contents, top to bottom:
//!
//! 1. a sticky bar with the title, the key figures and links to every
//!    section;
//! 2. a summary: documents, beads, mean confidence, findings by check (error
//!    and warning counts), a per-document table and a legend;
//! 3. the findings, grouped by check then by term, each group with its count,
//!    each finding linked to its bead (`#doc-bead` anchors, e.g.
//!    `#udhr-12`) with its message, what was expected and found, and both
//!    excerpts with terms highlighted;
//! 4. per document, a side-by-side table of its beads: English left, Arabic
//!    right (`dir="rtl"`, `lang="ar"`, an Arabic font stack), terms
//!    highlighted with `<mark>` in both columns, confidence as a number and a
//!    bar; low-confidence beads, beads with findings (colour of the worst
//!    severity, with links back to the findings) and one-sided beads (1–0 /
//!    0–1, the missing side hatched) are marked.
//!
//! Every text is HTML-escaped ([`super::xml_escape`]): a segment containing
//! `<script>` is shown, not run. The page carries a Content-Security-Policy
//! that forbids scripts and every external load, so it opens offline and
//! nothing in a document can execute. CSS is inline; there are no images,
//! fonts or scripts to fetch. Output is deterministic (no date, no random
//! ids): anchors derive from document names and bead numbers.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::ops::Range;

use crate::model::{AlignedDoc, Bead, Finding, Lang, Severity};

use super::findings::severity_name;
use super::xml_escape as esc;

/// Term highlighter: byte ranges of terms in a displayed text.
pub type Highlighter<'h> = dyn Fn(&str, Lang) -> Vec<Range<usize>> + Sync + 'h;

/// Everything the report shows.
pub struct Report<'a> {
    /// Page title.
    pub title: &'a str,
    /// Aligned documents, in the order they are shown.
    pub docs: &'a [AlignedDoc],
    /// Findings, in input order (grouped for display).
    pub findings: &'a [Finding],
    /// Returns byte ranges of terms in a displayed text, highlighted with
    /// `<mark>`; overlapping ranges are merged, ranges off a character
    /// boundary or past the end are dropped.
    pub highlight: Option<&'a Highlighter<'a>>,
    /// Beads of bilingual documents scoring below this are marked
    /// low-confidence.
    pub low_confidence: f64,
    /// Said at the top of the summary when the report leaves documents out
    /// (`Partial report.` and this text).
    pub note: Option<&'a str>,
}

const CSS: &str = r#"
:root{--ink:#1f2430;--muted:#5f6b7a;--line:#e3e7ee;--bg:#f6f7f9;--card:#fff;--accent:#1565c0;
--err:#c62828;--err-bg:#fdecea;--warn:#a15c00;--warn-bg:#fff3e0;--low:#6a1b9a;--low-bg:#f6effa;
--mark:#ffe97a;--bar:58px}
*{box-sizing:border-box}
html{scroll-padding-top:calc(var(--bar) + 44px)}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.ar,[lang=ar]{font-family:"Noto Naskh Arabic","Amiri","Noto Sans Arabic","Arial","Tahoma",sans-serif;
font-size:17px;line-height:1.8}
header.top{position:sticky;top:0;z-index:10;height:var(--bar);display:flex;align-items:center;gap:18px;
padding:0 24px;background:#1d2433;color:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}
header.top h1{font-size:17px;margin:0;white-space:nowrap;font-weight:600;overflow:hidden;text-overflow:ellipsis;min-width:0;flex:0 1 auto}
header.top .figs{display:flex;gap:14px;font-size:13px;color:#c9d1de;white-space:nowrap}
header.top .figs b{color:#fff;font-weight:600}
header.top nav{margin-left:auto;display:flex;gap:4px;overflow-x:auto;white-space:nowrap;max-width:55%;flex:0 0 auto}
header.top nav a{color:#dfe6f1;font-size:13px;padding:4px 10px;border-radius:14px;background:rgba(255,255,255,.08)}
header.top nav a:hover{background:rgba(255,255,255,.2);text-decoration:none}
main{max-width:1500px;margin:0 auto;padding:20px 24px 60px}
section{margin-bottom:34px}
h2{font-size:21px;margin:8px 0 12px;font-weight:600}
h2 .sub{font-size:14px;color:var(--muted);font-weight:400;margin-left:8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .v{font-size:26px;font-weight:650}.card .k{color:var(--muted);font-size:13px}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;overflow-x:auto}
.panel h3{margin:0 0 8px;font-size:15px}
table.small{border-collapse:collapse;width:100%;font-size:14px}
table.small th,table.small td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left}
table.small th{white-space:nowrap;color:var(--muted);font-weight:600;font-size:13px}
table.small td.n,table.small th.n{text-align:right;font-variant-numeric:tabular-nums}
table.small tr:last-child td{border-bottom:0}
.legend{display:flex;flex-wrap:wrap;gap:10px 18px;font-size:13px;color:var(--muted);align-items:center}
.sw{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:5px;border:1px solid rgba(0,0,0,.12)}
.pill{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;line-height:20px;white-space:nowrap}
.pill.error{background:var(--err-bg);color:var(--err)}.pill.warning{background:var(--warn-bg);color:var(--warn)}
.pill.low{background:var(--low-bg);color:var(--low)}.pill.one{background:#eceff3;color:#455a64}
.pill.count{background:#eceff3;color:var(--ink)}
.none{color:var(--muted);font-style:italic}
details.check{background:var(--card);border:1px solid var(--line);border-radius:10px;margin-bottom:12px}
details.check>summary{cursor:pointer;padding:10px 16px;font-weight:600;display:flex;gap:10px;align-items:center;list-style:none}
details.check>summary::-webkit-details-marker{display:none}
details.check>summary::before{content:"\25B8";color:var(--muted)}details.check[open]>summary::before{content:"\25BE"}
details.check.error{border-left:4px solid var(--err)}details.check.warning{border-left:4px solid #f0a020}
.term{padding:4px 16px 10px}
.term h4{margin:6px 0;font-size:14px;display:flex;gap:8px;align-items:center}
ul.findings{list-style:none;margin:0;padding:0}
li.finding{display:grid;grid-template-columns:140px minmax(0,1fr) minmax(0,1fr);gap:4px 14px;padding:7px 0;border-top:1px solid var(--line);font-size:14px}
li.finding .loc{font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
li.finding .msg{grid-column:2/4}
li.finding .ef{color:var(--muted);font-size:13px}
li.finding .ex{color:#39414f;white-space:pre-wrap}
li.finding .ex.ar{font-size:16px}
table.align{border-collapse:separate;border-spacing:0;width:100%;background:var(--card);border:1px solid var(--line);border-radius:10px;table-layout:fixed}
table.align th{position:sticky;top:var(--bar);z-index:5;background:#eef1f5;font-size:13px;color:var(--muted);text-align:left;padding:8px 12px;border-bottom:1px solid var(--line)}
table.align th.ar{text-align:right}
table.align col.c-num{width:64px}table.align col.c-meta{width:190px}table.align.ar-only col.c-en{width:16%}
table.align td{vertical-align:top;padding:9px 12px;border-bottom:1px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
table.align tr:last-child td{border-bottom:0}
td.num{font-variant-numeric:tabular-nums;color:var(--muted);font-size:13px;border-left:4px solid transparent;white-space:normal}
td.num a{color:var(--muted)}
td.ar{text-align:right}
td.meta{font-size:12px;white-space:normal}
td.meta .fl{display:block;width:fit-content;max-width:100%;margin-top:4px;white-space:normal;line-height:1.35;padding:2px 8px}
tr.low td{background:var(--low-bg)}
tr.sev-warning td.num{border-left-color:#f0a020}tr.sev-error td.num{border-left-color:var(--err)}
table.align td.gap{background:repeating-linear-gradient(135deg,#f3f4f6 0 8px,#e9ecf0 8px 16px);color:var(--muted);font-style:italic;font-size:13px}
tr:target td{background:#e3f0ff!important}
.score{font-variant-numeric:tabular-nums;font-weight:600}
.bar{height:5px;border-radius:3px;background:#e6e9ee;margin:3px 0 2px;overflow:hidden}
.bar i{display:block;height:100%;background:#43a047}.low .bar i{background:var(--low)}
mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 1px}
.note{background:#eef4fc;border:1px solid #cfe0f5;border-radius:8px;padding:8px 12px;font-size:14px;margin-bottom:10px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
@media (max-width:1250px){header.top .figs{display:none}}
@media (max-width:1100px){.grid2{grid-template-columns:minmax(0,1fr)}header.top nav{max-width:45%}}
@media print{header.top{position:static}table.align th{position:static}}
"#;

/// A bead is "one-sided" when exactly one side is empty.
fn one_sided(b: &Bead) -> bool {
    b.ar.is_empty() != b.en.is_empty()
}

/// Bilingual document: it has an English side.
fn bilingual(d: &AlignedDoc) -> bool {
    !d.en.is_empty()
}

/// Document name as an anchor-safe slug (letters, digits, `-`, `_`).
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "doc".into()
    } else {
        s
    }
}

/// Unique slugs for the documents, in order.
fn slugs(docs: &[AlignedDoc]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    docs.iter()
        .map(|d| {
            let base = slug(&d.name);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}~{n}")
            }
        })
        .collect()
}

/// Sorted, merged, valid highlight ranges of `text`.
fn clean_ranges(text: &str, mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    });
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `text` escaped, with the highlighter's ranges wrapped in `<mark>`.
fn marked(text: &str, lang: Lang, hl: Option<&Highlighter<'_>>) -> String {
    let Some(hl) = hl else {
        return esc(text);
    };
    let ranges = clean_ranges(text, hl(text, lang));
    let mut out = String::with_capacity(text.len() + 32 * ranges.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&esc(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&esc(&text[r.start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

/// Figures of a set of documents.
#[derive(Default)]
struct Figures {
    beads: usize,
    one_one: usize,
    merged: usize,
    one_sided: usize,
    low: usize,
    score_sum: f64,
    scored: usize,
}

impl Figures {
    fn of(docs: &[AlignedDoc], low: f64) -> Self {
        let mut f = Figures::default();
        for d in docs {
            f.beads += d.alignment.beads.len();
            if !bilingual(d) {
                continue;
            }
            for b in &d.alignment.beads {
                if one_sided(b) {
                    f.one_sided += 1;
                } else if b.ar.len() == 1 && b.en.len() == 1 {
                    f.one_one += 1;
                } else {
                    f.merged += 1;
                }
                if b.score < low {
                    f.low += 1;
                }
                if b.score.is_finite() {
                    f.score_sum += b.score;
                    f.scored += 1;
                }
            }
        }
        f
    }

    fn mean(&self) -> String {
        if self.scored == 0 {
            "—".into()
        } else {
            format!("{:.3}", self.score_sum / self.scored as f64)
        }
    }
}

/// Write the report as one self-contained HTML page. The page is written
/// piece by piece (the summary and findings, then one document at a time),
/// so memory holds at most one document's table, not the whole page.
pub fn write_report(w: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    render(report, w)
}

/// Findings of one check, grouped by term (BTreeMap: sorted, empty term first
/// moved last when printing).
struct CheckGroup<'a> {
    errors: usize,
    warnings: usize,
    terms: BTreeMap<&'a str, Vec<usize>>,
}

fn render(r: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    let hl = r.highlight;
    let slugs = slugs(r.docs);
    let slug_of: HashMap<&str, &str> = r
        .docs
        .iter()
        .zip(&slugs)
        .rev() // first document of a name wins
        .map(|(d, s)| (d.name.as_str(), s.as_str()))
        .collect();
    let anchor = |doc: &str, bead: usize| -> String {
        let s = slug_of
            .get(doc)
            .map(|s| s.to_string())
            .unwrap_or_else(|| slug(doc));
        format!("{s}-{bead}")
    };

    // Findings grouped by check then term; row → findings.
    let mut checks: BTreeMap<&str, CheckGroup> = BTreeMap::new();
    let mut by_row: HashMap<(&str, usize), Vec<usize>> = HashMap::new();
    let (mut n_err, mut n_warn) = (0, 0);
    for (i, f) in r.findings.iter().enumerate() {
        let g = checks.entry(f.check.as_str()).or_insert(CheckGroup {
            errors: 0,
            warnings: 0,
            terms: BTreeMap::new(),
        });
        match f.severity {
            Severity::Error => {
                g.errors += 1;
                n_err += 1
            }
            Severity::Warning => {
                g.warnings += 1;
                n_warn += 1
            }
        }
        g.terms.entry(f.term.as_str()).or_default().push(i);
        by_row.entry((f.doc.as_str(), f.bead)).or_default().push(i);
    }
    // Checks with errors first, then by name.
    let mut check_order: Vec<(&str, &CheckGroup)> = checks.iter().map(|(k, v)| (*k, v)).collect();
    check_order.sort_by_key(|(name, g)| (g.errors == 0, *name));

    let figs = Figures::of(r.docs, r.low_confidence);
    let mut h = String::with_capacity(64 * 1024);
    let title = esc(r.title);

    // Head.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"generator\" content=\"termalign {}\">\n<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION")
    );

    // Sticky bar.
    let _ = write!(
        h,
        "<header class=\"top\"><h1>{title}</h1><div class=\"figs\"><span><b>{}</b> documents</span>\
<span><b>{}</b> beads</span><span>confidence <b>{}</b></span><span><b>{}</b> findings</span></div><nav>\
<a href=\"#summary\">Summary</a><a href=\"#findings\">Findings</a>",
        r.docs.len(),
        figs.beads,
        figs.mean(),
        r.findings.len()
    );
    for (d, s) in r.docs.iter().zip(&slugs) {
        let _ = write!(h, "<a href=\"#doc-{}\">{}</a>", esc(s), esc(&d.name));
    }
    h.push_str("</nav></header>\n<main>\n");

    // Summary.
    h.push_str("<section id=\"summary\"><h2>Summary</h2>");
    if let Some(n) = r.note {
        let _ = write!(
            h,
            "<p class=\"note\" id=\"report-limit\"><b>Partial report.</b> {}</p>",
            esc(n)
        );
    }
    h.push_str("<div class=\"cards\">");
    for (v, k) in [
        (r.docs.len().to_string(), "documents"),
        (figs.beads.to_string(), "beads"),
        (figs.mean(), "mean confidence (bilingual)"),
        (figs.low.to_string(), "low-confidence beads"),
        (figs.one_sided.to_string(), "unaligned (1–0 / 0–1)"),
        (n_err.to_string(), "errors"),
        (n_warn.to_string(), "warnings"),
    ] {
        let _ = write!(
            h,
            "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>",
            esc(&v),
            k
        );
    }
    h.push_str("</div><div class=\"grid2\"><div class=\"panel\"><h3>Findings by check</h3>");
    if check_order.is_empty() {
        h.push_str("<p class=\"none\">No findings.</p>");
    } else {
        h.push_str(
            "<table class=\"small\"><tr><th>check</th><th class=\"n\">errors</th>\
<th class=\"n\">warnings</th><th class=\"n\">total</th></tr>",
        );
        for (name, g) in &check_order {
            let _ = write!(
                h,
                "<tr><td><a href=\"#check-{}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&slug(name)),
                esc(name),
                g.errors,
                g.warnings,
                g.errors + g.warnings
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</div><div class=\"panel\"><h3>Documents</h3><table class=\"small\"><tr><th>document</th>\
<th class=\"n\">beads</th><th class=\"n\">1–1</th><th class=\"n\">merged</th><th class=\"n\">unaligned</th>\
<th class=\"n\">low</th><th class=\"n\">mean</th><th class=\"n\">findings</th></tr>");
    for (d, s) in r.docs.iter().zip(&slugs) {
        let f = Figures::of(std::slice::from_ref(d), r.low_confidence);
        let nf = r.findings.iter().filter(|x| x.doc == d.name).count();
        if bilingual(d) {
            let _ = write!(
                h,
                "<tr><td><a href=\"#doc-{}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(s), esc(&d.name), f.beads, f.one_one, f.merged, f.one_sided, f.low, f.mean(), nf
            );
        } else {
            let _ = write!(
                h,
                "<tr><td><a href=\"#doc-{}\">{}</a> <span class=\"pill one\">Arabic only</span></td>\
<td class=\"n\">{}</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">{}</td></tr>",
                esc(s), esc(&d.name), f.beads, nf
            );
        }
    }
    let _ = write!(
        h,
        "</table></div></div>\n<p class=\"legend\" style=\"margin-top:14px\">\
<span><span class=\"sw\" style=\"background:var(--mark)\"></span>term</span>\
<span><span class=\"sw\" style=\"background:var(--low-bg)\"></span>low confidence (score &lt; {:.2})</span>\
<span><span class=\"sw\" style=\"background:repeating-linear-gradient(135deg,#f3f4f6 0 3px,#e0e4ea 3px 6px)\"></span>no counterpart (1–0 / 0–1)</span>\
<span><span class=\"pill one\">2–1</span> English–Arabic segments in a bead, when not 1–1</span>\
<span><span class=\"sw\" style=\"background:var(--err)\"></span>bead with an error</span>\
<span><span class=\"sw\" style=\"background:#f0a020\"></span>bead with a warning</span></p></section>\n",
        r.low_confidence
    );

    // Findings.
    let _ = write!(
        h,
        "<section id=\"findings\"><h2>Findings<span class=\"sub\">{} in {} checks, grouped by check then term</span></h2>",
        r.findings.len(),
        checks.len()
    );
    if check_order.is_empty() {
        h.push_str("<p class=\"none\">No findings.</p>");
    }
    for (name, g) in &check_order {
        let cls = if g.errors > 0 { "error" } else { "warning" };
        let _ = write!(
            h,
            "<details class=\"check {cls}\" id=\"check-{}\" open><summary>{}",
            esc(&slug(name)),
            esc(name)
        );
        if g.errors > 0 {
            let _ = write!(
                h,
                "<span class=\"pill error\">{} error{}</span>",
                g.errors,
                plural(g.errors)
            );
        }
        if g.warnings > 0 {
            let _ = write!(
                h,
                "<span class=\"pill warning\">{} warning{}</span>",
                g.warnings,
                plural(g.warnings)
            );
        }
        h.push_str("</summary>");
        // Named terms first (sorted), then findings without a term.
        let mut terms: Vec<(&&str, &Vec<usize>)> = g.terms.iter().collect();
        terms.sort_by_key(|(t, _)| t.is_empty());
        for (term, idx) in terms {
            let _ = write!(
                h,
                "<div class=\"term\"><h4>{}<span class=\"pill count\">{}</span></h4><ul class=\"findings\">",
                if term.is_empty() {
                    "<span class=\"none\">(no term)</span>".to_string()
                } else {
                    marked(term, Lang::En, None)
                },
                idx.len()
            );
            for &i in idx {
                let f = &r.findings[i];
                let sev = severity_name(f.severity);
                let _ = write!(
                    h,
                    "<li class=\"finding {sev}\" id=\"f-{i}\"><a class=\"loc\" href=\"#{}\">{} · {}</a>\
<span class=\"msg\"><span class=\"pill {sev}\">{sev}</span> {}",
                    esc(&anchor(&f.doc, f.bead)),
                    esc(&f.doc),
                    f.bead,
                    esc(&f.message)
                );
                if !f.expected.is_empty() || !f.found.is_empty() {
                    h.push_str(" <span class=\"ef\">");
                    if !f.expected.is_empty() {
                        let _ = write!(h, "expected <b><bdi>{}</bdi></b>", esc(&f.expected));
                    }
                    if !f.found.is_empty() {
                        let _ = write!(
                            h,
                            "{}found <b><bdi>{}</bdi></b>",
                            if f.expected.is_empty() { "" } else { " · " },
                            esc(&f.found)
                        );
                    }
                    h.push_str("</span>");
                }
                h.push_str("</span><span></span>");
                let _ = write!(
                    h,
                    "<span class=\"ex en\" lang=\"en\">{}</span><span class=\"ex ar\" dir=\"rtl\" lang=\"ar\">{}</span></li>",
                    marked(&f.en_excerpt, Lang::En, hl),
                    marked(&f.ar_excerpt, Lang::Ar, hl)
                );
            }
            h.push_str("</ul></div>");
        }
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
    w.write_all(h.as_bytes())?;
    h.clear();

    // Documents.
    for (d, s) in r.docs.iter().zip(&slugs) {
        let f = Figures::of(std::slice::from_ref(d), r.low_confidence);
        let _ = write!(
            h,
            "<section class=\"doc\" id=\"doc-{}\"><h2>{}<span class=\"sub\">{} beads",
            esc(s),
            esc(&d.name),
            f.beads
        );
        if bilingual(d) {
            let _ = write!(
                h,
                " · mean confidence {} · {} low · {} unaligned",
                f.mean(),
                f.low,
                f.one_sided
            );
        }
        h.push_str("</span></h2>");
        if !bilingual(d) {
            h.push_str(
                "<p class=\"note\">Arabic-only document: no English original is available, \
so the English column is empty. Its Arabic text is reviewed for terms and variants.</p>",
            );
        }
        for w in &d.alignment.warnings {
            let _ = write!(h, "<p class=\"note\">{}</p>", esc(w));
        }
        h.push_str(if bilingual(d) {
            "<table class=\"align\">"
        } else {
            "<table class=\"align ar-only\">"
        });
        h.push_str(
            "<colgroup><col class=\"c-num\"><col class=\"c-en\"><col><col class=\"c-meta\"></colgroup>\
<thead><tr><th>#</th><th>English</th><th class=\"ar\">العربية · Arabic</th><th>",
        );
        h.push_str(if bilingual(d) {
            "confidence · findings"
        } else {
            "findings"
        });
        h.push_str("</th></tr></thead><tbody>\n");
        for (bi, b) in d.alignment.beads.iter().enumerate() {
            let id = format!("{s}-{bi}");
            let row_findings = by_row.get(&(d.name.as_str(), bi));
            let mut cls = vec!["bead"];
            let low = bilingual(d) && b.score < r.low_confidence;
            if low {
                cls.push("low");
            }
            if bilingual(d) && one_sided(b) {
                cls.push("unaligned");
            }
            if let Some(fs) = row_findings {
                cls.push("has-findings");
                if fs
                    .iter()
                    .any(|&i| r.findings[i].severity == Severity::Error)
                {
                    cls.push("sev-error");
                } else {
                    cls.push("sev-warning");
                }
            }
            let _ = write!(
                h,
                "<tr id=\"{}\" class=\"{}\"><td class=\"num\"><a href=\"#{}\">{}</a></td>",
                esc(&id),
                cls.join(" "),
                esc(&id),
                bi
            );
            let en = d.en_text(b);
            let ar = d.ar_text(b);
            if b.en.is_empty() && bilingual(d) {
                h.push_str("<td class=\"en gap\">no English counterpart</td>");
            } else {
                let _ = write!(
                    h,
                    "<td class=\"en\" lang=\"en\">{}</td>",
                    marked(&en, Lang::En, hl)
                );
            }
            if b.ar.is_empty() {
                h.push_str("<td class=\"ar gap\" dir=\"rtl\" lang=\"ar\">لا مقابل عربي · no Arabic counterpart</td>");
            } else {
                let _ = write!(
                    h,
                    "<td class=\"ar\" dir=\"rtl\" lang=\"ar\">{}</td>",
                    marked(&ar, Lang::Ar, hl)
                );
            }
            h.push_str("<td class=\"meta\">");
            if bilingual(d) {
                let pct = (b.score.clamp(0.0, 1.0) * 100.0).round();
                let _ = write!(
                    h,
                    "<span class=\"score\">{}</span><div class=\"bar\"><i style=\"width:{pct}%\"></i></div>",
                    super::score_cell(b.score)
                );
                if low {
                    h.push_str("<span class=\"pill low\">low</span> ");
                }
                if !(b.ar.len() == 1 && b.en.len() == 1) {
                    let _ = write!(
                        h,
                        "<span class=\"pill one\" title=\"{e} English : {a} Arabic segments\">{e}–{a}</span>",
                        e = b.en.len(),
                        a = b.ar.len()
                    );
                }
            }
            if let Some(fs) = row_findings {
                for &i in fs {
                    let f = &r.findings[i];
                    let _ = write!(
                        h,
                        "<a class=\"fl pill {}\" href=\"#f-{i}\" title=\"{}\">{}{}</a>",
                        severity_name(f.severity),
                        esc(&f.message),
                        esc(&f.check),
                        if f.term.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", esc(&f.term))
                        }
                    );
                }
            }
            h.push_str("</td></tr>\n");
        }
        h.push_str("</tbody></table></section>\n");
        w.write_all(h.as_bytes())?;
        h.clear();
    }
    let _ = write!(
        h,
        "</main>\n<footer>termalign {} · English is the original, Arabic the translation · \
bead numbers are 0-based, as in the CSV and TMX exports</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    w.write_all(h.as_bytes())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use crate::model::{Alignment, Segment};

    fn seg(index: usize, text: &str) -> Segment {
        Segment::paragraph(index, text)
    }

    #[test]
    fn ranges_merged_and_validated() {
        let t = "حقوق ab";
        for (input, want) in [
            (vec![0..4, 2..8], vec![0..8]),
            (vec![9..11, 0..2], vec![0..2, 9..11]),
            (vec![1..3], vec![]),           // not on a char boundary
            (vec![5..99], vec![]),          // past the end
            (vec![4..4], vec![]),           // empty
            (vec![0..2, 2..4], vec![0..4]), // adjacent merge
        ] {
            assert_eq!(clean_ranges(t, input.clone()), want, "{input:?}");
        }
    }

    #[test]
    fn marks_are_escaped_pieces() {
        let hl = |t: &str, _: Lang| -> Vec<Range<usize>> {
            t.find("<b>").map(|i| vec![i..i + 3]).unwrap_or_default()
        };
        assert_eq!(
            marked("a <b> & c", Lang::En, Some(&hl)),
            "a <mark>&lt;b&gt;</mark> &amp; c"
        );
    }

    #[test]
    fn script_is_shown_not_run() {
        let doc = AlignedDoc {
            name: "x<y".into(),
            ar: vec![seg(0, "<script>alert(1)</script>")],
            en: vec![seg(0, "Tom & Jerry")],
            alignment: Alignment {
                beads: vec![Bead {
                    ar: vec![0],
                    en: vec![0],
                    score: 0.2,
                }],
                warnings: vec![],
            },
        };
        let mut out = Vec::new();
        write_report(
            &mut out,
            &Report {
                title: "T",
                docs: &[doc],
                findings: &[],
                highlight: None,
                low_confidence: 0.5,
                note: None,
            },
        )
        .unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<script"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Tom &amp; Jerry"));
        assert!(html.contains("id=\"x_y-0\" class=\"bead low\""));
    }

    /// A partial report says so at the top of its summary, escaped; a whole
    /// one does not.
    #[test]
    fn note_opens_the_summary() {
        let page = |note: Option<&str>| {
            let mut out = Vec::new();
            let r = Report {
                title: "T",
                docs: &[],
                findings: &[],
                highlight: None,
                low_confidence: 0.5,
                note,
            };
            write_report(&mut out, &r).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(page(Some("1 < 2")).contains(
            "<section id=\"summary\"><h2>Summary</h2><p class=\"note\" id=\"report-limit\"><b>Partial report.</b> 1 &lt; 2</p><div class=\"cards\">"
        ));
        let whole = page(None);
        assert!(whole.contains("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">"));
        assert!(!whole.contains("report-limit"));
    }

    #[test]
    fn slugs_unique() {
        let mk = |n: &str| AlignedDoc {
            name: n.into(),
            ar: vec![],
            en: vec![],
            alignment: Alignment::default(),
        };
        assert_eq!(
            slugs(&[mk("a/b"), mk("a b"), mk("c")]),
            ["a_b", "a_b~2", "c"]
        );
    }
}
