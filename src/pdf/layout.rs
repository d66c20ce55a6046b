//! Blocks to line boxes: fonts, sizes, indents, alignment and the keep rules.
//!
//! Every block becomes a [`LaidBlock`]: line boxes with their marks (text
//! runs and rules) at absolute x positions, the space above each line, and
//! whether the block must stay whole or stay with the next one. Vertical
//! placement is left to [`super::paginate`].

use super::linebreak::{break_lines, split_long_words, words, Line, Word};
use super::markdown_blocks::{Block, Inline, Piece};
use super::metrics::{Face, GlyphWidths};
use super::PdfError;

/// Body size, leading and spacing, in points.
const BODY: f32 = 12.0;
const LEADING: f32 = 14.5;
const PARA_GAP: f32 = 8.0;
const INDENT: f32 = 36.0;
const TITLE: f32 = 14.0;
const SIGNATURE_GAP: f32 = 24.0;
/// Room above a `By:` line for a handwritten signature.
const SIGN_HERE_GAP: f32 = 26.0;
/// Distance of a signature rule below its baseline.
const RULE_DROP: f32 = 3.0;

/// The text area of a page, in PDF points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub left: f32,
    pub width: f32,
}

/// Text of one face and size; each space in `text` is widened by `word_space`.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub face: Face,
    pub size: f32,
    pub text: String,
    pub word_space: f32,
}

/// Something drawn on a line, relative to its baseline.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// Runs set one after another from `x`.
    Text { x: f32, runs: Vec<Run> },
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
}

/// A block after line breaking.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaidBlock {
    pub lines: Vec<LineBox>,
    /// Never split across pages.
    pub keep_together: bool,
    /// Must share a page with the start of the next block.
    pub keep_with_next: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Justify,
    Left,
    Right,
    Center,
}

/// How to set one paragraph.
#[derive(Clone, Copy)]
struct ParStyle {
    size: f32,
    leading: f32,
    bold: bool,
    align: Align,
    x: f32,
    width: f32,
    first_indent: f32,
}

impl ParStyle {
    fn body(frame: Frame) -> Self {
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
pub fn layout(
    blocks: &[Block],
    frame: Frame,
    fonts: &dyn GlyphWidths,
) -> Result<Vec<LaidBlock>, PdfError> {
    let mut out: Vec<LaidBlock> = Vec::with_capacity(blocks.len());
    let mut space_after: f32 = 0.0;
    for (i, block) in blocks.iter().enumerate() {
        let next_is_signature = matches!(blocks.get(i + 1), Some(Block::Signature(_)));
        let (mut laid, before, after) = match block {
            Block::Header(text) => {
                let style = ParStyle {
                    align: Align::Right,
                    ..ParStyle::body(frame)
                };
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
                    ParStyle {
                        bold: true,
                        align: Align::Left,
                        ..ParStyle::body(frame)
                    }
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
                let style = ParStyle {
                    first_indent: INDENT,
                    ..ParStyle::body(frame)
                };
                (paragraph(text, style, section.as_deref(), fonts)?, PARA_GAP, 0.0)
            }
            Block::ListItem {
                marker,
                depth,
                text,
            } => (list_item(marker, *depth, text, frame, fonts)?, PARA_GAP / 2.0, 0.0),
            Block::Code(lines) => (code(lines, frame, fonts)?, PARA_GAP, PARA_GAP),
            Block::Rule => (rule(frame), PARA_GAP, PARA_GAP),
            Block::Signature(paras) => {
                let mut b = signature(paras, frame, fonts)?;
                b.keep_with_next = next_is_signature;
                (b, SIGNATURE_GAP, 0.0)
            }
        };
        if next_is_signature {
            laid.keep_with_next = true;
        }
        if let Some(first) = laid.lines.first_mut() {
            first.gap = if out.is_empty() {
                0.0
            } else {
                before.max(space_after)
            };
        }
        space_after = after;
        if !laid.lines.is_empty() {
            out.push(laid);
        }
    }
    Ok(out)
}

/// A paragraph: words, optimal line breaks, alignment. A numbered section's
/// number is followed by a fixed gap so its text starts one indent further.
fn paragraph(
    text: &Inline,
    style: ParStyle,
    section: Option<&str>,
    fonts: &dyn GlyphWidths,
) -> Result<LaidBlock, PdfError> {
    let mut ws = words(text, style.size, style.bold, fonts)?;
    if let (Some(number), Some(first)) = (section, ws.first_mut()) {
        let is_number = first.frags.len() == 1 && first.frags[0].text == number.trim();
        if is_number && first.space > 0.0 {
            first.space = (style.first_indent - first.width).max(first.space);
        }
    }
    let ws = split_long_words(ws, style.width - style.first_indent, style.size, fonts);
    let widths = |i: usize| {
        if i == 0 {
            style.width - style.first_indent
        } else {
            style.width
        }
    };
    let lines = break_lines(&ws, &widths);
    let fixed_first_gap = section.is_some();
    let mut boxes: Vec<LineBox> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let indent = if i == 0 { style.first_indent } else { 0.0 };
            let x = style.x + indent;
            let width = style.width - indent;
            let fixed = if i == 0 && fixed_first_gap { 1 } else { 0 };
            text_line(&ws, line, x, width, style, fixed, fonts)
        })
        .collect();
    if let (Some(number), Some(first)) = (section, boxes.first_mut()) {
        first.outline = Some(outline_title(number, text));
    }
    Ok(LaidBlock {
        lines: boxes,
        ..LaidBlock::default()
    })
}

