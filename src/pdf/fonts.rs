//! The embedded Liberation Serif 2.1.5 faces (SIL OFL 1.1, see
//! `templates/fonts/OFL.txt`): what the layout measures with, read lazily.
//!
//! A single render must start fast, so nothing here is built ahead: the four
//! font files are parsed with `ttf-parser` (which only reads the table
//! directory), and each character's glyph id and advance is looked up the
//! first time it is asked for and then kept in a lock-free cell. A face's
//! kerning pairs are indexed on first use. The per-document font subsets are
//! made in [`super::subset`] from the glyphs a document actually draws.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use ttf_parser::GlyphId;

use super::metrics::{Face, GlyphWidths};
use super::PdfError;

const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../templates/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../templates/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../templates/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../templates/fonts/LiberationSerif-BoldItalic.ttf"),
];

/// PostScript name of each face.
pub const POSTSCRIPT_NAMES: [&str; 4] =
    ["LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"];

/// The characters that may be drawn (where all four faces have a glyph): Basic
/// Latin, Latin-1, Latin Extended-A and -B, spacing modifiers, general
/// punctuation, currency signs, letterlike symbols and number forms.
const RANGES: [(u32, u32); 6] =
    [(0x20, 0x7E), (0xA0, 0x24F), (0x2B0, 0x2FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x215F)];

/// One past the highest code point of [`RANGES`].
const TABLE_LEN: usize = 0x2160;

/// A cell not looked up yet.
const UNKNOWN: u32 = u32::MAX;

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

/// One parsed face and its lazily built kerning index.
struct FaceData {
    face: ttf_parser::Face<'static>,
    /// Font units per em.
    upm: i64,
    /// Kerning pairs `(left << 16 | right, value in 1/1000 em)`, sorted; built on first use.
    kerning: OnceLock<Kerning>,
}

#[derive(Default)]
struct Kerning {
    /// `(right glyph, value in 1/1000 em)`, sorted by left glyph, then right.
    pairs: Vec<(u16, i16)>,
    /// The pairs of left glyph `g` are `pairs[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
}

impl Kerning {
    /// The pairs whose left glyph is `left` (most glyphs have none).
    #[inline]
    fn of(&self, left: u16) -> &[(u16, i16)] {
        let g = usize::from(left);
        match (self.starts.get(g), self.starts.get(g + 1)) {
            (Some(&a), Some(&b)) => &self.pairs[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// The four faces, plus a lazily filled lookup from character to glyph.
pub struct FontSet {
    faces: [FaceData; 4],
    /// `(gid << 16) | advance` at `cp * 4 + face`; 0 where there is no glyph,
    /// [`UNKNOWN`] before the first lookup.
    table: Vec<AtomicU32>,
}

impl FontSet {
    /// Original glyph id and advance (1/1000 em) of `ch` in `face`.
    #[inline]
    pub fn glyph(&self, face: Face, ch: char) -> Option<(u16, u16)> {
        let cp = ch as usize;
        if cp >= TABLE_LEN {
            return None;
        }
        let mut packed = self.table[cp * 4 + face.index()].load(Ordering::Relaxed);
        if packed == UNKNOWN {
            packed = self.look_up(cp)[face.index()];
        }
        (packed != 0).then_some(((packed >> 16) as u16, (packed & 0xFFFF) as u16))
    }

    /// Fills the four cells of `cp`: a character counts only where every face draws it.
    #[cold]
    #[inline(never)]
    fn look_up(&self, cp: usize) -> [u32; 4] {
        let ch = char::from_u32(cp as u32)
            .filter(|&c| !is_ignorable(c) && RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&(cp as u32))));
        let gids = ch.map(|c| self.faces.each_ref().map(|f| f.face.glyph_index(c).map_or(0, |g| g.0)));
        let cells = match gids {
            Some(gids) if gids.iter().all(|&g| g != 0) => {
                let mut cells = [0; 4];
                for (i, (data, gid)) in self.faces.iter().zip(gids).enumerate() {
                    let adv = i64::from(data.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0));
                    let adv = u32::try_from(scale(adv, data.upm)).unwrap_or(0).min(0xFFFF);
                    cells[i] = (u32::from(gid) << 16) | adv;
                }
                cells
            }
            _ => [0; 4],
        };
        for (i, cell) in cells.iter().enumerate() {
            self.table[cp * 4 + i].store(*cell, Ordering::Relaxed);
        }
        cells
    }

    /// Whether the faces can draw `ch` (spaces and ignorable characters count as drawable).
    pub fn covers(&self, ch: char) -> bool {
        is_space(ch) || is_ignorable(ch) || self.glyph(Face::Regular, ch).is_some()
    }

    /// The font file of `face`.
    pub fn file(&self, face: Face) -> &'static [u8] {
        FONT_FILES[face.index()]
    }

