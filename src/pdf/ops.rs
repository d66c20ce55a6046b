//! Placed lines to printpdf's low-level page operations.
//!
//! Text is written as glyph ids of the process-wide font subsets, one `Td`
//! move per line; justification widens each space with a TJ offset.
//! Signature rules are stroked paths. The page footer is wrapped in an
//! `/Artifact` and an empty `/ActualText` span so that text extraction
//! (pdftotext, copy and paste) skips it. Redline runs are coloured, deleted
//! ones struck through and inserted ones double underlined ([`decorations`]).

use std::collections::BTreeMap;

use printpdf::{Color, DictItem, FontId, Line, LinePoint, Op, PdfFontHandle, Point, Pt, Rgb, TextMatrix};

use super::fonts::FontSet;
use super::layout::{Mark, Run};
use super::markdown_blocks::Deco;
use super::metrics::Face;
use super::paginate::Placed;

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

/// The operations of one page; marks the faces it uses in `used`.
pub fn page_ops(lines: &[Placed], footer: &Footer<'_>, fonts: &FontSet, used: &mut [bool; 4]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(lines.len() * 6 + 16);
    let mut rules = Vec::new();
    let mut decos: Vec<Decorated> = Vec::new();
    let mut state: Option<(Face, f32)> = None;
    ops.push(Op::StartTextSection);
    // Line starts relative to the previous one (`Td`), in hundredths of a point.
    let mut at = (0.0f32, 0.0f32);
    for placed in lines {
        for mark in &placed.line.marks {
            match mark {
                Mark::Text { x, runs } => {
                    let to = (centi(*x), centi(placed.baseline));
                    ops.push(Op::SetTextCursor { pos: Point { x: Pt(centi(to.0 - at.0)), y: Pt(centi(to.1 - at.1)) } });
                    at = to;
                    let mut pen = *x;
                    for run in runs {
                        let width = run_width(run, fonts);
                        if run.deco != Deco::None {
                            ops.push(Op::SetFillColor { col: deco_color(run.deco) });
                            decos.push(Decorated { deco: run.deco, x0: pen, x1: pen + width, y: placed.baseline });
                        }
                        show_run(&mut ops, &mut state, run, fonts, used);
                        if run.deco != Deco::None {
                            ops.push(Op::SetFillColor { col: deco_color(Deco::None) });
                        }
                        pen += width;
                    }
                }
                Mark::Rule { x0, x1, drop } => {
                    rules.push((*x0, *x1, placed.baseline - drop));
                }
            }
        }
    }
    ops.push(Op::EndTextSection);
    if !rules.is_empty() {
        ops.push(Op::SetOutlineThickness { pt: Pt(RULE_WIDTH) });
        for (x0, x1, y) in rules {
            ops.push(Op::DrawLine { line: Line { points: vec![point(x0, y), point(x1, y)], is_closed: false } });
        }
    }
    decorations(&mut ops, &decos);
    footer_ops(&mut ops, footer, fonts, used);
    ops
}

/// A stretch of a line drawn as a redline change.
struct Decorated {
    deco: Deco,
    x0: f32,
    x1: f32,
    y: f32,
}

/// Red for deleted text, blue for inserted, black otherwise.
fn deco_color(deco: Deco) -> Color {
    let (r, g, b) = match deco {
        Deco::None => (0.0, 0.0, 0.0),
        Deco::Deleted => (0.8, 0.0, 0.0),
        Deco::Inserted => (0.0, 0.0, 0.8),
    };
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

/// The width a run takes on the line, its widened spaces included.
fn run_width(run: &Run, fonts: &FontSet) -> f32 {
    use super::metrics::GlyphWidths;
    let spaces = run.text.chars().filter(|&c| c == ' ').count() as f32;
    fonts.text_width(run.face, run.size, &run.text) + spaces * run.word_space
}

/// Strike-through rules over deleted text, double underlines under inserted text, in
/// their colours; touching stretches of one line are drawn as one rule.
fn decorations(ops: &mut Vec<Op>, decos: &[Decorated]) {
    let mut merged: Vec<Decorated> = Vec::new();
    for d in decos {
        match merged.last_mut() {
            Some(last) if last.deco == d.deco && last.y == d.y && (d.x0 - last.x1).abs() < 0.01 => last.x1 = d.x1,
            _ => merged.push(Decorated { ..*d }),
        }
    }
    if merged.is_empty() {
        return;
    }
    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
    for d in &merged {
        ops.push(Op::SetOutlineColor { col: deco_color(d.deco) });
        let offsets: &[f32] = if d.deco == Deco::Deleted { &[3.4] } else { &[-1.6, -3.0] };
        for dy in offsets {
            let y = d.y + dy;
            ops.push(Op::DrawLine { line: Line { points: vec![point(d.x0, y), point(d.x1, y)], is_closed: false } });
        }
    }
    ops.push(Op::SetOutlineColor { col: deco_color(Deco::None) });
}

/// `v` rounded to hundredths: enough for print, and short in the content stream.
fn centi(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

fn show_run(ops: &mut Vec<Op>, state: &mut Option<(Face, f32)>, run: &Run, fonts: &FontSet, used: &mut [bool; 4]) {
    if *state != Some((run.face, run.size)) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(FONT_NAMES[run.face.index()].to_string())),
            size: Pt(run.size),
        });
        *state = Some((run.face, run.size));
    }
    used[run.face.index()] = true;
    // One string per stretch between widened spaces; each glyph id is two bytes.
    let space_offset = -run.word_space * 1000.0 / run.size;
    let widen = space_offset.abs() > 0.001;
    let mut items: Vec<DictItem> = Vec::new();
    let mut bytes: Vec<u8> = Vec::with_capacity(run.text.len() * 2);
    for ch in run.text.chars() {
        let Some((gid, _)) = fonts.glyph(run.face, ch) else {
            continue;
        };
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

/// "Page N of M", centred, marked as a pagination artifact without text.
fn footer_ops(ops: &mut Vec<Op>, footer: &Footer<'_>, fonts: &FontSet, used: &mut [bool; 4]) {
    use super::metrics::GlyphWidths;
    let width = fonts.text_width(Face::Regular, FOOTER_SIZE, footer.text);
    let artifact: BTreeMap<String, DictItem> = [
        ("Type".to_string(), DictItem::Name(b"Pagination".to_vec())),
        ("Subtype".to_string(), DictItem::Name(b"Footer".to_vec())),
    ]
    .into_iter()
    .collect();
    let span: BTreeMap<String, DictItem> =
        [("ActualText".to_string(), DictItem::String { data: Vec::new(), literal: true })].into_iter().collect();
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: "Artifact".into(),
        properties: DictItem::Dict { map: artifact },
    });
    ops.push(Op::BeginMarkedContentWithProperties { tag: "Span".into(), properties: DictItem::Dict { map: span } });
    ops.push(Op::StartTextSection);
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(footer.center - width / 2.0), Pt(footer.baseline)) });
    let mut state = None;
    let run = Run {
        face: Face::Regular,
        deco: Deco::None,
        size: FOOTER_SIZE,
        text: footer.text.to_string(),
        word_space: 0.0,
    };
    show_run(ops, &mut state, &run, fonts, used);
    ops.push(Op::EndTextSection);
    ops.push(Op::EndMarkedContentWithProperties);
    ops.push(Op::EndMarkedContentWithProperties);
}
