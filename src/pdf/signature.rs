//! Signature blocks: one per block quote, set in the right half of the page.
//!
//! The first paragraph is the party, in bold. A line starting `By:` gets a
//! drawn rule from after "By: " to the right margin: a conformed signature
//! (`/s/ NAME`) is printed on the rule, a blank of underscores becomes the
//! rule itself. Lines after it (name, title) align with the text after "By: ".

use super::layout::{paragraph, plain_text, Align, Frame, LaidBlock, LineBox, Mark, ParStyle, BODY, LEADING};
use super::markdown_blocks::{Inline, Piece};
use super::metrics::{Face, GlyphWidths};
use super::PdfError;

/// Room above a `By:` line for a handwritten signature.
const SIGN_HERE_GAP: f32 = 30.0;
/// Distance of a signature rule below its baseline.
const RULE_DROP: f32 = 3.0;

/// A signature block in the right half of the page: the party in bold, then
/// `By:` lines with a drawn rule, then the lines under the rule.
pub(super) fn signature(paras: &[Inline], frame: Frame, fonts: &dyn GlyphWidths) -> Result<LaidBlock, PdfError> {
    let x0 = frame.left + frame.width / 2.0;
    let right = frame.left + frame.width;
    let by_width = fonts.text_width(Face::Regular, BODY, "By: ");
    let ragged =
        |x: f32, bold: bool| ParStyle { x, width: right - x, align: Align::Left, bold, ..ParStyle::body(frame) };
    let mut block = LaidBlock { keep_together: true, ..LaidBlock::default() };
    let mut after_by = false;
    for (p, para) in paras.iter().enumerate() {
        for (l, seg) in split_at_breaks(para).into_iter().enumerate() {
            let is_by = p > 0 && strip_by(&seg).is_some();
            let mut lines = match strip_by(&seg) {
                _ if p == 0 => paragraph(&seg, ragged(x0, true), None, fonts)?.lines,
                Some(rest) => {
                    after_by = true;
                    by_line(&rest, x0, right, by_width, fonts)?
                }
                None => {
                    let x = if after_by { x0 + by_width } else { x0 };
                    paragraph(&seg, ragged(x, false), None, fonts)?.lines
                }
            };
            // Room to sign above a rule; half a line between paragraphs.
            if let Some(first) = lines.first_mut() {
                first.gap = match (is_by, l == 0 && p > 0) {
                    (true, _) => SIGN_HERE_GAP,
                    (false, true) => LEADING / 2.0,
                    (false, false) => 0.0,
                };
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
    let blank = plain_text(rest).chars().all(|c| c == '_' || c.is_whitespace());
    let mut text = vec![Piece::Text { text: if blank { "By:" } else { "By: " }.into(), bold: false, italic: false }];
    if !blank {
        text.extend(rest.iter().cloned());
    }
    let style = ParStyle {
        x: x0,
        width: right - x0,
        align: Align::Left,
        ..ParStyle::body(Frame { left: x0, width: right - x0 })
    };
    let mut lines = paragraph(&text, style, None, fonts)?.lines;
    if let Some(first) = lines.first_mut() {
        first.marks.push(Mark::Rule { x0: x0 + by_width, x1: right, drop: RULE_DROP });
    }
    Ok(lines)
}

/// The inline after a leading `By:`, or `None` when the line does not start with it.
fn strip_by(seg: &Inline) -> Option<Inline> {
    let Some(Piece::Text { text, bold, italic }) = seg.first() else {
        return None;
    };
    let rest = text.trim_start().strip_prefix("By:")?;
    let mut out = vec![Piece::Text { text: rest.trim_start().to_string(), bold: *bold, italic: *italic }];
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
