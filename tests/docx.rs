//! The Word document: read back by unzipping and parsing its XML. The seed's words,
//! the Markdown's words for every variant, the agreement's styles and page setup, and
//! the same bytes on every run.

mod common;
use common::docx::{entries, paragraphs, part, words, View};
use common::*;
use std::path::Path;

fn render_docx(sheet: &str, out: &Path, extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["render", sheet, "--format", "md,docx", "--quiet", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{sheet}: {}", stderr(&o));
    let stem = Path::new(sheet).file_stem().unwrap().to_str().unwrap();
    std::fs::read(out.join(format!("{stem}.docx"))).unwrap()
}

fn normalised(words: Vec<String>) -> Vec<String> {
    words
        .into_iter()
        .map(|w| w.replace(['\u{2018}', '\u{2019}'], "'").replace(['\u{201C}', '\u{201D}'], "\""))
        .collect()
}

#[test]
fn the_exhibit_docx_has_the_seed_words() {
    let out = temp_dir("docx-exhibit");
    let docx = render_docx("fixtures/exhibit-1.4.yaml", &out, &[]);
    let diffs = seed_differences(&words(&docx, View::All));
    assert!(diffs.is_empty(), "word differences against the seed:\n{}", diffs.join("\n"));
}

#[test]
fn every_variant_docx_has_the_words_of_its_markdown() {
    let out = temp_dir("docx-variants");
    let mut sheets = yaml_files("fixtures/variants");
    sheets.push("fixtures/exhibit-1.4.yaml".into());
    for sheet in sheets {
        let docx = render_docx(&sheet, &out, &[]);
        let stem = Path::new(&sheet).file_stem().unwrap().to_str().unwrap();
        let md = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
        assert_eq!(normalised(words(&docx, View::All)), normalised(markdown_words(&md)), "{sheet}");
    }
}

#[test]
fn the_exhibit_docx_is_laid_out_as_an_agreement() {
    let out = temp_dir("docx-layout");
    let docx = render_docx("fixtures/exhibit-1.4.yaml", &out, &[]);
    let paras = paragraphs(&docx, View::All);
    assert_eq!((paras[0].style.as_str(), paras[0].text.as_str()), ("ExhibitNumber", "EXHIBIT 1.4"));
    assert_eq!((paras[1].style.as_str(), paras[1].text.as_str()), ("Title", "Financial Consulting Agreement"));
    // Section numbers are text, exactly as in the Markdown.
    let sections: Vec<&str> =
        paras.iter().filter(|p| p.style == "BodyText").filter_map(|p| p.text.split(' ').next()).collect();
    assert!(sections.windows(7).any(|w| w == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]), "{sections:?}");
    // The signature blocks stay with the IN WITNESS WHEREOF paragraph.
    let witness = paras.iter().position(|p| p.text.starts_with("IN WITNESS WHEREOF")).unwrap();
    let signatures = &paras[witness + 1..];
    assert!(signatures.iter().all(|p| p.style == "Signature") && signatures.len() == 4, "{signatures:?}");
    assert!(paras[witness..paras.len() - 1].iter().all(|p| p.keep_next));
    let styles = part(&docx, "word/styles.xml");
    for name in ["Normal", "Title", "Body Text", "Signature"] {
        assert!(styles.contains(&format!("<w:name w:val=\"{name}\"/>")), "no style {name}");
    }
    assert!(styles.contains("w:ascii=\"Times New Roman\"") && styles.contains("<w:sz w:val=\"24\"/>"));
    assert!(styles.contains("<w:jc w:val=\"both\"/>") && styles.contains("<w:ind w:firstLine=\"720\"/>"));
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES ") && footer.contains("Page "));
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"));
    assert!(document.contains("w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\""));
}

#[test]
fn a4_paper_and_properties_from_the_deal_sheet() {
    let out = temp_dir("docx-a4");
    let docx = render_docx("fixtures/exhibit-1.4.yaml", &out, &["--paper", "a4"]);
    assert!(part(&docx, "word/document.xml").contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>Financial Consulting Agreement</dc:title>"), "{core}");
    assert!(core.contains("<dc:subject>Joseph Charles &amp; Assoc., Inc. and NeoTherapeutics, Inc.</dc:subject>"));
    assert!(core.contains(&format!("<dc:creator>clausewright {}</dc:creator>", env!("CARGO_PKG_VERSION"))));
    // The exhibit is dated only by its year: January 1st of it, never today.
    assert!(core.contains(">1999-01-01T00:00:00Z</dcterms:created>"), "{core}");
}

#[test]
fn two_renders_are_byte_identical_and_entries_are_in_a_fixed_order() {
    let (a, b) = (temp_dir("docx-same-a"), temp_dir("docx-same-b"));
    let first = render_docx("fixtures/variants/unicode-names.yaml", &a, &[]);
    let second = render_docx("fixtures/variants/unicode-names.yaml", &b, &[]);
    assert!(first == second, "two renders of one deal sheet differ");
    assert_eq!(entries(&first)[0], "[Content_Types].xml");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        assert_eq!(entry.last_modified(), Some(zip::DateTime::default()), "{}", entry.name());
    }
}

#[test]
fn batch_and_manifest_include_the_docx() {
    let out = temp_dir("docx-batch");
    let manifest = out.join("manifest.json");
    let o = run(&[
        "render",
        "fixtures/variants",
        "--format",
        "md,pdf,docx",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
        "--manifest",
        manifest.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), yaml_files("fixtures/variants").len());
    for entry in entries {
        let outputs = entry["outputs"].as_array().unwrap();
        let paths: Vec<&str> = outputs.iter().map(|o| o["path"].as_str().unwrap()).collect();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths[2].ends_with(".docx"), "{paths:?}");
        let bytes = std::fs::read(root().join(paths[2])).or_else(|_| std::fs::read(paths[2])).unwrap();
        assert_eq!(outputs[2]["sha256"].as_str().unwrap(), clausewright::batch::sha256(&bytes));
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
