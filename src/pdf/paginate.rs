//! Line boxes to pages, with the keep rules of a typeset agreement.
//!
//! - no single line of a paragraph alone at the top or bottom of a page
//!   (a paragraph splits only with at least two lines on either side);
//! - a block marked `keep_together` (heading, signature block) is never split;
//! - a chain of `keep_with_next` blocks shares a page with the start of the
//!   block that ends the chain (the "IN WITNESS WHEREOF" paragraph with all
//!   signature blocks, a title with the first lines of the text).
//!
//! - when a signature block (or the chain leading to it) has to start a new
//!   page and leaves more than a quarter of the page before empty, that page
//!   ends with a "[Signature page follows]" line, so the signature page never
//!   stands alone after a blank stretch without saying why.
//!
//! When a rule cannot be met even on an empty page, the text simply flows.

use super::layout::{LaidBlock, LineBox};

/// A line placed on a page: its baseline in PDF coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed<'a> {
    pub baseline: f32,
    pub line: &'a LineBox,
}

/// The lines of each page.
pub type Pages<'a> = Vec<Vec<Placed<'a>>>;

/// Fewest lines of a split paragraph on either side of a page break.
const MIN_LINES: usize = 2;

/// Share of the text area left empty above which a page before a signature page gets the note.
const NOTE_WHEN_EMPTY: f32 = 0.25;

/// Distributes blocks over pages whose text area runs from `top` down to `bottom`;
/// `note` is the "[Signature page follows]" line.
pub fn paginate<'a>(blocks: &'a [LaidBlock], top: f32, bottom: f32, note: &'a LineBox) -> Pages<'a> {
    let mut p = Paginator { pages: vec![Vec::new()], y: top, top, bottom, note };
    let mut i = 0;
    while i < blocks.len() {
        let mut j = i;
        while blocks[j].keep_with_next && j + 1 < blocks.len() {
            j += 1;
        }
        if j > i {
            let whole: f32 =
                blocks[i..j].iter().enumerate().map(|(k, b)| p.height(&b.lines, k == 0 && p.empty())).sum();
            let need = whole + p.height(start_of(&blocks[j]), false);
            if !p.fits(need) && !p.empty() && need <= top - bottom {
                p.break_before(blocks[i..=j].iter().any(|b| b.signature));
            }
        }
        for block in &blocks[i..=j] {
            p.place(block);
        }
        i = j + 1;
    }
    if p.pages.len() > 1 && p.pages.last().is_some_and(Vec::is_empty) {
        p.pages.pop();
    }
    p.pages
}

/// The lines that must come along when a block starts on a page.
fn start_of(block: &LaidBlock) -> &[LineBox] {
    let n = block.lines.len();
    if block.keep_together || n < 2 * MIN_LINES {
        &block.lines
    } else {
        &block.lines[..MIN_LINES]
    }
}

struct Paginator<'a> {
    pages: Pages<'a>,
    y: f32,
    top: f32,
    bottom: f32,
    note: &'a LineBox,
}

impl<'a> Paginator<'a> {
    fn empty(&self) -> bool {
        self.pages.last().is_none_or(Vec::is_empty)
    }

    fn fits(&self, h: f32) -> bool {
        self.y - h >= self.bottom - 0.01
    }

    /// Height of lines set together; the first gap vanishes at a page top.
    fn height(&self, lines: &[LineBox], at_top: bool) -> f32 {
        let sum: f32 = lines.iter().map(|l| l.gap + l.height).sum();
        match (at_top, lines.first()) {
            (true, Some(first)) => sum - first.gap,
            _ => sum,
        }
    }

    /// A page break forced by a keep rule; before signatures, the note at the foot
    /// of a page left largely empty.
    fn break_before(&mut self, signatures: bool) {
        let empty = (self.y - self.bottom) / (self.top - self.bottom);
        if signatures && empty > NOTE_WHEN_EMPTY {
            let baseline = self.bottom + self.note.height - self.note.ascent;
            if let Some(page) = self.pages.last_mut() {
                page.push(Placed { baseline, line: self.note });
            }
        }
        self.new_page();
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }

    fn put(&mut self, line: &'a LineBox) {
        if !self.empty() {
            self.y -= line.gap;
        }
        let baseline = self.y - line.ascent;
        self.y -= line.height;
        if let Some(page) = self.pages.last_mut() {
            page.push(Placed { baseline, line });
        }
    }

    /// Puts lines one by one, breaking pages wherever a line does not fit.
    fn flow(&mut self, lines: &'a [LineBox]) {
        for line in lines {
            if !self.empty() && !self.fits(line.gap + line.height) {
                self.new_page();
            }
            self.put(line);
        }
    }

