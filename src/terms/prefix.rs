//! Anchored longest-prefix search over a fixed set of byte strings: a
//! compressed trie (patricia trie) built straight from the sorted set.
//!
//! The term matcher only ever asks "which pattern is the longest prefix of
//! the text at this word start?", so it needs no failure links: building is
//! one pass over the sorted patterns (linear in their total length), where
//! an Aho–Corasick automaton over 100,000+ patterns spends seconds filling
//! failure transitions.
//!
//! Each node stands for the range of sorted patterns sharing a prefix. A
//! node records how far that shared prefix goes (`to`), the pattern ending
//! exactly there (if any), and its children, one per distinct next byte,
//! stored as consecutive node ids with their labels beside them. Runs of
//! bytes where the range does not branch are not nodes: a search compares
//! them against one representative pattern of the range.

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    /// A pattern of the node's range (sorted index), holding its bytes.
    rep: u32,
    /// Length of the prefix shared by the node's range.
    to: u32,
    /// The pattern equal to that prefix, or `NONE`.
    pat: u32,
    /// Children: node ids `first_kid..first_kid + n_kids`.
    first_kid: u32,
    n_kids: u32,
}

/// A set of byte strings for anchored longest-prefix queries.
#[derive(Debug, Clone, Default)]
pub(crate) struct PrefixSet {
    /// The patterns, sorted, concatenated.
    bytes: Vec<u8>,
    /// Pattern `k` is `bytes[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    nodes: Vec<Node>,
    /// `labels[id]`: the byte leading from a node's parent to node `id`.
    labels: Vec<u8>,
}

