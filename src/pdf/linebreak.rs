//! Inline text to words, and words to lines with real glyph widths.
//!
//! A word is a run of fragments (one face each) between spaces; a word also
//! ends after a hyphen or dash inside a compound, so "short-term" may break
//! after "short-". Lines are filled to minimise the squared slack of all
//! lines but the last (a small Knuth–Plass without stretchable glue), which
//! keeps justified word spaces even.

use super::fonts::{is_ignorable, is_space};
use super::markdown_blocks::{Deco, Inline, Piece};
use super::metrics::{Face, GlyphWidths};
use super::PdfError;

/// Text of one face inside a word: bytes `start..end` of [`Words::text`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frag {
    pub face: Face,
    /// Redline decoration.
    pub deco: Deco,
    pub start: usize,
    pub end: usize,
    pub width: f32,
}

/// An unbreakable run of text: fragments `first..last` of [`Words::frags`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Word {
    pub first: usize,
    pub last: usize,
    pub width: f32,
    /// Width of the space after the word; 0 when the next word joins on directly.
    pub space: f32,
    /// A hard line break follows.
    pub hard_break: bool,
}

/// The words of a paragraph, stored flat: one string, one fragment list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Words {
    pub text: String,
    pub frags: Vec<Frag>,
    pub list: Vec<Word>,
    /// The word being built, if any.
    open: Option<Word>,
}

impl Words {
    /// The fragments of `word`.
    pub fn frags(&self, word: &Word) -> &[Frag] {
        self.frags.get(word.first..word.last).unwrap_or_default()
    }

    /// The text of `frag`.
    pub fn str(&self, frag: &Frag) -> &str {
        self.text.get(frag.start..frag.end).unwrap_or_default()
    }

    fn push_char(&mut self, face: Face, deco: Deco, ch: char, width: f32) {
        let n = self.frags.len();
        let word = self.open.get_or_insert(Word { first: n, last: n, ..Word::default() });
        match self.frags.last_mut() {
            Some(f) if n > word.first && f.face == face && f.deco == deco => {
                f.end += ch.len_utf8();
                f.width += width;
            }
            _ => {
                let start = self.text.len();
                self.frags.push(Frag { face, deco, start, end: start + ch.len_utf8(), width });
            }
        }
        word.width += width;
        self.text.push(ch);
    }

    /// Closes the open word with the given following space; a space after
    /// nothing widens the previous word's space instead.
    fn end_word(&mut self, space: f32) {
        match self.open.take() {
            Some(mut w) => {
                w.last = self.frags.len();
                w.space = space;
                self.list.push(w);
            }
            None => {
                if let Some(last) = self.list.last_mut() {
                    if space > 0.0 && !last.hard_break && last.space == 0.0 {
                        last.space = space;
                    }
                }
            }
        }
    }
}

/// A line: a range of words and whether it closes a paragraph or precedes a hard break.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// Natural width (words plus their spaces, without the last word's space).
    pub width: f32,
    /// Last line of the paragraph or followed by a hard break: never justified.
    pub last: bool,
}

/// Turns inline pieces into words; `bold` adds strong emphasis to every piece.
pub fn words(inline: &Inline, size: f32, bold: bool, fonts: &dyn GlyphWidths) -> Result<Words, PdfError> {
    let mut out = Words::default();
    let mut prev = ' ';
    let mut deco = Deco::None;
    for piece in inline {
        match piece {
            Piece::Deco(d) => deco = *d,
            Piece::Break => {
                out.end_word(0.0);
                if let Some(last) = out.list.last_mut() {
                    last.hard_break = true;
                    last.space = 0.0;
                }
                prev = ' ';
            }
            Piece::Text { text, bold: b, italic } => {
                let face = Face::new(*b || bold, *italic);
                let space = fonts.text_width(face, size, " ");
                let mut chars = text.chars().peekable();
                while let Some(ch) = chars.next() {
                    if is_space(ch) {
                        out.end_word(space);
                        prev = ' ';
                        continue;
                    }
                    if is_ignorable(ch) {
                        continue;
                    }
                    let adv = fonts.advance(face, ch).ok_or(PdfError::MissingGlyph { ch })?;
                    out.push_char(face, deco, ch, f32::from(adv) * size / 1000.0);
                    if is_dash(ch) && prev.is_alphanumeric() && chars.peek().is_some_and(|c| c.is_alphanumeric()) {
                        out.end_word(0.0);
                    }
                    prev = ch;
                }
            }
        }
    }
    out.end_word(0.0);
    Ok(out)
}

fn is_dash(ch: char) -> bool {
    matches!(ch, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}' | '/')
}

/// Splits words wider than `width` into pieces that fit, character by character.
pub fn split_long_words(words: Words, width: f32, size: f32, fonts: &dyn GlyphWidths) -> Words {
    if words.list.iter().all(|w| w.width <= width) {
        return words;
    }
    let mut out = Words::default();
    for w in &words.list {
        for frag in words.frags(w) {
            for ch in words.str(frag).chars() {
                let cw = fonts.text_width(frag.face, size, ch.encode_utf8(&mut [0; 4]));
                if out.open.is_some_and(|o| o.width + cw > width) {
                    out.end_word(0.0);
                }
                out.push_char(frag.face, frag.deco, ch, cw);
            }
        }
        out.end_word(w.space);
        if let Some(last) = out.list.last_mut() {
            last.hard_break = w.hard_break;
        }
    }
    out
}

