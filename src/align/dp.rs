//! Banded dynamic programme over alignment beads, in linear memory.
//!
//! The search space is a band of cells `(i, j)` (i Arabic and j English
//! segments consumed) given row by row as `lo[i]..=hi[i]`. Large inputs are
//! solved coarse to fine: both sides are halved by joining neighbours, the
//! halves aligned (recursively, on lengths), and the coarse path projected
//! back and widened into the band of the finer level. When the best path
//! touches the edge of its band the band is widened and the level solved
//! again.

use std::collections::HashMap;

/// A bead shape: (Arabic segments, English segments).
pub(crate) type Shape = (u8, u8);

/// Paragraph-level bead shapes, in tie-breaking order.
pub(crate) const SHAPES_PARAGRAPH: &[Shape] = &[(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2)];
/// Sentence-level bead shapes (adds 3–1 and 1–3).
pub(crate) const SHAPES_SENTENCE: &[Shape] = &[
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
];
/// Shapes used on coarse (joined) levels.
pub(crate) const SHAPES_COARSE: &[Shape] = &[(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)];

/// Cells up to which a level is solved over the full matrix.
pub(crate) const FULL_LIMIT: usize = 1_500_000;
/// Cells up to which the length path's coarsest level is solved over the
/// full matrix (one thread). Each finer level is re-solved in a band
/// around the one below, so the coarsest level only has to be near: at
/// 65,536 (about 256 joined segments a side) the paths of the 20k and
/// 100k line sets and of the 50 joined documents are the same as at
/// [`FULL_LIMIT`], and at 20k lines the first pass takes 0.06–0.11 s
/// against 0.10–0.15 s.
const LENGTH_FULL_LIMIT: usize = 65_536;

/// Cost of beads for the programme.
pub(crate) trait Scorer: Sync {
    /// Cost of the bead of shape `(a, b)` ending at `(i, j)`: Arabic
    /// segments `i-a..i`, English `j-b..j`.
    fn cost(&self, i: usize, j: usize, a: usize, b: usize) -> f32;

    /// The cost, or anything at least `budget` when the cost is known to
    /// reach it (lets a scorer skip exact work on hopeless beads).
    fn cost_bounded(&self, i: usize, j: usize, a: usize, b: usize, budget: f32) -> f32 {
        let _ = budget;
        self.cost(i, j, a, b)
    }
}

/// A band: for each row `i` in `0..=n`, the columns `lo[i]..=hi[i]`.
#[derive(Debug, Clone)]
pub(crate) struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
    pub m: usize,
}

impl Band {
    pub fn full(n: usize, m: usize) -> Band {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
            m,
        }
    }

    /// The cells within `w` rows and columns of a monotone path from
    /// `(0,0)` to `(n,m)`.
    pub fn around(path: &[(usize, usize)], n: usize, m: usize, w: usize) -> Band {
        let mut jmin = vec![usize::MAX; n + 1];
        let mut jmax = vec![0usize; n + 1];
        let mut prev = (0usize, 0usize);
        for &(i, j) in path {
            for r in prev.0..=i.min(n) {
                jmin[r] = jmin[r].min(prev.1);
                jmax[r] = jmax[r].max(j.min(m));
            }
            prev = (i.min(n), j.min(m));
        }
        for r in 0..=n {
            if jmin[r] == usize::MAX {
                jmin[r] = if r == 0 { 0 } else { jmin[r - 1] };
                jmax[r] = jmax[r].max(jmin[r]);
            }
        }
        // Monotone envelopes, then dilation by w in both directions.
        for r in 1..=n {
            jmin[r] = jmin[r].max(jmin[r - 1]);
            jmax[r] = jmax[r].max(jmax[r - 1]).max(jmin[r]);
        }
        let mut lo = vec![0; n + 1];
        let mut hi = vec![0; n + 1];
        for r in 0..=n {
            let rl = r.saturating_sub(w);
            let rh = (r + w).min(n);
            lo[r] = jmin[rl].saturating_sub(w);
            hi[r] = (jmax[rh] + w).min(m);
        }
        lo[0] = 0;
        hi[n] = m;
        // Rows must overlap so that a path exists.
        for r in 1..=n {
            if lo[r] > hi[r - 1] {
                lo[r] = hi[r - 1];
            }
        }
        Band { lo, hi, m }
    }

    /// Where each row's cells start in one flat array of the band's
    /// cells, and how many cells there are.
    pub fn offsets(&self) -> (Vec<usize>, usize) {
        let mut off = Vec::with_capacity(self.lo.len());
        let mut acc = 0usize;
        for (l, h) in self.lo.iter().zip(&self.hi) {
            off.push(acc);
            acc += h - l + 1;
        }
        (off, acc)
    }

    pub fn cells(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(l, h)| h - l + 1).sum()
    }

    #[inline]
    pub fn contains(&self, i: usize, j: usize) -> bool {
        j >= self.lo[i] && j <= self.hi[i]
    }
}

/// Best path through the band: bead boundary points from `(0,0)` to
/// `(n,m)`, with the shape index of each bead; `None` if the end is not
/// reachable.
pub(crate) fn solve<S: Scorer + ?Sized>(
    band: &Band,
    shapes: &[Shape],
    scorer: &S,
) -> Option<Vec<(usize, usize)>> {
    solve_memo(band, shapes, scorer, None, false).0
}