    fn place(&mut self, block: &'a LaidBlock) {
        let lines = &block.lines;
        let n = lines.len();
        if block.keep_together || n < 2 * MIN_LINES {
            let h = self.height(lines, self.empty());
            if !self.fits(h) && !self.empty() && self.height(lines, true) <= self.top - self.bottom {
                self.break_before(block.signature);
            }
            self.flow(lines);
            return;
        }
        let mut a = 0;
        while a < n {
            let rest = &lines[a..];
            let fitting = self.fitting(rest);
            if fitting >= rest.len() {
                self.flow(rest);
                return;
            }
            let k = fitting.min(rest.len().saturating_sub(MIN_LINES));
            if k >= MIN_LINES {
                self.flow(&rest[..k]);
                self.new_page();
                a += k;
            } else if self.empty() {
                // Not even the minimum fits on a whole page: flow.
                let k = fitting.max(1);
                self.flow(&rest[..k]);
                self.new_page();
                a += k;
            } else {
                self.new_page();
            }
        }
    }

    /// How many of `lines` fit in the rest of the page.
    fn fitting(&self, lines: &[LineBox]) -> usize {
        let mut y = self.y;
        for (i, line) in lines.iter().enumerate() {
            let gap = if i == 0 && self.empty() { 0.0 } else { line.gap };
            y -= gap + line.height;
            if y < self.bottom - 0.01 {
                return i;
            }
        }
        lines.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(n: usize, keep_together: bool, keep_with_next: bool) -> LaidBlock {
        LaidBlock {
            lines: (0..n)
                .map(|i| LineBox {
                    gap: if i == 0 { 5.0 } else { 0.0 },
                    height: 10.0,
                    ascent: 8.0,
                    ..LineBox::default()
                })
                .collect(),
            keep_together,
            keep_with_next,
            signature: false,
        }
    }

    fn counts(blocks: &[LaidBlock]) -> Vec<usize> {
        let note = NOTE;
        paginate(blocks, 100.0, 0.0, &note).iter().map(Vec::len).collect()
    }

    const NOTE: LineBox =
        LineBox { gap: 0.0, height: 10.0, ascent: 8.0, marks: Vec::new(), outline: None, spacing: None };

    fn signatures(n: usize) -> LaidBlock {
        LaidBlock { signature: true, ..block(n, true, false) }
    }

    #[test]
    fn a_signature_page_after_a_half_empty_page_is_announced() {
        // 4 lines, then the witness paragraph and a 7-line signature block: they move on,
        // leaving more than half the page empty, so the page ends with the note.
        let blocks = [block(4, false, false), block(2, false, true), signatures(7)];
        let note = NOTE;
        let pages = paginate(&blocks, 100.0, 0.0, &note);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [5, 9]);
        assert!(std::ptr::eq(pages[0][4].line, &note));
        assert_eq!(pages[0][4].baseline, 2.0, "at the foot of the text area");
        // A page that is nearly full gets no note.
        let blocks = [block(8, false, false), block(2, false, true), signatures(2)];
        assert_eq!(counts(&blocks), [8, 4]);
        // Nor does a break before anything but signatures.
        let blocks = [block(4, false, false), block(2, false, true), block(7, true, false)];
        assert_eq!(counts(&blocks), [4, 9]);
    }

    #[test]
    fn no_widows_or_orphans() {
        // A page holds 10 lines. 9 lines, then a 5-line paragraph: 1 line would
        // be orphaned, so the paragraph moves.
        assert_eq!(counts(&[block(9, false, false), block(5, false, false)]), [9, 5]);
        // 7 + 4: 2 fit after the gap (the gap takes half a line), 2 move: split 2/2.
        assert_eq!(counts(&[block(7, false, false), block(4, false, false)]), [9, 2]);
        // 8 + 3: a 3-line paragraph cannot split without a widow or orphan.
        assert_eq!(counts(&[block(8, false, false), block(3, false, false)]), [8, 3]);
    }

    #[test]
    fn keep_with_next_chain_moves_together() {
        let blocks = [block(6, false, false), block(2, false, true), block(2, true, true), block(2, true, false)];
        assert_eq!(counts(&blocks), [6, 6]);
    }

    #[test]
    fn oversized_blocks_flow() {
        let blocks = [block(25, true, false)];
        let note = NOTE;
        let pages = paginate(&blocks, 100.0, 0.0, &note);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 5]);
        assert!(pages[0][0].baseline < 100.0);
    }
}
