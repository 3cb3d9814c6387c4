//! Compact corpus-wide storage for term extraction: interned strings in
//! one arena, delta-coded integer lists, and an append-only spill (memory
//! or an unlinked temporary file) read back sequentially. Memory for a
//! corpus then follows the number of distinct n-grams and a few bytes per
//! posting, not the text.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Append `v` as a LEB128 varint.
pub(crate) fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Read a LEB128 varint from `buf` at `*pos`; `None` if truncated.
pub(crate) fn get_varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(*pos)?;
        *pos += 1;
        if shift > 63 {
            return None;
        }
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
    }
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Read a varint from a stream; `Ok(None)` at a clean end of stream.
pub(crate) fn read_varint(r: &mut impl BufRead) -> io::Result<Option<u64>> {
    let mut v = 0u64;
    let mut shift = 0;
    let mut first = true;
    loop {
        let mut b = [0u8];
        if r.read(&mut b)? == 0 {
            return if first {
                Ok(None)
            } else {
                Err(invalid("spill: truncated number"))
            };
        }
        first = false;
        if shift > 63 {
            return Err(invalid("spill: bad number"));
        }
        v |= u64::from(b[0] & 0x7f) << shift;
        if b[0] < 0x80 {
            return Ok(Some(v));
        }
        shift += 7;
    }
}

/// Read a varint that must be there (inside a record: the end of the
/// stream there is an error).
pub(crate) fn read_field(r: &mut impl BufRead) -> io::Result<u64> {
    read_varint(r)?.ok_or_else(|| invalid("spill: truncated record"))
}

/// Append a length-prefixed list of numbers.
pub(crate) fn put_list(buf: &mut Vec<u8>, items: &[usize]) {
    put_varint(buf, items.len() as u64);
    for &v in items {
        put_varint(buf, v as u64);
    }
}

/// Read a list written by [`put_list`].
pub(crate) fn read_list(r: &mut impl BufRead) -> io::Result<Vec<usize>> {
    let n = read_field(r)?;
    (0..n).map(|_| Ok(read_field(r)? as usize)).collect()
}

/// Append a length-prefixed list of sorted, distinct ids, delta-coded.
pub(crate) fn put_sorted(buf: &mut Vec<u8>, ids: &[u32]) {
    put_varint(buf, ids.len() as u64);
    put_deltas(buf, ids);
}

/// Append ascending ids, each as its distance from the one before (the
/// first from 0).
fn put_deltas(buf: &mut Vec<u8>, ids: &[u32]) {
    let mut prev = 0;
    for &id in ids {
        put_varint(buf, u64::from(id - prev));
        prev = id;
    }
}

/// Read a list written by [`put_sorted`], calling `f` with each id.
pub(crate) fn read_sorted(r: &mut impl BufRead, mut f: impl FnMut(u32)) -> io::Result<()> {
    let n = read_field(r)?;
    let mut id = 0u32;
    for _ in 0..n {
        id += read_field(r)? as u32;
        f(id);
    }
    Ok(())
}

/// Read a varint-length-prefixed UTF-8 string.
pub(crate) fn read_str(r: &mut impl BufRead) -> io::Result<String> {
    let n = read_field(r)? as usize;
    let mut b = vec![0u8; n];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|_| invalid("spill: bad text"))
}

/// Append a varint-length-prefixed string.
pub(crate) fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_varint(buf, s.len() as u64);
    buf.extend_from_slice(s.as_bytes());
}

/// Hashes a `u64` that is already a hash.
#[derive(Default)]
pub(crate) struct U64Pass(u64);

impl Hasher for U64Pass {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

fn str_hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Strings interned to dense `u32` ids (in first-seen order), their bytes
/// in one arena. The table maps a 64-bit hash to the id; the rare string
/// whose hash is taken by another goes to an exact side table, so lookups
/// are exact.
#[derive(Default)]
pub(crate) struct Interner {
    map: HashMap<u64, u32, BuildHasherDefault<U64Pass>>,
    clash: HashMap<Box<str>, u32>,
    arena: String,
    ends: Vec<usize>,
}

impl Interner {
    /// Number of strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string of `id`.
    pub(crate) fn name(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }

    /// The id of `s`, if interned.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        self.get_hashed(s, str_hash(s))
    }

    /// [`Interner::get`] with the string's hash given.
    fn get_hashed(&self, s: &str, h: u64) -> Option<u32> {
        match self.map.get(&h) {
            Some(&id) if self.name(id) == s => Some(id),
            Some(_) => self.clash.get(s).copied(),
            None => None,
        }
    }