/// Bead costs met by a solve, per cell of its band and shape: the exact
/// cost, or a lower bound (the budget under which the scorer skipped it).
/// A wider solve of the same problem reuses them instead of scoring the
/// same beads again (the scorer's cost of a bead does not depend on the
/// band).
pub(crate) struct CostMemo {
    band: Band,
    off: Vec<usize>,
    shapes: usize,
    val: Vec<f32>,
    /// 0 not met, 1 exact, 2 lower bound.
    state: Vec<u8>,
}

/// [`solve`], reusing the bead costs of `prev` (a solve of the same
/// problem with the same shapes in another band), and recording this
/// solve's costs when `record` is set.
pub(crate) fn solve_memo<S: Scorer + ?Sized>(
    band: &Band,
    shapes: &[Shape],
    scorer: &S,
    prev: Option<&CostMemo>,
    record: bool,
) -> (Option<Vec<(usize, usize)>>, Option<CostMemo>) {
    let n = band.lo.len() - 1;
    let m = band.m;
    let (off, acc) = band.offsets();
    // Costs of the last four rows only (beads span at most three rows);
    // back-pointers for every cell.
    let mut ring: [Vec<f32>; 4] = Default::default();
    let mut back = vec![u8::MAX; acc];
    let ns = shapes.len();
    let mut memo = record.then(|| CostMemo {
        band: band.clone(),
        off: off.clone(),
        shapes: ns,
        val: vec![0.0; acc * ns],
        state: vec![0; acc * ns],
    });
    let prev = prev.filter(|p| p.shapes == ns && p.band.lo.len() == n + 1 && p.band.m == m);
    for i in 0..=n {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        let mut row = std::mem::take(&mut ring[i % 4]);
        row.clear();
        row.resize(hi - lo + 1, f32::INFINITY);
        for j in lo..=hi {
            if i == 0 && j == 0 {
                row[0] = 0.0;
                continue;
            }
            let mut best = f32::INFINITY;
            let mut bk = u8::MAX;
            let here = off[i] + j - lo;
            let seen = prev
                .filter(|p| p.band.contains(i, j))
                .map(|p| (p.off[i] + j - p.band.lo[i]) * ns);
            for (k, &(a, b)) in shapes.iter().enumerate() {
                let (a, b) = (a as usize, b as usize);
                if i < a || j < b {
                    continue;
                }
                let (pi, pj) = (i - a, j - b);
                if !band.contains(pi, pj) {
                    continue;
                }
                let pc = if a == 0 {
                    row[pj - lo]
                } else {
                    ring[pi % 4][pj - band.lo[pi]]
                };
                if !pc.is_finite() {
                    continue;
                }
                let budget = best - pc;
                // (cost, what to remember: value and state)
                let (cost, rv, rs) = match (prev, seen) {
                    (Some(p), Some(x)) if p.state[x + k] == 1 => (p.val[x + k], p.val[x + k], 1),
                    (Some(p), Some(x)) if p.state[x + k] == 2 && p.val[x + k] >= budget => {
                        (f32::INFINITY, p.val[x + k], 2)
                    }
                    _ => {
                        let v = scorer.cost_bounded(i, j, a, b, budget);
                        if v.is_finite() {
                            (v, v, 1)
                        } else {
                            (v, budget, 2)
                        }
                    }
                };
                if let Some(mm) = memo.as_mut() {
                    mm.val[here * ns + k] = rv;
                    mm.state[here * ns + k] = rs;
                }
                let c = pc + cost;
                if c < best {
                    best = c;
                    bk = k as u8;
                }
            }
            row[j - lo] = best;
            back[here] = bk;
        }
        ring[i % 4] = row;
    }
    drop(ring);
    if !band.contains(n, m) || back[off[n] + m - band.lo[n]] == u8::MAX && (n, m) != (0, 0) {
        return (None, memo);
    }
    let mut path = vec![(n, m)];
    let (mut i, mut j) = (n, m);
    while (i, j) != (0, 0) {
        let k = back[off[i] + j - band.lo[i]];
        if k == u8::MAX {
            return (None, memo);
        }
        let (a, b) = shapes[k as usize];
        i -= a as usize;
        j -= b as usize;
        path.push((i, j));
    }
    path.reverse();
    (Some(path), memo)
}

/// Forward–backward sums over a band: every path weighs
/// `exp(-cost / temp)`, and a bead's posterior probability is the share of
/// the weight on the paths through it (log space).
///
/// A bead whose paths into its end weigh less than `exp(-negligible)` of
/// the best one there is left out (the scorer is given that budget and
/// may skip its exact cost, as in the search): all paths through it
/// together weigh less than that share of the total, so a posterior moves
/// by at most about `exp(-negligible)` per bead left out.
pub(crate) struct Lattice<'b> {
    band: &'b Band,
    shapes: &'b [Shape],
    off: Vec<usize>,
    /// Cost of each bead (cell × shape) kept, infinite if left out.
    cost: Vec<f64>,
    fwd: Vec<f64>,
    bwd: Vec<f64>,
    inv: f64,
    /// Log weight of all paths (`-inf` if no path of kept beads).
    z: f64,
}

