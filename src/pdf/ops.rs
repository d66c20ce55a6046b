//! Placed lines to the bytes of a page's content stream.
//!
//! Text is written as glyph ids of the document's font subsets, one `Td`
//! move per line; justification widens each space with a TJ offset, kerning
//! adds TJ offsets between glyphs, and a line's letter spacing is its `Tc`.
//! Signature rules are stroked paths. The page footer is wrapped in an
//! `/Artifact` and an empty `/ActualText` span so that text extraction
//! (pdftotext, copy and paste) skips it. The operators are written directly:
//! a generic operation list cost more than the layout itself. Redline runs are
//! filled in colour, deleted ones struck through and inserted ones double
//! underlined, the rules stroked after the text like the signature lines.

use std::io::Write;

use super::fonts::is_space;
use super::layout::{Mark, Run};
use super::markdown_blocks::Deco;
use super::metrics::{Face, GlyphWidths};
use super::paginate::Placed;
use super::subset::DocFonts;

/// PDF resource name of each face.
pub const FONT_NAMES: [&str; 4] = ["LSR", "LSB", "LSI", "LSBI"];

/// Rule thickness of signature lines, in points.
const RULE_WIDTH: f32 = 0.6;

/// Thickness of the redline rules (strike-through, double underline), in points.
const DECO_WIDTH: f32 = 0.5;

/// Footer size, in points.
const FOOTER_SIZE: f32 = 10.0;

/// A centred page footer line.
pub struct Footer<'a> {
    pub text: &'a str,
    pub center: f32,
    pub baseline: f32,
}

/// The text a page draws, with its faces: what its font subsets must hold.
pub fn drawn<'a>(lines: &'a [Placed<'_>], footer: &'a str) -> impl Iterator<Item = (Face, &'a str)> + 'a {
    let runs = lines.iter().flat_map(|p| &p.line.marks).flat_map(|m| match m {
        Mark::Text { runs, .. } => runs.as_slice(),
        Mark::Rule { .. } => &[],
    });
    runs.map(|r| (r.face, r.text.as_str())).chain([(Face::Regular, footer)])
}

/// The content stream of one page, in the glyph ids of `doc`'s subsets.
pub fn page_content(lines: &[Placed], footer: &Footer<'_>, doc: &DocFonts<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.len() * 160 + 256);
    let mut rules = Vec::new();
    let mut decorated: Vec<Decorated> = Vec::new();
    let mut state: Option<(Face, f32)> = None;
    out.extend_from_slice(b"BT\n");
    // Line starts relative to the previous one (`Td`), in hundredths of a point.
    let mut at = (0.0f32, 0.0f32);
    let mut tc = 0.0f32;
    for placed in lines {
        for mark in &placed.line.marks {
            match mark {
                Mark::Text { x, char_spacing, runs } => {
                    let spacing = (char_spacing * 1000.0).round() / 1000.0;
                    if spacing != tc {
                        num(&mut out, spacing);
                        out.extend_from_slice(b" Tc\n");
                        tc = spacing;
                    }
                    let to = (centi(*x), centi(placed.baseline));
                    num(&mut out, centi(to.0 - at.0));
                    out.push(b' ');
                    num(&mut out, centi(to.1 - at.1));
                    out.extend_from_slice(b" Td\n");
                    at = to;
                    let mut span: Option<&str> = None;
                    let mut pen = *x;
                    for run in runs {
                        let actual = run.actual.as_deref();
                        if actual != span {
                            if span.is_some() {
                                out.extend_from_slice(b"EMC\n");
                            }
                            if let Some(text) = actual {
                                actual_text_span(&mut out, text);
                            }
                            span = actual;
                        }
                        if run.deco != Deco::None {
                            out.extend_from_slice(deco_colour(run.deco));
                            out.extend_from_slice(b" rg\n");
                        }
                        let width = show_run(&mut out, &mut state, run, doc, spacing);
                        if run.deco != Deco::None {
                            out.extend_from_slice(b"0 g\n");
                            let d = Decorated {
                                deco: run.deco,
                                size: run.size,
                                x0: pen,
                                x1: pen + width,
                                y: placed.baseline,
                                trail: spacing,
                            };
                            match decorated.last_mut() {
                                Some(last) if last.deco == d.deco && last.y == d.y && (d.x0 - last.x1).abs() < 0.01 => {
                                    last.x1 = d.x1;
                                }
                                _ => decorated.push(d),
                            }
                        }
                        pen += width;
                    }
                    if span.is_some() {
                        out.extend_from_slice(b"EMC\n");
                    }
                }
                Mark::Rule { x0, x1, drop } => {
                    rules.push((*x0, *x1, placed.baseline - drop));
                }
            }
        }
    }
    if tc != 0.0 {
        // Character spacing is part of the text state: the footer is set without it.
        out.extend_from_slice(b"0 Tc\n");
    }
    out.extend_from_slice(b"ET\n");
    if !rules.is_empty() {
        num(&mut out, RULE_WIDTH);
        out.extend_from_slice(b" w\n");
        for (x0, x1, y) in rules {
            num(&mut out, x0);
            out.push(b' ');
            num(&mut out, y);
            out.extend_from_slice(b" m ");
            num(&mut out, x1);
            out.push(b' ');
            num(&mut out, y);
            out.extend_from_slice(b" l S\n");
        }
    }
    decorations(&mut out, &decorated);
    footer_content(&mut out, footer, doc);
    out
}

/// A stretch of one line drawn as a redline change, from `x0` to `x1` on baseline `y`.
struct Decorated {
    deco: Deco,
    /// Text size: the rules' offsets scale with it.
    size: f32,
    x0: f32,
    x1: f32,
    y: f32,
    /// Letter spacing after the last glyph, which the rule does not cover.
    trail: f32,
}

/// The colour of a decoration's text and rules: red for deleted, blue for inserted.
fn deco_colour(deco: Deco) -> &'static [u8] {
    match deco {
        Deco::None => b"0 0 0",
        Deco::Deleted => b"0.8 0 0",
        Deco::Inserted => b"0 0 0.8",
    }
}

