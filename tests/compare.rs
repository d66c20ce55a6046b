//! `compare OLD NEW`: Markdown, DOCX and PDF redlines with one change count; the DOCX's
//! tracked changes accepted give NEW's words and rejected OLD's, for every pair of
//! fixtures; exit statuses and errors as for `render`.

mod common;
use common::docx::{part, words, View};
use common::*;
use std::path::{Path, PathBuf};

const OLD: &str = "fixtures/exhibit-1.4.yaml";
const NEW: &str = "fixtures/compare/exhibit-revised.yaml";

/// The change count a redline's summary states ("... : 11 changes.").
fn stated_count(text: &str) -> usize {
    let at = text.find(" change").expect("a change count");
    let digits: String = text[..at].chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

fn compare_to(old: &str, new: &str, out: &Path) -> std::process::Output {
    let o = run(&["compare", old, new, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{old} {new}: {}", stderr(&o));
    o
}

#[test]
fn markdown_redline_summarises_then_marks_the_changes() {
    let o = run(&["compare", OLD, NEW]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    let (summary, agreement) = md.split_once("\n---\n").expect("a summary, a rule, the agreement");
    let listed = summary.lines().filter(|l| l.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok())).count();
    assert_eq!(stated_count(summary), listed, "{summary}");
    // An amount is one change, not three.
    assert!(agreement.contains("~~\\$4,000.00~~ <ins>\\$5,000.00</ins> per month"), "{agreement}");
    assert!(summary.contains(": \u{201C}\\$4,000.00\u{201D} replaced by \u{201C}\\$5,000.00\u{201D}\n"));
    // The finder's section is deleted and the later sections renumber: number changes only.
    assert!(summary.contains("Section 3: deleted \u{201C}3\\. The fees payable"), "{summary}");
    for (old, new) in [(4, 3), (5, 4), (6, 5), (7, 6)] {
        let line = format!("Section {old} (now {new}): \u{201C}{old}\\.\u{201D} replaced by \u{201C}{new}\\.\u{201D}");
        assert!(summary.contains(&line), "missing {line}:\n{summary}");
        assert!(agreement.contains(&format!("~~**{old}\\.**~~ <ins>**{new}\\.**</ins> ")));
    }
    // The struck and inserted text is still Markdown a reader (and pulldown-cmark) parses.
    assert!(markdown_words(agreement).iter().any(|w| w == "$5,000.00"));
}

#[test]
fn docx_redline_accepts_to_new_and_rejects_to_old() {
    let out = temp_dir("compare-docx");
    let o = compare_to(OLD, NEW, &out.join("redline.docx"));
    let docx = std::fs::read(out.join("redline.docx")).unwrap();
    let rendered = |sheet: &str| {
        let o = run(&["render", sheet, "--format", "docx", "--quiet", "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let stem = Path::new(sheet).file_stem().unwrap().to_str().unwrap();
        std::fs::read(out.join(format!("{stem}.docx"))).unwrap()
    };
    assert_eq!(words(&docx, View::Accept), words(&rendered(NEW), View::All));
    assert_eq!(words(&docx, View::Reject), words(&rendered(OLD), View::All));
    let document = part(&docx, "word/document.xml");
    let (ins, del) = (document.matches("<w:ins ").count(), document.matches("<w:del ").count());
    assert!(ins > 0 && del > 0);
    // Every change is by clausewright, dated with NEW's date (2 August 1999).
    assert_eq!(document.matches("w:author=\"clausewright\" w:date=\"1999-08-02T00:00:00Z\"").count(), ins + del);
    let count = stated_count(&stdout(&run(&["compare", OLD, NEW])));
    assert_eq!(stated_count(&stderr(&o)), count);
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains(&format!("<dc:description>Redline of {NEW} against {OLD}: {count} changes</dc:description>")));
}

#[test]
fn every_pair_of_fixtures_round_trips_through_tracked_changes() {
    let out = temp_dir("compare-pairs");
    let mut sheets = yaml_files("fixtures/variants");
    sheets.extend([OLD.to_string(), NEW.to_string()]);
    let o =
        run(&["render", "fixtures/variants", OLD, NEW, "--format", "docx", "--quiet", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docx_of = |sheet: &str| -> PathBuf {
        out.join(format!("{}.docx", Path::new(sheet).file_stem().unwrap().to_str().unwrap()))
    };
    for old in &sheets {
        for new in &sheets {
            let redline = out.join("pair.docx");
            compare_to(old, new, &redline);
            let docx = std::fs::read(&redline).unwrap();
            let (old_words, new_words) = (
                words(&std::fs::read(docx_of(old)).unwrap(), View::All),
                words(&std::fs::read(docx_of(new)).unwrap(), View::All),
            );
            assert_eq!(words(&docx, View::Accept), new_words, "accepting {old} -> {new}");
            assert_eq!(words(&docx, View::Reject), old_words, "rejecting {old} -> {new}");
            if old == new {
                assert!(!part(&docx, "word/document.xml").contains("<w:ins "), "{old} against itself");
            }
        }
    }
}

#[test]
fn the_three_formats_state_one_change_count() {
    let out = temp_dir("compare-formats");
    let md = stdout(&run(&["compare", OLD, NEW]));
    let count = stated_count(&md);
    assert!(count >= 5, "{md}");
    for file in ["r.md", "r.docx", "r.pdf"] {
        let o = compare_to(OLD, NEW, &out.join(file));
        assert_eq!(stated_count(&stderr(&o)), count, "{file}");
    }
    assert_eq!(std::fs::read_to_string(out.join("r.md")).unwrap(), md);
    let pdf_text = pdf_words(&std::fs::read(out.join("r.pdf")).unwrap()).join(" ");
    assert_eq!(stated_count(&pdf_text), count, "{pdf_text}");
    // Written whole: no temporary files left beside the outputs.
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn the_docx_redline_is_byte_reproducible() {
    let out = temp_dir("compare-same");
    compare_to(OLD, NEW, &out.join("a.docx"));
    compare_to(OLD, NEW, &out.join("b.docx"));
    assert!(std::fs::read(out.join("a.docx")).unwrap() == std::fs::read(out.join("b.docx")).unwrap());
}

#[test]
fn exit_code_says_whether_they_differ() {
    assert_eq!(run(&["compare", OLD, OLD, "--exit-code"]).status.code(), Some(0));
    assert_eq!(run(&["compare", OLD, NEW, "--exit-code"]).status.code(), Some(1));
    assert_eq!(run(&["compare", OLD, NEW]).status.code(), Some(0));
    let same = stdout(&run(&["compare", OLD, OLD]));
    assert_eq!(stated_count(&same), 0, "{same}");
}

#[test]
fn against_form_compares_with_the_library_starter() {
    let o = run(&["compare", "--against-form", OLD]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.starts_with(&format!("**Redline** of {OLD} against the financial-consulting form: ")), "{md}");
    assert!(stated_count(&md) > 0);
}

#[test]
fn invalid_deal_sheets_and_usage_errors() {
    let out = temp_dir("compare-invalid");
    let bad = out.join("bad.yaml");
    std::fs::write(&bad, "agreement: financial-consulting\nfee:\n  monthly: lots\n").unwrap();
    let o = run(&["compare", OLD, bad.to_str().unwrap(), "-o", out.join("r.docx").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.yaml:3:"), "{}", stderr(&o));
    assert!(!out.join("r.docx").exists());
    assert_eq!(run(&["compare", OLD]).status.code(), Some(2));
    assert_eq!(run(&["compare", "--against-form", OLD, NEW]).status.code(), Some(2));
    assert_eq!(run(&["compare", OLD, NEW, "--format", "pdf"]).status.code(), Some(2));
    assert_eq!(run(&["compare", OLD, NEW, "-o", out.join("r.txt").to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn the_pdf_blackline_has_both_sides_words_in_red_and_blue() {
    let out = temp_dir("compare-blackline");
    compare_to(OLD, NEW, &out.join("r.pdf"));
    compare_to(OLD, NEW, &out.join("r.md"));
    let md = std::fs::read_to_string(out.join("r.md")).unwrap();
    let (_, agreement) = md.split_once("\n---\n").unwrap();
    let keep = |w: &String| !w.is_empty() && !w.chars().all(|c| c == '_');
    let from_md: Vec<String> = markdown_words(agreement)
        .into_iter()
        .map(|w| w.replace('~', "").replace(['\u{2018}', '\u{2019}'], "'").replace(['\u{201C}', '\u{201D}'], "\""))
        .filter(keep)
        .collect();
    let pdf = std::fs::read(out.join("r.pdf")).unwrap();
    let words = pdf_words(&pdf);
    let start = words.iter().position(|w| w == "EXHIBIT").expect("the agreement after the legend");
    let from_pdf: Vec<String> = words[start..].iter().filter(|w| keep(w)).cloned().collect();
    assert_eq!(hyphen_joined(&from_pdf), hyphen_joined(&from_md));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(first)).into_owned();
    for op in ["0.8 0 0 rg", "0.8 0 0 RG", "0 0 0.8 rg", "0 0 0.8 RG"] {
        assert!(content.contains(op), "page 1 has no `{op}`");
    }
}
