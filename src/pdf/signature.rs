//! Signature blocks: one per block quote, set in the right half of the page.
//!
//! Any block-quoted signature block is read line by line (hard breaks and
//! paragraphs), whatever its shape:
//!
//! - the first paragraph, unless it is itself a signature line, is the party, in bold;
//! - `By:` followed by a blank of underscores or a conformed signature
//!   (`/s/ NAME`) gets a drawn rule from after "By: " to the right margin:
//!   the blank becomes the rule, a conformed signature is printed on it (set
//!   smaller when it is too long for the rule, and only if it cannot fit at
//!   [`MIN_SIZE`] wrapped between words, with the rule under its last line);
//! - `By:` followed by other text ("By: Sunbelt Hotel GP, LLC, its general
//!   partner") names an entity signing for the party: it has no rule, wraps
//!   under its own text, and the lines after it are indented one level, so a
//!   nested `By:` block follows under it;
//! - a blank or a conformed signature without `By:` (an individual signing in
//!   their own name) is a rule over the name, from the block's current indent;
//! - other lines (name, title) align with the text after the last `By: `.

use super::layout::{paragraph, plain_text, Align, Frame, LaidBlock, LineBox, Mark, ParStyle, BODY, LEADING};
use super::markdown_blocks::{Inline, Piece};
use super::metrics::{Face, GlyphWidths};
use super::PdfError;

/// Room above a signature line for a handwritten signature.
const SIGN_HERE_GAP: f32 = 30.0;
/// Distance of a signature rule below its baseline.
const RULE_DROP: f32 = 3.0;
/// Smallest size a long conformed signature is set at to stay on its rule.
const MIN_SIZE: f32 = 8.0;
/// Size of a conformed signature too long for one line even at [`MIN_SIZE`].
const WRAPPED_SIZE: f32 = 10.0;

/// What one line of a signature block is.
enum SigLine {
    /// `By:` and a blank or a conformed signature: a rule after "By: ".
    BySignature(Inline),
    /// `By:` and an entity signing for the party.
    ByEntity(Inline),
    /// A blank or a conformed signature without `By:`: a rule over the name.
    Signature(Inline),
    Text(Inline),
}

fn classify(seg: Inline) -> SigLine {
    match strip_by(&seg) {
        Some(rest) if is_signature(&rest) => SigLine::BySignature(rest),
        Some(rest) => SigLine::ByEntity(rest),
        None if is_signature(&seg) => SigLine::Signature(seg),
        None => SigLine::Text(seg),
    }
}

/// A blank of underscores (or nothing) or a conformed `/s/` signature.
fn is_signature(seg: &Inline) -> bool {
    let text = plain_text(seg);
    let text = text.trim();
    text.chars().all(|c| c == '_') || text.starts_with("/s/")
}