/// A strike-through over deleted text, a double underline under inserted text, in
/// their colours; a line's touching stretches of one decoration are one rule.
fn decorations(out: &mut Vec<u8>, decorated: &[Decorated]) {
    if decorated.is_empty() {
        return;
    }
    num(out, DECO_WIDTH);
    out.extend_from_slice(b" w\n");
    for d in decorated {
        out.extend_from_slice(deco_colour(d.deco));
        out.extend_from_slice(b" RG\n");
        // Offsets from the baseline, in ems: the strike through the middle of the
        // lower-case letters, the two underlines just below the baseline.
        let offsets: &[f32] = if d.deco == Deco::Deleted { &[0.28] } else { &[-0.13, -0.25] };
        for dy in offsets {
            let y = centi(d.y + dy * d.size);
            num(out, centi(d.x0));
            out.push(b' ');
            num(out, y);
            out.extend_from_slice(b" m ");
            num(out, centi(d.x1 - d.trail));
            out.push(b' ');
            num(out, y);
            out.extend_from_slice(b" l S\n");
        }
    }
    out.extend_from_slice(b"0 G\n");
}

/// `v` rounded to hundredths: enough for print, and short in the content stream.
fn centi(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Writes a number the shortest way, with at most three decimals ("12", "-3.5", "0.125").
fn num(out: &mut Vec<u8>, v: f32) {
    let milli = (f64::from(v) * 1000.0).round() as i64;
    if milli < 0 {
        out.push(b'-');
    }
    let milli = milli.unsigned_abs();
    int(out, milli / 1000);
    let mut frac = milli % 1000;
    if frac != 0 {
        out.push(b'.');
        let mut digits = 3;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        for k in (0..digits).rev() {
            out.push(b'0' + (frac / 10u64.pow(k) % 10) as u8);
        }
    }
}

/// Writes the decimal digits of `v`.
pub(super) fn int(out: &mut Vec<u8>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A literal string `(...)` of raw bytes, escaped.
fn literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    escape_into(out, bytes);
    out.push(b')');
}

/// Bytes inside a literal string: delimiters and line ends escaped.
fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// Whether [`escape_into`] escapes `b`.
fn escaped(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'\\' | b'\n' | b'\r')
}

