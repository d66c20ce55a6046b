//! Inline text to words, and words to lines with real glyph widths.
//!
//! A word is a run of fragments (one face each) between spaces. A word also
//! ends after a hyphen or dash inside a compound ("short-" "term"), and, in
//! justified text, at the English hyphenation points of `hypher` (then a
//! hyphen is drawn only when the line breaks there). Lines are chosen by
//! Knuth and Plass's method over the whole paragraph: every word space may
//! stretch by half or shrink by a fifth of its width, each possible line gets
//! a badness from how far its spaces must move, and the breaks with the least
//! total demerits win, so loose lines are avoided by changing earlier breaks.

use std::cell::RefCell;
use std::collections::HashMap;

use super::fonts::{is_ignorable, is_space};
use super::markdown_blocks::{Deco, Inline, Piece};
use super::memo::Fixed;
use super::metrics::{Face, GlyphWidths};
use super::PdfError;

/// How far a word space may stretch and shrink, as a share of its natural width.
pub const STRETCH: f32 = 0.4;
pub const SHRINK: f32 = 0.33;
/// How far the space between letters may stretch in justified text, in ems
/// (at the adjustment ratio 1): a loose line shares its slack between the
/// word spaces and, much less per gap, the letters, as InDesign's and
/// pdfTeX's justification do, instead of opening only the word spaces.
pub const LETTER_STRETCH: f32 = 0.025;
/// Spaces stretched beyond this adjustment ratio (1.8x their width) are a last resort.
const MAX_RATIO: f32 = 1.6;
/// Demerits added for a break at a hyphen (drawn or a compound's own).
const HYPHEN_PENALTY: f32 = 50.0;
/// Extra demerits for two hyphenated lines in a row.
const DOUBLE_HYPHEN: f32 = 3000.0;
/// Extra demerits when a line's tightness differs by more than one class from the previous line's.
const FITNESS_JUMP: f32 = 100.0;
/// Hyphenation leaves at least this many letters before and after the hyphen.
const HYPHEN_MIN: (usize, usize) = (2, 3);

/// Text of one face inside a word: bytes `start..end` of [`Words::text`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frag {
    pub face: Face,
    /// Redline decoration (deleted or inserted text).
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
    /// The space after the word neither stretches nor shrinks (a section number's tab).
    pub rigid: bool,
    /// A hard line break follows.
    pub hard_break: bool,
    /// Kerning with the previous word when the two join (no space between).
    pub kern_in: f32,
    /// Width of the hyphen drawn when a line breaks after this word: the word
    /// continues in the next one (a hyphenation point). 0 otherwise.
    pub hyphen: f32,
    /// No line break after this word (a parenthesised figure follows).
    pub bind: bool,
    /// Number of glyphs drawn for the word.
    pub glyphs: usize,
}

impl Word {
    /// The next word continues this one without a space.
    pub fn joined(&self) -> bool {
        self.space == 0.0 && !self.hard_break
    }
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

    /// The whole text of `word`.
    pub fn word_text(&self, word: &Word) -> String {
        self.frags(word).iter().map(|f| self.str(f)).collect()
    }

    fn push_char(&mut self, (face, deco): (Face, Deco), ch: char, width: f32) {
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
        word.glyphs += 1;
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
    /// Natural width: words, their spaces and kerning, and a hyphen drawn at the end.
    pub width: f32,
    /// Last line of the paragraph or followed by a hard break: never justified.
    pub last: bool,
    /// The line ends at a hyphenation point: a hyphen is drawn.
    pub hyphenated: bool,
    /// The line ends inside a word (at a hyphenation point, after a compound's
    /// dash, or in an over-long word): the word continues on the next line.
    pub split: bool,
}

/// A character waiting in the word being read: face and decoration, character, advance,
/// kerning with the one before.
type Pending = ((Face, Deco), char, f32, f32);

/// Reads inline pieces into [`Words`], hyphenating where allowed.
struct Reader<'a> {
    out: Words,
    fonts: &'a dyn GlyphWidths,
    size: f32,
    hyphenate: bool,
    /// Characters of the word being read.
    word: Vec<Pending>,
    /// Inside typographic or straight double quotes (a defined term).
    in_quotes: bool,
    /// Kerning of the word being read with the word it joins.
    kern_in: f32,
    /// The hyphenation points of the word being ended (a buffer kept between words).
    points: Vec<usize>,
}