impl<'b> Lattice<'b> {
    pub(crate) fn new<S: Scorer + ?Sized>(
        band: &'b Band,
        shapes: &'b [Shape],
        scorer: &S,
        temp: f32,
        negligible: f64,
    ) -> Lattice<'b> {
        let n = band.lo.len() - 1;
        let m = band.m;
        let (off, acc) = band.offsets();
        let ns = shapes.len();
        let mut l = Lattice {
            band,
            shapes,
            off,
            cost: vec![f64::INFINITY; acc * ns],
            fwd: vec![f64::NEG_INFINITY; acc],
            bwd: vec![f64::NEG_INFINITY; acc],
            inv: 1.0 / f64::from(temp),
            z: f64::NEG_INFINITY,
        };
        l.fwd[0] = 0.0;
        let lse = |terms: &[f64]| -> f64 {
            let mx = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if mx == f64::NEG_INFINITY {
                return mx;
            }
            mx + terms.iter().map(|t| (t - mx).exp()).sum::<f64>().ln()
        };
        let mut terms = Vec::with_capacity(ns);
        for i in 0..=n {
            for j in band.lo[i]..=band.hi[i] {
                if (i, j) == (0, 0) {
                    continue;
                }
                terms.clear();
                // Best log weight into (i, j) so far.
                let mut best = f64::NEG_INFINITY;
                for (k, (a, b)) in l.preds(i, j) {
                    let f = l.fwd[l.idx(i - a, j - b)];
                    if f == f64::NEG_INFINITY {
                        continue;
                    }
                    // Costs at or above this weigh under e^-negligible of
                    // the best path in.
                    let budget = (f - best + negligible) * f64::from(temp);
                    let c = f64::from(scorer.cost_bounded(i, j, a, b, budget as f32));
                    if !c.is_finite() || c >= budget {
                        continue;
                    }
                    let at = l.idx(i, j) * ns + k;
                    l.cost[at] = c;
                    let w = f - c * l.inv;
                    best = best.max(w);
                    terms.push(w);
                }
                let at = l.idx(i, j);
                l.fwd[at] = lse(&terms);
            }
        }
        let end = l.idx(n, m);
        l.z = l.fwd[end];
        l.bwd[end] = 0.0;
        for i in (0..=n).rev() {
            for j in (band.lo[i]..=band.hi[i]).rev() {
                if (i, j) == (n, m) {
                    continue;
                }
                terms.clear();
                for (k, &(a, b)) in shapes.iter().enumerate() {
                    let (ni, nj) = (i + a as usize, j + b as usize);
                    if ni > n || nj > m || !band.contains(ni, nj) {
                        continue;
                    }
                    let c = l.cost[l.idx(ni, nj) * ns + k];
                    let g = l.bwd[l.idx(ni, nj)];
                    if c.is_finite() && g > f64::NEG_INFINITY {
                        terms.push(g - c * l.inv);
                    }
                }
                let at = l.idx(i, j);
                l.bwd[at] = lse(&terms);
            }
        }
        l
    }

    #[inline]
    fn idx(&self, i: usize, j: usize) -> usize {
        self.off[i] + j - self.band.lo[i]
    }

    /// The shapes (index, sizes) of the beads into `(i, j)` that start in
    /// the band.
    fn preds(&self, i: usize, j: usize) -> impl Iterator<Item = (usize, (usize, usize))> + 'b {
        let (band, shapes) = (self.band, self.shapes);
        shapes
            .iter()
            .map(|&(a, b)| (a as usize, b as usize))
            .enumerate()
            .filter(move |&(_, (a, b))| i >= a && j >= b && band.contains(i - a, j - b))
    }

    /// Posterior of the bead of shape `k` ending at `(i, j)` (0 if left
    /// out).
    fn bead(&self, i: usize, j: usize, k: usize) -> f64 {
        let c = self.cost[self.idx(i, j) * self.shapes.len() + k];
        if !c.is_finite() {
            return 0.0;
        }
        if self.z == f64::NEG_INFINITY {
            // No path of kept beads reaches the end.
            return 0.0;
        }
        let (a, b) = self.shapes[k];
        let f = self.fwd[self.idx(i - a as usize, j - b as usize)];
        (f - c * self.inv + self.bwd[self.idx(i, j)] - self.z)
            .exp()
            .clamp(0.0, 1.0)
    }

    /// Posterior of each bead of `path` (which must lie in the band).
    pub(crate) fn of_path(&self, path: &[(usize, usize)]) -> Vec<f64> {
        path.windows(2)
            .map(|w| {
                let ((i0, j0), (i1, j1)) = (w[0], w[1]);
                self.shapes
                    .iter()
                    .position(|&(a, b)| (a as usize, b as usize) == (i1 - i0, j1 - j0))
                    .map_or(0.0, |k| self.bead(i1, j1, k))
            })
            .collect()
    }

    /// Posterior of each link: that Arabic segment `ii` and English
    /// segment `jj` share a bead, or that a segment is left unaligned.
    fn links(&self) -> Links {
        let n = self.band.lo.len() - 1;
        let mut l = Links {
            pair: vec![0.0; self.fwd.len()],
            outside: HashMap::new(),
            null_a: vec![0.0; n],
            null_e: vec![0.0; self.band.m],
        };
        for i in 0..=n {
            for j in self.band.lo[i]..=self.band.hi[i] {
                for (k, (a, b)) in self.preds(i, j) {
                    let p = self.bead(i, j, k);
                    if p == 0.0 {
                        continue;
                    }
                    if a == 0 {
                        l.null_e[j - 1] += p;
                    } else if b == 0 {
                        l.null_a[i - 1] += p;
                    } else {
                        for ii in i - a..i {
                            for jj in j - b..j {
                                // Link (ii, jj) is kept at the corner
                                // (ii + 1, jj + 1) when the band holds it.
                                if self.band.contains(ii + 1, jj + 1) {
                                    l.pair[self.idx(ii + 1, jj + 1)] += p;
                                } else {
                                    *l.outside.entry((ii, jj)).or_default() += p;
                                }
                            }
                        }
                    }
                }
            }
        }
        l
    }

    /// The path of greatest expected link accuracy (minimum Bayes risk):
    /// each link of its beads gains its posterior less `gamma`, so that a
    /// bead pays off only with links likelier than `gamma`. `None` if no
    /// path of kept beads runs through the band.
    pub(crate) fn max_expected(&self, gamma: f64) -> Option<Vec<(usize, usize)>> {
        let links = self.links();
        let n = self.band.lo.len() - 1;
        let m = self.band.m;
        let ns = self.shapes.len();
        let mut best = vec![f64::NEG_INFINITY; self.fwd.len()];
        let mut back = vec![usize::MAX; self.fwd.len()];
        best[0] = 0.0;
        for i in 0..=n {
            for j in self.band.lo[i]..=self.band.hi[i] {
                let at = self.idx(i, j);
                for (k, (a, b)) in self.preds(i, j) {
                    let f = best[self.idx(i - a, j - b)];
                    if f == f64::NEG_INFINITY || !self.cost[at * ns + k].is_finite() {
                        continue;
                    }
                    let g = if a == 0 {
                        links.null_e[j - 1] - gamma
                    } else if b == 0 {
                        links.null_a[i - 1] - gamma
                    } else {
                        let mut g = 0.0;
                        for ii in i - a..i {
                            for jj in j - b..j {
                                g += links.pair(self, ii, jj) - gamma;
                            }
                        }
                        g
                    };
                    if f + g > best[at] {
                        best[at] = f + g;
                        back[at] = k;
                    }
                }
            }
        }
        let mut path = vec![(n, m)];
        let (mut i, mut j) = (n, m);
        while (i, j) != (0, 0) {
            let k = back[self.idx(i, j)];
            if k == usize::MAX {
                return None;
            }
            i -= self.shapes[k].0 as usize;
            j -= self.shapes[k].1 as usize;
            path.push((i, j));
        }
        path.reverse();
        Some(path)
    }
}

