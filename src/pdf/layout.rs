//! Blocks to line boxes: fonts, sizes, indents, alignment and the keep rules.
//!
//! Every block becomes a [`LaidBlock`]: line boxes with their marks (text
//! runs and rules) at absolute x positions, the space above each line, and
//! whether the block must stay whole or stay with the next one. Vertical
//! placement is left to [`super::paginate`].

use super::fonts::font_set;
use super::linebreak::{break_lines, split_long_words, words, Line, Word, Words, LETTER_STRETCH, STRETCH};
use super::markdown_blocks::{Block, Deco, Inline, Piece};
use super::memo;
use super::metrics::{Face, GlyphWidths};
use super::signature::signature;
use super::PdfError;

/// Body size, leading and spacing, in points.
pub(super) const BODY: f32 = 12.0;
pub(super) const LEADING: f32 = 14.5;
const PARA_GAP: f32 = 8.0;
const INDENT: f32 = 36.0;
const TITLE: f32 = 14.0;
const SIGNATURE_GAP: f32 = 24.0;

/// The text area of a page, in PDF points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub left: f32,
    pub width: f32,
}

/// Text of one face and size; each space in `text` is widened by `word_space`.
/// The run is the unit that carries how text is drawn (face, size, redline
/// decoration, and what text extraction should read); consecutive runs with
/// the same `actual` share one marked-content span, whatever their decoration.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub face: Face,
    /// Redline decoration: drawn in colour with rules by `ops`.
    pub deco: Deco,
    pub size: f32,
    pub text: String,
    pub word_space: f32,
    /// What text extraction reads instead of `text`: the whole word for the
    /// first part of a hyphenated word (with its hyphen), nothing for the rest.
    pub actual: Option<String>,
}

/// Something drawn on a line, relative to its baseline.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// Runs set one after another from `x`, with `char_spacing` (`Tc`) after every glyph.
    Text { x: f32, char_spacing: f32, runs: Vec<Run> },
    /// A horizontal rule `drop` points below the baseline.
    Rule { x0: f32, x1: f32, drop: f32 },
}

/// One line of a block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineBox {
    /// Space above the line, dropped at the top of a page.
    pub gap: f32,
    pub height: f32,
    /// Baseline position below the top of the box.
    pub ascent: f32,
    pub marks: Vec<Mark>,
    /// Outline (bookmark) title of a numbered section starting here.
    pub outline: Option<String>,
    /// A justified line's mean word space over the natural space (1.0 = unstretched).
    pub spacing: Option<f32>,
}

/// A block after line breaking.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaidBlock {
    pub lines: Vec<LineBox>,
    /// Never split across pages.
    pub keep_together: bool,
    /// Must share a page with the start of the next block.
    pub keep_with_next: bool,
    /// A signature block.
    pub signature: bool,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Align {
    Justify,
    Left,
    Right,
    Center,
}

/// How to set one paragraph.
#[derive(Clone, Copy)]
pub(super) struct ParStyle {
    pub size: f32,
    pub leading: f32,
    pub bold: bool,
    pub align: Align,
    pub x: f32,
    pub width: f32,
    pub first_indent: f32,
}

impl ParStyle {
    pub fn body(frame: Frame) -> Self {
        ParStyle {
            size: BODY,
            leading: LEADING,
            bold: false,
            align: Align::Justify,
            x: frame.left,
            width: frame.width,
            first_indent: 0.0,
        }
    }
}