impl Reader<'_> {
    /// Ends the word being read; `space` follows it. `last` marks the paragraph's last word.
    fn flush(&mut self, space: f32, last: bool) {
        if self.word.is_empty() {
            self.out.end_word(space);
            return;
        }
        let mut quoted = self.in_quotes;
        for p in &self.word {
            match p.1 {
                '\u{201C}' => (self.in_quotes, quoted) = (true, true),
                '\u{201D}' => (self.in_quotes, quoted) = (false, true),
                '"' => (self.in_quotes, quoted) = (!self.in_quotes, true),
                _ => {}
            }
        }
        let mut points = std::mem::take(&mut self.points);
        points.clear();
        if self.hyphenate && !last && !quoted {
            hyphenation_points(&self.word, &mut points);
        }
        let mut next_point = points.iter().peekable();
        let mut kern_in = std::mem::take(&mut self.kern_in);
        for (i, &(style, ch, width, kern)) in self.word.iter().enumerate() {
            if next_point.peek().is_some_and(|&&p| p == i) {
                next_point.next();
                let hyphen = self.fonts.text_width(self.word[i - 1].0 .0, self.size, "-");
                self.out.end_word(0.0);
                if let Some(w) = self.out.list.last_mut() {
                    w.hyphen = hyphen;
                }
                kern_in = kern;
            } else if i > 0 {
                self.out.push_char(style, ch, width + kern);
                continue;
            }
            self.out.push_char(style, ch, width);
            if let Some(open) = self.out.open.as_mut() {
                open.kern_in = kern_in;
            }
        }
        self.points = points;
        self.word.clear();
        self.out.end_word(space);
    }
}

/// Char indices inside `word` where it may be hyphenated, appended to `points`: only plain
/// lower-case words (no capitals, so no names or defined terms; no digits, so no amounts,
/// dates or file numbers), with leading and trailing punctuation set aside.
fn hyphenation_points(word: &[Pending], points: &mut Vec<usize>) {
    let lead = word.iter().take_while(|p| !p.1.is_alphabetic()).count();
    let tail = word.iter().rev().take_while(|p| !p.1.is_alphabetic()).count();
    if lead + tail >= word.len() {
        return;
    }
    let core = &word[lead..word.len() - tail];
    if core.len() < HYPHEN_MIN.0 + HYPHEN_MIN.1 || core.len() > MAX_HYPHENATED {
        return;
    }
    let mut letters = [0u8; MAX_HYPHENATED];
    for (letter, p) in letters.iter_mut().zip(core) {
        if !p.1.is_ascii_lowercase() {
            return;
        }
        *letter = p.1 as u8;
    }
    let core = std::str::from_utf8(&letters[..core.len()]).unwrap_or_default();
    syllable_ends(core, |p| points.push(lead + usize::from(p)));
}

/// Longest word hyphenated, in letters.
const MAX_HYPHENATED: usize = 40;

/// Gives each char offset of a hyphenation point of a lower-case ASCII word to `each`;
/// the points are remembered per thread: agreements repeat their words, and a batch
/// repeats its agreements.
fn syllable_ends(word: &str, mut each: impl FnMut(u8)) {
    thread_local! {
        static SEEN: RefCell<HashMap<String, Vec<u8>, Fixed>> = RefCell::new(HashMap::default());
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(points) = seen.get(word) {
            points.iter().for_each(|&p| each(p));
            return;
        }
        let mut points = Vec::new();
        let mut at = 0u8;
        let syllables: Vec<&str> =
            hypher::hyphenate_bounded(word, hypher::Lang::English, HYPHEN_MIN.0, HYPHEN_MIN.1).collect();
        for syllable in &syllables[..syllables.len().saturating_sub(1)] {
            at = at.saturating_add(syllable.len() as u8);
            points.push(at);
        }
        points.iter().for_each(|&p| each(p));
        if seen.len() >= 50_000 {
            seen.clear();
        }
        seen.insert(word.to_string(), points);
    })
}