impl PrefixSet {
    /// Build from patterns sorted in byte order, without duplicates and
    /// without the empty string. Pattern `k` of the input is reported as
    /// index `k`. Total length must stay below 4 GiB.
    pub(crate) fn from_sorted<'a>(patterns: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut bytes = Vec::new();
        let mut starts = vec![0u32];
        for p in patterns {
            debug_assert!(!p.is_empty());
            bytes.extend_from_slice(p);
            starts.push(bytes.len() as u32);
        }
        let n = starts.len() - 1;
        debug_assert!((1..n).all(|k| {
            let pat = |k: usize| &bytes[starts[k] as usize..starts[k + 1] as usize];
            pat(k - 1) < pat(k)
        }));
        let mut set = PrefixSet {
            bytes,
            starts,
            nodes: Vec::with_capacity(2 * n + 1),
            labels: Vec::with_capacity(2 * n + 1),
        };
        if n == 0 {
            return set;
        }
        set.nodes.push(Node {
            rep: 0,
            to: 0,
            pat: NONE,
            first_kid: 0,
            n_kids: 0,
        });
        set.labels.push(0);
        // (node id, pattern range, length of the prefix already matched)
        let mut work: Vec<(usize, usize, usize, usize)> = vec![(0, 0, n, 0)];
        while let Some((id, lo, hi, from)) = work.pop() {
            let first = set.pat(lo);
            let last = set.pat(hi - 1);
            // Sorted: the range shares what its first and last share.
            let lcp = from
                + first[from..]
                    .iter()
                    .zip(&last[from..])
                    .take_while(|(a, b)| a == b)
                    .count();
            let mut k = lo;
            let mut pat = NONE;
            if first.len() == lcp {
                pat = lo as u32;
                k += 1;
            }
            let first_kid = set.nodes.len();
            // Every pattern in k..hi is longer than lcp; group by byte lcp.
            while k < hi {
                let b = set.pat(k)[lcp];
                // Sorted on byte lcp within the range: binary search its end.
                let (mut a, mut z) = (k + 1, hi);
                while a < z {
                    let mid = a + (z - a) / 2;
                    if set.pat(mid)[lcp] <= b {
                        a = mid + 1;
                    } else {
                        z = mid;
                    }
                }
                let end = a;
                let kid = set.nodes.len();
                set.nodes.push(Node {
                    rep: k as u32,
                    to: 0,
                    pat: NONE,
                    first_kid: 0,
                    n_kids: 0,
                });
                set.labels.push(b);
                work.push((kid, k, end, lcp + 1));
                k = end;
            }
            set.nodes[id] = Node {
                rep: lo as u32,
                to: lcp as u32,
                pat,
                first_kid: first_kid as u32,
                n_kids: (set.nodes.len() - first_kid) as u32,
            };
        }
        set
    }

    fn pat(&self, k: usize) -> &[u8] {
        &self.bytes[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// Number of patterns.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Pattern `k` (its index in the sorted input).
    #[cfg(test)]
    pub(crate) fn pattern(&self, k: usize) -> &[u8] {
        self.pat(k)
    }

    /// The longest pattern that is a prefix of `hay`: (its index, its
    /// length).
    pub(crate) fn longest_prefix(&self, hay: &[u8]) -> Option<(usize, usize)> {
        let mut best = None;
        let mut id = 0usize;
        let mut from = 0usize;
        loop {
            let node = self.nodes.get(id)?;
            let to = node.to as usize;
            if hay.len() < to {
                return best;
            }
            let rep = self.starts[node.rep as usize] as usize;
            if hay[from..to] != self.bytes[rep + from..rep + to] {
                return best;
            }
            if node.pat != NONE {
                best = Some((node.pat as usize, to));
            }
            let Some(&b) = hay.get(to) else {
                return best;
            };
            let lo = node.first_kid as usize;
            let labels = &self.labels[lo..lo + node.n_kids as usize];
            let i = if labels.len() <= 8 {
                labels.iter().position(|&l| l == b)
            } else {
                labels.binary_search(&b).ok()
            };
            match i {
                Some(i) => {
                    id = lo + i;
                    from = to + 1;
                }
                None => return best,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set_of(pats: &[&str]) -> PrefixSet {
        let mut v: Vec<&[u8]> = pats.iter().map(|p| p.as_bytes()).collect();
        v.sort();
        v.dedup();
        PrefixSet::from_sorted(v)
    }

    fn brute(pats: &[&[u8]], hay: &[u8]) -> Option<(usize, usize)> {
        pats.iter()
            .enumerate()
            .filter(|(_, p)| hay.starts_with(p))
            .max_by_key(|(_, p)| p.len())
            .map(|(k, p)| (k, p.len()))
    }

    #[test]
    fn longest_prefix_table() {
        let s = set_of(&["a", "ab", "abcd", "b", "الاتجار", "الاتجار  بالبشر"]);
        assert_eq!(s.len(), 6);
        // Sorted order: a ab abcd b الاتجار "الاتجار  بالبشر"
        let table: &[(&str, Option<(usize, usize)>)] = &[
            ("", None),
            ("a", Some((0, 1))),
            ("abc", Some((1, 2))),
            ("abcde", Some((2, 4))),
            ("b", Some((3, 1))),
            ("c", None),
            ("الاتجار  بالبشرية", Some((5, "الاتجار  بالبشر".len()))),
            ("الاتجار  بالأشخاص", Some((4, "الاتجار".len()))),
            ("الاتجا", None),
        ];
        for &(hay, want) in table {
            assert_eq!(s.longest_prefix(hay.as_bytes()), want, "{hay:?}");
        }
        assert_eq!(PrefixSet::from_sorted([]).longest_prefix(b"a"), None);
    }

    proptest! {
        /// The trie answers exactly as a scan of every pattern.
        #[test]
        fn longest_prefix_equals_brute_force(
            pats in proptest::collection::vec("[abé ب]{1,6}", 0..30),
            hays in proptest::collection::vec("[abé ب]{0,10}", 1..10),
        ) {
            let mut v: Vec<&[u8]> = pats.iter().map(|p| p.as_bytes()).collect();
            v.sort();
            v.dedup();
            let s = PrefixSet::from_sorted(v.iter().copied());
            for h in &hays {
                prop_assert_eq!(s.longest_prefix(h.as_bytes()), brute(&v, h.as_bytes()));
            }
        }
    }
}
