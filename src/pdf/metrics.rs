//! Text measurement as the layout sees it: four faces and a width lookup.
//!
//! The layout never touches a font type of ttf-parser or subsetter; it asks a
//! [`GlyphWidths`] for advance widths. [`super::fonts::FontSet`] implements it
//! for the embedded Liberation Serif faces, and tests can plug in a fake.

/// One of the four faces of the body typeface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    /// The face for a combination of strong and emphasis.
    pub fn new(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// Index of the face in per-face tables (Regular, Bold, Italic, BoldItalic).
    pub fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
        }
    }
}

/// Advance widths of the glyphs the PDF will draw.
pub trait GlyphWidths {
    /// Advance of `ch` in `face`, in thousandths of an em (the unit of a PDF
    /// `/W` array), or `None` when the embedded fonts cannot draw `ch`.
    fn advance(&self, face: Face, ch: char) -> Option<u16>;

    /// Kerning between `left` and `right` set next to each other in `face`, in
    /// thousandths of an em (negative pulls them together). Never across a space.
    fn kern(&self, _face: Face, _left: char, _right: char) -> i16 {
        0
    }

    /// Width of `text` set in `face` at `size` points, kerned; characters
    /// without a glyph count as zero.
    fn text_width(&self, face: Face, size: f32, text: &str) -> f32 {
        let mut units: i32 = 0;
        let mut prev: Option<char> = None;
        for c in text.chars() {
            units += i32::from(self.advance(face, c).unwrap_or(0));
            if let Some(p) = prev {
                units += i32::from(self.kern(face, p, c));
            }
            prev = Some(c);
        }
        units as f32 * size / 1000.0
    }
}

/// For tests: every glyph 500 units wide (6 pt at 12 pt), spaces too.
#[cfg(test)]
pub(crate) struct Mono;

#[cfg(test)]
impl GlyphWidths for Mono {
    fn advance(&self, _: Face, _: char) -> Option<u16> {
        Some(500)
    }
}
