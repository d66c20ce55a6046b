//! Content streams to PDF bytes: the document's objects (pages, the
//! document's own font subsets from [`super::subset`] under the resource
//! names of [`super::ops::FONT_NAMES`], Info, outline) are assembled with
//! lopdf, which writes the file. The
//! Info dictionary, the outline and the trailer `/ID` are written here too, so
//! nothing depends on a clock or a process-wide counter: the same input gives
//! the same bytes.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use super::metrics::Face;
use super::ops::FONT_NAMES;
use super::subset::{deflate, DocFonts, FaceFont};
use super::{PdfError, PdfOptions};
use chrono::{Datelike, Timelike};

/// Compression level of the page content: level 1 of libdeflate (its fastest) makes the
/// streams about 8% larger than level 6 at a third of the time, per document.
const CONTENT_LEVEL: i32 = 1;

/// An outline entry: title, page index and the y of the line top.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub title: String,
    pub page: usize,
    pub top: f32,
}

/// Everything the writer needs besides the options.
pub struct Content<'a> {
    /// The content stream of each page, uncompressed.
    pub pages: Vec<Vec<u8>>,
    pub outlines: &'a [Outline],
    pub size: (f32, f32),
    /// The Markdown the pages were laid out from (hashed into the `/ID`).
    pub source: &'a str,
}

/// Builds the PDF file.
pub fn write(content: Content<'_>, opts: &PdfOptions, fonts: &DocFonts<'_>) -> Result<Vec<u8>, PdfError> {
    let (w, h) = content.size;
    let mut doc = Document::with_version("1.7");
    let faces = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic].map(|f| fonts.face_font(f));
    let mut subsets: Vec<(usize, Arc<FaceFont>)> = Vec::new();
    for (i, face) in faces.into_iter().enumerate() {
        if let Some(face) = face? {
            subsets.push((i, face));
        }
    }
    let pages_id = doc.new_object_id();
    let font_dict = add_fonts(&mut doc, &subsets);
    let resources = doc.add_object(Dictionary::from_iter(vec![("Font", Object::Reference(font_dict))]));
    let media_box = Object::Array(vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]);
    let mut page_ids = Vec::with_capacity(content.pages.len());
    for page in &content.pages {
        let stream = Stream::new(
            Dictionary::from_iter(vec![("Filter", Object::Name(b"FlateDecode".to_vec()))]),
            deflate(page, CONTENT_LEVEL)?,
        )
        .with_compression(false);
        let contents = doc.add_object(stream);
        page_ids.push(doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            ("MediaBox", media_box.clone()),
            ("Resources", Object::Reference(resources)),
            ("Contents", Object::Reference(contents)),
        ])));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(page_ids.iter().map(|&id| Object::Reference(id)).collect())),
            ("Count", Object::Integer(page_ids.len() as i64)),
        ])),
    );
    // The trailer /ID: a digest of everything that varies between documents. The page
    // content follows from the Markdown and the paper, so those are hashed, not the
    // (ten times larger) content streams.
    let mut hasher = Sha256::new();
    hasher.update(format!("{w}x{h}").as_bytes());
    hasher.update(content.source.as_bytes());
    for (_, face) in &subsets {
        hasher.update(face.base_font.as_bytes());
    }
    let info = info_dict(opts);
    for value in info.iter().map(|(_, v)| v) {
        if let Object::String(bytes, _) = value {
            hasher.update(bytes);
        }
    }
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info_id));
    let outline_root = add_outlines(&mut doc, content.outlines, &page_ids, &mut hasher);
    let mut catalog = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("Lang", Object::string_literal("en-US")),
        (
            "ViewerPreferences",
            Object::Dictionary(Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))])),
        ),
    ]);
    match outline_root {
        Some(id) => {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => catalog.set("PageMode", Object::Name(b"UseNone".to_vec())),
    }
    let root = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(root));
    let digest = hasher.finalize();
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));

    let fonts_len: usize = subsets.iter().map(|(_, f)| f.program.len() + f.to_unicode.len()).sum();
    let mut out = Vec::with_capacity(fonts_len + 32 * 1024);
    doc.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}

