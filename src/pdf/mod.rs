//! The PDF stage: agreement Markdown to a typeset PDF.
//!
//! The pipeline, one file per step:
//!
//! 1. `markdown_blocks`: pulldown-cmark events to `markdown_blocks::Block`s,
//!    reading the agreement conventions (header lines, title, numbered
//!    sections, one signature block per block quote).
//! 2. `linebreak` and `layout`: words measured with the real advance
//!    widths of the embedded fonts (through the `metrics::GlyphWidths` trait),
//!    optimal line breaks, justification, indents; `signature` blocks
//!    with their drawn rules.
//! 3. `paginate`: pages without widows or orphans, signature blocks kept
//!    whole and together with the paragraph before them.
//! 4. `ops`: the content stream of each page.
//! 5. `subset` and `write`: the document's objects, written directly:
//!    the document's own font subsets (only the glyphs it draws),
//!    Info, outline and a content-derived `/ID`. Rendering is pure (no I/O, no clock) and
//!    byte-reproducible.
//!
//! [`extract_text`] reads the text back through the `/ToUnicode` maps.

mod error;
mod extract;
mod fonts;
mod layout;
mod linebreak;
pub(crate) mod markdown_blocks;
mod memo;
mod metrics;
mod ops;
mod paginate;
mod signature;
mod spacing;
mod subset;
mod truetype;
mod write;

#[cfg(test)]
mod tests;

pub use error::PdfError;
pub use extract::extract_text;
pub use spacing::SpacingReport;

use layout::Frame;
use write::{Content, Outline};

/// Paper size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Paper {
    /// US Letter, 8.5 × 11 in.
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

impl Paper {
    /// Width and height in PDF points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.28, 841.89),
        }
    }
}

/// Document-level settings of a rendered PDF.
#[derive(Clone, Debug, PartialEq)]
pub struct PdfOptions {
    pub paper: Paper,
    /// Info `/Title`, e.g. "Financial Consulting Agreement".
    pub title: String,
    /// Info `/Subject`, e.g. the parties.
    pub subject: String,
    /// Info `/Producer` (and `/Creator`), e.g. "clausewright 0.1.0".
    pub producer: String,
    /// Info `/CreationDate` and `/ModDate`; the renderer never reads the clock.
    pub creation_date: chrono::NaiveDateTime,
}

/// Page margin on all sides: one inch.
const MARGIN: f32 = 72.0;

/// Renders agreement Markdown to PDF bytes. Pure: no I/O, no clock.
pub fn render(markdown: &str, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    render_with(markdown, opts, write::serialize)
}

/// [`render`], the file's objects written by `serialize` (the tests compare writers).
fn render_with(markdown: &str, opts: &PdfOptions, serialize: write::Serialize) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::font_set()?;
    let (width, height) = opts.paper.size();
    let frame = Frame { left: MARGIN, width: width - 2.0 * MARGIN };
    let blocks = markdown_blocks::parse(markdown);
    let laid = layout::layout(&blocks, frame, fonts)?;
    let note = layout::signature_note(frame, fonts);
    let pages = paginate::paginate(&laid, height - MARGIN, MARGIN, &note);
    let total = pages.len();
    let footers: Vec<String> = (1..=total).map(|i| format!("Page {i} of {total}")).collect();
    let drawn = pages.iter().zip(&footers).flat_map(|(page, footer)| ops::drawn(page, footer));
    let doc_fonts = subset::DocFonts::new(fonts, drawn);
    let mut outlines = Vec::new();
    let mut page_ops = Vec::with_capacity(total);
    for (i, (page, text)) in pages.iter().zip(&footers).enumerate() {
        for placed in page {
            if let Some(title) = &placed.line.outline {
                outlines.push(Outline { title: title.clone(), page: i, top: placed.baseline + placed.line.ascent });
            }
        }
        let footer = ops::Footer { text, center: width / 2.0, baseline: MARGIN / 2.0 };
        page_ops.push(ops::page_content(page, &footer, &doc_fonts));
    }
    let content = Content { pages: page_ops, outlines: &outlines, size: (width, height), source: markdown };
    write::write(content, opts, &doc_fonts, serialize)
}

/// The spacing report of `markdown` laid out on `paper`: the word spaces of its justified lines.
pub fn spacing_report(markdown: &str, paper: Paper) -> Result<SpacingReport, PdfError> {
    let fonts = fonts::font_set()?;
    let (width, _) = paper.size();
    let frame = Frame { left: MARGIN, width: width - 2.0 * MARGIN };
    let laid = layout::layout(&markdown_blocks::parse(markdown), frame, fonts)?;
    Ok(SpacingReport::of(&laid))
}

/// The first character of `text` the embedded fonts cannot draw, if any.
/// Spaces, tabs and line breaks are fine; other control characters are not.
pub fn unsupported_char(text: &str) -> Option<char> {
    match fonts::font_set() {
        Ok(fonts) => text.chars().find(|&c| !fonts.covers(c)),
        Err(_) => text.chars().next(),
    }
}