/// Shows one run; returns how far it moves the pen, in points (with `char_spacing`
/// after each glyph).
fn show_run(
    out: &mut Vec<u8>,
    state: &mut Option<(Face, f32)>,
    run: &Run,
    doc: &DocFonts<'_>,
    char_spacing: f32,
) -> f32 {
    let scale = run.size / 1000.0;
    let mut advance = 0.0f32;
    if *state != Some((run.face, run.size)) {
        let _ = write!(out, "/{} ", FONT_NAMES[run.face.index()]);
        num(out, run.size);
        out.extend_from_slice(b" Tf\n");
        *state = Some((run.face, run.size));
    }
    // One string per stretch between widened spaces and kerned pairs; each glyph id is two bytes.
    let space_offset = ((-run.word_space * 1000.0 / run.size) * 100.0).round() / 100.0;
    let widen = space_offset.abs() > 0.001;
    // The offset after each widened space, written once.
    let mut offset = Vec::new();
    if widen {
        num(&mut offset, space_offset);
    }
    out.reserve(run.text.len() * 3 + 16);
    out.push(b'[');
    // Glyph ids go straight into the open string; a kern or a widened space closes it.
    let mut open = false;
    // The glyph drawn before, unless it was a space (no kerning across a space).
    let mut prev: Option<Option<u16>> = None;
    let fonts = doc.fonts();
    let kerning = fonts.kerning_of(run.face);
    let codes = doc.codes(run.face);
    for ch in run.text.chars() {
        let Some((original, adv)) = fonts.glyph(run.face, ch) else {
            continue;
        };
        let Some(&gid) = codes.get(usize::from(original)).filter(|&&code| code != 0) else {
            continue;
        };
        advance += f32::from(adv) * scale + char_spacing;
        let left = if is_space(ch) { None } else { Some(original) };
        if let Some(p) = prev {
            let kern = match (p, left) {
                (Some(l), Some(r)) => kerning(l, r),
                _ => 0,
            };
            advance += f32::from(kern) * scale;
            if kern != 0 && open {
                out.push(b')');
                open = false;
                if kern > 0 {
                    out.push(b'-');
                }
                int(out, u64::from(kern.unsigned_abs()));
            }
        }
        prev = Some(left);
        if !open {
            out.push(b'(');
            open = true;
        }
        let [high, low] = gid.to_be_bytes();
        if escaped(high) || escaped(low) {
            escape_into(out, &[high, low]);
        } else {
            out.extend_from_slice(&[high, low]);
        }
        if ch == ' ' && widen {
            out.push(b')');
            open = false;
            out.extend_from_slice(&offset);
            advance -= space_offset * scale;
        }
    }
    if open {
        out.push(b')');
    }
    out.extend_from_slice(b"]TJ\n");
    advance
}

/// Opens a `/Span` whose `/ActualText` text extraction reads instead of the glyphs.
fn actual_text_span(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b"/Span <</ActualText ");
    if text.is_ascii() {
        literal(out, text.as_bytes());
    } else {
        out.extend_from_slice(b"<FEFF");
        for unit in text.encode_utf16() {
            let _ = write!(out, "{unit:04X}");
        }
        out.push(b'>');
    }
    out.extend_from_slice(b">> BDC\n");
}

/// "Page N of M", centred, marked as a pagination artifact without text.
fn footer_content(out: &mut Vec<u8>, footer: &Footer<'_>, doc: &DocFonts<'_>) {
    let width = doc.fonts().text_width(Face::Regular, FOOTER_SIZE, footer.text);
    out.extend_from_slice(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n");
    actual_text_span(out, "");
    out.extend_from_slice(b"BT\n1 0 0 1 ");
    num(out, centi(footer.center - width / 2.0));
    out.push(b' ');
    num(out, centi(footer.baseline));
    out.extend_from_slice(b" Tm\n");
    let run = Run {
        face: Face::Regular,
        deco: Deco::None,
        size: FOOTER_SIZE,
        text: footer.text.to_string(),
        word_space: 0.0,
        actual: None,
    };
    show_run(out, &mut None, &run, doc, 0.0);
    out.extend_from_slice(b"ET\nEMC\nEMC\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact() {
        let mut out = Vec::new();
        for v in [12.0, -3.5, 0.125, 0.0, -0.0004, 306.004] {
            num(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(String::from_utf8_lossy(&out), "12 -3.5 0.125 0 0 306.004 ");
    }

    #[test]
    fn literal_strings_escape_delimiters_and_line_ends() {
        let mut out = Vec::new();
        literal(&mut out, &[0, b'(', b')', b'\\', b'\n', b'\r', 0xFF]);
        assert_eq!(out, [b"(\0\\(\\)\\\\" as &[u8], b"\\n\\r\xFF)"].concat());
    }
}
