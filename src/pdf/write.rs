//! Content streams to PDF bytes: the document's objects (pages, the
//! document's own font subsets from [`super::subset`] under the resource
//! names of [`super::ops::FONT_NAMES`], Info, outline) are built as a small
//! object tree and written directly, in the layout lopdf's writer gives them
//! (compact dictionaries, objects in number order, an uncompressed
//! cross-reference stream): a generic object model and its writer cost a
//! batch document more than its layout. The tests hold the bytes to lopdf's
//! writer for the same objects. The Info dictionary, the outline and the
//! trailer `/ID` are written here too, so nothing depends on a clock or a
//! process-wide counter: the same input gives the same bytes.

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

/// A PDF object, as this writer needs them.
#[derive(Clone, Debug, PartialEq)]
pub enum Obj<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Real(f32),
    Name(&'a [u8]),
    /// A literal string `(...)`.
    Literal(Vec<u8>),
    /// A hexadecimal string `<...>`.
    Hex(Vec<u8>),
    Array(Vec<Obj<'a>>),
    /// An array of integers.
    Ints(&'a [i64]),
    Dict(Dict<'a>),
    /// A stream: its dictionary (`/Length` is added) and its bytes.
    Stream(Dict<'a>, &'a [u8]),
    /// A reference to object `n` (generation 0).
    Ref(u32),
}

/// A dictionary's entries, in order.
pub type Dict<'a> = Vec<(&'static str, Obj<'a>)>;

/// The objects of a document, numbered from 1, and what the trailer points to.
#[derive(Default)]
pub struct Objects<'a> {
    /// Object `n` at index `n - 1`; `None` while reserved.
    pub list: Vec<Option<Obj<'a>>>,
    pub info: u32,
    pub root: u32,
    pub id: [u8; 16],
}

impl<'a> Objects<'a> {
    /// A number for an object given later with [`Objects::set`].
    fn reserve(&mut self) -> u32 {
        self.list.push(None);
        self.list.len() as u32
    }

    fn add(&mut self, obj: Obj<'a>) -> u32 {
        self.list.push(Some(obj));
        self.list.len() as u32
    }

    fn set(&mut self, n: u32, obj: Obj<'a>) {
        self.list[n as usize - 1] = Some(obj);
    }
}

/// Writes a document's objects as a PDF file.
pub type Serialize = fn(&Objects<'_>, &mut Vec<u8>);

/// Builds the PDF file.
pub fn write(
    content: Content<'_>,
    opts: &PdfOptions,
    fonts: &DocFonts<'_>,
    serialize: Serialize,
) -> Result<Vec<u8>, PdfError> {
    let faces = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic].map(|f| fonts.face_font(f));
    let mut subsets: Vec<(usize, Arc<FaceFont>)> = Vec::new();
    for (i, face) in faces.into_iter().enumerate() {
        if let Some(face) = face? {
            subsets.push((i, face));
        }
    }
    let pages: Vec<Vec<u8>> =
        content.pages.iter().map(|page| deflate(page, CONTENT_LEVEL)).collect::<Result<_, _>>()?;
    let info = info_dict(opts);
    let objects = objects(&content, &info, &subsets, &pages);
    let fonts_len: usize = subsets.iter().map(|(_, f)| f.program.len() + f.to_unicode.len()).sum();
    let pages_len: usize = pages.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(fonts_len + pages_len + 8 * 1024);
    serialize(&objects, &mut out);
    Ok(out)
}

/// The document's objects: pages with their (compressed) content, fonts, Info, outline, catalog.
fn objects<'a>(
    content: &'a Content<'_>,
    info: &'a [(&'static str, Obj<'a>)],
    subsets: &'a [(usize, Arc<FaceFont>)],
    pages: &'a [Vec<u8>],
) -> Objects<'a> {
    let (w, h) = content.size;
    let mut doc = Objects::default();
    let pages_id = doc.reserve();
    let font_dict = add_fonts(&mut doc, subsets);
    let resources = doc.add(Obj::Dict(vec![("Font", Obj::Ref(font_dict))]));
    let media_box = Obj::Array(vec![Obj::Int(0), Obj::Int(0), Obj::Real(w), Obj::Real(h)]);
    let mut page_ids = Vec::with_capacity(pages.len());
    for page in pages {
        let contents = doc.add(Obj::Stream(vec![("Filter", Obj::Name(b"FlateDecode"))], page));
        page_ids.push(doc.add(Obj::Dict(vec![
            ("Type", Obj::Name(b"Page")),
            ("Parent", Obj::Ref(pages_id)),
            ("MediaBox", media_box.clone()),
            ("Resources", Obj::Ref(resources)),
            ("Contents", Obj::Ref(contents)),
        ])));
    }
    doc.set(
        pages_id,
        Obj::Dict(vec![
            ("Type", Obj::Name(b"Pages")),
            ("Kids", Obj::Array(page_ids.iter().map(|&id| Obj::Ref(id)).collect())),
            ("Count", Obj::Int(page_ids.len() as i64)),
        ]),
    );
    // The trailer /ID: a digest of everything that varies between documents. The page
    // content follows from the Markdown and the paper, so those are hashed, not the
    // (ten times larger) content streams.
    let mut hasher = Sha256::new();
    hasher.update(format!("{w}x{h}").as_bytes());
    hasher.update(content.source.as_bytes());
    for (_, face) in subsets {
        hasher.update(face.base_font.as_bytes());
    }
    for value in info.iter().map(|(_, v)| v) {
        if let Obj::Literal(bytes) | Obj::Hex(bytes) = value {
            hasher.update(bytes);
        }
    }
    doc.info = doc.add(Obj::Dict(info.to_vec()));
    let outline_root = add_outlines(&mut doc, content.outlines, &page_ids, &mut hasher);
    let mut catalog = vec![
        ("Type", Obj::Name(b"Catalog")),
        ("Pages", Obj::Ref(pages_id)),
        ("Lang", Obj::Literal(b"en-US".to_vec())),
        ("ViewerPreferences", Obj::Dict(vec![("DisplayDocTitle", Obj::Bool(true))])),
    ];
    match outline_root {
        Some(id) => {
            catalog.push(("Outlines", Obj::Ref(id)));
            catalog.push(("PageMode", Obj::Name(b"UseOutlines")));
        }
        None => catalog.push(("PageMode", Obj::Name(b"UseNone"))),
    }
    doc.root = doc.add(Obj::Dict(catalog));
    let digest = hasher.finalize();
    doc.id.copy_from_slice(&digest[..16]);
    doc
}

