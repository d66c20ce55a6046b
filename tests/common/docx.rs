//! Reading a DOCX back without a word processor: unzip it and parse the XML.
//!
//! [`paragraphs`] gives the text of `word/document.xml` as Word shows it with tracked
//! changes accepted, rejected, or marked (all text kept). Accepting removes deleted
//! text and merges a paragraph whose mark was deleted into the next one; rejecting
//! does the same for inserted text and marks.

use quick_xml::events::Event;
use std::io::Read;

/// One part of the package as text.
pub fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the DOCX is a ZIP");
    let mut text = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("the DOCX has {name}")).read_to_string(&mut text).unwrap();
    text
}

/// The entry names of the package, in order.
pub fn entries(docx: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the DOCX is a ZIP");
    zip.file_names().map(str::to_string).collect::<Vec<_>>()
}

/// Which text of a document with tracked changes to read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    /// Every run, inserted and deleted alike (a document without changes).
    All,
    /// "Accept all changes".
    Accept,
    /// "Reject all changes".
    Reject,
}

/// A paragraph as read: its style and text (line breaks as `\n`).
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    pub style: String,
    pub text: String,
    pub keep_next: bool,
}

/// The paragraphs of `word/document.xml` as `view` sees them.
pub fn paragraphs(docx: &[u8], view: View) -> Vec<Paragraph> {
    let xml = part(docx, "word/document.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current = Paragraph { style: String::new(), text: String::new(), keep_next: false };
    let (mut ins, mut del, mut in_ppr, mut in_text) = (0, 0, false, false);
    let mut mark_gone = false;
    let mut merge_pending = false;
    loop {
        let event = reader.read_event().expect("document.xml is well-formed XML");
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:p" if !empty => {
                    if !merge_pending {
                        current = Paragraph { style: String::new(), text: String::new(), keep_next: false };
                    }
                    merge_pending = false;
                    mark_gone = false;
                }
                b"w:pPr" if !empty => in_ppr = true,
                b"w:pStyle" if current.style.is_empty() || current.text.is_empty() => {
                    let v = e.try_get_attribute("w:val").unwrap().unwrap();
                    current.style = String::from_utf8_lossy(&v.value).into_owned();
                }
                b"w:keepNext" => current.keep_next = true,
                b"w:ins" if in_ppr => mark_gone |= view == View::Reject,
                b"w:del" if in_ppr => mark_gone |= view == View::Accept,
                b"w:ins" if !empty => ins += 1,
                b"w:del" if !empty => del += 1,
                b"w:t" | b"w:delText" if !empty => in_text = true,
                b"w:br" | b"w:cr" if visible(view, ins, del) => current.text.push('\n'),
                b"w:tab" if visible(view, ins, del) && !in_ppr => current.text.push('\t'),
                _ => {}
            },
            Event::Text(t) if in_text && visible(view, ins, del) => {
                current.text.push_str(&t.xml10_content().unwrap());
            }
            Event::GeneralRef(r) if in_text && visible(view, ins, del) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                current.text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity &{other};"),
                });
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:p" => {
                    if mark_gone {
                        merge_pending = true;
                    } else {
                        out.push(std::mem::replace(
                            &mut current,
                            Paragraph { style: String::new(), text: String::new(), keep_next: false },
                        ));
                    }
                }
                b"w:pPr" => in_ppr = false,
                b"w:ins" => ins -= 1,
                b"w:del" => del -= 1,
                b"w:t" | b"w:delText" => in_text = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if merge_pending {
        out.push(current);
    }
    out
}

fn visible(view: View, ins: u32, del: u32) -> bool {
    match view {
        View::All => true,
        View::Accept => del == 0,
        View::Reject => ins == 0,
    }
}

/// The words of a document as `view` sees it.
pub fn words(docx: &[u8], view: View) -> Vec<String> {
    paragraphs(docx, view)
        .iter()
        .flat_map(|p| p.text.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}
