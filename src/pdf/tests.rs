//! End-to-end tests of the PDF stage: render, then read back.

use super::*;

const EXHIBIT: &str = include_str!("testdata/exhibit.md");

fn options(paper: Paper) -> PdfOptions {
    PdfOptions {
        paper,
        title: "Financial Consulting Agreement".into(),
        subject: "Joseph Charles & Assoc., Inc. and NeoTherapeutics, Inc.".into(),
        producer: "clausewright 0.1.0".into(),
        creation_date: chrono::NaiveDate::from_ymd_opt(1999, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid date"),
    }
}

/// Words with typographic quotes made straight, Markdown syntax removed.
fn words(text: &str) -> Vec<String> {
    text.replace(['\u{201C}', '\u{201D}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn markdown_words(md: &str) -> Vec<String> {
    let plain = md.replace("\\\n", "\n").replace('\\', "").replace("**", "").replace("> ", "").replace("# ", "");
    words(&plain).into_iter().filter(|w| w != ">").collect()
}

#[test]
fn exhibit_text_round_trips() {
    let pdf = render(EXHIBIT, &options(Paper::Letter)).expect("renders");
    let text = extract_text(&pdf).expect("extracts");
    let got = words(&text.replace("-\n", "-"));
    let mut want = markdown_words(EXHIBIT);
    // The unsigned block's underscores become a drawn rule.
    if let Some(pos) = want.iter().rposition(|w| w.chars().all(|c| c == '_')) {
        want.remove(pos);
    }
    assert_eq!(got, want);
    assert_eq!(text.matches('\u{c}').count(), 2, "two pages");
}

#[test]
fn rendering_is_reproducible() {
    let opts = options(Paper::Letter);
    let first = render(EXHIBIT, &opts).expect("renders");
    for _ in 0..3 {
        assert!(first == render(EXHIBIT, &opts).expect("renders"));
    }
}

#[test]
fn latin_extended_renders_and_extracts() {
    let md = "# Umowa\n\nŁódź Spółka z o.o., ØRSTED and Őrség Kft. agree.\n";
    let pdf = render(md, &options(Paper::Letter)).expect("renders");
    let text = extract_text(&pdf).expect("extracts");
    assert!(text.contains("Łódź Spółka z o.o., ØRSTED and Őrség Kft. agree."), "{text}");
}

#[test]
fn missing_glyph_names_the_char() {
    let err = render("# T\n\nA → B", &options(Paper::Letter)).expect_err("→ is not embedded");
    assert_eq!(err, PdfError::MissingGlyph { ch: '→' });
    assert_eq!(unsupported_char("ok → no"), Some('→'));
    assert_eq!(unsupported_char("Łódź\tØ\n"), None);
}

#[test]
fn a4_page_size() {
    let pdf = render(EXHIBIT, &options(Paper::A4)).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    for page in doc.get_pages().into_values() {
        let dict = doc.get_dictionary(page).expect("page dict");
        let media = dict.get(b"MediaBox").and_then(|m| m.as_array()).expect("MediaBox");
        let size: Vec<f32> = media.iter().map(|v| v.as_float().unwrap_or(0.0)).collect();
        assert!((size[2] - 595.28).abs() < 0.01 && (size[3] - 841.89).abs() < 0.01);
    }
}

#[test]
fn metadata_and_outline() {
    let pdf = render(EXHIBIT, &options(Paper::Letter)).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let info =
        doc.trailer.get(b"Info").and_then(|i| i.as_reference()).and_then(|id| doc.get_dictionary(id)).expect("Info");
    let field = |k: &[u8]| info.get(k).and_then(|v| v.as_str()).map(|s| s.to_vec());
    assert_eq!(field(b"Title").expect("Title"), b"Financial Consulting Agreement");
    assert_eq!(field(b"CreationDate").expect("date"), b"D:19990101000000");
    let catalog = doc.catalog().expect("catalog");
    let outlines =
        catalog.get(b"Outlines").and_then(|o| o.as_reference()).and_then(|id| doc.get_dictionary(id)).expect("outline");
    assert_eq!(outlines.get(b"Count").and_then(|c| c.as_i64()).ok(), Some(7));
}

#[test]
fn the_file_is_written_as_lopdf_writes_the_same_objects() {
    let blackline = "# Agreement\n\nkept ~~old words~~ <ins>new (words)</ins> and \"quoted\" text.\n";
    for md in [
        EXHIBIT,
        blackline,
        "# \u{141}\u{F3}d\u{17A} Sp\u{F3}\u{142}ka\n\n**1\\.** Za\u{17C}\u{F3}\u{142}\u{107} g\u{119}\u{15B}l\u{105}.",
    ] {
        for paper in [Paper::Letter, Paper::A4] {
            let mut opts = options(paper);
            opts.title = "A (title) with ) and \\ and \u{E9}".into();
            let ours = render(md, &opts).expect("renders");
            let theirs = render_with(md, &opts, write::tests::lopdf_serialize).expect("renders");
            assert!(ours == theirs, "{paper:?}: the file differs from lopdf's");
        }
    }
}

#[test]
fn odd_markdown_does_not_panic() {
    let samples = [
        "",
        "   ",
        "> ",
        "> By:",
        "> By: /s/",
        "# \n\n#",
        "**1\\.**",
        "**",
        "\u{0}\u{7}",
        "- a\n  - b\n    1. c\n\n```\nx\n```\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "<div>html <br> text</div>\n\n<b>bold</b> &amp; &copy; [link](http://x) ![img](y.png)",
        &"word ".repeat(5000),
        &"_".repeat(3000),
        &"> quote\n".repeat(300),
        &"# h\n".repeat(200),
        "> > nested\n> - list in quote\n> ```\n> code\n> ```",
        "text\\\n\\\n\\\nmore",
        "\t\ttab indented code\n\n1) one\n2) two",
    ];
    for md in samples {
        match render(md, &options(Paper::Letter)) {
            Ok(pdf) => {
                extract_text(&pdf).expect("readable");
            }
            Err(PdfError::MissingGlyph { .. }) => {}
            Err(e) => panic!("{md:?}: {e}"),
        }
    }
}

#[test]
fn random_markdown_never_panics() {
    let alphabet: Vec<char> =
        "ab Z09 \n\n\n>>##**__``\\\\[]()!<>-+=|~&.:;\"'\t/ Łó€\u{AD}\u{200B}\u{FEFF}By:/s/".chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..120 {
        let len = (next() % 400) as usize;
        let md: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
        match render(&md, &options(Paper::Letter)) {
            Ok(pdf) => {
                extract_text(&pdf).expect("readable");
            }
            // Entities such as `&#8594;` can still name a character without a glyph.
            Err(PdfError::MissingGlyph { .. }) => {}
            Err(e) => panic!("{md:?}: {e}"),
        }
    }
}

#[test]
fn signature_page_holds_the_witness_clause_and_all_blocks() {
    let pdf = render(EXHIBIT, &options(Paper::Letter)).expect("renders");
    let text = extract_text(&pdf).expect("extracts");
    let last = text.trim_end_matches('\u{c}').rsplit('\u{c}').next().unwrap_or_default();
    for needle in ["IN WITNESS WHEREOF", "NEOTHERAPEUTICS, INC.", "JOSEPH CHARLES & ASSOC., INC.", "Authorized Officer"]
    {
        assert!(last.contains(needle), "{needle} missing from the last page:\n{last}");
    }
}

#[test]
fn hyphenated_words_extract_whole() {
    // A deeply nested (narrow) list item forces many hyphenation points and compound breaks.
    let body = "the consideration of underwriting arrangements notwithstanding out-of-pocket \
                reimbursements contemplated hereunder, ";
    let md = format!("# T\n\n{}\n\n{}", body.repeat(6), "- ".repeat(7) + &body.repeat(3));
    let pdf = render(&md, &options(Paper::Letter)).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let content = String::from_utf8_lossy(&doc.get_page_content(pages[0])).into_owned();
    assert!(content.contains("/ActualText"), "some word should be hyphenated");
    let text = extract_text(&pdf).expect("extracts");
    let got: Vec<String> = words(&text).into_iter().filter(|w| w != "\u{2022}").collect();
    let want = markdown_words(&md.replace("- ", ""));
    assert_eq!(got, want);
}

#[test]
fn a_signature_page_alone_is_announced_at_the_foot_of_the_page_before() {
    let filler = "The parties agree to the terms set out in this agreement and its schedules. ".repeat(9);
    let blocks = "> **ACME HOLDINGS, INC.**\n>\n> By: \\_\\_\\_\\_\\\n> Name:\\\n> Title:\n\n".repeat(4);
    let md = format!("# T\n\n{filler}\n\n{filler}\n\nIN WITNESS WHEREOF, the parties sign.\n\n{blocks}");
    let pdf = render(&md, &options(Paper::Letter)).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), 2);
    let first = String::from_utf8_lossy(&doc.get_page_content(pages[0])).into_owned();
    // The footer and the note are both spans that read as nothing.
    assert_eq!(first.matches("/ActualText ()").count(), 2, "{first}");
    let text = extract_text(&pdf).expect("extracts");
    assert!(!text.contains("Signature page follows"));
    let second = text.split('\u{c}').nth(1).unwrap_or_default();
    assert!(second.trim_start().starts_with("IN WITNESS WHEREOF"), "{second}");
}

#[test]
fn a_non_ascii_compound_split_at_a_line_end_extracts_whole() {
    // A deeply nested list item is narrow; the compound must break at its dash somewhere.
    let body = "Łódź-Spółka-Doradcza-Wróblewska-Straße ".repeat(12);
    let md = format!("# T\n\n{}{body}\n", "- ".repeat(7));
    let pdf = render(&md, &options(Paper::Letter)).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let content = String::from_utf8_lossy(&doc.get_page_content(pages[0])).into_owned();
    assert!(content.contains("/ActualText <FEFF"), "a split word should carry UTF-16 actual text");
    let text = extract_text(&pdf).expect("extracts");
    let got: Vec<String> = words(&text).into_iter().filter(|w| w != "\u{2022}" && w != "T").collect();
    assert_eq!(got, vec!["Łódź-Spółka-Doradcza-Wróblewska-Straße".to_string(); 12]);
}

#[test]
fn blackline_decorations_are_drawn_and_hyphenated_words_extract_whole() {
    // Narrow lines (a nested list item) hyphenate decorated words too.
    let body = "kept ~~consideration underwriting~~ <ins>arrangements notwithstanding</ins> reimbursements, ";
    let md = format!("# T\n\n{}{}\n", "- ".repeat(7), body.repeat(4));
    let pdf = render(&md, &options(Paper::Letter)).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let content = String::from_utf8_lossy(&doc.get_page_content(pages[0])).into_owned();
    assert!(content.contains("/ActualText"), "some decorated word should be hyphenated");
    // Red and blue text, and rules in those colours: one strike per deleted stretch, two
    // underlines per inserted one.
    assert!(content.contains("0.8 0 0 rg") && content.contains("0 0 0.8 rg"), "{content}");
    let strokes = |colour: &str| -> Vec<usize> {
        content
            .split(colour)
            .skip(1)
            .map(|after| after.split(" RG").next().map_or(0, |s| s.matches(" l S").count()))
            .collect()
    };
    let struck: usize = strokes("0.8 0 0 RG\n").iter().sum();
    let underlined = strokes("0 0 0.8 RG\n");
    assert!(struck >= 4, "{content}");
    assert!(!underlined.is_empty() && underlined.iter().all(|&n| n == 2), "{content}");
    let text = extract_text(&pdf).expect("extracts");
    let got: Vec<String> = words(&text).into_iter().filter(|w| w != "\u{2022}" && w != "T").collect();
    let want = markdown_words(&body.repeat(4).replace("~~", "").replace("<ins>", "").replace("</ins>", ""));
    assert_eq!(got, want);
}