/// Sets one line: runs of equal face, spaces widened to justify.
/// The first `fixed` word spaces of the line keep their width.
fn text_line(
    ws: &[Word],
    line: &Line,
    x: f32,
    width: f32,
    style: ParStyle,
    fixed: usize,
    fonts: &dyn GlyphWidths,
) -> LineBox {
    let words = &ws[line.start..line.end];
    let gaps = words
        .iter()
        .take(words.len().saturating_sub(1))
        .enumerate()
        .filter(|(k, w)| w.space > 0.0 && *k >= fixed)
        .count();
    let slack = (width - line.width).max(0.0);
    let (offset, extra) = match style.align {
        Align::Justify if !line.last && gaps > 0 => (0.0, slack / gaps as f32),
        Align::Right => (slack, 0.0),
        Align::Center => (slack / 2.0, 0.0),
        _ => (0.0, 0.0),
    };
    let mut runs: Vec<Run> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        for frag in &w.frags {
            push_run(&mut runs, frag.face, style.size, &frag.text, None);
        }
        if k + 1 < words.len() && w.space > 0.0 {
            let face = w.frags.last().map_or(Face::Regular, |f| f.face);
            let normal = fonts.text_width(face, style.size, " ");
            let stretch = if k >= fixed { extra } else { 0.0 };
            push_run(&mut runs, face, style.size, " ", Some(w.space - normal + stretch));
        }
    }
    LineBox {
        gap: 0.0,
        height: style.leading,
        ascent: style.leading * 0.78,
        marks: vec![Mark::Text {
            x: x + offset,
            runs,
        }],
        outline: None,
    }
}