/// Lays out all blocks.
pub fn layout(blocks: &[Block], frame: Frame, fonts: &dyn GlyphWidths) -> Result<Vec<LaidBlock>, PdfError> {
    let mut out: Vec<LaidBlock> = Vec::with_capacity(blocks.len());
    let mut space_after: f32 = 0.0;
    for (i, block) in blocks.iter().enumerate() {
        let next_is_signature = matches!(blocks.get(i + 1), Some(Block::Signature(_)));
        let (mut laid, before, after) = match block {
            Block::Header(text) => {
                let style = ParStyle { align: Align::Right, ..ParStyle::body(frame) };
                let mut b = paragraph(text, style, None, fonts)?;
                b.keep_with_next = true;
                (b, 0.0, 18.0)
            }
            Block::Heading { level, text } => {
                let style = if *level <= 1 {
                    ParStyle {
                        size: TITLE,
                        leading: TITLE * 1.25,
                        bold: true,
                        align: Align::Center,
                        ..ParStyle::body(frame)
                    }
                } else {
                    ParStyle { bold: true, align: Align::Left, ..ParStyle::body(frame) }
                };
                let mut b = paragraph(text, style, None, fonts)?;
                b.keep_together = true;
                b.keep_with_next = true;
                if *level <= 1 {
                    (b, 18.0, 16.0)
                } else {
                    (b, 14.0, 4.0)
                }
            }
            Block::Paragraph { text, section } => {
                let style = ParStyle { first_indent: INDENT, ..ParStyle::body(frame) };
                let label = section.as_deref().map(|text| Label { text, tab: INDENT, outline: true });
                (paragraph(text, style, label, fonts)?, PARA_GAP, 0.0)
            }
            Block::ListItem { marker, depth, text } => {
                (list_item(marker, *depth, text, frame, fonts)?, PARA_GAP / 2.0, 0.0)
            }
            Block::Code(lines) => (code(lines, frame, fonts)?, PARA_GAP, PARA_GAP),
            Block::Rule => (rule(frame), PARA_GAP, PARA_GAP),
            Block::Signature(paras) => {
                let mut b = signature(paras, frame, fonts)?;
                b.signature = true;
                b.keep_with_next = next_is_signature;
                (b, SIGNATURE_GAP, 0.0)
            }
        };
        if next_is_signature {
            laid.keep_with_next = true;
        }
        if let Some(first) = laid.lines.first_mut() {
            // Header lines stack without space between them.
            let stacked = i > 0 && matches!((block, &blocks[i - 1]), (Block::Header(_), Block::Header(_)));
            first.gap = if out.is_empty() || stacked { 0.0 } else { before.max(space_after) };
        }
        space_after = after;
        if !laid.lines.is_empty() {
            out.push(laid);
        }
    }
    Ok(out)
}

/// The "[Signature page follows]" line set at the foot of a page before a
/// signature page; extraction reads nothing for it (it is pagination, like the footer).
pub fn signature_note(frame: Frame, fonts: &dyn GlyphWidths) -> LineBox {
    const NOTE: &str = "[Signature page follows]";
    let width = fonts.text_width(Face::Italic, BODY, NOTE);
    let run = Run {
        face: Face::Italic,
        deco: Deco::None,
        size: BODY,
        text: NOTE.into(),
        word_space: 0.0,
        actual: Some(String::new()),
    };
    LineBox {
        height: LEADING,
        ascent: LEADING * 0.78,
        marks: vec![Mark::Text { x: frame.left + (frame.width - width) / 2.0, char_spacing: 0.0, runs: vec![run] }],
        ..LineBox::default()
    }
}

/// A leading label (section number, list marker) followed by a fixed gap so
/// that the text after it starts `tab` points after the label's start.
#[derive(Clone, Copy)]
pub(super) struct Label<'a> {
    text: &'a str,
    tab: f32,
    /// A numbered section: the first line gets an outline entry.
    outline: bool,
}

/// A paragraph: words, optimal line breaks, alignment, an optional label.
/// Set with the embedded fonts, it comes from the thread's memo when it was met before.
pub(super) fn paragraph(
    text: &Inline,
    style: ParStyle,
    label: Option<Label<'_>>,
    fonts: &dyn GlyphWidths,
) -> Result<LaidBlock, PdfError> {
    let embedded = font_set().is_ok_and(|set| std::ptr::addr_eq(fonts as *const dyn GlyphWidths, set));
    if !embedded {
        return lay_paragraph(text, style, label, fonts);
    }
    let align = match style.align {
        Align::Justify => 0,
        Align::Left => 1,
        Align::Right => 2,
        Align::Center => 3,
    };
    let numbers = [style.size, style.leading, style.x, style.width, style.first_indent].map(f32::to_bits);
    let [size, leading, x, width, first_indent] = numbers;
    let key = memo::Key {
        text,
        style: [size, leading, x, width, first_indent, u32::from(style.bold), align],
        label: label.map(|l| (l.text, l.tab.to_bits(), l.outline)),
    };
    memo::paragraph(key, || lay_paragraph(text, style, label, fonts))
}

