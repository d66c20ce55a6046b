//! Page operations to PDF bytes: printpdf builds the document skeleton and
//! content streams, lopdf patches in what printpdf would redo per document.
//!
//! printpdf is given no fonts at all; the pages refer to the resource names
//! of [`super::ops::FONT_NAMES`] and the document's own font subsets
//! ([`super::subset`]) are inserted here. The
//! Info dictionary, the outline and the trailer `/ID` are written here too, so
//! nothing depends on a clock or a process-wide counter: the same input gives
//! the same bytes.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use printpdf::{Op, PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect};
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
    pub pages: Vec<Vec<Op>>,
    pub outlines: &'a [Outline],
    pub size: (f32, f32),
    /// The Markdown the pages were laid out from (hashed into the `/ID`).
    pub source: &'a str,
}

/// Builds the PDF file.
pub fn write(content: Content<'_>, opts: &PdfOptions, fonts: &DocFonts<'_>) -> Result<Vec<u8>, PdfError> {
    let (w, h) = content.size;
    let source = content.source;
    let pages: Vec<PdfPage> = content
        .pages
        .into_iter()
        .map(|ops| PdfPage {
            media_box: Rect::from_wh(Pt(w), Pt(h)),
            trim_box: Rect::from_wh(Pt(w), Pt(h)),
            crop_box: Rect::from_wh(Pt(w), Pt(h)),
            ops,
        })
        .collect();
    let mut pdf = PdfDocument::new(&opts.title);
    pdf.with_pages(pages);
    let save = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        // The TJ operators come as `Op::Unknown` (see `ops::show_run`).
        secure: false,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut doc = pdf.to_lopdf_document(&save, &mut warnings);
    doc.version = "1.7".to_string();

    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let faces = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic].map(|f| fonts.face_font(f));
    let mut subsets: Vec<(usize, Arc<FaceFont>)> = Vec::new();
    for (i, face) in faces.into_iter().enumerate() {
        if let Some(face) = face? {
            subsets.push((i, face));
        }
    }
    let font_dict = add_fonts(&mut doc, &subsets);
    // The trailer /ID: a digest of everything that varies between documents. The page
    // content follows from the Markdown and the paper, so those are hashed, not the
    // (ten times larger) content streams.
    let mut hasher = Sha256::new();
    hasher.update(format!("{w}x{h}").as_bytes());
    hasher.update(source.as_bytes());
    for (_, face) in &subsets {
        hasher.update(face.base_font.as_bytes());
    }
    for &page_id in &page_ids {
        fix_page(&mut doc, page_id, font_dict)?;
    }
    let info = info_dict(opts);
    for value in info.iter().map(|(_, v)| v) {
        if let Object::String(bytes, _) = value {
            hasher.update(bytes);
        }
    }
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info_id));
    let root = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| PdfError::Write(e.to_string()))?;
    let outline_root = add_outlines(&mut doc, content.outlines, &page_ids, &mut hasher);
    let catalog = doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(|e| PdfError::Write(e.to_string()))?;
    catalog.set("Lang", Object::string_literal("en-US"));
    catalog.set("ViewerPreferences", Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]));
    match outline_root {
        Some(id) => {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => catalog.set("PageMode", Object::Name(b"UseNone".to_vec())),
    }
    let digest = hasher.finalize();
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    prune(&mut doc);

    let fonts_len: usize = subsets.iter().map(|(_, f)| f.program.len() + f.to_unicode.len()).sum();
    let mut out = Vec::with_capacity(fonts_len + 64 * 1024);
    doc.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}

/// Points every page at the shared font dictionary, drops printpdf's empty
/// resource dictionaries and annotation arrays, and compresses the content.
fn fix_page(doc: &mut Document, page_id: ObjectId, font_dict: ObjectId) -> Result<(), PdfError> {
    let err = |e: lopdf::Error| PdfError::Write(e.to_string());
    let page = doc.get_object_mut(page_id).and_then(Object::as_dict_mut).map_err(err)?;
    page.remove(b"Annots");
    page.remove(b"TrimBox");
    page.remove(b"CropBox");
    let contents = page.get(b"Contents").and_then(Object::as_reference).map_err(err)?;
    let resources = page.get(b"Resources").and_then(Object::as_reference).map_err(err)?;
    let res = Dictionary::from_iter(vec![("Font", Object::Reference(font_dict))]);
    doc.objects.insert(resources, Object::Dictionary(res));
    let stream = doc.get_object_mut(contents).and_then(Object::as_stream_mut).map_err(err)?;
    let packed = deflate(&stream.content, CONTENT_LEVEL)?;
    stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    stream.set_content(packed);
    Ok(())
}

/// Removes objects nothing refers to (printpdf's empty global dictionaries).
fn prune(doc: &mut Document) {
    doc.prune_objects();
    doc.renumber_objects();
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