/// A figure in parentheses ("(18)", "($100)"), which must not start a line.
fn is_parenthesised_figure(text: &str) -> bool {
    let inner = text.trim_end_matches(|c: char| ",.;:".contains(c));
    inner.starts_with('(') && inner.ends_with(')') && inner.chars().any(|c| c.is_ascii_digit())
}

/// Turns inline pieces into words; `bold` adds strong emphasis to every piece;
/// `hyphenate` allows breaks at hyphenation points.
pub fn words(
    inline: &Inline,
    size: f32,
    bold: bool,
    hyphenate: bool,
    fonts: &dyn GlyphWidths,
) -> Result<Words, PdfError> {
    let mut r = Reader {
        out: Words::default(),
        fonts,
        size,
        hyphenate,
        word: Vec::new(),
        in_quotes: false,
        kern_in: 0.0,
        points: Vec::new(),
    };
    let mut prev = ' ';
    let mut prev_face: Option<Face> = None;
    let mut deco = Deco::None;
    for piece in inline {
        match piece {
            Piece::Deco(d) => deco = *d,
            Piece::Break => {
                r.flush(0.0, false);
                if let Some(last) = r.out.list.last_mut() {
                    last.hard_break = true;
                    last.space = 0.0;
                }
                prev = ' ';
                prev_face = None;
            }
            Piece::Text { text, bold: b, italic } => {
                let face = Face::new(*b || bold, *italic);
                let space = fonts.text_width(face, size, " ");
                let mut chars = text.chars().peekable();
                while let Some(ch) = chars.next() {
                    if is_space(ch) {
                        r.flush(space, false);
                        prev = ' ';
                        prev_face = None;
                        continue;
                    }
                    if is_ignorable(ch) {
                        continue;
                    }
                    let adv = fonts.advance(face, ch).ok_or(PdfError::MissingGlyph { ch })?;
                    let kern = match prev_face {
                        Some(f) if f == face => f32::from(fonts.kern(face, prev, ch)) * size / 1000.0,
                        _ => 0.0,
                    };
                    if r.word.is_empty() && kern != 0.0 {
                        // Joins the previous word (after a compound's dash).
                        r.kern_in = kern;
                        r.word.push(((face, deco), ch, f32::from(adv) * size / 1000.0, 0.0));
                    } else {
                        r.word.push(((face, deco), ch, f32::from(adv) * size / 1000.0, kern));
                    }
                    if is_dash(ch) && prev.is_alphabetic() && chars.peek().is_some_and(|c| c.is_alphabetic()) {
                        r.flush(0.0, false);
                    }
                    prev = ch;
                    prev_face = Some(face);
                }
            }
        }
    }
    r.flush(0.0, true);
    let mut out = r.out;
    for k in 1..out.list.len() {
        let word = out.list[k];
        let opens = out.frags(&word).first().is_some_and(|f| out.str(f).starts_with('('));
        if opens && out.list[k - 1].space > 0.0 && is_parenthesised_figure(&out.word_text(&word)) {
            out.list[k - 1].bind = true;
        }
    }
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
                out.push_char((frag.face, frag.deco), ch, cw);
            }
        }
        out.end_word(w.space);
        if let Some(last) = out.list.last_mut() {
            last.hard_break = w.hard_break;
            last.rigid = w.rigid;
            last.bind = w.bind;
        }
    }
    out
}

/// Breaks words into lines of at most `widths(i)` for line `i` (the first line
/// may differ, e.g. for an indent; all later lines must have one width).
/// `letter` is the stretch of each gap between letters at the adjustment
/// ratio 1, in points (0 for text that is not justified).
/// Optimal fit over each hard-break segment.
pub fn break_lines(words: &[Word], widths: &dyn Fn(usize) -> f32, letter: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut seg_start = 0;
    while seg_start < words.len() {
        let seg_end = words[seg_start..].iter().position(|w| w.hard_break).map_or(words.len(), |p| seg_start + p + 1);
        break_segment(&words[seg_start..seg_end], seg_start, (widths, letter), &mut lines);
        seg_start = seg_end;
    }
    lines
}

