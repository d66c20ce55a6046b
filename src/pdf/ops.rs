//! Placed lines to printpdf's low-level page operations.
//!
//! Text is written as glyph ids of the process-wide font subsets, one `Td`
//! move per line; justification widens each space with a TJ offset.
//! Signature rules are stroked paths. The page footer is wrapped in an
//! `/Artifact` and an empty `/ActualText` span so that text extraction
//! (pdftotext, copy and paste) skips it.

use std::collections::BTreeMap;

use printpdf::{DictItem, FontId, Line, LinePoint, Op, PdfFontHandle, Point, Pt, TextMatrix};

use super::layout::{Mark, Run};
use super::metrics::{Face, GlyphWidths};
use super::paginate::Placed;
use super::subset::DocFonts;

/// PDF resource name of each face.
pub const FONT_NAMES: [&str; 4] = ["LSR", "LSB", "LSI", "LSBI"];

/// Rule thickness of signature lines, in points.
const RULE_WIDTH: f32 = 0.6;

/// Footer size, in points.
const FOOTER_SIZE: f32 = 10.0;

/// A centred page footer line.
pub struct Footer<'a> {
    pub text: &'a str,
    pub center: f32,
    pub baseline: f32,
}

/// The characters a page draws, with their faces: what its font subsets must hold.
pub fn drawn<'a>(lines: &'a [Placed<'_>], footer: &'a str) -> impl Iterator<Item = (Face, char)> + 'a {
    let runs = lines.iter().flat_map(|p| &p.line.marks).flat_map(|m| match m {
        Mark::Text { runs, .. } => runs.as_slice(),
        Mark::Rule { .. } => &[],
    });
    runs.flat_map(|r| r.text.chars().map(move |c| (r.face, c))).chain(footer.chars().map(|c| (Face::Regular, c)))
}

/// The operations of one page, in the glyph ids of `doc`'s subsets.
pub fn page_ops(lines: &[Placed], footer: &Footer<'_>, doc: &DocFonts<'_>) -> Vec<Op> {
    let mut ops = Vec::with_capacity(lines.len() * 6 + 16);
    let mut rules = Vec::new();
    let mut state: Option<(Face, f32)> = None;
    ops.push(Op::StartTextSection);
    // Line starts relative to the previous one (`Td`), in hundredths of a point.
    let mut at = (0.0f32, 0.0f32);
    let mut tc = 0.0f32;
    for placed in lines {
        for mark in &placed.line.marks {
            match mark {
                Mark::Text { x, char_spacing, runs } => {
                    let spacing = (char_spacing * 1000.0).round() / 1000.0;
                    if spacing != tc {
                        ops.push(Op::SetCharacterSpacing { multiplier: spacing });
                        tc = spacing;
                    }
                    let to = (centi(*x), centi(placed.baseline));
                    ops.push(Op::SetTextCursor { pos: Point { x: Pt(centi(to.0 - at.0)), y: Pt(centi(to.1 - at.1)) } });
                    at = to;
                    let mut span: Option<&str> = None;
                    for run in runs {
                        let actual = run.actual.as_deref();
                        if actual != span {
                            if span.is_some() {
                                ops.push(Op::EndMarkedContentWithProperties);
                            }
                            if let Some(text) = actual {
                                ops.push(actual_text_span(text));
                            }
                            span = actual;
                        }
                        show_run(&mut ops, &mut state, run, doc);
                    }
                    if span.is_some() {
                        ops.push(Op::EndMarkedContentWithProperties);
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
        ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
    }
    ops.push(Op::EndTextSection);
    if !rules.is_empty() {
        ops.push(Op::SetOutlineThickness { pt: Pt(RULE_WIDTH) });
        for (x0, x1, y) in rules {
            ops.push(Op::DrawLine { line: Line { points: vec![point(x0, y), point(x1, y)], is_closed: false } });
        }
    }
    footer_ops(&mut ops, footer, doc);
    ops
}

/// `v` rounded to hundredths: enough for print, and short in the content stream.
fn centi(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

fn show_run(ops: &mut Vec<Op>, state: &mut Option<(Face, f32)>, run: &Run, doc: &DocFonts<'_>) {
    if *state != Some((run.face, run.size)) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(FONT_NAMES[run.face.index()].to_string())),
            size: Pt(run.size),
        });
        *state = Some((run.face, run.size));
    }
    // One string per stretch between widened spaces and kerned pairs; each glyph id is two bytes.
    let space_offset = -run.word_space * 1000.0 / run.size;
    let widen = space_offset.abs() > 0.001;
    let mut items: Vec<DictItem> = Vec::new();
    let mut bytes: Vec<u8> = Vec::with_capacity(run.text.len() * 2);
    let mut prev: Option<char> = None;
    for ch in run.text.chars() {
        let Some(gid) = doc.code(run.face, ch) else {
            continue;
        };
        if let Some(p) = prev {
            let kern = doc.fonts().kern(run.face, p, ch);
            if kern != 0 && !bytes.is_empty() {
                items.push(glyph_string(std::mem::take(&mut bytes)));
                items.push(DictItem::Int(-i64::from(kern)));
            }
        }
        prev = Some(ch);
        bytes.extend_from_slice(&gid.to_be_bytes());
        if ch == ' ' && widen {
            items.push(glyph_string(std::mem::take(&mut bytes)));
            items.push(DictItem::Real((space_offset * 100.0).round() / 100.0));
        }
    }
    if !bytes.is_empty() {
        items.push(glyph_string(bytes));
    }
    // printpdf's typed `ShowText` writes one hex string object per glyph
    // (`TextItem::GlyphIds`), which alone costs about 0.4 ms per agreement;
    // the raw TJ operator carries the same glyph codes as one string per stretch.
    ops.push(Op::Unknown { key: "TJ".into(), value: vec![DictItem::Array(items)] });
}

fn glyph_string(data: Vec<u8>) -> DictItem {
    DictItem::String { data, literal: true }
}

/// Opens a `/Span` whose `/ActualText` text extraction reads instead of the glyphs.
pub fn actual_text_span(text: &str) -> Op {
    let data = if text.is_ascii() {
        text.as_bytes().to_vec()
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        bytes
    };
    let span: BTreeMap<String, DictItem> =
        [("ActualText".to_string(), DictItem::String { data, literal: text.is_ascii() })].into_iter().collect();
    Op::BeginMarkedContentWithProperties { tag: "Span".into(), properties: DictItem::Dict { map: span } }
}

/// "Page N of M", centred, marked as a pagination artifact without text.
fn footer_ops(ops: &mut Vec<Op>, footer: &Footer<'_>, doc: &DocFonts<'_>) {
    let width = doc.fonts().text_width(Face::Regular, FOOTER_SIZE, footer.text);
    let artifact: BTreeMap<String, DictItem> = [
        ("Type".to_string(), DictItem::Name(b"Pagination".to_vec())),
        ("Subtype".to_string(), DictItem::Name(b"Footer".to_vec())),
    ]
    .into_iter()
    .collect();
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: "Artifact".into(),
        properties: DictItem::Dict { map: artifact },
    });
    ops.push(actual_text_span(""));
    ops.push(Op::StartTextSection);
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(footer.center - width / 2.0), Pt(footer.baseline)) });
    let mut state = None;
    let run =
        Run { face: Face::Regular, size: FOOTER_SIZE, text: footer.text.to_string(), word_space: 0.0, actual: None };
    show_run(ops, &mut state, &run, doc);
    ops.push(Op::EndTextSection);
    ops.push(Op::EndMarkedContentWithProperties);
    ops.push(Op::EndMarkedContentWithProperties);
}
