//! Per-document font subsets: only the glyphs a document draws are embedded.
//!
//! While the pages are written, [`DocFonts::code`] gives each drawn
//! character a glyph id of its face's subset, numbered densely in the order
//! of first use (so the same document always gets the same numbers). After
//! the last page, [`DocFonts::face_font`] cuts the font down to those glyphs
//! (plus the parts of composite glyphs) with Typst's `subsetter` crate, drops
//! the hinting instructions ([`super::truetype`]) and compresses the result;
//! the `/W` widths and the `/ToUnicode` CMap cover exactly the drawn glyphs.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::fonts::{FontSet, POSTSCRIPT_NAMES};
use super::metrics::Face;
use super::truetype::strip_hinting;
use super::PdfError;

/// The PDF parts of one embedded face subset.
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

/// The glyphs one face has drawn so far in a document.
#[derive(Default)]
struct Used {
    remapper: GlyphRemapper,
    /// The character of each subset glyph id (index 0, `.notdef`, is unused).
    chars: Vec<char>,
    /// Advance of each subset glyph id, in 1/1000 em.
    widths: Vec<i64>,
}

/// The glyphs a document draws, per face.
pub struct DocFonts<'f> {
    fonts: &'f FontSet,
    used: [Option<Used>; 4],
}

impl<'f> DocFonts<'f> {
    pub fn new(fonts: &'f FontSet) -> Self {
        DocFonts { fonts, used: [None, None, None, None] }
    }

    /// The fonts measured and drawn with.
    pub fn fonts(&self) -> &'f FontSet {
        self.fonts
    }

    /// The subset glyph id that draws `ch` in `face`, or `None` when the face has no glyph.
    pub fn code(&mut self, face: Face, ch: char) -> Option<u16> {
        let (gid, advance) = self.fonts.glyph(face, ch)?;
        let fonts = self.fonts;
        let used = self.used[face.index()].get_or_insert_with(|| {
            let notdef = fonts.parsed(face).glyph_hor_advance(ttf_parser::GlyphId(0)).unwrap_or(0);
            Used {
                remapper: GlyphRemapper::new(),
                chars: vec!['\0'],
                widths: vec![fonts.to_milli(face, notdef.into())],
            }
        });
        let code = used.remapper.remap(gid);
        if usize::from(code) == used.chars.len() {
            used.chars.push(ch);
            used.widths.push(i64::from(advance));
        }
        Some(code)
    }

    /// Which faces were drawn with.
    #[cfg(test)]
    pub fn used(&self) -> [bool; 4] {
        self.used.each_ref().map(Option::is_some)
    }

    /// The embedded subset of `face`, or `None` when the document never used it.
    pub fn face_font(&self, face: Face) -> Result<Option<FaceFont>, PdfError> {
        let Some(used) = &self.used[face.index()] else {
            return Ok(None);
        };
        let name = POSTSCRIPT_NAMES[face.index()];
        let err = |e: String| PdfError::Font(format!("{name}: {e}"));
        let program = subsetter::subset(self.fonts.file(face), 0, &used.remapper)
            .map_err(|e| err(format!("subsetting failed: {e}")))?;
        let program = strip_hinting(&program).map_err(err)?;
        let digest = Sha256::digest(&program);
        let tag: String = digest[..6].iter().map(|b| char::from(b'A' + b % 26)).collect();
        let parsed = self.fonts.parsed(face);
        let milli = |v: i16| self.fonts.to_milli(face, i64::from(v));
        let bbox = parsed.global_bounding_box();
        let italic_angle = parsed.italic_angle().round() as i64;
        let ascent = milli(parsed.ascender());
        Ok(Some(FaceFont {
            base_font: format!("{tag}+{name}"),
            program_len: program.len(),
            program: deflate(&program)?,
            to_unicode: deflate(to_unicode_cmap(&used.chars).as_bytes())?,
            widths: used.widths.clone(),
            ascent,
            descent: milli(parsed.descender()),
            cap_height: parsed.capital_height().map_or(ascent, milli),
            bbox: [milli(bbox.x_min), milli(bbox.y_min), milli(bbox.x_max), milli(bbox.y_max)],
            italic_angle,
            // Serif (2) and nonsymbolic (32), plus italic (64).
            flags: 2 | 32 | if italic_angle != 0 { 64 } else { 0 },
            stem_v: 50 + (f32::from(parsed.weight().to_number()) / 65.0).powi(2).round() as i64,
        }))
    }
}

/// A `/ToUnicode` CMap mapping each subset glyph id to its character.
fn to_unicode_cmap(chars: &[char]) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, char)> = chars.iter().copied().enumerate().skip(1).collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, ch) in chunk {
            out.push_str(&format!("<{gid:04X}> <"));
            for unit in ch.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("{unit:04X}"));
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMapType get /resource defineresource pop\nend\nend\n");
    out
}

/// zlib (`/FlateDecode`) at libdeflate's level 9: a font subset or a content stream of a
/// few kilobytes takes well under a millisecond, and the file is a third smaller than at
/// the fastest level. The compressor is kept per thread (its state is reused).
pub fn deflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    thread_local! {
        static COMPRESSOR: RefCell<Option<Compressor>> = const { RefCell::new(None) };
    }
    COMPRESSOR.with_borrow_mut(|c| {
        let c = c.get_or_insert_with(|| Compressor::new(CompressionLvl::new(9).unwrap_or_default()));
        let mut out = vec![0; c.zlib_compress_bound(data.len())];
        let len = c.zlib_compress(data, &mut out).map_err(|e| PdfError::Write(format!("{e:?}")))?;
        out.truncate(len);
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::font_set;

    #[test]
    fn subset_holds_only_the_drawn_glyphs_numbered_by_first_use() {
        let fonts = font_set().expect("fonts");
        let mut doc = DocFonts::new(fonts);
        let codes: Vec<u16> = "abca".chars().filter_map(|c| doc.code(Face::Regular, c)).collect();
        assert_eq!(codes, [1, 2, 3, 1]);
        assert_eq!(doc.used(), [true, false, false, false]);
        let face = doc.face_font(Face::Regular).expect("subsets").expect("used");
        assert_eq!(face.widths[1..], [444, 500, 444]);
        assert!(face.widths[0] > 0, ".notdef has its own width");
        assert!(face.program_len < 4_000, "{} bytes for three letters", face.program_len);
        let program = libdeflater::Decompressor::new()
            .zlib_decompress(&face.program, &mut vec![0; face.program_len])
            .expect("inflates");
        assert_eq!(program, face.program_len);
        assert!(doc.face_font(Face::Bold).expect("no error").is_none());
    }

    #[test]
    fn to_unicode_maps_each_code_to_its_character() {
        let cmap = to_unicode_cmap(&['\0', 'a', '\u{201C}']);
        assert!(cmap.contains("2 beginbfchar\n<0001> <0061>\n<0002> <201C>\n"), "{cmap}");
    }
}