    /// The parsed font of `face`.
    pub fn parsed(&self, face: Face) -> &ttf_parser::Face<'static> {
        &self.faces[face.index()].face
    }

    /// Font design units to 1/1000 em for `face`, rounded.
    pub fn to_milli(&self, face: Face, v: i64) -> i64 {
        scale(v, self.faces[face.index()].upm)
    }

    /// Kerning between two glyphs of `face`, in 1/1000 em.
    #[inline]
    pub fn glyph_kern(&self, face: Face, left: u16, right: u16) -> i16 {
        self.kerning_of(face)(left, right)
    }

    /// [`FontSet::glyph_kern`] for one face, its pairs found once.
    #[inline]
    pub fn kerning_of(&self, face: Face) -> impl Fn(u16, u16) -> i16 + '_ {
        let kerning = self.kerning(face);
        move |left, right| {
            let pairs = kerning.of(left);
            if pairs.is_empty() {
                return 0;
            }
            pairs.binary_search_by_key(&right, |p| p.0).map_or(0, |i| pairs[i].1)
        }
    }

    /// The kerning pairs of `face`, indexed on first use.
    #[inline]
    fn kerning(&self, face: Face) -> &Kerning {
        let data = &self.faces[face.index()];
        data.kerning.get_or_init(|| kerning(&data.face, data.upm))
    }
}

impl GlyphWidths for FontSet {
    fn advance(&self, face: Face, ch: char) -> Option<u16> {
        self.glyph(face, ch).map(|(_, adv)| adv)
    }

    fn kern(&self, face: Face, left: char, right: char) -> i16 {
        if is_space(left) || is_space(right) {
            return 0;
        }
        // Most letters start no kerning pair: the right glyph is looked up only for those that do.
        let Some((l, _)) = self.glyph(face, left) else { return 0 };
        if self.kerning(face).of(l).is_empty() {
            return 0;
        }
        self.glyph(face, right).map_or(0, |(r, _)| self.glyph_kern(face, l, r))
    }
}

/// `v` font units in 1/1000 em, rounded half up.
fn scale(v: i64, upm: i64) -> i64 {
    (v * 1000 + upm / 2).div_euclid(upm)
}

/// The pairs of the font's `kern` table (format 0 subtables for horizontal text); the
/// first value of a pair met twice counts.
fn kerning(face: &ttf_parser::Face<'_>, upm: i64) -> Kerning {
    let mut all: Vec<(u32, i16)> = Vec::new();
    if let Some(kern) = face.tables().kern {
        for sub in kern.subtables {
            let ttf_parser::kern::Format::Format0(table) = sub.format else {
                continue;
            };
            if !sub.horizontal || sub.has_cross_stream || sub.variable {
                continue;
            }
            for pair in table.pairs {
                let value = i16::try_from(scale(i64::from(pair.value), upm)).unwrap_or(0);
                if value != 0 {
                    all.push((pair.pair, value));
                }
            }
        }
    }
    all.sort_by_key(|p| p.0);
    all.dedup_by_key(|p| p.0);
    let lefts = all.last().map_or(0, |p| (p.0 >> 16) as usize + 1);
    let mut starts = vec![0u32; lefts + 1];
    for &(pair, _) in &all {
        starts[(pair >> 16) as usize + 1] += 1;
    }
    for g in 0..lefts {
        starts[g + 1] += starts[g];
    }
    Kerning { pairs: all.iter().map(|&(pair, value)| (pair as u16, value)).collect(), starts }
}

/// The process-wide font set, made on first use (parsing only the table directories).
pub fn font_set() -> Result<&'static FontSet, PdfError> {
    static SET: OnceLock<Result<FontSet, String>> = OnceLock::new();
    SET.get_or_init(build_font_set).as_ref().map_err(|e| PdfError::Font(e.clone()))
}

fn build_font_set() -> Result<FontSet, String> {
    let mut faces = Vec::with_capacity(4);
    for (bytes, name) in FONT_FILES.iter().zip(POSTSCRIPT_NAMES) {
        let face =
            ttf_parser::Face::parse(bytes, 0).map_err(|e| format!("cannot parse the embedded font {name}: {e}"))?;
        let upm = i64::from(face.units_per_em().max(1));
        faces.push(FaceData { face, upm, kerning: OnceLock::new() });
    }
    let faces: [FaceData; 4] = faces.try_into().map_err(|_| "expected four font faces".to_string())?;
    let table = (0..TABLE_LEN * 4).map(|_| AtomicU32::new(UNKNOWN)).collect();
    Ok(FontSet { faces, table })
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

    #[test]
    fn kerning_comes_from_the_font() {
        let set = font_set().expect("fonts build");
        // Times-compatible pairs tighten "AV" and "To"; letters of plain words do not kern.
        assert!(set.kern(Face::Regular, 'A', 'V') < 0);
        assert!(set.kern(Face::Regular, 'T', 'o') < 0);
        assert_eq!(set.kern(Face::Regular, 'n', 'n'), 0);
        assert_eq!(set.kern(Face::Regular, 'A', ' '), 0);
    }
}