/// Link posteriors of a [`Lattice`].
struct Links {
    /// Pair links, at the band cell of their corner.
    pair: Vec<f64>,
    /// Pair links whose corner lies outside the band.
    outside: HashMap<(usize, usize), f64>,
    null_a: Vec<f64>,
    null_e: Vec<f64>,
}

impl Links {
    fn pair(&self, l: &Lattice, ii: usize, jj: usize) -> f64 {
        if l.band.contains(ii + 1, jj + 1) {
            self.pair[l.idx(ii + 1, jj + 1)]
        } else {
            self.outside.get(&(ii, jj)).copied().unwrap_or(0.0)
        }
    }
}

/// A decoded path (bead corners) and the posterior of each of its beads.
pub(crate) type Decoded = (Vec<(usize, usize)>, Vec<f64>);

/// Decode by posteriors: the path of greatest expected link accuracy
/// among the paths through `band` (see [`Lattice::max_expected`]), or
/// `path` (the best path, which must lie in the band) if none, with the
/// posterior of each of its beads.
#[allow(clippy::too_many_arguments)]
pub(crate) fn decode<S: Scorer + ?Sized>(
    band: &Band,
    shapes: &[Shape],
    scorer: &S,
    path: &[(usize, usize)],
    temp: f32,
    negligible: f64,
    gamma: f64,
) -> Decoded {
    let l = Lattice::new(band, shapes, scorer, temp, negligible);
    let p = l.max_expected(gamma).unwrap_or_else(|| path.to_vec());
    let post = l.of_path(&p);
    (p, post)
}

/// True when the path runs along an edge of the band that is not an edge
/// of the matrix.
pub(crate) fn touches_edge(band: &Band, path: &[(usize, usize)]) -> bool {
    path.iter()
        .any(|&(i, j)| (j == band.lo[i] && j > 0) || (j == band.hi[i] && j < band.m))
}

