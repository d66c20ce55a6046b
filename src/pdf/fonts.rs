//! The embedded Liberation Serif 2.1.5 faces (SIL OFL 1.1, see
//! `templates/fonts/OFL.txt`), turned into PDF font parts once per process.
//!
//! Subsetting and compressing a font costs milliseconds, far more than laying
//! out a two-page agreement, so it is done once: each face is cut down to the
//! Latin repertoire in [`RANGES`] (the characters all four faces can draw),
//! renumbered densely, stripped of hinting, compressed, and kept with its `/W` widths and
//! `/ToUnicode` CMap in a [`FontSet`] behind a `OnceLock`. Every document then
//! reuses these bytes; it only chooses which faces it needs.

use std::io::Write;
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::os2::Os2;
use allsorts::tables::FontTableProvider;
use allsorts::tag;
use printpdf::ParsedFont;
use sha2::{Digest, Sha256};

use super::metrics::{Face, GlyphWidths};
use super::truetype::strip_hinting;
use super::PdfError;

const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../templates/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../templates/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../templates/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../templates/fonts/LiberationSerif-BoldItalic.ttf"),
];

const POSTSCRIPT_NAMES: [&str; 4] =
    ["LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"];

/// The characters embedded (where all four faces have a glyph): Basic Latin,
/// Latin-1, Latin Extended-A and -B, spacing modifiers, general punctuation,
/// currency signs, letterlike symbols and number forms.
const RANGES: [(u32, u32); 6] =
    [(0x20, 0x7E), (0xA0, 0x24F), (0x2B0, 0x2FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x215F)];

/// One past the highest code point of [`RANGES`].
const TABLE_LEN: usize = 0x2160;

/// Format characters that are invisible in print: the layout drops them.
pub fn is_ignorable(ch: char) -> bool {
    matches!(
        ch,
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}'
    )
}

/// Characters the layout treats as a word space.
pub fn is_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\n' | '\r')
}

/// The PDF parts of one embedded face.
pub struct FaceFont {
    /// `/BaseFont`, with its six-letter subset tag.
    pub base_font: String,
    /// The TrueType subset, zlib-compressed (`/FontFile2`).
    pub program: Vec<u8>,
    /// Uncompressed length of the TrueType subset (`/Length1`).
    pub program_len: usize,
    /// Advance per subset glyph id, in 1/1000 em (`/W`).
    pub widths: Vec<i64>,
    /// The `/ToUnicode` CMap, zlib-compressed.
    pub to_unicode: Vec<u8>,
    pub ascent: i64,
    pub descent: i64,
    pub cap_height: i64,
    pub bbox: [i64; 4],
    pub italic_angle: i64,
    pub flags: i64,
    pub stem_v: i64,
}

/// The four faces, plus a direct lookup from character to subset glyph.
pub struct FontSet {
    pub faces: [FaceFont; 4],
    /// `(gid << 16) | advance` at `cp * 4 + face`; 0 where there is no glyph.
    table: Vec<u32>,
}

impl FontSet {
    /// Subset glyph id and advance (1/1000 em) of `ch` in `face`.
    pub fn glyph(&self, face: Face, ch: char) -> Option<(u16, u16)> {
        let cp = ch as usize;
        if cp >= TABLE_LEN {
            return None;
        }
        let packed = self.table[cp * 4 + face.index()];
        (packed != 0).then_some(((packed >> 16) as u16, (packed & 0xFFFF) as u16))
    }

    /// Whether the faces can draw `ch` (spaces and ignorable characters count as drawable).
    pub fn covers(&self, ch: char) -> bool {
        is_space(ch) || is_ignorable(ch) || self.glyph(Face::Regular, ch).is_some()
    }
}

impl GlyphWidths for FontSet {
    fn advance(&self, face: Face, ch: char) -> Option<u16> {
        self.glyph(face, ch).map(|(_, adv)| adv)
    }
}

/// The process-wide font set, built on first use.
pub fn font_set() -> Result<&'static FontSet, PdfError> {
    static SET: OnceLock<Result<FontSet, String>> = OnceLock::new();
    SET.get_or_init(build_font_set).as_ref().map_err(|e| PdfError::Font(e.clone()))
}

fn build_font_set() -> Result<FontSet, String> {
    let mut parsed = Vec::with_capacity(4);
    for (bytes, name) in FONT_FILES.iter().zip(POSTSCRIPT_NAMES) {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("cannot parse the embedded font {name}"))?;
        parsed.push(font);
    }
    // The repertoire: every code point of RANGES that all four faces can draw.
    let coverage: Vec<u32> = RANGES
        .iter()
        .flat_map(|&(lo, hi)| lo..=hi)
        .filter(|&cp| char::from_u32(cp).is_some_and(|c| !is_ignorable(c)))
        .filter(|cp| parsed.iter().all(|f| f.lookup_glyph_index(*cp).is_some_and(|g| g != 0)))
        .collect();
    let mut table = vec![0u32; TABLE_LEN * 4];
    let mut faces = Vec::with_capacity(4);
    for (i, font) in parsed.iter().enumerate() {
        faces.push(build_face(FONT_FILES[i], POSTSCRIPT_NAMES[i], font, &coverage, i, &mut table)?);
    }
    let faces: [FaceFont; 4] = faces.try_into().map_err(|_| "expected four font faces".to_string())?;
    Ok(FontSet { faces, table })
}