/// Adds the used faces as Type0/CIDFontType2 fonts; returns the font resource dictionary.
fn add_fonts<'a>(doc: &mut Objects<'a>, subsets: &'a [(usize, Arc<FaceFont>)]) -> u32 {
    let mut resources = Vec::new();
    for (i, face) in subsets {
        let id = add_face(doc, face);
        resources.push((FONT_NAMES[*i], Obj::Ref(id)));
    }
    doc.add(Obj::Dict(resources))
}

fn add_face<'a>(doc: &mut Objects<'a>, face: &'a FaceFont) -> u32 {
    let name = || Obj::Name(face.base_font.as_bytes());
    let flate = || Obj::Name(b"FlateDecode");
    let program =
        doc.add(Obj::Stream(vec![("Length1", Obj::Int(face.program_len as i64)), ("Filter", flate())], &face.program));
    let to_unicode = doc.add(Obj::Stream(vec![("Filter", flate())], &face.to_unicode));
    let descriptor = doc.add(Obj::Dict(vec![
        ("Type", Obj::Name(b"FontDescriptor")),
        ("FontName", name()),
        ("Flags", Obj::Int(face.flags)),
        ("FontBBox", Obj::Ints(&face.bbox)),
        ("ItalicAngle", Obj::Int(face.italic_angle)),
        ("Ascent", Obj::Int(face.ascent)),
        ("Descent", Obj::Int(face.descent)),
        ("CapHeight", Obj::Int(face.cap_height)),
        ("StemV", Obj::Int(face.stem_v)),
        ("FontFile2", Obj::Ref(program)),
    ]));
    let cid_font = doc.add(Obj::Dict(vec![
        ("Type", Obj::Name(b"Font")),
        ("Subtype", Obj::Name(b"CIDFontType2")),
        ("BaseFont", name()),
        (
            "CIDSystemInfo",
            Obj::Dict(vec![
                ("Registry", Obj::Literal(b"Adobe".to_vec())),
                ("Ordering", Obj::Literal(b"Identity".to_vec())),
                ("Supplement", Obj::Int(0)),
            ]),
        ),
        ("FontDescriptor", Obj::Ref(descriptor)),
        ("W", Obj::Array(vec![Obj::Int(0), Obj::Ints(&face.widths)])),
        ("CIDToGIDMap", Obj::Name(b"Identity")),
    ]));
    doc.add(Obj::Dict(vec![
        ("Type", Obj::Name(b"Font")),
        ("Subtype", Obj::Name(b"Type0")),
        ("BaseFont", name()),
        ("Encoding", Obj::Name(b"Identity-H")),
        ("DescendantFonts", Obj::Array(vec![Obj::Ref(cid_font)])),
        ("ToUnicode", Obj::Ref(to_unicode)),
    ]))
}