/// Adds the used faces as Type0/CIDFontType2 fonts; returns the font resource dictionary.
fn add_fonts(doc: &mut Document, subsets: &[(usize, Arc<FaceFont>)]) -> ObjectId {
    let mut resources = Dictionary::new();
    for (i, face) in subsets {
        let id = add_face(doc, face);
        resources.set(FONT_NAMES[*i], Object::Reference(id));
    }
    doc.add_object(resources)
}

fn add_face(doc: &mut Document, face: &FaceFont) -> ObjectId {
    let name = || Object::Name(face.base_font.as_bytes().to_vec());
    let flate = || Object::Name(b"FlateDecode".to_vec());
    let program = Stream::new(
        Dictionary::from_iter(vec![("Length1", Object::Integer(face.program_len as i64)), ("Filter", flate())]),
        face.program.clone(),
    )
    .with_compression(false);
    let program_id = doc.add_object(program);
    let to_unicode =
        Stream::new(Dictionary::from_iter(vec![("Filter", flate())]), face.to_unicode.clone()).with_compression(false);
    let to_unicode_id = doc.add_object(to_unicode);
    let ints = |v: &[i64]| Object::Array(v.iter().map(|&n| Object::Integer(n)).collect());
    let descriptor = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name()),
        ("Flags", Object::Integer(face.flags)),
        ("FontBBox", ints(&face.bbox)),
        ("ItalicAngle", Object::Integer(face.italic_angle)),
        ("Ascent", Object::Integer(face.ascent)),
        ("Descent", Object::Integer(face.descent)),
        ("CapHeight", Object::Integer(face.cap_height)),
        ("StemV", Object::Integer(face.stem_v)),
        ("FontFile2", Object::Reference(program_id)),
    ]);
    let descriptor_id = doc.add_object(descriptor);
    let cid_font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", name()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor_id)),
        ("W", Object::Array(vec![Object::Integer(0), ints(&face.widths)])),
        ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
    ]);
    let cid_id = doc.add_object(cid_font);
    doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name()),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        ("DescendantFonts", Object::Array(vec![Object::Reference(cid_id)])),
        ("ToUnicode", Object::Reference(to_unicode_id)),
    ]))
}

/// A PDF text string: literal when plain ASCII, UTF-16BE otherwise.
fn text_string(text: &str) -> Object {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        Object::string_literal(text)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// `D:YYYYMMDDHHmmSS` (the options carry no time zone, so none is written).
fn pdf_date(d: &chrono::NaiveDateTime) -> Object {
    Object::string_literal(format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}",
        d.year().clamp(0, 9999),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    ))
}

fn info_dict(opts: &PdfOptions) -> Dictionary {
    let date = pdf_date(&opts.creation_date);
    let mut info = Dictionary::new();
    info.set("Title", text_string(&opts.title));
    info.set("Subject", text_string(&opts.subject));
    info.set("Producer", text_string(&opts.producer));
    info.set("Creator", text_string(&opts.producer));
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    info
}

/// The outline (bookmarks): a flat list in reading order.
fn add_outlines(
    doc: &mut Document,
    outlines: &[Outline],
    page_ids: &[ObjectId],
    hasher: &mut Sha256,
) -> Option<ObjectId> {
    let entries: Vec<(&Outline, ObjectId)> =
        outlines.iter().filter_map(|o| page_ids.get(o.page).map(|&p| (o, p))).collect();
    if entries.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    for (k, ((outline, page), id)) in entries.iter().zip(&ids).enumerate() {
        hasher.update(outline.title.as_bytes());
        let mut item = Dictionary::from_iter(vec![
            ("Title", text_string(&outline.title)),
            ("Parent", Object::Reference(root)),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(outline.top.round()),
                    Object::Null,
                ]),
            ),
        ]);
        if k > 0 {
            item.set("Prev", Object::Reference(ids[k - 1]));
        }
        if let Some(next) = ids.get(k + 1) {
            item.set("Next", Object::Reference(*next));
        }
        doc.objects.insert(*id, Object::Dictionary(item));
    }
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    doc.objects.insert(
        root,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(first)),
            ("Last", Object::Reference(last)),
            ("Count", Object::Integer(ids.len() as i64)),
        ])),
    );
    Some(root)
}