/// Breaks words into lines of at most `widths(i)` for line `i` (the first line
/// may be shorter, e.g. for an indent). Optimal fit over each hard-break segment.
pub fn break_lines(words: &[Word], widths: &dyn Fn(usize) -> f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut seg_start = 0;
    while seg_start < words.len() {
        let seg_end = words[seg_start..].iter().position(|w| w.hard_break).map_or(words.len(), |p| seg_start + p + 1);
        break_segment(words, seg_start, seg_end, widths, &mut lines);
        seg_start = seg_end;
    }
    lines
}

/// Natural width of words `a..b` on one line.
fn span_width(words: &[Word], a: usize, b: usize) -> f32 {
    let mut w = 0.0;
    for (i, word) in words[a..b].iter().enumerate() {
        w += word.width;
        if a + i + 1 < b {
            w += word.space;
        }
    }
    w
}

fn break_segment(words: &[Word], start: usize, end: usize, widths: &dyn Fn(usize) -> f32, lines: &mut Vec<Line>) {
    let first_line = lines.len();
    let n = end - start;
    // best[i]: (cost, line count, previous break) for a break before word start+i.
    let mut best: Vec<(f32, usize, usize)> = vec![(f32::INFINITY, 0, 0); n + 1];
    best[0] = (0.0, 0, 0);
    for i in 0..n {
        let (cost_i, count_i, _) = best[i];
        if !cost_i.is_finite() {
            continue;
        }
        let avail = widths(first_line + count_i);
        let mut width = 0.0;
        let mut gaps = 0usize;
        for j in i..n {
            let w = &words[start + j];
            if j > i {
                let before = words[start + j - 1].space;
                width += before;
                gaps += usize::from(before > 0.0);
            }
            width += w.width;
            let fits = width <= avail + 0.01;
            if !fits && j > i {
                break;
            }
            let is_last = j + 1 == n;
            let slack = (avail - width).max(0.0);
            let line_cost = if is_last {
                0.0
            } else {
                let per_gap = slack / gaps.max(1) as f32;
                // Penalise wide word spaces, and lines ending in a broken compound.
                per_gap * per_gap * if gaps == 0 { 4.0 } else { 1.0 } + if w.space == 0.0 { 20.0 } else { 0.0 }
            };
            let cost = cost_i + line_cost + 1.0;
            if cost < best[j + 1].0 {
                best[j + 1] = (cost, count_i + 1, i);
            }
        }
    }
    // Walk back the chosen breaks.
    let mut breaks = Vec::new();
    let mut k = n;
    while k > 0 {
        let prev = best[k].2;
        breaks.push((prev, k));
        k = prev;
    }
    breaks.reverse();
    let count = breaks.len();
    for (idx, (a, b)) in breaks.into_iter().enumerate() {
        lines.push(Line {
            start: start + a,
            end: start + b,
            width: span_width(words, start + a, start + b),
            last: idx + 1 == count,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every glyph 500 units wide: 6 pt at 12 pt, spaces too.
    struct Mono;
    impl GlyphWidths for Mono {
        fn advance(&self, _: Face, ch: char) -> Option<u16> {
            (ch != '→').then_some(500)
        }
    }

    fn text(s: &str) -> Inline {
        vec![Piece::Text { text: s.into(), bold: false, italic: false }]
    }

    #[test]
    fn words_break_after_compound_hyphens() {
        let ws = words(&text("short-term and  long"), 12.0, false, &Mono).unwrap();
        let texts: Vec<&str> = ws.list.iter().map(|w| ws.str(&ws.frags(w)[0])).collect();
        assert_eq!(texts, ["short-", "term", "and", "long"]);
        assert_eq!(ws.list[0].space, 0.0);
        assert_eq!(ws.list[1].space, 6.0);
        assert_eq!(ws.list[2].space, 6.0);
    }

    #[test]
    fn missing_glyph_is_reported() {
        let err = words(&text("a → b"), 12.0, false, &Mono).unwrap_err();
        assert_eq!(err, PdfError::MissingGlyph { ch: '→' });
    }

    #[test]
    fn lines_fit_and_cover_all_words() {
        let ws = words(&text(&"word ".repeat(50)), 12.0, false, &Mono).unwrap();
        let lines = break_lines(&ws.list, &|_| 200.0);
        assert!(lines.iter().all(|l| l.width <= 200.0));
        assert_eq!(lines.first().map(|l| l.start), Some(0));
        assert_eq!(lines.last().map(|l| l.end), Some(50));
        assert!(lines.last().is_some_and(|l| l.last));
    }

    #[test]
    fn overlong_words_are_split() {
        let ws = words(&text(&"_".repeat(100)), 12.0, false, &Mono).unwrap();
        let ws = split_long_words(ws, 100.0, 12.0, &Mono);
        assert!(ws.list.iter().all(|w| w.width <= 100.0));
        assert_eq!(ws.list.len(), 7);
        assert_eq!(ws.list.iter().map(|w| ws.str(&ws.frags(w)[0]).len()).sum::<usize>(), 100);
    }
}