    /// The id of `s`, interning it if new; `true` if it was new.
    pub(crate) fn intern(&mut self, s: &str) -> (u32, bool) {
        self.intern_hashed(s, str_hash(s))
    }

    /// [`Interner::intern`] with the string's hash given.
    fn intern_hashed(&mut self, s: &str, h: u64) -> (u32, bool) {
        let next = self.ends.len() as u32;
        match self.map.get(&h) {
            Some(&id) if self.name(id) == s => return (id, false),
            Some(_) => {
                if let Some(&id) = self.clash.get(s) {
                    return (id, false);
                }
                self.clash.insert(s.into(), next);
            }
            None => {
                self.map.insert(h, next);
            }
        }
        self.arena.push_str(s);
        self.ends.push(self.arena.len());
        (next, true)
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.ends.capacity() * 8
            + self.map.capacity() * 13
            + self.clash.len() * 48
    }
}

/// Lists of ascending `u32`s, delta- and varint-coded in one buffer.
#[derive(Default)]
pub(crate) struct PackedLists {
    bytes: Vec<u8>,
    starts: Vec<usize>,
}

impl PackedLists {
    /// Append a list (ascending, no duplicates).
    pub(crate) fn push(&mut self, sorted: &[u32]) {
        self.starts.push(self.bytes.len());
        put_deltas(&mut self.bytes, sorted);
    }

    /// Number of lists.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// Decode list `i`.
    pub(crate) fn iter(&self, i: usize) -> Deltas<'_> {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.bytes.len());
        Deltas {
            buf: &self.bytes[self.starts[i]..end],
            pos: 0,
            prev: 0,
        }
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.starts.capacity() * 8
    }

    /// Release unused capacity.
    pub(crate) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.starts.shrink_to_fit();
    }
}

/// Bytes of `v` as a varint.
pub(crate) fn varint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Builds [`PackedLists`] whose lists are filled in any interleaving, once
/// their coded sizes are known (a sizing pass, then a filling pass).
pub(crate) struct PackedBuilder {
    lists: PackedLists,
    cursor: Vec<usize>,
    prev: Vec<u32>,
}

/// Sizes of lists appended value by value (see [`PackedBuilder`]).
pub(crate) struct PackedSizer {
    sizes: Vec<usize>,
    prev: Vec<u32>,
}

impl PackedSizer {
    /// Sizer for `n` lists.
    pub(crate) fn new(n: usize) -> Self {
        PackedSizer {
            sizes: vec![0; n],
            prev: vec![0; n],
        }
    }

    /// Count `v` (larger than the list's last value, if any) into list `i`.
    pub(crate) fn add(&mut self, i: usize, v: u32) {
        let p = self.prev[i];
        self.sizes[i] += varint_len(u64::from(v - p));
        self.prev[i] = v;
    }

    /// A builder for lists of these sizes.
    pub(crate) fn builder(self) -> PackedBuilder {
        let mut starts = Vec::with_capacity(self.sizes.len());
        let mut total = 0;
        for s in &self.sizes {
            starts.push(total);
            total += s;
        }
        PackedBuilder {
            cursor: starts.clone(),
            lists: PackedLists {
                bytes: vec![0; total],
                starts,
            },
            prev: vec![0; self.prev.len()],
        }
    }
}

impl PackedBuilder {
    /// Append `v` to list `i` (as counted by the sizer, in the same order).
    pub(crate) fn add(&mut self, i: usize, v: u32) {
        let p = self.prev[i];
        let mut d = u64::from(v - p);
        self.prev[i] = v;
        let c = &mut self.cursor[i];
        while d >= 0x80 {
            self.lists.bytes[*c] = (d as u8) | 0x80;
            *c += 1;
            d >>= 7;
        }
        self.lists.bytes[*c] = d as u8;
        *c += 1;
    }

    /// The lists.
    pub(crate) fn finish(self) -> PackedLists {
        self.lists
    }
}

/// Iterator over one list of [`PackedLists`].
pub(crate) struct Deltas<'a> {
    buf: &'a [u8],
    pos: usize,
    prev: u32,
}

impl Iterator for Deltas<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let d = get_varint(self.buf, &mut self.pos)? as u32;
        self.prev += d;
        Some(self.prev)
    }
}