/// Solve within a band around `guide`, widening (doubling) while the path
/// touches the band's edge, up to half-width `max_w`.
pub(crate) fn solve_around<S: Scorer, F: Fn(&Band, Option<S>) -> S>(
    guide: &[(usize, usize)],
    n: usize,
    m: usize,
    w0: usize,
    shapes: &[Shape],
    make: F,
    max_w: usize,
) -> Vec<(usize, usize)> {
    let mut w = w0.max(1);
    let mut last: Option<Vec<(usize, usize)>> = None;
    let mut memo: Option<CostMemo> = None;
    // The scorer of the last band, handed to the next (it may keep what
    // it computed for the cells both bands share).
    let mut prev: Option<S> = None;
    loop {
        let band = Band::around(guide, n, m, w);
        let cells = band.cells();
        if last.is_some() && w > max_w {
            break;
        }
        let scorer = make(&band, prev.take());
        if std::env::var_os("TERMALIGN_DEBUG").is_some() {
            eprintln!("band n={n} m={m} w={w} cells={cells}");
        }
        // Keep this band's bead costs for the next, wider band.
        let record = w.saturating_mul(2) <= max_w && cells < (n + 1) * (m + 1);
        let (found, next) = solve_memo(&band, shapes, &scorer, memo.as_ref(), record);
        memo = next;
        prev = Some(scorer);
        match found {
            Some(p) => {
                let edge = touches_edge(&band, &p);
                last = Some(p);
                if !edge || cells >= (n + 1) * (m + 1) {
                    break;
                }
            }
            None => {
                if cells >= (n + 1) * (m + 1) {
                    break;
                }
            }
        }
        w *= 2;
    }
    last.unwrap_or_else(|| staircase(n, m))
}

/// Most rows per independent chunk of a large banded problem.
pub(crate) const CHUNK_ROWS: usize = 8192;

/// Rows per chunk when `n` rows are cut into chunks of at most about
/// `max_rows`: equal chunks, an even number of them when more than one,
/// so that two cores finish together. Depends only on `n`, so that the
/// cut points do not depend on the number of threads. (Callers cut at the
/// first suitable point `size` rows after the last cut, so chunks drift
/// from equal where suitable points are sparse.)
pub(crate) fn chunk_rows(n: usize, max_rows: usize) -> usize {
    let mut k = n.div_ceil(max_rows.max(1)).max(1);
    if k > 1 && k % 2 == 1 {
        k += 1;
    }
    n.div_ceil(k).max(1)
}

/// Solve a large problem around `guide` in independent chunks (in
/// parallel): the path is pinned at guide points that end a 1–1 bead about
/// every [`chunk_rows`] rows (at most about [`CHUNK_ROWS`]). The cut points depend only on the guide, so
/// the result does not depend on the number of threads. `make(i0, j0,
/// band, prev)` builds the scorer of the chunk starting at `(i0, j0)`
/// (`prev`: its scorer for the last, narrower band).
pub(crate) fn solve_chunked<S, F>(
    guide: &[(usize, usize)],
    n: usize,
    w0: usize,
    shapes: &[Shape],
    make: F,
    max_w: usize,
) -> Vec<(usize, usize)>
where
    S: Scorer,
    F: Fn(usize, usize, &Band, Option<S>) -> S + Sync,
{
    use rayon::prelude::*;
    // At points ending a k–k bead (1–1 on fine guides, 2–2 on projected
    // ones).
    let cuts = cut_points(guide, chunk_rows(n, CHUNK_ROWS), ends_square);
    let parts: Vec<Vec<(usize, usize)>> = cuts
        .par_windows(2)
        .map(|w| solve_span(guide, w[0], w[1], w0, shapes, &make, max_w))
        .collect();
    let mut path = vec![(0, 0)];
    for p in parts {
        path.extend(p.into_iter().skip(1));
    }
    path
}

/// True when the step from `p` to `q` is a k–k bead (k ≥ 1): a point a
/// long path may be cut or pinned at.
pub(crate) fn ends_square(p: (usize, usize), q: (usize, usize)) -> bool {
    q.0 > p.0 && q.0 - p.0 == q.1 - p.1
}

/// Indices of the points where `path` is cut into pieces of about `size`
/// rows: its first and last points, and between them the first point
/// `size` rows or more after the last cut whose step in satisfies `pin`,
/// unless fewer than `size / 2` rows remain after it.
pub(crate) fn cut_points(
    path: &[(usize, usize)],
    size: usize,
    pin: impl Fn((usize, usize), (usize, usize)) -> bool,
) -> Vec<usize> {
    let Some(&(n, _)) = path.last() else {
        return Vec::new();
    };
    let mut cuts = vec![0];
    for k in 1..path.len() - 1 {
        let (p, q) = (path[k - 1], path[k]);
        if pin(p, q) && q.0 >= path[cuts[cuts.len() - 1]].0 + size && n - q.0 >= size / 2 {
            cuts.push(k);
        }
    }
    if cuts.last() != Some(&(path.len() - 1)) {
        cuts.push(path.len() - 1);
    }
    cuts
}

/// The piece of `path` between its points `k0` and `k1`, moved to start at
/// the origin, and where it started.
pub(crate) fn piece(
    path: &[(usize, usize)],
    k0: usize,
    k1: usize,
) -> ((usize, usize), Vec<(usize, usize)>) {
    let (i0, j0) = path[k0];
    let sub = path[k0..=k1]
        .iter()
        .map(|&(i, j)| (i - i0, j - j0))
        .collect();
    ((i0, j0), sub)
}

/// [`solve_around`] the stretch of `guide` between its points `k0` and
/// `k1` (pinned at both), in the coordinates of the whole problem. `make`
/// is given the stretch's start, as in [`solve_chunked`].
pub(crate) fn solve_span<S, F>(
    guide: &[(usize, usize)],
    k0: usize,
    k1: usize,
    w0: usize,
    shapes: &[Shape],
    make: &F,
    max_w: usize,
) -> Vec<(usize, usize)>
where
    S: Scorer,
    F: Fn(usize, usize, &Band, Option<S>) -> S,
{
    let ((i0, j0), sub) = piece(guide, k0, k1);
    let (n, m) = sub[sub.len() - 1];
    let p = solve_around(
        &sub,
        n,
        m,
        w0,
        shapes,
        |b, prev| make(i0, j0, b, prev),
        max_w,
    );
    p.into_iter().map(|(i, j)| (i + i0, j + j0)).collect()
}

