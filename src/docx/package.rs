//! The ZIP container of a DOCX.
//!
//! Seven of the nine parts are the same for every document of one paper size (content
//! types, relationships, styles, settings, footer, app properties). They are
//! compressed once per process into a template archive and copied into each document
//! still compressed (`raw_copy_file`); only the core properties (stored: a few hundred
//! bytes) and the document itself are written per document. Compressing every part
//! afresh cost each document nine compressor states, and the allocator's returning
//! them to the system made a DOCX cost twice a PDF in the batch benchmark. The document
//! part is deflated at the fastest level: a DOCX 7% larger (6.7 KB for the exhibit), and
//! cheaper than a PDF again once the PDF stage had become twice as fast.
//!
//! Every entry is dated 1980-01-01 00:00:00 (the ZIP epoch, `DateTime::default()`)
//! with permissions 0644, in a fixed order: the same inputs give the same bytes.

use super::{xml, DocxError};
use crate::pdf::Paper;
use std::io::{Cursor, Write};
use std::sync::OnceLock;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const CORE: &str = "docProps/core.xml";
const DOCUMENT: &str = "word/document.xml";

/// The parts in package order.
const ORDER: [&str; 9] = [
    "[Content_Types].xml",
    "_rels/.rels",
    CORE,
    "docProps/app.xml",
    DOCUMENT,
    "word/styles.xml",
    "word/settings.xml",
    "word/footer1.xml",
    "word/_rels/document.xml.rels",
];

fn options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
}

fn fail(e: impl std::fmt::Display) -> DocxError {
    DocxError(e.to_string())
}

/// The text of a part that does not depend on the document.
fn fixed_part(name: &str, paper: Paper) -> String {
    match name {
        "[Content_Types].xml" => xml::CONTENT_TYPES.to_string(),
        "_rels/.rels" => xml::PACKAGE_RELS.to_string(),
        "docProps/app.xml" => xml::app_properties(),
        "word/styles.xml" => xml::styles(paper),
        "word/settings.xml" => xml::settings(),
        "word/footer1.xml" => xml::footer(),
        _ => xml::DOCUMENT_RELS.to_string(),
    }
}

/// The fixed parts of each paper size, deflated, as a ZIP archive.
fn template(paper: Paper) -> Result<&'static [u8], DocxError> {
    static TEMPLATES: OnceLock<Result<[Vec<u8>; 2], String>> = OnceLock::new();
    let build = |paper: Paper| -> Result<Vec<u8>, DocxError> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in ORDER.into_iter().filter(|n| ![CORE, DOCUMENT].contains(n)) {
            zip.start_file(name, options(CompressionMethod::Deflated)).map_err(fail)?;
            zip.write_all(fixed_part(name, paper).as_bytes()).map_err(fail)?;
        }
        Ok(zip.finish().map_err(fail)?.into_inner())
    };
    let templates =
        TEMPLATES.get_or_init(|| Ok([build(Paper::Letter).map_err(|e| e.0)?, build(Paper::A4).map_err(|e| e.0)?]));
    match templates {
        Ok([letter, a4]) => Ok(if paper == Paper::A4 { a4 } else { letter }),
        Err(e) => Err(DocxError(e.clone())),
    }
}

/// The DOCX of one document: its core properties and document part, with the fixed parts.
pub fn package(paper: Paper, core: &str, document: &str) -> Result<Vec<u8>, DocxError> {
    let mut fixed = zip::ZipArchive::new(Cursor::new(template(paper)?)).map_err(fail)?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(8 * 1024 + document.len() / 4)));
    for name in ORDER {
        match name {
            CORE => {
                zip.start_file(name, options(CompressionMethod::Stored)).map_err(fail)?;
                zip.write_all(core.as_bytes()).map_err(fail)?;
            }
            DOCUMENT => {
                let fastest = options(CompressionMethod::Deflated).compression_level(Some(1));
                zip.start_file(name, fastest).map_err(fail)?;
                zip.write_all(document.as_bytes()).map_err(fail)?;
            }
            // Raw: the part is copied still compressed, with no decompressor set up for it.
            _ => {
                let at = fixed.index_for_name(name).ok_or_else(|| fail(format!("{name} is missing")))?;
                zip.raw_copy_file(fixed.by_index_raw(at).map_err(fail)?).map_err(fail)?
            }
        }
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}