/// [`paragraph`], laid out.
fn lay_paragraph(
    text: &Inline,
    style: ParStyle,
    label: Option<Label<'_>>,
    fonts: &dyn GlyphWidths,
) -> Result<LaidBlock, PdfError> {
    let mut ws = words(text, style.size, style.bold, style.align == Align::Justify, fonts)?;
    let mut fixed_first_gap = false;
    if let (Some(label), Some(&first)) = (label, ws.list.first()) {
        let frags = ws.frags(&first);
        let is_label = frags.len() == 1 && ws.str(&frags[0]) == label.text.trim();
        if let (true, Some(first)) = (is_label && first.space > 0.0, ws.list.first_mut()) {
            first.space = (label.tab - first.width).max(first.space);
            first.rigid = true;
            fixed_first_gap = true;
        }
    }
    let ws = split_long_words(ws, style.width - style.first_indent.max(0.0), style.size, fonts);
    let widths = |i: usize| if i == 0 { style.width - style.first_indent } else { style.width };
    let letter = if style.align == Align::Justify { LETTER_STRETCH * style.size } else { 0.0 };
    let lines = break_lines(&ws.list, &widths, letter);
    let mut boxes: Vec<LineBox> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let indent = if i == 0 { style.first_indent } else { 0.0 };
            let fixed = usize::from(i == 0 && fixed_first_gap);
            text_line(&ws, line, style.x + indent, style.width - indent, style, fixed, fonts)
        })
        .collect();
    if let (Some(label), Some(first)) = (label, boxes.first_mut()) {
        if label.outline {
            first.outline = Some(outline_title(label.text, text));
        }
    }
    Ok(LaidBlock { lines: boxes, ..LaidBlock::default() })
}

