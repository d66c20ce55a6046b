//! Removes the per-glyph TrueType hinting programs from a font subset.
//!
//! Liberation Serif carries bytecode hints in nearly half of its glyph data.
//! PDF viewers render at print resolution or ignore TrueType hints, so each
//! glyph's instructions are dropped, and with them the `fpgm`, `prep`, `cvt `
//! and `gasp` tables that only the instructions use (the PDF reference asks
//! for them "if used by instructions"). The outlines, the metrics and the
//! `name` table with the OFL notice stay.

/// Composite glyph component flags (OpenType `glyf` spec).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Tables read only by glyph instructions.
const HINTING_TABLES: [&[u8; 4]; 4] = [b"fpgm", b"prep", b"cvt ", b"gasp"];

fn u16_at(data: &[u8], at: usize) -> Result<u16, String> {
    data.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or_else(|| format!("truncated font at {at}"))
}

fn u32_at(data: &[u8], at: usize) -> Result<u32, String> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("truncated font at {at}"))
}

fn slice(data: &[u8], from: usize, len: usize) -> Result<&[u8], String> {
    data.get(from..from + len).ok_or_else(|| format!("font table out of bounds at {from}"))
}

/// Returns `sfnt` without glyph instructions, with long `loca` offsets and fresh checksums.
pub fn strip_hinting(sfnt: &[u8]) -> Result<Vec<u8>, String> {
    let num_tables = usize::from(u16_at(sfnt, 4)?);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(num_tables);
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = slice(sfnt, rec, 4)?.try_into().map_err(|_| "bad table tag".to_string())?;
        let offset = u32_at(sfnt, rec + 8)? as usize;
        let length = u32_at(sfnt, rec + 12)? as usize;
        if !HINTING_TABLES.contains(&&tag) {
            tables.push((tag, slice(sfnt, offset, length)?.to_vec()));
        }
    }
    let find = |tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag).ok_or(format!("font has no {tag:?} table"));
    let (head, maxp, loca, glyf) = (find(b"head")?, find(b"maxp")?, find(b"loca")?, find(b"glyf")?);
    let long_loca = u16_at(&tables[head].1, 50)? == 1;
    let num_glyphs = usize::from(u16_at(&tables[maxp].1, 4)?);
    let offset = |i: usize| -> Result<usize, String> {
        let loca = &tables[loca].1;
        Ok(if long_loca { u32_at(loca, 4 * i)? as usize } else { usize::from(u16_at(loca, 2 * i)?) * 2 })
    };
    let mut new_glyf = Vec::with_capacity(tables[glyf].1.len());
    let mut new_loca = Vec::with_capacity(4 * (num_glyphs + 1));
    for i in 0..num_glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let (start, end) = (offset(i)?, offset(i + 1)?);
        if end > start {
            let glyph = tables[glyf].1.get(start..end).ok_or("glyph out of bounds")?;
            new_glyf.extend(strip_glyph(glyph)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    let head_table = &mut tables[head].1;
    head_table.get_mut(50..52).ok_or("short head table")?.copy_from_slice(&1u16.to_be_bytes());
    head_table.get_mut(8..12).ok_or("short head table")?.copy_from_slice(&[0; 4]);
    let version = u32_at(sfnt, 0)?;
    let mut out = assemble(version, &mut tables);
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    let head_offset = table_offset(&out, b"head").ok_or("head table vanished")?;
    out[head_offset + 8..head_offset + 12].copy_from_slice(&adjustment.to_be_bytes());
    Ok(out)
}

/// A glyph without its instructions.
fn strip_glyph(glyph: &[u8]) -> Result<Vec<u8>, String> {
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        let at = 10 + 2 * contours as usize;
        let instructions = usize::from(u16_at(glyph, at)?);
        let mut out = glyph.get(..at).ok_or("short glyph")?.to_vec();
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(at + 2 + instructions..).ok_or("short glyph")?);
        return Ok(out);
    }
    let mut out = glyph.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(&out, at)?;
        out[at..at + 2].copy_from_slice(&(flags & !WE_HAVE_INSTRUCTIONS).to_be_bytes());
        at += 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    out.truncate(at.min(out.len()));
    Ok(out)
}

/// Writes an sfnt with its tables sorted by tag, each padded to four bytes.
fn assemble(version: u32, tables: &mut [([u8; 4], Vec<u8>)]) -> Vec<u8> {
    tables.sort_by_key(|t| t.0);
    let n = tables.len() as u16;
    let entry_selector = 15 - n.max(1).leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&version.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables.iter() {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables.iter() {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    out
}

fn table_offset(sfnt: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let n = usize::from(u16_at(sfnt, 4).ok()?);
    (0..n).map(|i| 12 + 16 * i).find(|&rec| sfnt.get(rec..rec + 4) == Some(tag)).and_then(|rec| {
        let offset = u32_at(sfnt, rec + 8).ok()? as usize;
        Some(offset)
    })
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoPen;
    impl ttf_parser::OutlineBuilder for NoPen {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }

    #[test]
    fn stripped_font_keeps_outlines_and_parses() {
        let font = include_bytes!("../../templates/fonts/LiberationSerif-Regular.ttf");
        let stripped = strip_hinting(font).expect("strips");
        assert!(stripped.len() < font.len() * 3 / 4);
        assert_eq!(checksum(&stripped), 0xB1B0_AFBA);
        assert!(table_offset(&stripped, b"fpgm").is_none());
        assert!(table_offset(&stripped, b"name").is_some());
        let parsed = ttf_parser::Face::parse(&stripped, 0).expect("parses");
        let a = parsed.glyph_index('A').expect("has A");
        assert_eq!(a.0, 36);
        assert!(parsed.outline_glyph(a, &mut NoPen).is_some());
    }
}