/// A fallback path: diagonal 1–1 beads, then the rest one-sided.
pub(crate) fn staircase(n: usize, m: usize) -> Vec<(usize, usize)> {
    let mut p = vec![(0, 0)];
    let k = n.min(m);
    for t in 1..=k {
        p.push((t, t));
    }
    for i in k + 1..=n {
        p.push((i, k));
    }
    for j in k + 1..=m {
        p.push((k, j));
    }
    p
}

/// Length-only scorer over prefix sums (coarse levels).
pub(crate) struct LenScorer<'a> {
    pub pa: &'a [f64],
    pub pe: &'a [f64],
    pub model: &'a crate::align::LengthModel,
}

impl Scorer for LenScorer<'_> {
    fn cost(&self, i: usize, j: usize, a: usize, b: usize) -> f32 {
        let la = self.pa[i] - self.pa[i - a];
        let le = self.pe[j] - self.pe[j - b];
        self.model.bead_cost(la, le, a, b)
    }
}

/// Prefix sums of joined pairs: every other boundary, plus the end.
pub(crate) fn halve(p: &[f64]) -> Vec<f64> {
    let n = p.len() - 1;
    let mut out: Vec<f64> = p.iter().step_by(2).copied().collect();
    if n % 2 == 1 {
        out.push(p[n]);
    }
    out
}

/// Coarse-to-fine guide path for prefix-summed lengths `pa`, `pe`.
pub(crate) fn length_path(
    pa: &[f64],
    pe: &[f64],
    model: &crate::align::LengthModel,
) -> Vec<(usize, usize)> {
    let n = pa.len() - 1;
    let m = pe.len() - 1;
    if (n + 1) * (m + 1) <= LENGTH_FULL_LIMIT {
        let scorer = LenScorer { pa, pe, model };
        return solve(&Band::full(n, m), SHAPES_COARSE, &scorer).unwrap_or_else(|| staircase(n, m));
    }
    let ca = halve(pa);
    let ce = halve(pe);
    let coarse = length_path(&ca, &ce, model);
    let guide = project(&coarse, n, m);
    solve_chunked(
        &guide,
        n,
        3,
        SHAPES_COARSE,
        |i0, j0, _, _| LenScorer {
            pa: &pa[i0..],
            pe: &pe[j0..],
            model,
        },
        12,
    )
}