/// Sets one line: runs of equal face, spaces widened (or narrowed) to justify.
/// The first `fixed` word spaces of the line keep their width.
fn text_line(
    ws: &Words,
    line: &Line,
    x: f32,
    width: f32,
    style: ParStyle,
    fixed: usize,
    fonts: &dyn GlyphWidths,
) -> LineBox {
    let words = ws.list.get(line.start..line.end).unwrap_or_default();
    let stretchable = |k: usize, w: &Word| k + 1 < words.len() && w.space > 0.0 && k >= fixed;
    let gaps = words.iter().enumerate().filter(|(k, w)| stretchable(*k, w)).count();
    let natural_gaps: f32 = words.iter().enumerate().filter(|(k, w)| stretchable(*k, w)).map(|(_, w)| w.space).sum();
    let slack = width - line.width;
    let justify = style.align == Align::Justify && !line.last && gaps > 0;
    // Letter spacing (`Tc`) takes its share of a loose line's slack, in proportion to its
    // stretchability (as in the line breaker); the word spaces take the rest. Every glyph
    // but the last gets `Tc` after it; each space glyph's own `Tc` is taken back out of its offset.
    let letters: usize = words.iter().map(|w| w.glyphs).sum::<usize>() + usize::from(line.hyphenated);
    let spaces = words.iter().take(words.len().saturating_sub(1)).filter(|w| w.space > 0.0).count();
    let letter_stretch = LETTER_STRETCH * style.size * letters.saturating_sub(1) as f32;
    let char_spacing = if justify && slack > 0.0 {
        let ratio = slack / (natural_gaps * STRETCH + letter_stretch);
        ratio * LETTER_STRETCH * style.size
    } else {
        0.0
    };
    let spread = char_spacing * (letters + spaces).saturating_sub(1) as f32;
    let (offset, extra) = match style.align {
        _ if justify => (0.0, (slack - spread + char_spacing * (spaces - gaps) as f32) / gaps as f32),
        Align::Right => (slack.max(0.0), 0.0),
        Align::Center => (slack.max(0.0) / 2.0, 0.0),
        _ => (0.0, 0.0),
    };
    let actual = extraction_text(ws, line);
    let mut runs: Vec<Run> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let frags = ws.frags(w);
        let read = actual.of(k);
        for frag in frags {
            let text = ws.str(frag);
            push_run(
                &mut runs,
                RunText { face: frag.face, deco: frag.deco, size: style.size, text, space: None, actual: read },
            );
        }
        let face = frags.last().map_or(Face::Regular, |f| f.face);
        let deco = frags.last().map_or(Deco::None, |f| f.deco);
        if k + 1 < words.len() && w.space > 0.0 {
            let normal = fonts.text_width(face, style.size, " ");
            let stretch = if stretchable(k, w) { extra } else { -char_spacing };
            let space = Some(w.space - normal + stretch);
            // A space is decorated only when the words on both sides are, alike.
            let next = ws.frags(&words[k + 1]).first().map_or(Deco::None, |f| f.deco);
            let deco = if next == deco { deco } else { Deco::None };
            push_run(&mut runs, RunText { face, deco, size: style.size, text: " ", space, actual: read });
        } else if k + 1 == words.len() && line.hyphenated {
            // The hyphen is a run of its own: the layout measured it without kerning.
            runs.push(Run {
                face,
                deco,
                size: style.size,
                text: "-".into(),
                word_space: 0.0,
                actual: read.map(str::to_string),
            });
        }
    }
    LineBox {
        gap: 0.0,
        height: style.leading,
        ascent: style.leading * 0.78,
        marks: vec![Mark::Text { x: x + offset, char_spacing, runs }],
        outline: None,
        // A word gap grows by its offset and the letter spacing after the word's last letter.
        spacing: justify.then(|| 1.0 + gaps as f32 * (extra + 2.0 * char_spacing) / natural_gaps.max(0.01)),
    }
}

/// What text extraction should read for the words of one line: the words as
/// drawn, except the whole word for the part of a word split at the line end
/// (hyphenated, or a compound broken after its dash) and nothing for the parts
/// that continue it on the next line.
struct Extraction {
    /// Words at the line start that continue a word hyphenated on the line before.
    continued: usize,
    /// Index in the line of the first part of the hyphenated word ending the line.
    broken: usize,
    whole: String,
}

impl Extraction {
    /// The extraction text of word `k` of the line, when it is not the word as drawn.
    fn of(&self, k: usize) -> Option<&str> {
        if k < self.continued {
            Some("")
        } else if k >= self.broken {
            Some(&self.whole)
        } else {
            None
        }
    }
}

fn extraction_text(ws: &Words, line: &Line) -> Extraction {
    let list = &ws.list;
    // Words continuing a word hyphenated on the line before.
    let mut continued = 0;
    if line.start > 0 && list[line.start - 1].joined() {
        continued = 1;
        while line.start + continued < line.end && list[line.start + continued - 1].joined() {
            continued += 1;
        }
    }
    let mut broken = line.end - line.start;
    let mut whole = String::new();
    if line.split {
        let mut first = line.end - 1;
        while first > 0 && list[first - 1].joined() {
            first -= 1;
        }
        let mut last = line.end - 1;
        while last + 1 < list.len() && list[last].joined() {
            last += 1;
        }
        whole = list[first..=last].iter().map(|w| ws.word_text(w)).collect();
        broken = first.max(line.start) - line.start;
    }
    Extraction { continued, broken, whole }
}

/// Text to append to a line's runs.
struct RunText<'a> {
    face: Face,
    deco: Deco,
    size: f32,
    text: &'a str,
    /// Extra width of each space in `text`, when it is a word space.
    space: Option<f32>,
    actual: Option<&'a str>,
}