fn build_face(
    bytes: &[u8],
    name: &str,
    font: &ParsedFont,
    coverage: &[u32],
    face_index: usize,
    table: &mut [u32],
) -> Result<FaceFont, String> {
    let upm = u32::from(font.units_per_em.max(1));
    let scale = |v: i64| (v * 1000 + i64::from(upm) / 2).div_euclid(i64::from(upm));
    // Subset glyph list: .notdef first, then each glyph in code point order.
    let mut ids: Vec<u16> = vec![0];
    let mut first_char: Vec<u32> = vec![0];
    let mut widths: Vec<i64> = vec![scale(i64::from(font.get_glyph_width(0).unwrap_or(0)))];
    for &cp in coverage {
        let gid = font.lookup_glyph_index(cp).unwrap_or(0);
        let new_gid = match ids.iter().position(|&g| g == gid) {
            Some(pos) => pos,
            None => {
                ids.push(gid);
                first_char.push(cp);
                widths.push(scale(i64::from(font.get_glyph_width(gid).unwrap_or(0))));
                ids.len() - 1
            }
        };
        let adv = u32::try_from(widths[new_gid]).unwrap_or(0).min(0xFFFF);
        table[cp as usize * 4 + face_index] = ((new_gid as u32) << 16) | adv;
    }
    let data = ReadScope::new(bytes).read::<FontData<'_>>().map_err(|e| format!("{name}: {e}"))?;
    let provider = data.table_provider(0).map_err(|e| format!("{name}: {e}"))?;
    let program = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| format!("{name}: subsetting failed: {e}"))?;
    let program = strip_hinting(&program).map_err(|e| format!("{name}: {e}"))?;
    let cap_height = provider
        .read_table_data(tag::OS_2)
        .ok()
        .and_then(|d| ReadScope::new(&d).read_dep::<Os2>(d.len()).ok())
        .and_then(|os2| os2.version2to4.map(|v| i64::from(v.s_cap_height)))
        .map(scale);

    let digest = Sha256::digest(&program);
    let tag: String = digest[..6].iter().map(|b| char::from(b'A' + b % 26)).collect();
    let m = &font.pdf_font_metrics;
    let italic_angle = if m.caret_slope_rise == 0 {
        0
    } else {
        (-(f32::from(m.caret_slope_run)).atan2(f32::from(m.caret_slope_rise))).to_degrees() as i64
    };
    let ascent = scale(i64::from(font.font_metrics.ascent));
    Ok(FaceFont {
        base_font: format!("{tag}+{name}"),
        program_len: program.len(),
        program: deflate(&program)?,
        to_unicode: deflate(to_unicode_cmap(&first_char).as_bytes())?,
        widths,
        ascent,
        descent: scale(i64::from(font.font_metrics.descent)),
        cap_height: cap_height.unwrap_or(ascent),
        bbox: [
            scale(i64::from(m.x_min)),
            scale(i64::from(m.y_min)),
            scale(i64::from(m.x_max)),
            scale(i64::from(m.y_max)),
        ],
        italic_angle,
        // Serif (2) and nonsymbolic (32), plus italic (64).
        flags: 2 | 32 | if italic_angle != 0 { 64 } else { 0 },
        stem_v: 50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i64,
    })
}

/// A `/ToUnicode` CMap mapping each subset glyph id to its character.
fn to_unicode_cmap(first_char: &[u32]) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, u32)> = first_char.iter().copied().enumerate().skip(1).collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, cp) in chunk {
            out.push_str(&format!("<{gid:04X}> <{cp:04X}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMapType get /resource defineresource pop\nend\nend\n");
    out
}

/// zlib (`/FlateDecode`) compression at the best level: done once per process.
fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_latin_but_not_arrows() {
        let set = font_set().expect("fonts build");
        for ch in "Łódź Spółka ØRSTED Őrség ß € “quotes” – —".chars() {
            assert!(set.covers(ch), "{ch:?} should be covered");
        }
        assert!(!set.covers('→'));
        assert!(!set.covers('\u{7}'));
    }

    #[test]
    fn widths_match_times_metrics() {
        let set = font_set().expect("fonts build");
        assert_eq!(set.advance(Face::Regular, ' '), Some(250));
        assert_eq!(set.advance(Face::Regular, 'a'), Some(444));
        assert_eq!(set.advance(Face::Bold, 'A'), Some(722));
    }
}