/// An append-only byte stream kept in memory or in an unlinked temporary
/// file (deleted by the system when dropped), read back from the start as
/// often as needed.
pub(crate) enum Spill {
    Mem(Vec<u8>),
    File {
        w: BufWriter<File>,
        dir: PathBuf,
        /// Set by [`Spill::reader`]: the shared file position is no longer
        /// at the end.
        moved: bool,
    },
}

impl Spill {
    /// A spill in memory.
    pub(crate) fn memory() -> Self {
        Spill::Mem(Vec::new())
    }

    /// A spill in a temporary file in `dir` (never visible there on
    /// systems with unlinked temporary files).
    pub(crate) fn file_in(dir: &Path) -> io::Result<Self> {
        let f = tempfile::tempfile_in(dir)?;
        Ok(Spill::File {
            w: BufWriter::with_capacity(1 << 16, f),
            dir: dir.to_path_buf(),
            moved: false,
        })
    }

    /// A new, empty spill of the same kind (in the same directory).
    pub(crate) fn sibling(&self) -> io::Result<Self> {
        match self {
            Spill::Mem(_) => Ok(Spill::memory()),
            Spill::File { dir, .. } => Spill::file_in(dir),
        }
    }

    /// Where the spill lives, for error messages.
    pub(crate) fn place(&self) -> &Path {
        match self {
            Spill::Mem(_) => Path::new("<memory>"),
            Spill::File { dir, .. } => dir,
        }
    }

    /// Append bytes.
    pub(crate) fn put(&mut self, b: &[u8]) -> io::Result<()> {
        match self {
            Spill::Mem(v) => {
                v.extend_from_slice(b);
                Ok(())
            }
            Spill::File { w, moved, .. } => {
                if *moved {
                    w.get_ref().seek(SeekFrom::End(0))?;
                    *moved = false;
                }
                w.write_all(b)
            }
        }
    }

    /// A reader from the start (after what was written so far).
    pub(crate) fn reader(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        match self {
            Spill::Mem(v) => Ok(Box::new(&v[..])),
            Spill::File { w, moved, .. } => {
                w.flush()?;
                *moved = true;
                let mut f: &File = w.get_ref();
                f.seek(SeekFrom::Start(0))?;
                Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
            }
        }
    }

