//! Per-document font subsets: only the glyphs a document draws are embedded.
//!
//! Before the pages are written, [`DocFonts::new`] collects every character
//! they draw, per face, and numbers the subset's glyphs densely in original
//! glyph id order (kept per thread by character set: a batch meets a few
//! dozen); [`DocFonts::codes`] then gives each original glyph its subset
//! glyph id. [`DocFonts::face_font`] cuts the font down to those glyphs (plus
//! the parts of composite glyphs) with Typst's `subsetter` crate, drops the
//! hinting instructions ([`super::truetype`]) and compresses the result; the
//! `/W` widths and the `/ToUnicode` CMap cover exactly the subset's glyphs.
//! The subset depends only on its set of glyphs, so it is built once per
//! process for each set met (a batch mostly meets one).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use libdeflater::{CompressionLvl, Compressor};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::fonts::{FontSet, POSTSCRIPT_NAMES};
use super::memo::Fixed;
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

/// The glyphs of one face in a document's subset, numbered in glyph id order.
struct Used {
    remapper: GlyphRemapper,
    /// Per subset glyph (original id order, `.notdef` first): original id and character.
    glyphs: Vec<(u16, char)>,
    /// Advance of each subset glyph id, in 1/1000 em.
    widths: Vec<i64>,
    /// The subset glyph id of each original glyph id (0: not in the subset).
    codes: Vec<u16>,
}

/// One past the highest code point the fonts draw (U+215F).
const CODES: usize = 0x2160;

/// A set of characters of one face, as bits by code point.
type CharSet = [u64; CODES.div_ceil(64)];

/// Characters every subset of the body face holds, drawn or not: printable ASCII and the
/// quotes and dashes of agreement text. Most documents then need the same subset, which
/// a batch builds once ([`face_font`]); the few unused glyphs cost a kilobyte or two.
fn base_chars(face: Face) -> &'static str {
    match face {
        Face::Regular => {
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u{2018}\u{2019}\u{201C}\u{201D}\u{2013}\u{2014}"
        }
        Face::Bold => " &'(),-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\u{2019}",
        Face::Italic | Face::BoldItalic => "",
    }
}

/// The glyphs a document draws, per face.
pub struct DocFonts<'f> {
    fonts: &'f FontSet,
    used: [Option<Rc<Used>>; 4],
}

impl<'f> DocFonts<'f> {
    /// The subsets for a document drawing `drawn` (face and text, in any order and
    /// repetition): each used face gets its base characters and every glyph drawn, numbered
    /// by original glyph id, so the subset depends only on the set of glyphs.
    pub fn new<'t>(fonts: &'f FontSet, drawn: impl IntoIterator<Item = (Face, &'t str)>) -> Self {
        let mut seen = [[0u64; CODES.div_ceil(64)]; 4];
        let mark = |set: &mut CharSet, ch: char| {
            let cp = ch as usize;
            if cp < CODES {
                set[cp / 64] |= 1 << (cp % 64);
            }
        };
        let mut faces = [false; 4];
        for (face, text) in drawn {
            let set = &mut seen[face.index()];
            for ch in text.chars() {
                faces[face.index()] = true;
                mark(set, ch);
            }
        }
        let used = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic].map(|face| {
            faces[face.index()].then(|| {
                let set = &mut seen[face.index()];
                base_chars(face).chars().for_each(|ch| mark(set, ch));
                used(fonts, face, set)
            })
        });
        DocFonts { fonts, used }
    }

    /// The fonts measured and drawn with.
    pub fn fonts(&self) -> &'f FontSet {
        self.fonts
    }

    /// The subset glyph id that draws `ch` in `face`, or `None` when the face has no glyph
    /// (or the document was not set up to draw it).
    #[cfg(test)]
    pub fn code(&self, face: Face, ch: char) -> Option<u16> {
        let (gid, _) = self.fonts.glyph(face, ch)?;
        self.codes(face).get(usize::from(gid)).copied().filter(|&code| code != 0)
    }

    /// The subset glyph id of each original glyph id of `face` (0: not in the subset).
    pub fn codes(&self, face: Face) -> &[u16] {
        self.used[face.index()].as_ref().map_or(&[], |used| &used.codes)
    }

    /// Which faces were drawn with.
    #[cfg(test)]
    pub fn used(&self) -> [bool; 4] {
        self.used.each_ref().map(Option::is_some)
    }

    /// The embedded subset of `face`, or `None` when the document never used it.
    pub fn face_font(&self, face: Face) -> Result<Option<Arc<FaceFont>>, PdfError> {
        let Some(used) = &self.used[face.index()] else {
            return Ok(None);
        };
        // Subsets are kept per process by face and glyphs (the characters too: they make
        // the ToUnicode map), so a batch of documents drawing the same glyphs builds one.
        type Cache = Mutex<BTreeMap<(usize, Vec<(u16, char)>), Arc<FaceFont>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(Cache::default);
        let key = (face.index(), used.glyphs.clone());
        if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(Some(hit));
        }
        let font = Arc::new(self.build(face, used)?);
        if let Ok(mut c) = cache.lock() {
            if c.len() >= 256 {
                c.clear();
            }
            c.insert(key, Arc::clone(&font));
        }
        Ok(Some(font))
    }

    fn build(&self, face: Face, used: &Used) -> Result<FaceFont, PdfError> {
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
        let chars: Vec<char> = used.glyphs.iter().map(|g| g.1).collect();
        Ok(FaceFont {
            base_font: format!("{tag}+{name}"),
            program_len: program.len(),
            program: deflate(&program, FONT_LEVEL)?,
            to_unicode: deflate(to_unicode_cmap(&chars).as_bytes(), FONT_LEVEL)?,
            widths: used.widths.clone(),
            ascent,
            descent: milli(parsed.descender()),
            cap_height: parsed.capital_height().map_or(ascent, milli),
            bbox: [milli(bbox.x_min), milli(bbox.y_min), milli(bbox.x_max), milli(bbox.y_max)],
            italic_angle,
            // Serif (2) and nonsymbolic (32), plus italic (64).
            flags: 2 | 32 | if italic_angle != 0 { 64 } else { 0 },
            stem_v: 50 + (f32::from(parsed.weight().to_number()) / 65.0).powi(2).round() as i64,
        })
    }
}

