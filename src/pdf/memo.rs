//! Laid-out paragraphs remembered per thread, for batches.
//!
//! The documents of a batch come from the same templates: most of their
//! paragraphs (clauses, headings, signature lines) are the same text in the
//! same style from one agreement to the next. Laying a paragraph out (words,
//! hyphenation, kerning, optimal line breaks) is a pure function of its text,
//! style and label with the embedded fonts, so each worker thread keeps the
//! result of the paragraphs it has met twice and hands out copies.
//!
//! - A hit needs equal keys, compared in full: the hash only finds the bucket.
//! - A paragraph is kept on its second sighting only (a first sighting leaves
//!   its hash in a bounded set), so text that one document alone has (names,
//!   amounts) never fills the memo.
//! - Memory is bounded: the kept paragraphs are counted in bytes and the memo
//!   is emptied when it would pass [`BUDGET`]; the set of sightings is emptied
//!   at [`SEEN_MAX`] hashes. A batch's peak memory does not grow with its size.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::mem::size_of;

use super::layout::{LaidBlock, LineBox, Mark, Run};
use super::markdown_blocks::{Inline, Piece};

/// Bytes of laid-out paragraphs kept per thread (keys and results, as counted by
/// [`footprint`]): room for the recurring paragraphs of several agreements.
const BUDGET: usize = 1 << 20;

/// Paragraph hashes remembered as seen once, per thread (8 bytes each).
const SEEN_MAX: usize = 1 << 12;

/// Everything a laid-out paragraph depends on besides the fonts, borrowed.
#[derive(Clone, Copy, PartialEq)]
pub(super) struct Key<'a> {
    pub text: &'a Inline,
    /// The style's numbers as bits, and its flags.
    pub style: [u32; 7],
    /// Label text, tab (as bits) and outline flag.
    pub label: Option<(&'a str, u32, bool)>,
}

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
        self.style.hash(state);
        self.label.hash(state);
    }
}

/// A kept key: [`Key`], owned.
struct Owned {
    text: Inline,
    style: [u32; 7],
    label: Option<(String, u32, bool)>,
}

impl Owned {
    fn matches(&self, key: &Key<'_>) -> bool {
        self.style == key.style
            && *self.text == *key.text
            && self.label.as_ref().map(|(t, tab, o)| (t.as_str(), *tab, *o)) == key.label
    }
}

#[derive(Default)]
struct Memo {
    /// Kept paragraphs by key hash (a bucket holds the rare keys sharing a hash).
    kept: HashMap<u64, Vec<(Owned, LaidBlock)>, Fixed>,
    bytes: usize,
    seen: HashSet<u64, Fixed>,
}

/// The hasher of the per-thread memos: fixed (nothing depends on iteration order, and
/// nothing varies between runs either) and cheap (FxHash's word-at-a-time mixing; a hit is
/// decided by comparing keys, so collisions cost only time).
pub(super) type Fixed = BuildHasherDefault<Fx>;

#[derive(Default)]
pub(super) struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, v: u8) {
        self.add(u64::from(v));
    }

    fn write_u32(&mut self, v: u32) {
        self.add(u64::from(v));
    }

    fn write_u64(&mut self, v: u64) {
        self.add(v);
    }

    fn write_usize(&mut self, v: usize) {
        self.add(v as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The layout of the paragraph `key`, from this thread's memo or from `lay`.
pub(super) fn paragraph<E>(key: Key<'_>, lay: impl FnOnce() -> Result<LaidBlock, E>) -> Result<LaidBlock, E> {
    let hash = Fixed::default().hash_one(key);
    let found = MEMO.with_borrow(|memo| {
        let bucket = memo.kept.get(&hash)?;
        bucket.iter().find(|(owned, _)| owned.matches(&key)).map(|(_, laid)| laid.clone())
    });
    if let Some(laid) = found {
        return Ok(laid);
    }
    let laid = lay()?;
    MEMO.with_borrow_mut(|memo| {
        if memo.seen.len() >= SEEN_MAX {
            memo.seen.clear();
        }
        if memo.seen.insert(hash) {
            return;
        }
        let owned =
            Owned { text: key.text.clone(), style: key.style, label: key.label.map(|(t, tab, o)| (t.into(), tab, o)) };
        let bytes = footprint(&owned, &laid);
        if bytes > BUDGET / 8 {
            return;
        }
        if memo.bytes + bytes > BUDGET {
            memo.kept = HashMap::default();
            memo.bytes = 0;
        }
        memo.bytes += bytes;
        memo.kept.entry(hash).or_default().push((owned, laid.clone()));
    });
    Ok(laid)
}

/// Heap and inline bytes of a kept paragraph, roughly (allocator overhead included
/// as 16 bytes an allocation).
fn footprint(key: &Owned, laid: &LaidBlock) -> usize {
    const ALLOC: usize = 16;
    let text: usize = key
        .text
        .iter()
        .map(|p| size_of::<Piece>() + if let Piece::Text { text, .. } = p { text.len() + ALLOC } else { 0 })
        .sum();
    let label = key.label.as_ref().map_or(0, |(t, _, _)| t.len() + ALLOC);
    let run = |r: &Run| size_of::<Run>() + r.text.len() + ALLOC + r.actual.as_ref().map_or(0, |a| a.len() + ALLOC);
    let mark = |m: &Mark| {
        size_of::<Mark>()
            + if let Mark::Text { runs, .. } = m { runs.iter().map(run).sum::<usize>() + ALLOC } else { 0 }
    };
    let line = |l: &LineBox| {
        size_of::<LineBox>()
            + l.marks.iter().map(mark).sum::<usize>()
            + ALLOC
            + l.outline.as_ref().map_or(0, |o| o.len() + ALLOC)
    };
    size_of::<(u64, Vec<(Owned, LaidBlock)>)>()
        + size_of::<(Owned, LaidBlock)>()
        + 2 * ALLOC
        + text
        + label
        + laid.lines.iter().map(line).sum::<usize>()
}