/// A signature block in the right half of the page.
pub(super) fn signature(paras: &[Inline], frame: Frame, fonts: &dyn GlyphWidths) -> Result<LaidBlock, PdfError> {
    let x0 = frame.left + frame.width / 2.0;
    let right = frame.left + frame.width;
    let by_width = fonts.text_width(Face::Regular, BODY, "By: ");
    let ragged =
        |x: f32, bold: bool| ParStyle { x, width: right - x, align: Align::Left, bold, ..ParStyle::body(frame) };
    let mut block = LaidBlock { keep_together: true, signature: true, ..LaidBlock::default() };
    // Left edge of the current nesting level, and of the lines under the last signature line.
    let mut indent = x0;
    let mut text_x = x0;
    // The party heads the block unless the block opens with a signature line (an individual).
    let party = paras
        .first()
        .and_then(|p| split_at_breaks(p).into_iter().next())
        .is_some_and(|seg| matches!(classify(seg), SigLine::Text(_)));
    for (p, para) in paras.iter().enumerate() {
        for (l, seg) in split_at_breaks(para).into_iter().enumerate() {
            let kind = classify(seg);
            let signs = matches!(kind, SigLine::BySignature(_) | SigLine::Signature(_));
            let mut lines = match kind {
                SigLine::BySignature(rest) => {
                    text_x = indent + by_width;
                    signature_line(Some(&rest), indent, right, by_width, fonts)?
                }
                SigLine::Signature(seg) => {
                    text_x = indent;
                    signature_line(Some(&seg), indent, right, 0.0, fonts)?
                }
                SigLine::ByEntity(rest) => {
                    let lines = by_entity(&rest, indent, right, by_width, fonts)?;
                    indent += by_width;
                    text_x = indent;
                    lines
                }
                SigLine::Text(seg) if p == 0 && party => paragraph(&seg, ragged(x0, true), None, fonts)?.lines,
                SigLine::Text(seg) => paragraph(&seg, ragged(text_x, false), None, fonts)?.lines,
            };
            // Room to sign above a rule; half a line between paragraphs.
            if let Some(first) = lines.first_mut() {
                first.gap = match (signs, l == 0 && p > 0) {
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

/// A signature rule from `x + lead` to `right`, with "By:" in front when `lead` > 0:
/// a blank leaves the rule empty, a conformed signature is set on it.
fn signature_line(
    rest: Option<&Inline>,
    x: f32,
    right: f32,
    lead: f32,
    fonts: &dyn GlyphWidths,
) -> Result<Vec<LineBox>, PdfError> {
    match rest {
        Some(rest) if !plain_text(rest).trim().chars().all(|c| c == '_') => conformed(rest, x, right, lead, fonts),
        _ => {
            let by = by_text(rest.unwrap_or(&Vec::new()), "By:");
            let mut lines = if lead > 0.0 {
                paragraph(&by, left_style(x, right, BODY), None, fonts)?.lines
            } else {
                vec![LineBox { height: LEADING, ascent: LEADING * 0.78, ..LineBox::default() }]
            };
            if let Some(first) = lines.first_mut() {
                first.marks.push(Mark::Rule { x0: x + lead, x1: right, drop: RULE_DROP });
            }
            Ok(lines)
        }
    }
}

/// A conformed signature on its rule: "By: " (when `lead` > 0) and the text, set
/// smaller when too long for the rule; wrapped under itself only below [`MIN_SIZE`],
/// with the rule under the last line.
fn conformed(text: &Inline, x: f32, right: f32, lead: f32, fonts: &dyn GlyphWidths) -> Result<Vec<LineBox>, PdfError> {
    let room = right - x - lead;
    let width: f32 = text
        .iter()
        .map(|p| match p {
            Piece::Text { text, bold, italic } => fonts.text_width(Face::new(*bold, *italic), BODY, text.trim()),
            Piece::Break | Piece::Deco(_) => 0.0,
        })
        .sum();
    // Smaller to stay on one line; when even MIN_SIZE is too small, wrapped at a readable size.
    let size = match BODY * room / width * 0.995 {
        _ if width <= room => BODY,
        fit if fit >= MIN_SIZE => fit,
        _ => WRAPPED_SIZE,
    };
    let mut lines = paragraph(&trimmed(text), left_style(x + lead, right, size), None, fonts)?.lines;
    if lead > 0.0 {
        // "By:" keeps the body size when the signature after it is set smaller.
        let by = by_text(text, "By:");
        let by_line = paragraph(&by, left_style(x, right, BODY), None, fonts)?.lines;
        if let (Some(first), Some(mark)) =
            (lines.first_mut(), by_line.into_iter().next().and_then(|l| l.marks.into_iter().next()))
        {
            first.marks.insert(0, mark);
        }
    }
    for line in &mut lines {
        line.height = LEADING;
        line.ascent = LEADING * 0.78;
    }
    if let Some(last) = lines.last_mut() {
        last.marks.push(Mark::Rule { x0: x + lead, x1: right, drop: RULE_DROP });
    }
    Ok(lines)
}

/// "By: " and an entity signing for the party, wrapping under its own text.
fn by_entity(text: &Inline, x: f32, right: f32, lead: f32, fonts: &dyn GlyphWidths) -> Result<Vec<LineBox>, PdfError> {
    let mut pieces = by_text(text, "By: ");
    pieces.extend(trimmed(text));
    let style = ParStyle { first_indent: -lead, ..left_style(x + lead, right, BODY) };
    Ok(paragraph(&pieces, style, None, fonts)?.lines)
}

fn left_style(x: f32, right: f32, size: f32) -> ParStyle {
    let frame = Frame { left: x, width: right - x };
    ParStyle { size, align: Align::Left, ..ParStyle::body(frame) }
}

/// The number of redline decoration markers a line opens with (a blackline's
/// deleted or inserted signature line): they are kept in front of its text.
fn leading_decos(seg: &Inline) -> usize {
    seg.iter().take_while(|p| matches!(p, Piece::Deco(_))).count()
}

/// `by` ("By:") drawn as the line it stands for is: with the line's leading decoration.
fn by_text(line: &Inline, by: &str) -> Inline {
    let mut out = line[..leading_decos(line)].to_vec();
    out.push(Piece::Text { text: by.into(), bold: false, italic: false });
    out
}

/// The inline with its leading white space removed.
fn trimmed(text: &Inline) -> Inline {
    let mut out = text.clone();
    if let Some(Piece::Text { text, .. }) = out.iter_mut().find(|p| !matches!(p, Piece::Deco(_))) {
        *text = text.trim_start().to_string();
    }
    out
}

/// The inline after a leading `By:` (its decoration markers kept), or `None` when the
/// line does not start with it.
fn strip_by(seg: &Inline) -> Option<Inline> {
    let decos = leading_decos(seg);
    let Some(Piece::Text { text, bold, italic }) = seg.get(decos) else {
        return None;
    };
    let rest = text.trim_start().strip_prefix("By:")?;
    let mut out = seg[..decos].to_vec();
    out.push(Piece::Text { text: rest.trim_start().to_string(), bold: *bold, italic: *italic });
    out.extend(seg[decos + 1..].iter().cloned());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::markdown_blocks::{parse, Block, Deco};
    use crate::pdf::metrics::Mono;

    const FRAME: Frame = Frame { left: 72.0, width: 468.0 };

    fn block(md: &str) -> LaidBlock {
        let blocks = parse(&format!("# T\n\n{md}"));
        let Some(Block::Signature(paras)) = blocks.last() else { panic!("no signature block in {blocks:?}") };
        signature(paras, FRAME, &Mono).expect("lays out")
    }

    /// Per line: (x of its first text, its text, the rule's x0 if it has one, the text's size).
    fn lines(b: &LaidBlock) -> Vec<(f32, String, Option<f32>, f32)> {
        b.lines
            .iter()
            .map(|l| {
                let mut x = f32::NAN;
                let (mut text, mut rule, mut size) = (String::new(), None, 0.0);
                for m in &l.marks {
                    match m {
                        Mark::Text { x: tx, runs, .. } => {
                            if x.is_nan() {
                                x = *tx;
                            }
                            text.extend(runs.iter().map(|r| r.text.as_str()));
                            size = runs.last().map_or(0.0, |r| r.size);
                        }
                        Mark::Rule { x0, .. } => rule = Some(*x0),
                    }
                }
                (x, text, rule, size)
            })
            .collect()
    }

    #[test]
    fn nested_by_blocks_indent_under_the_entity() {
        let b = block(
            "> **SUNBELT HOTEL, L.P.**\n>\n> By: Sunbelt GP, LLC, its partner\\\n\
             > By: \\_\\_\\_\\_\\_\\_\\\n> Name: Jane Roe\\\n> Title: Manager\n",
        );
        let l = lines(&b);
        let by = 6.0 * 4.0;
        assert_eq!(l[1].1, "By: Sunbelt GP, LLC, its partner");
        assert_eq!(l[1].2, None, "an entity signing for the party has no rule");
        assert_eq!((l[2].0, l[2].1.as_str(), l[2].2), (306.0 + by, "By:", Some(306.0 + 2.0 * by)));
        assert_eq!((l[3].0, l[3].1.as_str()), (306.0 + 2.0 * by, "Name: Jane Roe"));
    }

    #[test]
    fn an_individual_signs_on_a_rule_over_the_name() {
        let b = block("> \\_\\_\\_\\_\\_\\_\\_\\_\\\n> JOHN Q. PUBLIC, individually\n");
        let l = lines(&b);
        assert_eq!(l[0].2, Some(306.0), "a rule over the name, with no By:");
        assert_eq!((l[1].0, l[1].1.as_str()), (306.0, "JOHN Q. PUBLIC, individually"));
        let first_run_face = b.lines[1].marks.iter().find_map(|m| match m {
            Mark::Text { runs, .. } => runs.first().map(|r| r.face),
            Mark::Rule { .. } => None,
        });
        assert_eq!(first_run_face, Some(Face::Regular), "the name of an individual is not a party heading");
    }

    #[test]
    fn blackline_signature_lines_keep_their_shape() {
        let b = block(
            "> ~~**ACME, INC.**~~\n>\n> ~~By: /s/ JANE ROE~~\\\n> ~~Jane Roe~~\n>\n\
             > <ins>By: \\_\\_\\_\\_\\_\\_</ins>\\\n> <ins>Name:</ins>\n",
        );
        let l = lines(&b);
        let by = 6.0 * 4.0;
        assert_eq!((l[1].0, l[1].1.as_str(), l[1].2), (306.0, "By:/s/ JANE ROE", Some(306.0 + by)), "{l:?}");
        assert_eq!((l[2].0, l[2].1.as_str()), (306.0 + by, "Jane Roe"));
        assert_eq!((l[3].1.as_str(), l[3].2), ("By:", Some(306.0 + by)), "{l:?}");
        let decos: Vec<Deco> = b.lines[1]
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { runs, .. } => runs.first().map(|r| r.deco),
                Mark::Rule { .. } => None,
            })
            .collect();
        assert_eq!(decos, [Deco::Deleted, Deco::Deleted], "\"By:\" is struck with its line");
    }

    #[test]
    fn a_long_conformed_signature_shrinks_onto_its_rule() {
        // 40 characters of 6 pt at 12 pt: 240 pt on a 210 pt rule.
        let b = block("> **ACME**\n>\n> By: /s/ ABCDEFGHIJ ABCDEFGHIJ ABCDEFGHIJ ABCDEF\\\n> Name\n");
        let l = lines(&b);
        assert_eq!(l.len(), 3);
        assert!(l[1].1.ends_with("ABCDEF") && l[1].2.is_some(), "{l:?}");
        assert!(l[1].3 < BODY && l[1].3 >= MIN_SIZE, "{l:?}");
        // Far too long for one line even small: wrapped, the rule under the last line.
        let long = "ABCDEFGHIJ ".repeat(8);
        let b = block(&format!("> **ACME**\n>\n> By: /s/ {long}\\\n> Name\n"));
        let l = lines(&b);
        let rule_at = l.iter().position(|x| x.2.is_some()).expect("a rule");
        assert!(rule_at > 1, "{l:?}");
        assert!(l[1..rule_at].iter().all(|x| x.2.is_none()));
        assert_eq!(l[rule_at + 1].1, "Name");
    }
}