/// Appends text to the last run when face, size, decoration, space widening and extraction text agree.
fn push_run(runs: &mut Vec<Run>, t: RunText<'_>) {
    if let Some(last) = runs.last_mut() {
        if last.face == t.face && last.deco == t.deco && last.size == t.size && last.actual.as_deref() == t.actual {
            match t.space {
                None => {
                    last.text.push_str(t.text);
                    return;
                }
                Some(s) if !last.text.contains(' ') || (last.word_space - s).abs() < 1e-4 => {
                    last.text.push_str(t.text);
                    last.word_space = s;
                    return;
                }
                Some(_) => {}
            }
        }
    }
    runs.push(Run {
        face: t.face,
        deco: t.deco,
        size: t.size,
        text: t.text.to_string(),
        word_space: t.space.unwrap_or(0.0),
        actual: t.actual.map(str::to_string),
    });
}

/// A list item: hanging indent by depth, the marker in the indent.
fn list_item(
    marker: &str,
    depth: usize,
    text: &Inline,
    frame: Frame,
    fonts: &dyn GlyphWidths,
) -> Result<LaidBlock, PdfError> {
    let indent = (INDENT * depth.min(6) as f32).min(frame.width / 2.0);
    let hang = INDENT * 0.6;
    let style = ParStyle { x: frame.left + indent, width: frame.width - indent, ..ParStyle::body(frame) };
    if marker.is_empty() {
        return paragraph(text, style, None, fonts);
    }
    let mut labelled = vec![Piece::Text { text: format!("{marker} "), bold: false, italic: false }];
    labelled.extend(text.iter().cloned());
    let style = ParStyle { first_indent: -hang, ..style };
    paragraph(&labelled, style, Some(Label { text: marker, tab: hang, outline: false }), fonts)
}

/// Preformatted lines, each set flush left (wrapped if too long).
fn code(lines: &[String], frame: Frame, fonts: &dyn GlyphWidths) -> Result<LaidBlock, PdfError> {
    let style = ParStyle { align: Align::Left, ..ParStyle::body(frame) };
    let mut block = LaidBlock::default();
    for line in lines {
        // Leading spaces are kept as no-break spaces, which the layout does not collapse.
        let body = line.trim_start_matches(' ');
        let text = "\u{A0}".repeat(line.len() - body.len()) + body;
        let inline = vec![Piece::Text { text, bold: false, italic: false }];
        let mut b = paragraph(&inline, style, None, fonts)?;
        if b.lines.is_empty() {
            b.lines.push(LineBox { height: style.leading, ascent: style.leading * 0.78, ..LineBox::default() });
        }
        block.lines.extend(b.lines);
    }
    Ok(block)
}

/// A short centred rule for a thematic break.
fn rule(frame: Frame) -> LaidBlock {
    LaidBlock {
        lines: vec![LineBox {
            height: LEADING,
            ascent: LEADING / 2.0,
            marks: vec![Mark::Rule {
                x0: frame.left + frame.width * 0.3,
                x1: frame.left + frame.width * 0.7,
                drop: 0.0,
            }],
            ..LineBox::default()
        }],
        keep_together: true,
        ..LaidBlock::default()
    }
}

pub(super) fn plain_text(inline: &Inline) -> String {
    inline
        .iter()
        .map(|p| match p {
            Piece::Text { text, .. } => text.as_str(),
            Piece::Break => " ",
            Piece::Deco(_) => "",
        })
        .collect()
}