/// Appends text to the last run when face, size and space widening agree.
fn push_run(runs: &mut Vec<Run>, face: Face, size: f32, text: &str, space: Option<f32>) {
    if let Some(last) = runs.last_mut() {
        if last.face == face && last.size == size {
            match space {
                None => {
                    last.text.push_str(text);
                    return;
                }
                Some(s) if !last.text.contains(' ') || (last.word_space - s).abs() < 1e-4 => {
                    last.text.push_str(text);
                    last.word_space = s;
                    return;
                }
                Some(_) => {}
            }
        }
    }
    runs.push(Run {
        face,
        size,
        text: text.to_string(),
        word_space: space.unwrap_or(0.0),
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
    let style = ParStyle {
        x: frame.left + indent,
        width: frame.width - indent,
        ..ParStyle::body(frame)
    };
    let mut block = paragraph(text, style, None, fonts)?;
    if let (false, Some(first)) = (marker.is_empty(), block.lines.first_mut()) {
        let marker_inline = vec![Piece::Text {
            text: marker.to_string(),
            bold: false,
            italic: false,
        }];
        let mark_style = ParStyle {
            x: frame.left + indent - INDENT * 0.6,
            width: INDENT * 0.6,
            align: Align::Left,
            ..style
        };
        let marker_box = paragraph(&marker_inline, mark_style, None, fonts)?;
        if let Some(m) = marker_box.lines.into_iter().next() {
            first.marks.extend(m.marks);
        }
    }
    Ok(block)
}

/// Preformatted lines, each set flush left (wrapped if too long).
fn code(lines: &[String], frame: Frame, fonts: &dyn GlyphWidths) -> Result<LaidBlock, PdfError> {
    let style = ParStyle {
        align: Align::Left,
        ..ParStyle::body(frame)
    };
    let mut block = LaidBlock::default();
    for line in lines {
        let inline = vec![Piece::Text {
            text: line.clone(),
            bold: false,
            italic: false,
        }];
        let mut b = paragraph(&inline, style, None, fonts)?;
        if b.lines.is_empty() {
            b.lines.push(LineBox {
                height: style.leading,
                ascent: style.leading * 0.78,
                ..LineBox::default()
            });
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

/// A signature block in the right half of the page: the party in bold, then
/// `By:` lines with a drawn rule, then the lines under the rule.
fn signature(
    paras: &[Inline],
    frame: Frame,
    fonts: &dyn GlyphWidths,
) -> Result<LaidBlock, PdfError> {
    let x0 = frame.left + frame.width / 2.0;
    let right = frame.left + frame.width;
    let by_width = fonts.text_width(Face::Regular, BODY, "By: ");
    let ragged = |x: f32, bold: bool| ParStyle {
        x,
        width: right - x,
        align: Align::Left,
        bold,
        ..ParStyle::body(frame)
    };
    let mut block = LaidBlock {
        keep_together: true,
        ..LaidBlock::default()
    };
    let mut after_by = false;
    for (p, para) in paras.iter().enumerate() {
        for (l, seg) in split_at_breaks(para).into_iter().enumerate() {
            let mut lines = if p == 0 {
                paragraph(&seg, ragged(x0, true), None, fonts)?.lines
            } else if let Some(rest) = strip_by(&seg) {
                after_by = true;
                by_line(&rest, x0, right, by_width, fonts)?
            } else {
                let x = if after_by { x0 + by_width } else { x0 };
                paragraph(&seg, ragged(x, false), None, fonts)?.lines
            };
            if let (true, Some(first)) = (l == 0 && p > 0, lines.first_mut()) {
                let is_by = first.marks.iter().any(|m| matches!(m, Mark::Rule { .. }));
                first.gap = if is_by { SIGN_HERE_GAP } else { LEADING / 2.0 };
            } else if let (true, Some(first)) = (l > 0, lines.first_mut()) {
                if first.marks.iter().any(|m| matches!(m, Mark::Rule { .. })) {
                    first.gap = SIGN_HERE_GAP;
                }
            }
            block.lines.extend(lines);
        }
    }
    Ok(block)
}

/// `By:` and a rule to the right edge; a conformed signature is set on the rule,
/// a blank of underscores is replaced by the rule itself.
fn by_line(
    rest: &Inline,
    x0: f32,
    right: f32,
    by_width: f32,
    fonts: &dyn GlyphWidths,
) -> Result<Vec<LineBox>, PdfError> {
    let by = vec![Piece::Text {
        text: "By:".into(),
        bold: false,
        italic: false,
    }];
    let style = ParStyle {
        x: x0,
        width: right - x0,
        align: Align::Left,
        ..ParStyle::body(Frame {
            left: x0,
            width: right - x0,
        })
    };
    let mut lines = paragraph(&by, style, None, fonts)?.lines;
    let blank = plain_text(rest).chars().all(|c| c == '_' || c.is_whitespace());
    if !blank {
        let sig_style = ParStyle {
            x: x0 + by_width,
            width: right - x0 - by_width,
            ..style
        };
        let sig = paragraph(rest, sig_style, None, fonts)?.lines;
        let mut sig = sig.into_iter();
        if let (Some(first), Some(line)) = (lines.first_mut(), sig.next()) {
            first.marks.extend(line.marks);
        }
        lines.extend(sig);
    }
    if let Some(first) = lines.first_mut() {
        first.marks.push(Mark::Rule {
            x0: x0 + by_width,
            x1: right,
            drop: RULE_DROP,
        });
    }
    Ok(lines)
}

/// The inline after a leading `By:`, or `None` when the line does not start with it.
fn strip_by(seg: &Inline) -> Option<Inline> {
    let Some(Piece::Text { text, bold, italic }) = seg.first() else {
        return None;
    };
    let rest = text.trim_start().strip_prefix("By:")?;
    let mut out = vec![Piece::Text {
        text: rest.trim_start().to_string(),
        bold: *bold,
        italic: *italic,
    }];
    out.extend(seg[1..].iter().cloned());
    Some(out)
}

/// Splits a paragraph at its hard breaks.
fn split_at_breaks(para: &Inline) -> Vec<Inline> {
    let mut out = vec![Vec::new()];
    for piece in para {
        match piece {
            Piece::Break => out.push(Vec::new()),
            p => {
                if let Some(last) = out.last_mut() {
                    last.push(p.clone());
                }
            }
        }
    }
    out.retain(|seg| !plain_text(seg).trim().is_empty());
    out
}

fn plain_text(inline: &Inline) -> String {
    inline
        .iter()
        .map(|p| match p {
            Piece::Text { text, .. } => text.as_str(),
            Piece::Break => " ",
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

    struct Mono;
    impl GlyphWidths for Mono {
        fn advance(&self, _: Face, _: char) -> Option<u16> {
            Some(500)
        }
    }

    const FRAME: Frame = Frame {
        left: 72.0,
        width: 468.0,
    };

    #[test]
    fn outline_titles_are_number_and_words() {
        let blocks = parse("**3\\.** The fees payable to Consultant under this Agreement.");
        let laid = layout(&blocks, FRAME, &Mono).unwrap();
        assert_eq!(
            laid[0].lines[0].outline.as_deref(),
            Some("3. The fees payable to Consultant\u{2026}")
        );
    }

    #[test]
    fn witness_paragraph_keeps_with_signatures() {
        let md = "# T\n\nIN WITNESS WHEREOF.\n\n> **A**\n>\n> By: ____\\\n> Officer\n\n> **B**\n";
        let laid = layout(&parse(md), FRAME, &Mono).unwrap();
        let keeps: Vec<(bool, bool)> = laid
            .iter()
            .map(|b| (b.keep_with_next, b.keep_together))
            .collect();
        assert_eq!(keeps[1..], [(true, false), (true, true), (false, true)]);
        let rules = laid[2].lines.iter().flat_map(|l| &l.marks);
        assert_eq!(rules.filter(|m| matches!(m, Mark::Rule { .. })).count(), 1);
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let md = format!("# T\n\n{}", "lorem ipsum dolor ".repeat(40));
        let laid = layout(&parse(&md), FRAME, &Mono).unwrap();
        let body = &laid[1];
        assert!(body.lines.len() > 3);
        for line in &body.lines[1..body.lines.len() - 1] {
            let Mark::Text { x, runs } = &line.marks[0] else {
                panic!("text expected")
            };
            let width: f32 = runs
                .iter()
                .map(|r| {
                    let n = r.text.chars().count() as f32;
                    let spaces = r.text.matches(' ').count() as f32;
                    n * 6.0 + spaces * r.word_space
                })
                .sum();
            assert!((x + width - 540.0).abs() < 0.05, "line ends at {}", x + width);
        }
    }
}