/// Character sets whose subset numbering a thread keeps (about 8 KB each): 16 cost 1% more
/// instructions over 400 generated sheets than 64, 32 half of that.
const USED_KEPT: usize = 32;

/// The subset of `face` for the characters `set`, kept per thread for the sets met last
/// (a batch meets a few dozen, a few of them often).
fn used(fonts: &FontSet, face: Face, set: &CharSet) -> Rc<Used> {
    thread_local! {
        static KEPT: RefCell<HashMap<(Face, CharSet), Rc<Used>, Fixed>> = RefCell::new(HashMap::default());
    }
    if let Some(hit) = KEPT.with_borrow(|kept| kept.get(&(face, *set)).cloned()) {
        return hit;
    }
    let mut glyphs: BTreeMap<u16, char> = BTreeMap::new();
    for (word, &bits) in set.iter().enumerate().filter(|(_, b)| **b != 0) {
        for k in (0..64).filter(|k| bits & (1 << k) != 0) {
            // Code points rise, so each glyph keeps its smallest character.
            let Some(ch) = char::from_u32((word * 64 + k) as u32) else { continue };
            if let Some((gid, _)) = fonts.glyph(face, ch) {
                glyphs.entry(gid).or_insert(ch);
            }
        }
    }
    let notdef = fonts.parsed(face).glyph_hor_advance(ttf_parser::GlyphId(0)).unwrap_or(0);
    let top = glyphs.keys().next_back().map_or(0, |&gid| usize::from(gid));
    let mut used = Used {
        remapper: GlyphRemapper::new(),
        glyphs: vec![(0, '\0')],
        widths: vec![fonts.to_milli(face, notdef.into())],
        codes: vec![0; top + 1],
    };
    for (&gid, &ch) in &glyphs {
        used.codes[usize::from(gid)] = used.remapper.remap(gid);
        used.glyphs.push((gid, ch));
        used.widths.push(fonts.glyph(face, ch).map_or(0, |(_, adv)| i64::from(adv)));
    }
    let used = Rc::new(used);
    KEPT.with_borrow_mut(|kept| {
        if kept.len() >= USED_KEPT {
            kept.clear();
        }
        kept.insert((face, *set), Rc::clone(&used));
    });
    used
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

/// zlib (`/FlateDecode`) with libdeflate at `level` (1-12). A compressor per thread and
/// level is kept (its state is reused).
pub fn deflate(data: &[u8], level: i32) -> Result<Vec<u8>, PdfError> {
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(i32, Compressor)>> = const { RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with_borrow_mut(|all| {
        let at = match all.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                let lvl = CompressionLvl::new(level).unwrap_or_default();
                all.push((level, Compressor::new(lvl)));
                all.len() - 1
            }
        };
        let c = &mut all[at].1;
        let mut out = vec![0; c.zlib_compress_bound(data.len())];
        let len = c.zlib_compress(data, &mut out).map_err(|e| PdfError::Write(format!("{e:?}")))?;
        out.truncate(len);
        Ok(out)
    })
}

/// Compression level of font subsets: libdeflate's fastest. A document's subsets are built
/// once (a batch keeps them per glyph set), so this is paid by the single render above all:
/// level 6 cost the exhibit's whole render 6% more instructions (1 M) for a file 2% smaller
/// (23.1 KB against 23.5 KB; levels 8-9 save 0.2% more for twice the time).
pub const FONT_LEVEL: i32 = 1;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::font_set;

    #[test]
    fn subset_holds_the_drawn_glyphs_numbered_by_glyph_id() {
        let fonts = font_set().expect("fonts");
        let doc = DocFonts::new(fonts, [(Face::Italic, "cab"), (Face::Bold, ""), (Face::Italic, "a\u{141}")]);
        let codes: Vec<u16> = "abcaŁ".chars().filter_map(|c| doc.code(Face::Italic, c)).collect();
        // Numbered in glyph id order: a, b, c come before Ł in Liberation Serif.
        assert_eq!(codes, [1, 2, 3, 1, 4]);
        assert_eq!(doc.code(Face::Italic, 'd'), None, "not drawn, not in the subset");
        assert_eq!(doc.used(), [false, false, true, false]);
        let face = doc.face_font(Face::Italic).expect("subsets").expect("used");
        assert_eq!(face.widths[1..4], [500, 500, 444]);
        assert!(face.widths[0] > 0, ".notdef has its own width");
        assert!(face.program_len < 5_000, "{} bytes for four letters", face.program_len);
        // The same glyphs give the same (shared) subset.
        let again = DocFonts::new(fonts, [(Face::Italic, "abcŁ")]);
        assert!(Arc::ptr_eq(&face, &again.face_font(Face::Italic).expect("subsets").expect("used")));
        // The body face always holds the base characters.
        let body = DocFonts::new(fonts, [(Face::Regular, "a")]);
        assert!(body.code(Face::Regular, 'z').is_some() && body.code(Face::Regular, '\u{201C}').is_some());
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