/// "3. The fees payable to Consultant…": the number and the first five words.
fn outline_title(number: &str, text: &Inline) -> String {
    const WORDS: usize = 5;
    let plain = plain_text(text);
    let rest = plain.trim_start().strip_prefix(number).unwrap_or(&plain);
    let words: Vec<&str> = rest.split_whitespace().collect();
    let mut title = number.to_string();
    for w in words.iter().take(WORDS) {
        title.push(' ');
        title.push_str(w);
    }
    if words.len() > WORDS {
        let trimmed = title.trim_end_matches(|c: char| ",;:.".contains(c)).len();
        title.truncate(trimmed);
        title.push('\u{2026}');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::markdown_blocks::parse;
    use crate::pdf::metrics::Mono;

    const FRAME: Frame = Frame { left: 72.0, width: 468.0 };

    #[test]
    fn remembered_paragraphs_are_the_paragraphs_laid_out() {
        let fonts = font_set().expect("fonts");
        let text = vec![Piece::Text {
            text: "3. The consideration payable under this Agreement, ".repeat(6),
            bold: false,
            italic: false,
        }];
        let body = ParStyle::body(FRAME);
        let styles = [
            body,
            ParStyle { x: 100.0, ..body },
            ParStyle { width: 300.0, ..body },
            ParStyle { size: 11.0, ..body },
            ParStyle { leading: 20.0, ..body },
            ParStyle { bold: true, ..body },
            ParStyle { align: Align::Left, ..body },
            ParStyle { first_indent: INDENT, ..body },
        ];
        let labels = [None, Some(Label { text: "3.", tab: INDENT, outline: true })];
        let other = Some(Label { text: "3.", tab: INDENT, outline: false });
        // Met three times each: the second and third come from the memo.
        for _ in 0..3 {
            for style in styles {
                for label in labels.into_iter().chain([other]) {
                    let laid = paragraph(&text, style, label, fonts).expect("lays out");
                    assert_eq!(laid, lay_paragraph(&text, style, label, fonts).expect("lays out"));
                }
            }
        }
    }

    #[test]
    fn outline_titles_are_number_and_words() {
        let blocks = parse("**3\\.** The fees payable to Consultant under this Agreement.");
        let laid = layout(&blocks, FRAME, &Mono).unwrap();
        assert_eq!(laid[0].lines[0].outline.as_deref(), Some("3. The fees payable to Consultant\u{2026}"));
    }

    #[test]
    fn witness_paragraph_keeps_with_signatures() {
        let md = "# T\n\nIN WITNESS WHEREOF.\n\n> **A**\n>\n> By: ____\\\n> Officer\n\n> **B**\n";
        let laid = layout(&parse(md), FRAME, &Mono).unwrap();
        let keeps: Vec<(bool, bool)> = laid.iter().map(|b| (b.keep_with_next, b.keep_together)).collect();
        assert_eq!(keeps[1..], [(true, false), (true, true), (false, true)]);
        let rules = laid[2].lines.iter().flat_map(|l| &l.marks);
        assert_eq!(rules.filter(|m| matches!(m, Mark::Rule { .. })).count(), 1);
    }

    #[test]
    fn decorated_runs_and_the_spaces_between_decorated_words() {
        let laid = layout(&parse("# T\n\nkept ~~old words~~ <ins>new</ins> end"), FRAME, &Mono).unwrap();
        let Mark::Text { runs, .. } = &laid[1].lines[0].marks[0] else { panic!("text expected") };
        let got: Vec<(&str, Deco)> = runs.iter().map(|r| (r.text.as_str(), r.deco)).collect();
        // The space inside the deletion is struck with it; those beside it are not.
        assert_eq!(
            got,
            [
                ("kept ", Deco::None),
                ("old words", Deco::Deleted),
                (" ", Deco::None),
                ("new", Deco::Inserted),
                (" end", Deco::None)
            ]
        );
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let md = format!("# T\n\n{}", "lorem ipsum dolor ".repeat(40));
        let laid = layout(&parse(&md), FRAME, &Mono).unwrap();
        let body = &laid[1];
        assert!(body.lines.len() > 3);
        for line in &body.lines[1..body.lines.len() - 1] {
            let Mark::Text { x, char_spacing, runs } = &line.marks[0] else { panic!("text expected") };
            let glyphs: f32 = runs.iter().map(|r| r.text.chars().count() as f32).sum();
            let width: f32 = runs
                .iter()
                .map(|r| {
                    let n = r.text.chars().count() as f32;
                    let spaces = r.text.matches(' ').count() as f32;
                    n * 6.0 + spaces * r.word_space
                })
                .sum::<f32>()
                + char_spacing * (glyphs - 1.0);
            assert!((x + width - 540.0).abs() < 0.05, "line ends at {}", x + width);
        }
    }
}