/// Natural width of words `a..b` on one line, with the hyphen if the line ends inside a word.
fn span_width(words: &[Word], a: usize, b: usize, last: bool) -> f32 {
    let mut w = 0.0;
    for (i, word) in words[a..b].iter().enumerate() {
        w += word.width;
        if i > 0 {
            w += word.kern_in;
        }
        if a + i + 1 < b {
            w += word.space;
        }
    }
    if !last {
        w += words[b - 1].hyphen;
    }
    w
}

/// How tight a line is set: 0 tight, 1 decent, 2 loose, 3 very loose.
fn fitness(ratio: f32) -> usize {
    match ratio {
        r if r < -0.5 => 0,
        r if r <= 0.5 => 1,
        r if r <= 1.0 => 2,
        _ => 3,
    }
}

/// The best way found to break before a word: total demerits, line count,
/// previous break, whether the line before ended in a hyphen.
#[derive(Clone, Copy)]
struct Node {
    demerits: f32,
    lines: usize,
    prev: (usize, usize),
    hyphenated: bool,
}

type Measure<'a> = (&'a dyn Fn(usize) -> f32, f32);

fn break_segment(words: &[Word], offset: usize, (widths, letter): Measure<'_>, lines: &mut Vec<Line>) {
    let first_line = lines.len();
    let n = words.len();
    // best[i][f]: the best breaks ending before word i with a last line of fitness f.
    let mut best: Vec<[Option<Node>; 4]> = vec![[None; 4]; n + 1];
    best[0][1] = Some(Node { demerits: 0.0, lines: 0, prev: (0, 1), hyphenated: false });
    // Prefix sums over the words: widths with kerning, spaces, spaces that stretch, glyphs.
    let mut sums = vec![(0.0f32, 0.0f32, 0.0f32, 0usize); n + 1];
    for (k, w) in words.iter().enumerate() {
        let (pw, ps, pst, pg) = sums[k];
        let stretchy = if w.rigid { 0.0 } else { w.space };
        sums[k + 1] = (pw + w.width + w.kern_in, ps + w.space, pst + stretchy, pg + w.glyphs);
    }
    // Width (without a final hyphen), stretch, shrink and glyphs of the line of words i..=j.
    let line = |i: usize, j: usize| {
        let width = sums[j + 1].0 - sums[i].0 - words[i].kern_in + sums[j].1 - sums[i].1;
        let stretchy = sums[j].2 - sums[i].2;
        (width, stretchy * STRETCH, stretchy * SHRINK, sums[j + 1].3 - sums[i].3)
    };
    for i in 0..n {
        // The line from word i is measured once; each fitness class ending before i extends it.
        let Some(lines_before) = best[i].iter().flatten().map(|node| node.lines).next() else { continue };
        let avail = widths(first_line + lines_before);
        // Lines ending before the first that is not too loose are never chosen (the fullest
        // of them is the one just before): find it by bisection and start one earlier.
        let too_loose = |j: usize| {
            let (width, stretch, _, glyphs) = line(i, j);
            avail - width > MAX_RATIO * (stretch + letter * glyphs.saturating_sub(1) as f32)
        };
        let (mut lo, mut hi) = (i, n - 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if too_loose(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for j in lo.saturating_sub(1).max(i)..n {
            let w = &words[j];
            let (width, stretch, shrink, glyphs) = line(i, j);
            let is_last = j + 1 == n;
            let natural = width + if is_last { 0.0 } else { w.hyphen };
            if natural - shrink > avail + 0.01 && j > i {
                break;
            }
            let letters = glyphs + usize::from(w.hyphen > 0.0);
            let line_stretch = stretch + letter * letters.saturating_sub(1) as f32;
            if !is_last && avail - natural > MAX_RATIO * line_stretch && !fullest(words, j, width, shrink, avail) {
                // Looser than allowed while a fuller line exists: never better than that one.
                continue;
            }
            let (ratio, mut demerits) = if is_last {
                (0.0, if natural > avail + 0.01 { 1e6 } else { 0.0 })
            } else {
                line_demerits(avail - natural, line_stretch, shrink)
            };
            if !is_last && w.bind {
                // A parenthesised figure follows: break here only when nothing else fits.
                demerits += 1e7;
            }
            let hyphenated = !is_last && w.joined();
            if hyphenated {
                demerits += HYPHEN_PENALTY * HYPHEN_PENALTY;
            }
            let fit = if is_last { 1 } else { fitness(ratio) };
            for (f, from) in best[i].into_iter().enumerate() {
                let Some(from) = from else { continue };
                let mut total = from.demerits + demerits;
                if hyphenated && from.hyphenated {
                    total += DOUBLE_HYPHEN;
                }
                if !is_last && fit.abs_diff(f) > 1 {
                    total += FITNESS_JUMP;
                }
                let slot = &mut best[j + 1][fit];
                if slot.is_none_or(|s| total < s.demerits) {
                    *slot = Some(Node { demerits: total, lines: from.lines + 1, prev: (i, f), hyphenated });
                }
            }
        }
    }
    // Walk back the chosen breaks.
    let mut breaks = Vec::new();
    let mut at = (n, (0..4).min_by(|&a, &b| cost(&best[n][a]).total_cmp(&cost(&best[n][b]))).unwrap_or(1));
    while at.0 > 0 {
        let Some(node) = best[at.0][at.1] else { break };
        breaks.push((node.prev.0, at.0));
        at = node.prev;
    }
    breaks.reverse();
    let count = breaks.len();
    for (idx, (a, b)) in breaks.into_iter().enumerate() {
        let last = idx + 1 == count;
        lines.push(Line {
            start: offset + a,
            end: offset + b,
            width: span_width(words, a, b, last),
            last,
            hyphenated: !last && words[b - 1].hyphen > 0.0,
            split: !last && words[b - 1].joined(),
        });
    }
}

/// Whether the line ending at word `j` (natural `width` without a final hyphen, `shrink`)
/// is the fullest that fits: the next word would overflow it.
fn fullest(words: &[Word], j: usize, width: f32, shrink: f32, avail: f32) -> bool {
    let (w, Some(next)) = (&words[j], words.get(j + 1)) else {
        return true;
    };
    let hyphen = if j + 2 < words.len() { next.hyphen } else { 0.0 };
    let shrink = shrink + if w.rigid { 0.0 } else { w.space * SHRINK };
    width + w.space + next.kern_in + next.width + hyphen - shrink > avail + 0.01
}

fn cost(node: &Option<Node>) -> f32 {
    node.map_or(f32::INFINITY, |n| n.demerits)
}

/// Adjustment ratio and demerits of a justified line with `slack` to fill.
fn line_demerits(slack: f32, stretch: f32, shrink: f32) -> (f32, f32) {
    let ratio = if slack >= 0.0 {
        if stretch > 0.0 {
            slack / stretch
        } else if slack < 0.01 {
            0.0
        } else {
            10.0
        }
    } else if shrink > 0.0 {
        slack / shrink
    } else {
        -10.0
    };
    let badness = (100.0 * ratio.abs().powi(3)).min(10_000.0);
    let mut demerits = (10.0 + badness).powi(2);
    if !(-1.0..=MAX_RATIO).contains(&ratio) {
        // Over-stretched or over-full: only when nothing else is possible.
        demerits += 1e8 * (1.0 + ratio.abs());
    }
    (ratio, demerits)
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
        let ws = words(&text("short-term and  long"), 12.0, false, false, &Mono).unwrap();
        let texts: Vec<&str> = ws.list.iter().map(|w| ws.str(&ws.frags(w)[0])).collect();
        assert_eq!(texts, ["short-", "term", "and", "long"]);
        assert_eq!(ws.list[0].space, 0.0);
        assert_eq!(ws.list[1].space, 6.0);
        assert_eq!(ws.list[2].space, 6.0);
    }

    #[test]
    fn missing_glyph_is_reported() {
        let err = words(&text("a → b"), 12.0, false, false, &Mono).unwrap_err();
        assert_eq!(err, PdfError::MissingGlyph { ch: '→' });
    }

    #[test]
    fn lines_fit_and_cover_all_words() {
        let ws = words(&text(&"word ".repeat(50)), 12.0, false, false, &Mono).unwrap();
        let lines = break_lines(&ws.list, &|_| 200.0, 0.0);
        // Word spaces (6 pt) may shrink by a fifth.
        assert!(lines.iter().all(|l| l.width - (l.end - l.start - 1) as f32 * 6.0 * SHRINK <= 200.01));
        assert_eq!(lines.first().map(|l| l.start), Some(0));
        assert_eq!(lines.last().map(|l| l.end), Some(50));
        assert!(lines.last().is_some_and(|l| l.last));
    }

    #[test]
    fn overlong_words_are_split() {
        let ws = words(&text(&"_".repeat(100)), 12.0, false, false, &Mono).unwrap();
        let ws = split_long_words(ws, 100.0, 12.0, &Mono);
        assert!(ws.list.iter().all(|w| w.width <= 100.0));
        assert_eq!(ws.list.len(), 7);
        assert_eq!(ws.list.iter().map(|w| ws.str(&ws.frags(w)[0]).len()).sum::<usize>(), 100);
    }

    fn pieces(text: &str) -> Vec<String> {
        let fonts = crate::pdf::fonts::font_set().expect("fonts");
        let ws = words(&vec![Piece::Text { text: text.into(), bold: false, italic: false }], 12.0, false, true, fonts)
            .expect("words");
        ws.list.iter().map(|w| ws.word_text(w) + if w.hyphen > 0.0 { "-" } else { "" }).collect()
    }

    #[test]
    fn hyphenates_plain_words_only() {
        assert_eq!(pieces("the consideration, of it"), ["the", "con-", "sid-", "er-", "a-", "tion,", "of", "it"]);
        // Names and capitalised words, defined terms in quotes, figures and file numbers, the last word: never.
        for text in [
            "NeoTherapeutics Registration agreed",
            "the \u{201C}underwriting\u{201D} agreed",
            "\"underwriting agreements\" agreed",
            "$4,000.00 333-79935 agreed",
            "the consideration",
        ] {
            assert!(pieces(text).iter().all(|p| !p.ends_with('-') || p == "333-"), "{text}: {:?}", pieces(text));
        }
    }

    #[test]
    fn a_parenthesised_figure_is_bound_to_the_word_before() {
        let fonts = crate::pdf::fonts::font_set().expect("fonts");
        let text = vec![Piece::Text { text: "eighteen months (18) from ($100).".into(), bold: false, italic: false }];
        let ws = words(&text, 12.0, false, false, fonts).expect("words");
        let binds: Vec<bool> = ws.list.iter().map(|w| w.bind).collect();
        assert_eq!(binds, [false, true, false, true, false]);
        // A measure that takes three words: the lines never start with a figure.
        let measure = span_width(&ws.list, 0, 3, true) + 1.0;
        let lines = break_lines(&ws.list, &|_| measure, 0.0);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| !ws.word_text(&ws.list[l.start]).starts_with('(')), "{lines:?}");
    }

    #[test]
    fn kerning_is_measured() {
        let fonts = crate::pdf::fonts::font_set().expect("fonts");
        let text = vec![Piece::Text { text: "AVAV".into(), bold: false, italic: false }];
        let ws = words(&text, 12.0, false, false, fonts).expect("words");
        let plain = 4.0 * f32::from(fonts.advance(Face::Regular, 'A').unwrap_or(0)) * 12.0 / 1000.0;
        assert!(ws.list[0].width < plain - 1.0, "{} vs {plain}", ws.list[0].width);
    }
}
