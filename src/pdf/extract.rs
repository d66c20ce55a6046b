//! Text extraction through the fonts' `/ToUnicode` maps, for tests.
//!
//! Reads back what [`super::render`] writes (Identity-H glyph codes, one `Td`
//! per line, TJ offsets for justification) without any installed tool.
//! Marked content with an `/ActualText` reads as that text instead of its
//! glyphs, as in pdftotext: nothing for the page footer, the whole word for
//! the first part of a hyphenated word.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};

use super::PdfError;

/// The text of every page, one line per text line, pages ended by a form feed.
pub fn extract_text(pdf: &[u8]) -> Result<String, PdfError> {
    let read = |e: lopdf::Error| PdfError::Read(e.to_string());
    let doc = Document::load_mem(pdf).map_err(read)?;
    let mut out = String::new();
    for page_id in doc.get_pages().into_values() {
        let maps = font_maps(&doc, page_id)?;
        let content = Content::decode(&doc.get_page_content(page_id)).map_err(read)?;
        page_text(&content.operations, &maps, &mut out);
        out.push('\u{c}');
    }
    Ok(out)
}

type CMap = HashMap<u16, String>;

fn font_maps(doc: &Document, page_id: ObjectId) -> Result<BTreeMap<Vec<u8>, CMap>, PdfError> {
    let read = |e: lopdf::Error| PdfError::Read(e.to_string());
    let mut maps = BTreeMap::new();
    for (name, font) in doc.get_page_fonts(page_id).map_err(read)? {
        let Ok(stream) = font
            .get(b"ToUnicode")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_object(id))
            .and_then(Object::as_stream)
        else {
            continue;
        };
        let data = stream.decompressed_content().map_err(read)?;
        maps.insert(name, parse_cmap(&String::from_utf8_lossy(&data)));
    }
    Ok(maps)
}

/// Reads the `bfchar` and `bfrange` entries of a ToUnicode CMap.
fn parse_cmap(text: &str) -> CMap {
    let hex = |s: &str| -> Vec<u16> {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        (0..s.len() / 4).filter_map(|i| u16::from_str_radix(s.get(i * 4..i * 4 + 4)?, 16).ok()).collect()
    };
    let mut map = CMap::new();
    let mut mode = "";
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
            mode = if line.ends_with("bfchar") { "char" } else { "range" };
            continue;
        }
        if line.starts_with("end") {
            mode = "";
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        match (mode, parts.as_slice()) {
            ("char", [code, uni]) => {
                if let Some(&c) = hex(code).first() {
                    map.insert(c, String::from_utf16_lossy(&hex(uni)));
                }
            }
            ("range", [lo, hi, start]) => {
                if let (Some(&lo), Some(&hi), Some(&s)) = (hex(lo).first(), hex(hi).first(), hex(start).first()) {
                    for (k, code) in (lo..=hi).enumerate() {
                        let u = u32::from(s) + k as u32;
                        if let Some(ch) = char::from_u32(u) {
                            map.insert(code, ch.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    map
}

fn page_text(ops: &[lopdf::content::Operation], maps: &BTreeMap<Vec<u8>, CMap>, out: &mut String) {
    let empty = CMap::new();
    let mut font: &CMap = &empty;
    let mut y: Option<f32> = None;
    // One entry per open marked-content sequence: does it hide its text?
    let mut hidden: Vec<bool> = Vec::new();
    for op in ops {
        let args = &op.operands;
        match op.operator.as_str() {
            "Tf" => {
                font = args.first().and_then(|n| n.as_name().ok()).and_then(|n| maps.get(n)).unwrap_or(&empty);
            }
            "Tm" => {
                let new_y = args.get(5).and_then(|v| v.as_float().ok());
                if y.is_some() && new_y != y && !out.ends_with('\n') {
                    out.push('\n');
                } else if new_y == y && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
                y = new_y;
            }
            "Td" | "TD" => {
                let dy = args.get(1).and_then(|v| v.as_float().ok()).unwrap_or(0.0);
                let sep = if dy == 0.0 { ' ' } else { '\n' };
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(sep);
                }
            }
            "T*" if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
            "BMC" => hidden.push(hidden.last().copied().unwrap_or(false)),
            "BDC" => {
                let actual = args
                    .get(1)
                    .and_then(|p| p.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| t.as_str().ok())
                    .map(decode_text_string);
                let outer = hidden.last().copied().unwrap_or(false);
                if let (Some(text), false) = (&actual, outer) {
                    // The span's text replaces its glyphs (a hyphenated word reads whole).
                    out.push_str(text);
                }
                hidden.push(actual.is_some() || outer);
            }
            "EMC" => {
                hidden.pop();
            }
            "Tj" | "TJ" if !hidden.last().copied().unwrap_or(false) => {
                for arg in args {
                    show(arg, font, out);
                }
            }
            _ => {}
        }
    }
    if !out.ends_with('\n') && !out.is_empty() {
        out.push('\n');
    }
}

/// A PDF text string: UTF-16BE after a byte order mark, else (ASCII) PDFDocEncoding.
fn decode_text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> =
                utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn show(arg: &Object, font: &CMap, out: &mut String) {
    match arg {
        Object::Array(items) => {
            for item in items {
                show(item, font, out);
            }
        }
        Object::String(bytes, _) => {
            for pair in bytes.chunks(2) {
                let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                out.push_str(font.get(&code).map_or("\u{FFFD}", String::as_str));
            }
        }
        // A large negative offset is a gap between words.
        Object::Integer(_) | Object::Real(_)
            if arg.as_float().is_ok_and(|n| n < -200.0) && !out.ends_with([' ', '\n']) =>
        {
            out.push(' ');
        }
        _ => {}
    }
}
