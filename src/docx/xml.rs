//! The XML parts of a WordprocessingML package, written as text.
//!
//! Every part is a pure function of the paragraphs and the options: no clock, no ids
//! drawn at random (tracked-change ids count up from 1), attributes in a fixed order.

use super::model::{Kind, Mark, Para, Run};
use crate::pdf::{Paper, PdfOptions};
use std::fmt::Write;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Twentieths of a point per inch.
const INCH: u32 = 1440;

/// The author of tracked changes.
pub const AUTHOR: &str = "clausewright";

/// Page width and height in twentieths of a point.
fn page_size(paper: Paper) -> (u32, u32) {
    match paper {
        Paper::Letter => (12240, 15840),
        Paper::A4 => (11906, 16838),
    }
}

/// Text escaped for XML; characters XML 1.0 cannot hold are dropped.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    let legal = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if text.chars().all(legal) {
        quick_xml::escape::escape(text)
    } else {
        let kept: String = text.chars().filter(|&c| legal(c)).collect();
        std::borrow::Cow::Owned(quick_xml::escape::escape(&kept).into_owned())
    }
}

/// W3CDTF time of the options' date, as core properties and tracked changes want it.
pub fn w3c_date(opts: &PdfOptions) -> String {
    opts.creation_date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `word/document.xml`.
pub fn document(paras: &[Para], opts: &PdfOptions) -> String {
    let mut out = String::with_capacity(256 + paras.iter().map(|p| 160 + p.text().len()).sum::<usize>());
    let _ = write!(out, "{HEAD}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>");
    let mut changes = Changes { next_id: 1, date: w3c_date(opts) };
    for (i, para) in paras.iter().enumerate() {
        paragraph(&mut out, para, paras.get(i + 1), &mut changes);
    }
    let (w, h) = page_size(opts.paper);
    let _ = write!(
        out,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/><w:pgSz w:w=\"{w}\" w:h=\"{h}\"/>\
         <w:pgMar w:top=\"{INCH}\" w:right=\"{INCH}\" w:bottom=\"{INCH}\" w:left=\"{INCH}\" w:header=\"720\" \
         w:footer=\"720\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    out
}

/// Numbers and dates tracked changes.
struct Changes {
    next_id: u32,
    date: String,
}

impl Changes {
    /// The attributes of a `w:ins` or `w:del`.
    fn attrs(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        format!("w:id=\"{id}\" w:author=\"{AUTHOR}\" w:date=\"{}\"", self.date)
    }
}

fn tag(mark: Mark) -> Option<&'static str> {
    match mark {
        Mark::Same => None,
        Mark::Inserted => Some("w:ins"),
        Mark::Deleted => Some("w:del"),
    }
}

fn paragraph(out: &mut String, para: &Para, next: Option<&Para>, changes: &mut Changes) {
    let style = match &para.kind {
        Kind::Header => "ExhibitNumber",
        Kind::Title => "Title",
        Kind::Heading => "Heading2",
        Kind::Body { .. } => "BodyText",
        Kind::Signature { .. } => "Signature",
        Kind::ListItem { .. } => "ListParagraph",
        Kind::Code => "PlainText",
        Kind::Rule => "Rule",
    };
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>");
    if para.keeps_with(next) {
        out.push_str("<w:keepNext/>");
    }
    match &para.kind {
        Kind::Signature { first: true, .. } => out.push_str("<w:spacing w:before=\"480\"/>"),
        Kind::ListItem { depth, .. } => {
            let left = 360 + 360 * *depth as u32;
            let _ = write!(out, "<w:ind w:left=\"{left}\" w:hanging=\"360\"/>");
        }
        _ => {}
    }
    // A wholly inserted or deleted paragraph has its paragraph mark tracked too, so
    // accepting or rejecting removes the paragraph, not just its words. The last
    // paragraph's mark cannot go (nothing follows to merge with); it is left as is.
    if let (Some(t), Some(_)) = (tag(para.mark), next) {
        let _ = write!(out, "<w:rPr><{t} {}/></w:rPr>", changes.attrs());
    }
    out.push_str("</w:pPr>");
    if let Kind::ListItem { marker, .. } = &para.kind {
        let _ = write!(out, "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/></w:r>", escape(marker));
    }
    let mut i = 0;
    while i < para.runs.len() {
        let mark = para.runs[i].mark;
        let end = i + para.runs[i..].iter().take_while(|r| r.mark == mark).count();
        let wrap = tag(mark);
        if let Some(t) = wrap {
            let _ = write!(out, "<{t} {}>", changes.attrs());
        }
        for r in &para.runs[i..end] {
            run(out, r);
        }
        if let Some(t) = wrap {
            let _ = write!(out, "</{t}>");
        }
        i = end;
    }
    out.push_str("</w:p>");
}

fn run(out: &mut String, run: &Run) {
    let text_tag = if run.mark == Mark::Deleted { "w:delText" } else { "w:t" };
    out.push_str("<w:r>");
    if run.bold || run.italic {
        out.push_str("<w:rPr>");
        if run.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if run.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        out.push_str("</w:rPr>");
    }
    for (i, line) in run.text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        if !line.is_empty() {
            let _ = write!(out, "<{text_tag} xml:space=\"preserve\">{}</{text_tag}>", escape(line));
        }
    }
    out.push_str("</w:r>");
}