/// Project a path on halved sequences to the full ones.
pub(crate) fn project(coarse: &[(usize, usize)], n: usize, m: usize) -> Vec<(usize, usize)> {
    coarse
        .iter()
        .map(|&(i, j)| ((2 * i).min(n), (2 * j).min(m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Diag;
    impl Scorer for Diag {
        fn cost(&self, _i: usize, _j: usize, a: usize, b: usize) -> f32 {
            if a == 1 && b == 1 {
                0.0
            } else {
                1.0 + (a + b) as f32
            }
        }
    }

    #[test]
    fn band_around_contains_path_and_is_connected() {
        let path = vec![(0, 0), (1, 1), (3, 2), (3, 5), (6, 6)];
        for w in [0, 1, 3] {
            let b = Band::around(&path, 6, 6, w);
            for &(i, j) in &path {
                assert!(b.contains(i, j), "w={w} ({i},{j}) {b:?}");
            }
            for r in 1..=6 {
                assert!(b.lo[r] <= b.hi[r - 1] && b.lo[r] >= b.lo[r - 1], "{b:?}");
            }
        }
    }

    /// Pseudo-random bead costs that skip work above the budget, counting
    /// the beads they score.
    struct Noisy {
        seed: u64,
        calls: std::sync::atomic::AtomicUsize,
    }

    impl Noisy {
        fn calls(&self) -> usize {
            self.calls.load(std::sync::atomic::Ordering::Relaxed)
        }
    }

    impl Scorer for Noisy {
        fn cost(&self, i: usize, j: usize, a: usize, b: usize) -> f32 {
            let mut h = self.seed ^ 0x9e37_79b9_7f4a_7c15;
            for v in [i, j, a, b] {
                h = (h ^ v as u64)
                    .wrapping_mul(0x0100_0000_01b3)
                    .rotate_left(17);
            }
            let noise = (h >> 40) as f32 / (1u64 << 24) as f32;
            let shape = if (a, b) == (1, 1) { 0.0 } else { 1.5 };
            // A drift off the diagonal costs more, as lengths would.
            let off = (i as f32 - j as f32).abs() * 0.05;
            shape + 3.0 * noise + off
        }
        fn cost_bounded(&self, i: usize, j: usize, a: usize, b: usize, budget: f32) -> f32 {
            self.calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let v = self.cost(i, j, a, b);
            if v >= budget {
                f32::INFINITY
            } else {
                v
            }
        }
    }

    #[test]
    fn widening_with_the_cost_memo_finds_the_fresh_solve() {
        let (n, m) = (60, 66);
        let guide = staircase(n, m);
        for seed in 0..12u64 {
            let s = Noisy {
                seed,
                calls: Default::default(),
            };
            let narrow = Band::around(&guide, n, m, 2);
            let (_, memo) = solve_memo(&narrow, SHAPES_PARAGRAPH, &s, None, true);
            let memo = memo.expect("recorded");
            for w in [3, 5, 9] {
                let wide = Band::around(&guide, n, m, w);
                let c0 = s.calls();
                let (with_memo, _) = solve_memo(&wide, SHAPES_PARAGRAPH, &s, Some(&memo), false);
                let c1 = s.calls();
                let fresh = solve(&wide, SHAPES_PARAGRAPH, &s);
                let c2 = s.calls();
                assert_eq!(with_memo.unwrap(), fresh.unwrap(), "seed {seed} w {w}");
                assert!(
                    c1 - c0 < c2 - c1,
                    "seed {seed} w {w}: the memo saved nothing"
                );
            }
        }
    }

    /// Every monotone path of the full `n × m` matrix in `shapes`, as its
    /// bead corners.
    fn all_paths(n: usize, m: usize, shapes: &[Shape]) -> Vec<Vec<(usize, usize)>> {
        if (n, m) == (0, 0) {
            return vec![vec![(0, 0)]];
        }
        let mut out = Vec::new();
        for &(a, b) in shapes {
            let (a, b) = (a as usize, b as usize);
            if a <= n && b <= m {
                for mut p in all_paths(n - a, m - b, shapes) {
                    p.push((n, m));
                    out.push(p);
                }
            }
        }
        out
    }

    /// The forward–backward posteriors are the exact ones, summed by
    /// brute force over every path of a small full matrix and over the
    /// paths inside a band around the best one; with the search's cut-off
    /// (which does leave beads out here) they stay within 0.05.
    #[test]
    fn posteriors_match_brute_force() {
        let (n, m, temp) = (5, 6, 2.0f32);
        let paths = all_paths(n, m, SHAPES_PARAGRAPH);
        assert!(paths.len() > 1000, "{}", paths.len());
        let mut cut_moved = false;
        for seed in 0..6u64 {
            let s = Noisy {
                seed,
                calls: Default::default(),
            };
            let cost = |p: &[(usize, usize)]| -> f64 {
                p.windows(2)
                    .map(|w| f64::from(s.cost(w[1].0, w[1].1, w[1].0 - w[0].0, w[1].1 - w[0].1)))
                    .sum()
            };
            let weights: Vec<f64> = paths
                .iter()
                .map(|p| (-cost(p) / f64::from(temp)).exp())
                .collect();
            let z: f64 = weights.iter().sum();
            let best = solve(&Band::full(n, m), SHAPES_PARAGRAPH, &s).unwrap();
            // Brute force: the weight of the paths through each bead.
            let want: Vec<f64> = best
                .windows(2)
                .map(|w| {
                    paths
                        .iter()
                        .zip(&weights)
                        .filter(|(p, _)| p.windows(2).any(|x| x == w))
                        .map(|(_, wt)| wt)
                        .sum::<f64>()
                        / z
                })
                .collect();
            let band = Band::full(n, m);
            let exact =
                Lattice::new(&band, SHAPES_PARAGRAPH, &s, temp, f64::INFINITY).of_path(&best);
            let cut = Lattice::new(&band, SHAPES_PARAGRAPH, &s, temp, 4.0).of_path(&best);
            for k in 0..want.len() {
                assert!((exact[k] - want[k]).abs() < 1e-9, "seed {seed} bead {k}");
                assert!((cut[k] - want[k]).abs() < 0.05, "seed {seed} bead {k}");
            }
            cut_moved |= cut.iter().zip(&exact).any(|(c, e)| (c - e).abs() > 1e-12);
            // On a band around the path (as the aligner runs it), the
            // posteriors are those of the paths inside the band.
            let narrow = Band::around(&best, n, m, 1);
            let inside = |p: &Vec<(usize, usize)>| p.iter().all(|&(i, j)| narrow.contains(i, j));
            let z_in: f64 = paths
                .iter()
                .zip(&weights)
                .filter(|(p, _)| inside(p))
                .map(|(_, wt)| wt)
                .sum();
            let got =
                Lattice::new(&narrow, SHAPES_PARAGRAPH, &s, temp, f64::INFINITY).of_path(&best);
            for (k, w) in best.windows(2).enumerate() {
                let through: f64 = paths
                    .iter()
                    .zip(&weights)
                    .filter(|(p, _)| inside(p) && p.windows(2).any(|x| x == w))
                    .map(|(_, wt)| wt)
                    .sum();
                assert!(
                    (got[k] - through / z_in).abs() < 1e-9,
                    "seed {seed} bead {k} (band)"
                );
            }
            assert!(narrow.cells() < band.cells());
            // The best path's beads are not all certain here.
            assert!(want.iter().any(|&p| p < 0.9), "seed {seed}: {want:?}");
        }
        // The cut-off did leave beads out somewhere.
        assert!(cut_moved);
    }

    /// Each link's posterior is the exact one (summed by brute force over
    /// every path of a small matrix inside the band), also for links whose
    /// corner lies outside the band; and the decoding by posteriors finds
    /// the path whose links' posteriors less `gamma` add up the most,
    /// which is not always the best path.
    #[test]
    fn decoding_maximises_the_expected_links() {
        let (n, m, temp, gamma) = (5, 6, 2.0f32, 0.6);
        let paths = all_paths(n, m, SHAPES_PARAGRAPH);
        // Links of a path: (Arabic, English), `usize::MAX` for none.
        let links = |p: &[(usize, usize)]| -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            for w in p.windows(2) {
                let ((i0, j0), (i1, j1)) = (w[0], w[1]);
                match (i1 - i0, j1 - j0) {
                    (0, _) => out.extend((j0..j1).map(|j| (usize::MAX, j))),
                    (_, 0) => out.extend((i0..i1).map(|i| (i, usize::MAX))),
                    _ => {
                        for i in i0..i1 {
                            out.extend((j0..j1).map(|j| (i, j)));
                        }
                    }
                }
            }
            out
        };
        let mut differs = false;
        for seed in 0..8u64 {
            let s = Noisy {
                seed,
                calls: Default::default(),
            };
            let weights: Vec<f64> = paths
                .iter()
                .map(|p| {
                    let c: f64 = p
                        .windows(2)
                        .map(|w| {
                            f64::from(s.cost(w[1].0, w[1].1, w[1].0 - w[0].0, w[1].1 - w[0].1))
                        })
                        .sum();
                    (-c / f64::from(temp)).exp()
                })
                .collect();
            let best = solve(&Band::full(n, m), SHAPES_PARAGRAPH, &s).unwrap();
            // The full matrix, then a band around the best path (as the
            // aligner runs it), whose corners do not hold every link.
            for band in [
                Band::full(n, m),
                Band::around(&best, n, m, 1),
                Band::around(&best, n, m, 0),
                // Beads (1,1)→(3,3) of this band hold the link (1, 2),
                // whose corner (2, 3) lies outside it.
                Band {
                    lo: vec![0, 0, 0, 1, 3, 5],
                    hi: vec![1, 2, 2, 4, 6, 6],
                    m,
                },
            ] {
                let inside: Vec<usize> = (0..paths.len())
                    .filter(|&k| paths[k].iter().all(|&(i, j)| band.contains(i, j)))
                    .collect();
                let z: f64 = inside.iter().map(|&k| weights[k]).sum();
                let mut post: HashMap<(usize, usize), f64> = HashMap::new();
                for &k in &inside {
                    for l in links(&paths[k]) {
                        *post.entry(l).or_default() += weights[k] / z;
                    }
                }
                let gain = |p: &[(usize, usize)]| -> f64 {
                    links(p).iter().map(|l| post[l] - gamma).sum()
                };
                let want = inside
                    .iter()
                    .map(|&k| gain(&paths[k]))
                    .fold(f64::NEG_INFINITY, f64::max);
                // Each link's posterior, in or outside the band's corners.
                let lat = Lattice::new(&band, SHAPES_PARAGRAPH, &s, temp, f64::INFINITY);
                let lk = lat.links();
                for (&(i, j), &p) in &post {
                    let q = match (i, j) {
                        (usize::MAX, j) => lk.null_e[j],
                        (i, usize::MAX) => lk.null_a[i],
                        (i, j) => lk.pair(&lat, i, j),
                    };
                    assert!((p - q).abs() < 1e-9, "seed {seed} link {i} {j}");
                }
                let inner = solve(&band, SHAPES_PARAGRAPH, &s).unwrap();
                let (got, _) = decode(
                    &band,
                    SHAPES_PARAGRAPH,
                    &s,
                    &inner,
                    temp,
                    f64::INFINITY,
                    gamma,
                );
                assert!(
                    inside.iter().any(|&k| paths[k] == got),
                    "seed {seed}: {got:?}"
                );
                assert!((gain(&got) - want).abs() < 1e-9, "seed {seed}");
                differs |= got != inner;
            }
        }
        assert!(differs, "the decoding always gave the best path");
    }

    /// Long paths are cut only where the pin allows, about `size` rows
    /// apart, never within `size / 2` rows of the end; the pieces start at
    /// the origin.
    #[test]
    fn cut_points_follow_the_pins() {
        let path = [
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 3),
            (5, 4),
            (6, 5),
            (7, 6),
            (8, 7),
            (9, 8),
            (10, 9),
        ];
        // (5, 4) ends a 2–1 bead: the cut waits for (6, 5).
        assert_eq!(cut_points(&path, 4, ends_square), vec![0, 5, 9]);
        assert_eq!(cut_points(&path, 2, ends_square), vec![0, 2, 5, 7, 9]);
        // No pin: one piece.
        assert_eq!(cut_points(&path, 2, |_, _| false), vec![0, 9]);
        assert_eq!(cut_points(&path[..1], 2, ends_square), vec![0]);
        let (start, sub) = piece(&path, 5, 9);
        assert_eq!(start, (6, 5));
        assert_eq!(sub, vec![(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]);
    }

    #[test]
    fn solve_full_prefers_diagonal() {
        let p = solve(&Band::full(4, 4), SHAPES_PARAGRAPH, &Diag).unwrap();
        assert_eq!(p, vec![(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]);
        let p = solve(&Band::full(0, 3), SHAPES_PARAGRAPH, &Diag).unwrap();
        assert_eq!(p, vec![(0, 0), (0, 1), (0, 2), (0, 3)]);
    }
}