    /// A reader from byte `off` (a record start), buffering little: for
    /// fetching a few records at random.
    pub(crate) fn reader_at(&mut self, off: u64) -> io::Result<Box<dyn BufRead + '_>> {
        match self {
            Spill::Mem(v) => Ok(Box::new(v.get(off as usize..).unwrap_or(&[]))),
            Spill::File { w, moved, .. } => {
                w.flush()?;
                *moved = true;
                let mut f: &File = w.get_ref();
                f.seek(SeekFrom::Start(off))?;
                Ok(Box::new(BufReader::with_capacity(4096, f)))
            }
        }
    }

    /// Bytes written so far.
    pub(crate) fn size(&self) -> u64 {
        match self {
            Spill::Mem(v) => v.len() as u64,
            Spill::File { w, .. } => {
                w.get_ref().metadata().map(|m| m.len()).unwrap_or(0) + w.buffer().len() as u64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let vals = [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX,
        ];
        let mut b = Vec::new();
        for &v in &vals {
            put_varint(&mut b, v);
        }
        let mut pos = 0;
        let got: Vec<u64> = std::iter::from_fn(|| get_varint(&b, &mut pos)).collect();
        assert_eq!(got, vals);
        let mut r = &b[..];
        for &v in &vals {
            assert_eq!(read_varint(&mut r).unwrap(), Some(v));
        }
        assert_eq!(read_varint(&mut r).unwrap(), None);
        // A truncated number is an error, not the end.
        let mut r = &[0x80u8][..];
        assert!(read_varint(&mut r).is_err());
    }

    #[test]
    fn lists_round_trip_and_a_cut_record_is_an_error() {
        let plain = [0usize, 7, 300, 5];
        let sorted = [3u32, 4, 200, 70_000];
        let mut b = Vec::new();
        put_list(&mut b, &plain);
        put_sorted(&mut b, &sorted);
        put_list(&mut b, &[]);
        let mut r = &b[..];
        assert_eq!(read_list(&mut r).unwrap(), plain);
        let mut got = Vec::new();
        read_sorted(&mut r, |id| got.push(id)).unwrap();
        assert_eq!(got, sorted);
        assert_eq!(read_list(&mut r).unwrap(), Vec::<usize>::new());
        assert!(r.is_empty());
        // Every cut inside a record is an error naming it, never a short
        // list: each record read alone.
        let mut one = Vec::new();
        put_list(&mut one, &plain);
        let mut two = Vec::new();
        put_sorted(&mut two, &sorted);
        let truncated = |e: io::Error| e.to_string().starts_with("spill: truncated");
        for cut in 0..one.len() {
            assert!(read_list(&mut &one[..cut]).is_err_and(truncated), "{cut}");
        }
        for cut in 0..two.len() {
            assert!(
                read_sorted(&mut &two[..cut], |_| {}).is_err_and(truncated),
                "{cut}"
            );
        }
    }

    #[test]
    fn interner_is_exact() {
        let mut i = Interner::default();
        let words = ["الاتجار", "trafficking", "", "in persons", "الاتجار"];
        let ids: Vec<(u32, bool)> = words.iter().map(|w| i.intern(w)).collect();
        assert_eq!(
            ids,
            [(0, true), (1, true), (2, true), (3, true), (0, false)]
        );
        assert_eq!(i.len(), 4);
        for (w, (id, _)) in words.iter().zip(&ids) {
            assert_eq!(i.get(w), Some(*id));
            assert_eq!(i.name(*id), *w);
        }
        assert_eq!(i.get("persons"), None);
    }

    /// Strings whose hashes clash stay distinct (the side table): every
    /// string given the same hash.
    #[test]
    fn interner_is_exact_when_hashes_clash() {
        let mut i = Interner::default();
        let words = [
            "الاتجار",
            "trafficking",
            "",
            "in persons",
            "الاتجار",
            "trafficking",
        ];
        let ids: Vec<(u32, bool)> = words.iter().map(|w| i.intern_hashed(w, 7)).collect();
        assert_eq!(
            ids,
            [
                (0, true),
                (1, true),
                (2, true),
                (3, true),
                (0, false),
                (1, false)
            ]
        );
        for (w, (id, _)) in words.iter().zip(&ids) {
            assert_eq!(i.get_hashed(w, 7), Some(*id));
            assert_eq!(i.name(*id), *w);
        }
        assert_eq!(i.get_hashed("persons", 7), None);
    }

    #[test]
    fn packed_lists_round_trip() {
        let lists: [&[u32]; 4] = [&[], &[0, 1, 2, 500, 70_000], &[7], &[3, u32::MAX]];
        let mut p = PackedLists::default();
        for l in lists {
            p.push(l);
        }
        assert_eq!(p.len(), 4);
        for (i, l) in lists.iter().enumerate() {
            assert_eq!(p.iter(i).collect::<Vec<_>>(), *l);
        }
    }

    #[test]
    fn packed_builder_interleaved() {
        let adds = [
            (1usize, 3u32),
            (0, 0),
            (1, 200),
            (0, 5),
            (1, 70_000),
            (2, 9),
        ];
        let mut sz = PackedSizer::new(4);
        for &(i, v) in &adds {
            sz.add(i, v);
        }
        let mut b = sz.builder();
        for &(i, v) in &adds {
            b.add(i, v);
        }
        let p = b.finish();
        let got: Vec<Vec<u32>> = (0..4).map(|i| p.iter(i).collect()).collect();
        assert_eq!(got, [vec![0, 5], vec![3, 200, 70_000], vec![9], vec![]]);
    }

    #[test]
    fn spill_reads_back_twice() {
        let dir = tempfile::tempdir().unwrap();
        for mut s in [Spill::memory(), Spill::file_in(dir.path()).unwrap()] {
            let mut b = Vec::new();
            put_str(&mut b, "نص عربي");
            put_varint(&mut b, 42);
            s.put(&b).unwrap();
            assert_eq!(s.size(), b.len() as u64);
            for _ in 0..2 {
                let mut r = s.reader().unwrap();
                assert_eq!(read_str(&mut r).unwrap(), "نص عربي");
                assert_eq!(read_varint(&mut r).unwrap(), Some(42));
                assert_eq!(read_varint(&mut r).unwrap(), None);
            }
            // Writing after reading appends; records are found by offset.
            s.put(&[7]).unwrap();
            assert_eq!(
                read_varint(&mut s.reader_at(b.len() as u64).unwrap()).unwrap(),
                Some(7)
            );
            s.put(&[8]).unwrap();
            let mut r = s.reader().unwrap();
            read_str(&mut r).unwrap();
            assert_eq!(read_varint(&mut r).unwrap(), Some(42));
            assert_eq!(read_varint(&mut r).unwrap(), Some(7));
            assert_eq!(read_varint(&mut r).unwrap(), Some(8));
        }
        // The file spill leaves nothing behind in its directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