/// Writes the file: header, the objects in number order, and a cross-reference stream
/// (entries of 1, 4 and 2 bytes, uncompressed) that holds the trailer.
pub fn serialize(doc: &Objects<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"%PDF-1.7\n%\xBB\xAD\xC0\xDE\n");
    let mut offsets = Vec::with_capacity(doc.list.len() + 1);
    let mut number = 0u32;
    let indirect = |out: &mut Vec<u8>, offsets: &mut Vec<u32>, n: u32, obj: &Obj<'_>| {
        offsets.push(out.len() as u32);
        int(out, i64::from(n));
        out.extend_from_slice(b" 0 obj\n");
        if separated(obj) {
            out.push(b' ');
        }
        object(out, obj);
        if matches!(obj, Obj::Stream(..)) || separated(obj) || matches!(obj, Obj::Name(_)) {
            out.push(b' ');
        }
        out.extend_from_slice(b"\nendobj\n");
    };
    for obj in &doc.list {
        number += 1;
        indirect(out, &mut offsets, number, obj.as_ref().unwrap_or(&Obj::Null));
    }
    let xref_start = out.len();
    number += 1;
    offsets.push(xref_start as u32);
    let mut entries = Vec::with_capacity(offsets.len() * 7);
    for offset in &offsets {
        entries.push(1);
        entries.extend_from_slice(&offset.to_be_bytes());
        entries.extend_from_slice(&[0, 0]);
    }
    let id = Obj::Hex(doc.id.to_vec());
    let index = [1, offsets.len() as i64];
    let trailer = vec![
        ("Info", Obj::Ref(doc.info)),
        ("Root", Obj::Ref(doc.root)),
        ("ID", Obj::Array(vec![id.clone(), id])),
        ("Type", Obj::Name(b"XRef")),
        ("Size", Obj::Int(i64::from(number) + 1)),
        ("W", Obj::Ints(&[1, 4, 2])),
        ("Index", Obj::Ints(&index)),
    ];
    indirect(out, &mut Vec::new(), number, &Obj::Stream(trailer, &entries));
    out.extend_from_slice(b"\nstartxref\n");
    int(out, xref_start as i64);
    out.extend_from_slice(b"\n%%EOF");
}

/// Objects written with a space before them after a key or in an array.
fn separated(obj: &Obj<'_>) -> bool {
    matches!(obj, Obj::Null | Obj::Bool(_) | Obj::Int(_) | Obj::Real(_) | Obj::Ref(_))
}

fn object(out: &mut Vec<u8>, obj: &Obj<'_>) {
    match obj {
        Obj::Null => out.extend_from_slice(b"null"),
        Obj::Bool(true) => out.extend_from_slice(b"true"),
        Obj::Bool(false) => out.extend_from_slice(b"false"),
        Obj::Int(v) => int(out, *v),
        Obj::Real(v) => {
            use std::io::Write;
            let _ = write!(out, "{v}");
        }
        Obj::Name(name) => write_name(out, name),
        Obj::Literal(text) => literal(out, text),
        Obj::Hex(bytes) => {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push(b'<');
            for &b in bytes {
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            out.push(b'>');
        }
        Obj::Array(items) => {
            out.push(b'[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 && separated(item) {
                    out.push(b' ');
                }
                object(out, item);
            }
            out.push(b']');
        }
        Obj::Ints(values) => {
            out.push(b'[');
            for (k, &v) in values.iter().enumerate() {
                if k > 0 {
                    out.push(b' ');
                }
                int(out, v);
            }
            out.push(b']');
        }
        Obj::Dict(entries) => dict(out, entries, None),
        Obj::Stream(entries, bytes) => {
            dict(out, entries, Some(bytes.len()));
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\nendstream");
        }
        Obj::Ref(n) => {
            int(out, i64::from(*n));
            out.extend_from_slice(b" 0 R");
        }
    }
}

