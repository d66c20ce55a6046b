//! The errors of the PDF stage.

use std::fmt;

/// Why a PDF could not be produced (or read back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The text holds a character the embedded fonts cannot draw.
    MissingGlyph { ch: char },
    /// The embedded fonts could not be prepared (a build defect, not an input problem).
    Font(String),
    /// The PDF could not be assembled.
    Write(String),
    /// A PDF handed to [`super::extract_text`] could not be read.
    Read(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::MissingGlyph { ch } => {
                let shown: String = if ch.is_control() { ch.escape_unicode().to_string() } else { ch.to_string() };
                write!(f, "the font has no glyph for '{shown}' (U+{:04X})", u32::from(*ch))
            }
            PdfError::Font(msg) => write!(f, "cannot prepare the embedded fonts: {msg}"),
            PdfError::Write(msg) => write!(f, "cannot write the PDF: {msg}"),
            PdfError::Read(msg) => write!(f, "cannot read the PDF: {msg}"),
        }
    }
}

impl std::error::Error for PdfError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyph_names_the_character() {
        let e = PdfError::MissingGlyph { ch: '→' };
        assert_eq!(e.to_string(), "the font has no glyph for '→' (U+2192)");
        let e = PdfError::MissingGlyph { ch: '\u{7}' };
        assert_eq!(e.to_string(), "the font has no glyph for '\\u{7}' (U+0007)");
    }
}
