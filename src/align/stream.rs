//! Alignment of line input built line by line, for inputs too large to
//! hold as text (`--input lines` at a million lines a side).
//!
//! A [`LineSide`] takes the lines of one side in order, a batch at a time,
//! and keeps only their features (lengths, word, anchor and name ids) and
//! the opening text the language checks need; the text itself can be
//! dropped as soon as a batch is in. [`align_lines`] then aligns the two
//! sides exactly as [`super::align`] aligns the same lines given as
//! segments (same beads, same scores, same warnings), returning beads as
//! index ranges, which the caller writes out by reading the text again.
//!
//! ```
//! use termalign::align::stream::{align_lines, LineSide};
//! use termalign::align::AlignOptions;
//! use termalign::Lang;
//!
//! let mut ar = LineSide::new(Lang::Ar);
//! ar.push_lines(&["المادة ١", "يولد جميع الناس أحراراً"]);
//! let mut en = LineSide::new(Lang::En);
//! en.push_lines(&["Article 1", "All human beings are born free"]);
//! let al = align_lines(ar, en, &AlignOptions::default());
//! assert_eq!(al.beads.last().map(|b| (b.ar.end, b.en.end)), Some((2, 2)));
//! ```

use std::ops::Range;

use super::feats::Side;
use super::{align_built, empty_side_warnings, sample_push, AlignOptions};
use crate::model::Lang;

/// The features of one side of a line-input alignment, fed line by line.
#[derive(Debug, Clone)]
pub struct LineSide {
    lang: Lang,
    side: Side,
    /// The opening text, as the language checks read it.
    sample: String,
    sampling: bool,
}

impl LineSide {
    /// An empty side in `lang`.
    pub fn new(lang: Lang) -> LineSide {
        LineSide {
            lang,
            side: Side::empty(),
            sample: String::new(),
            sampling: true,
        }
    }

    /// Add the next lines (each one segment, already without its line
    /// ending). Their features are computed in parallel; nothing of the
    /// text is kept beyond the first couple of hundred kilobytes.
    pub fn push_lines<S: AsRef<str> + Sync>(&mut self, lines: &[S]) {
        if self.sampling {
            for l in lines {
                if !sample_push(&mut self.sample, l.as_ref()) {
                    self.sampling = false;
                    break;
                }
            }
        }
        self.side.extend_lines(lines, self.lang);
    }

    /// Lines added so far.
    pub fn len(&self) -> usize {
        self.side.n()
    }

    /// True before any line is added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Language of the side.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Heap bytes held by the features (diagnostics).
    pub fn heap_bytes(&self) -> usize {
        self.side.heap_bytes() + self.sample.capacity()
    }
}

/// One bead of a line alignment: consecutive Arabic and English line
/// indices (either range may be empty) and the confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct LineBead {
    /// Arabic line indices (0-based).
    pub ar: Range<usize>,
    /// English line indices (0-based).
    pub en: Range<usize>,
    /// Confidence in 0..=1.
    pub score: f64,
}

/// The alignment of two line sides.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineAlignment {
    /// Beads in order; together they cover every line of both sides once.
    pub beads: Vec<LineBead>,
    /// Human-readable warnings, as [`crate::model::Alignment::warnings`].
    pub warnings: Vec<String>,
}

/// Align two sides fed line by line: the same beads, scores and warnings
/// as [`super::align`] on the same lines as segments. The sides are
/// consumed (their features are freed before the beads are returned).
pub fn align_lines(ar: LineSide, en: LineSide, opts: &AlignOptions) -> LineAlignment {
    let (n, m) = (ar.len(), en.len());
    if n == 0 || m == 0 {
        let beads = (0..n)
            .map(|i| (i..i + 1, 0..0))
            .chain((0..m).map(|j| (n..n, j..j + 1)))
            .map(|(ar, en)| LineBead { ar, en, score: 0.0 })
            .collect();
        return LineAlignment {
            beads,
            warnings: empty_side_warnings(n, m),
        };
    }
    let (mut a, mut e) = (ar.side, en.side);
    a.shrink_to_fit();
    e.shrink_to_fit();
    super::find_units(&mut a, &mut e);
    if std::env::var_os("TERMALIGN_DEBUG").is_some() {
        for (name, s) in [("Arabic", &a), ("English", &e)] {
            let [w, an, nm] = s.ids_per_row();
            eprintln!(
                "align: {name} line features {:.1} MB; ids per line: {w:.1} words, {an:.1} anchors, {nm:.1} names",
                s.heap_bytes() as f64 / 1e6
            );
        }
    }
    let (ranges, scores, warnings) = align_built(&a, &e, &ar.sample, &en.sample, opts);
    drop((a, e));
    let beads = ranges
        .into_iter()
        .zip(scores)
        .map(|((ar, en), score)| LineBead { ar, en, score })
        .collect();
    LineAlignment { beads, warnings }
}