/// A dictionary, with a last `/Length` entry for a stream of `length` bytes.
fn dict(out: &mut Vec<u8>, entries: &[(&str, Obj<'_>)], length: Option<usize>) {
    out.extend_from_slice(b"<<");
    for (key, value) in entries {
        write_name(out, key.as_bytes());
        if separated(value) {
            out.push(b' ');
        }
        object(out, value);
    }
    if let Some(length) = length {
        out.extend_from_slice(b"/Length ");
        int(out, length as i64);
    }
    out.extend_from_slice(b">>");
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'/');
    for &b in name {
        let delimiter = matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%' | b'#');
        if delimiter || !(33..=126).contains(&b) {
            out.extend_from_slice(&[b'#', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
}

/// A literal string: backslashes, carriage returns and unbalanced parentheses escaped.
fn literal(out: &mut Vec<u8>, text: &[u8]) {
    let mut escaped = Vec::new();
    let mut open = Vec::new();
    for (k, &b) in text.iter().enumerate() {
        match b {
            b'(' => open.push(k),
            b')' if open.pop().is_none() => escaped.push(k),
            b'\\' | b'\r' => escaped.push(k),
            _ => {}
        }
    }
    escaped.append(&mut open);
    out.push(b'(');
    for (k, &b) in text.iter().enumerate() {
        if escaped.contains(&k) {
            out.push(b'\\');
            out.push(if b == b'\r' { b'r' } else { b });
        } else {
            out.push(b);
        }
    }
    out.push(b')');
}

/// Writes `v` in decimal.
fn int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    super::ops::int(out, v.unsigned_abs());
}

/// A PDF text string: literal when plain ASCII, UTF-16BE otherwise.
fn text_string(text: &str) -> Obj<'static> {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        Obj::Literal(text.as_bytes().to_vec())
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Obj::Hex(bytes)
    }
}

/// `D:YYYYMMDDHHmmSS` (the options carry no time zone, so none is written).
fn pdf_date(d: &chrono::NaiveDateTime) -> Obj<'static> {
    let date = format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}",
        d.year().clamp(0, 9999),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    );
    Obj::Literal(date.into_bytes())
}

fn info_dict(opts: &PdfOptions) -> Dict<'static> {
    let date = pdf_date(&opts.creation_date);
    vec![
        ("Title", text_string(&opts.title)),
        ("Subject", text_string(&opts.subject)),
        ("Producer", text_string(&opts.producer)),
        ("Creator", text_string(&opts.producer)),
        ("CreationDate", date.clone()),
        ("ModDate", date),
    ]
}