/// `word/styles.xml`: the named styles a lawyer restyles (Normal, Title, Body Text,
/// Signature, ...), matching the PDF's sizes and spacing.
pub fn styles(paper: Paper) -> String {
    let (w, _) = page_size(paper);
    let half = (w - 2 * INCH) / 2;
    let font = "Times New Roman";
    let mut out = format!(
        "{HEAD}<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"{font}\" w:eastAsia=\"{font}\" w:hAnsi=\"{font}\" w:cs=\"{font}\"/>\
         <w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-US\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>\
         </w:pPrDefault></w:docDefaults>"
    );
    let styles: [(&str, &str, &str, &str); 10] = [
        ("Normal", "Normal", "<w:spacing w:line=\"290\" w:lineRule=\"atLeast\"/>", ""),
        ("ExhibitNumber", "Exhibit Number", "<w:keepNext/><w:spacing w:after=\"360\"/><w:jc w:val=\"right\"/>", ""),
        (
            "Title",
            "Title",
            "<w:keepNext/><w:keepLines/><w:spacing w:before=\"360\" w:after=\"320\"/><w:jc w:val=\"center\"/>\
             <w:outlineLvl w:val=\"0\"/>",
            "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>",
        ),
        (
            "Heading2",
            "heading 2",
            "<w:keepNext/><w:keepLines/><w:spacing w:before=\"280\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/>",
            "<w:b/><w:bCs/>",
        ),
        (
            "BodyText",
            "Body Text",
            "<w:widowControl/><w:spacing w:before=\"160\"/><w:ind w:firstLine=\"720\"/><w:jc w:val=\"both\"/>",
            "",
        ),
        ("Signature", "Signature", &format!("<w:keepLines/><w:ind w:left=\"{half}\"/>"), ""),
        ("ListParagraph", "List Paragraph", "<w:spacing w:before=\"80\"/><w:jc w:val=\"both\"/>", ""),
        (
            "PlainText",
            "Plain Text",
            "<w:spacing w:before=\"160\" w:after=\"160\"/>",
            "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/><w:sz w:val=\"20\"/>",
        ),
        (
            "Rule",
            "Rule",
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"auto\"/></w:pBdr>\
             <w:spacing w:before=\"160\" w:after=\"160\"/>",
            "",
        ),
        ("Footer", "footer", "<w:jc w:val=\"center\"/>", "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>"),
    ];
    for (id, name, ppr, rpr) in styles {
        let default = if id == "Normal" { " w:default=\"1\"" } else { "" };
        let _ = write!(out, "<w:style w:type=\"paragraph\"{default} w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>");
        if id != "Normal" {
            out.push_str("<w:basedOn w:val=\"Normal\"/>");
        }
        if matches!(id, "Title" | "ExhibitNumber" | "Heading2") {
            out.push_str("<w:next w:val=\"BodyText\"/>");
        }
        let _ = write!(out, "<w:qFormat/><w:pPr>{ppr}</w:pPr>");
        if !rpr.is_empty() {
            let _ = write!(out, "<w:rPr>{rpr}</w:rPr>");
        }
        out.push_str("</w:style>");
    }
    out.push_str("</w:styles>");
    out
}

/// `word/footer1.xml`: "Page N of M" as PAGE and NUMPAGES fields.
pub fn footer() -> String {
    let field = |name: &str| {
        format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {name} </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    format!(
        "{HEAD}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>{}<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>{}</w:p></w:ftr>",
        field("PAGE"),
        field("NUMPAGES")
    )
}

/// `word/settings.xml`.
pub fn settings() -> String {
    format!(
        "{HEAD}<w:settings xmlns:w=\"{W}\"><w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    )
}

/// `docProps/core.xml`: title, subject, creator and dates from the deal sheet.
pub fn core_properties(opts: &PdfOptions, description: Option<&str>) -> String {
    let date = w3c_date(opts);
    let description =
        description.map(|d| format!("<dc:description>{}</dc:description>", escape(d))).unwrap_or_default();
    format!(
        "{HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>{description}\
         <cp:lastModifiedBy>{}</cp:lastModifiedBy><cp:revision>1</cp:revision>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        escape(&opts.title),
        escape(&opts.subject),
        escape(&opts.producer),
        escape(&opts.producer),
    )
}

/// `docProps/app.xml`.
pub fn app_properties() -> String {
    format!(
        "{HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>clausewright</Application></Properties>"
    )
}

pub const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

pub const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

pub const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";
