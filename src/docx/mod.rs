//! The Word stage: agreement Markdown to a `.docx` (Office Open XML) document.
//!
//! 1. `model`: the Markdown blocks (read by the PDF's `markdown_blocks`, so both
//!    formats agree on header lines, title, sections and signature blocks) become
//!    paragraphs of styled runs.
//! 2. `xml`: the parts of the package as text: the document, named styles
//!    (Normal, Title, Body Text, Signature, ...), a "Page N of M" footer of fields,
//!    settings and core properties from the deal sheet.
//! 3. `package`: the parts zipped in a fixed order with fixed timestamps, so the
//!    same deal sheet always gives the same bytes.
//!
//! Redlines (`crate::compare`) hand [`write()`] paragraphs whose runs are marked
//! inserted or deleted; they become tracked changes (`w:ins`, `w:del`).
//!
//! The `zip` crate writes the container (its `DateTime::default()` pins every entry to
//! 1980-01-01, the ZIP epoch); the XML is short enough to write as text, with
//! `quick-xml` escaping it.

pub mod model;
mod package;
mod xml;

use crate::pdf::PdfOptions;

pub use model::{from_markdown, Kind, Mark, Para, Run};
pub use xml::AUTHOR;

/// A DOCX that could not be packaged.
#[derive(Debug)]
pub struct DocxError(pub String);

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write the DOCX: {}", self.0)
    }
}

impl std::error::Error for DocxError {}

/// Renders agreement Markdown to DOCX bytes. Pure: no I/O, no clock. The options are
/// the PDF's (paper, title, subject, producer, date), so both formats say the same.
pub fn render(markdown: &str, opts: &PdfOptions) -> Result<Vec<u8>, DocxError> {
    write(&from_markdown(markdown), opts, None)
}

/// Writes paragraphs as DOCX bytes; marked runs become tracked changes by
/// [`AUTHOR`], dated `opts.creation_date`. `description` goes into the core
/// properties (a redline's change count).
pub fn write(paras: &[Para], opts: &PdfOptions, description: Option<&str>) -> Result<Vec<u8>, DocxError> {
    let core = xml::core_properties(opts, description);
    let document = xml::document(paras, opts);
    package::package(opts.paper, &core, &document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Paper;

    fn opts() -> PdfOptions {
        PdfOptions {
            paper: Paper::A4,
            title: "T & C".into(),
            subject: "A and B".into(),
            producer: "clausewright 0".into(),
            creation_date: chrono::NaiveDate::from_ymd_opt(1999, 7, 4).unwrap().and_hms_opt(0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn same_input_same_bytes_and_a_readable_zip() {
        let md = "EXHIBIT 1\n\n# Title\n\n**1\\.** A \\<b\\> \\& \"c\".\n";
        let a = render(md, &opts()).unwrap();
        assert_eq!(a, render(md, &opts()).unwrap());
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let names: Vec<String> = zip.file_names().map(str::to_string).collect();
        assert!(names.contains(&"word/document.xml".to_string()));
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
        assert!(doc.contains("A &lt;b&gt; &amp; \u{201C}c\u{201D}."), "{doc}");
        assert!(doc.contains("w:w=\"11906\""));
        let mut core = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
        assert!(core.contains("<dc:title>T &amp; C</dc:title>") && core.contains("1999-07-04T00:00:00Z"));
    }

    #[test]
    fn marked_runs_become_tracked_changes() {
        let run = |text: &str, mark| Run { text: text.into(), bold: false, italic: false, mark };
        let paras = vec![
            Para { kind: Kind::Body { section: false }, runs: vec![run("gone", Mark::Deleted)], mark: Mark::Deleted },
            Para {
                kind: Kind::Body { section: false },
                runs: vec![run("a ", Mark::Same), run("b", Mark::Inserted)],
                mark: Mark::Same,
            },
        ];
        let doc = xml::document(&paras, &opts());
        assert!(doc.contains("<w:rPr><w:del w:id=\"1\" w:author=\"clausewright\" w:date=\"1999-07-04T00:00:00Z\"/>"));
        assert!(doc.contains("<w:delText xml:space=\"preserve\">gone</w:delText>"));
        assert!(doc.contains("<w:ins w:id=\"3\""), "{doc}");
    }
}