/// The outline (bookmarks): a flat list in reading order.
fn add_outlines(doc: &mut Objects<'_>, outlines: &[Outline], page_ids: &[u32], hasher: &mut Sha256) -> Option<u32> {
    let entries: Vec<(&Outline, u32)> = outlines.iter().filter_map(|o| page_ids.get(o.page).map(|&p| (o, p))).collect();
    if entries.is_empty() {
        return None;
    }
    let root = doc.reserve();
    let ids: Vec<u32> = entries.iter().map(|_| doc.reserve()).collect();
    for (k, ((outline, page), &id)) in entries.iter().zip(&ids).enumerate() {
        hasher.update(outline.title.as_bytes());
        let mut item = vec![
            ("Title", text_string(&outline.title)),
            ("Parent", Obj::Ref(root)),
            (
                "Dest",
                Obj::Array(vec![
                    Obj::Ref(*page),
                    Obj::Name(b"XYZ"),
                    Obj::Null,
                    Obj::Real(outline.top.round()),
                    Obj::Null,
                ]),
            ),
        ];
        if k > 0 {
            item.push(("Prev", Obj::Ref(ids[k - 1])));
        }
        if let Some(&next) = ids.get(k + 1) {
            item.push(("Next", Obj::Ref(next)));
        }
        doc.set(id, Obj::Dict(item));
    }
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    doc.set(
        root,
        Obj::Dict(vec![
            ("Type", Obj::Name(b"Outlines")),
            ("First", Obj::Ref(first)),
            ("Last", Obj::Ref(last)),
            ("Count", Obj::Int(ids.len() as i64)),
        ]),
    );
    Some(root)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

    fn lopdf_object(obj: &Obj<'_>) -> Object {
        let dict = |entries: &Dict<'_>| Dictionary::from_iter(entries.iter().map(|(k, v)| (*k, lopdf_object(v))));
        match obj {
            Obj::Null => Object::Null,
            Obj::Bool(b) => Object::Boolean(*b),
            Obj::Int(v) => Object::Integer(*v),
            Obj::Real(v) => Object::Real(*v),
            Obj::Name(n) => Object::Name(n.to_vec()),
            Obj::Literal(t) => Object::String(t.clone(), StringFormat::Literal),
            Obj::Hex(t) => Object::String(t.clone(), StringFormat::Hexadecimal),
            Obj::Array(items) => Object::Array(items.iter().map(lopdf_object).collect()),
            Obj::Ints(values) => Object::Array(values.iter().map(|&v| Object::Integer(v)).collect()),
            Obj::Dict(entries) => Object::Dictionary(dict(entries)),
            Obj::Stream(entries, bytes) => {
                Object::Stream(Stream::new(dict(entries), bytes.to_vec()).with_compression(false))
            }
            Obj::Ref(n) => Object::Reference((*n, 0)),
        }
    }

    /// The same objects written by lopdf's writer, as this module wrote them before it
    /// wrote them itself: the reference for [`serialize`].
    pub fn lopdf_serialize(doc: &Objects<'_>, out: &mut Vec<u8>) {
        let mut pdf = Document::with_version("1.7");
        for obj in &doc.list {
            pdf.add_object(obj.as_ref().map_or(Object::Null, lopdf_object));
        }
        pdf.trailer.set("Info", Object::Reference((doc.info, 0)));
        pdf.trailer.set("Root", Object::Reference((doc.root, 0)));
        let id = Object::String(doc.id.to_vec(), StringFormat::Hexadecimal);
        pdf.trailer.set("ID", Object::Array(vec![id.clone(), id]));
        pdf.save_to(out).expect("lopdf writes");
    }

    #[test]
    fn objects_are_written_as_lopdf_writes_them() {
        let ints = [0, -7, 123_456_789, i64::MIN + 1];
        let bytes = b"stream bytes\nendstream\r\n(\x00\xFF";
        let dict = vec![
            ("Null", Obj::Null),
            ("True", Obj::Bool(true)),
            ("False", Obj::Bool(false)),
            ("Int", Obj::Int(-42)),
            ("Reals", Obj::Array(vec![Obj::Real(612.0), Obj::Real(595.28), Obj::Real(-0.5), Obj::Real(841.89)])),
            ("Name", Obj::Name(b"A B#(x)/%\x80+Serif")),
            ("Text", Obj::Literal(b"plain (balanced) text".to_vec())),
            ("Odd", Obj::Literal(b") unbalanced ( \\ back\rslash ((".to_vec())),
            ("Hex", Obj::Hex(vec![0xFE, 0xFF, 0x00, 0x41, 0x0A])),
            ("Ints", Obj::Ints(&ints)),
            ("Empty", Obj::Array(Vec::new())),
            ("Mixed", Obj::Array(vec![Obj::Ref(1), Obj::Name(b"XYZ"), Obj::Null, Obj::Int(3), Obj::Ints(&ints)])),
            ("Nested", Obj::Dict(vec![("Inner", Obj::Dict(Vec::new())), ("Ref", Obj::Ref(2))])),
        ];
        let mut doc = Objects::default();
        let later = doc.reserve();
        doc.add(Obj::Dict(dict));
        doc.add(Obj::Stream(vec![("Filter", Obj::Name(b"FlateDecode"))], bytes));
        doc.add(Obj::Stream(Vec::new(), b""));
        doc.set(later, Obj::Array(vec![Obj::Ref(2), Obj::Literal(b"x".to_vec())]));
        doc.info = doc.add(Obj::Dict(vec![("Title", Obj::Literal(b"T".to_vec()))]));
        doc.root = doc.add(Obj::Dict(vec![("Type", Obj::Name(b"Catalog"))]));
        doc.id = [0xAB; 16];
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        serialize(&doc, &mut ours);
        lopdf_serialize(&doc, &mut theirs);
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        assert!(ours == theirs);
    }
}
