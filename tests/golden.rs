//! Golden files: every deal sheet in fixtures/, fixtures/variants/ and fixtures/lenient/
//! (flow style, other letter case, one-digit dates: forms the JSON Schema does not suggest but the
//! tool reads) renders to the
//! Markdown kept beside it. Re-accept changes with `CLAUSEWRIGHT_ACCEPT=1 cargo test`.

mod common;
use common::*;
use std::path::PathBuf;

fn deal_sheets() -> Vec<PathBuf> {
    ["fixtures", "fixtures/variants", "fixtures/lenient"]
        .iter()
        .flat_map(|d| yaml_files(d))
        .map(|p| root().join(p))
        .collect()
}

#[test]
fn every_fixture_renders_to_its_golden_markdown() {
    let sheets = deal_sheets();
    assert!(sheets.len() >= 5, "the exhibit and at least four variants");
    let out = temp_dir("golden");
    let mut args = vec!["render", "--format", "md", "--out", out.to_str().unwrap()];
    let names: Vec<String> = sheets.iter().map(|p| p.to_str().unwrap().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut failures = Vec::new();
    for sheet in &sheets {
        let rendered = std::fs::read(out.join(sheet.with_extension("md").file_name().unwrap())).unwrap();
        failures.extend(golden(&sheet.with_extension("md"), &rendered));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn variant_wording_follows_the_deal_sheet() {
    let out = temp_dir("variant-wording");
    let o = run(&["render", "fixtures/variants", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let ohio = read("ohio-llc-monthly.md");
    assert!(ohio.contains("Buckeye Advisory Partners, LLC, an Ohio limited liability company (\"Consultant\"), and"));
    assert!(ohio.contains("Wasatch Biologics, Inc., a Utah corporation (\"Client\")"));
    assert!(ohio.contains("this 1st day of March, 2024"));
    assert!(ohio.contains("a period of one month (1) commencing"));
    assert!(ohio.contains("on February 12, 2024."));
    // The finder section is gone: six sections, and cross-references follow the fees to section 3.
    assert!(ohio.contains("**6\\.** This Agreement shall be governed") && !ohio.contains("**7\\.**"));
    assert!(!ohio.contains("finder"));
    assert!(ohio.contains("**3\\.** Client agrees to pay"));
    assert_eq!(ohio.matches("the fees payable under Section 3,").count(), 1);
    // One month paid monthly is one payment, with no "per month".
    assert!(
        ohio.contains("a fee of \\$12,500.00, payable in full upon execution hereof.") && !ohio.contains("per month")
    );
    assert!(ohio.contains("\\$2,500.50 in the aggregate"));
    assert!(ohio.contains("the laws of the State of New York."));
    let dc = read("individual-dc.md");
    assert!(dc.contains("Imani O. Adeyemi, an individual resident in the State of Illinois (\"Consultant\")"));
    assert!(dc.contains("a District of Columbia limited partnership"));
    assert!(dc.contains("twenty-one (21) equal monthly installments of \\$3,333.33 each"));
    // An individual Consultant is never "its".
    assert!(dc.contains("use Consultant's best efforts") && dc.contains("for Consultant's services"));
    assert!(dc.contains("> /s/ IMANI O. ADEYEMI\\\n> Imani O. Adeyemi\n"), "an individual signs in her own name");
    assert!(dc.contains("\\$69,999.93"), "21 x 3,333.33 exactly");
    assert!(dc.contains("the laws of the District of Columbia."));
    assert!(dc.contains(
        "this \\_\\_\\_\\_\\_ day of \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_, \\_\\_\\_\\_\\_, by and between"
    ));
    let unicode = read("unicode-names.md");
    assert!(unicode.contains("By: /s/ ZOË Ø. WRÓBLEWSKA-STRASSE"));
    assert!(unicode.contains("> **ŁÓDŹ SPÓŁKA DORADCZA \\& SØN, INC.**"));
    assert!(unicode.contains("an Arizona corporation"));
}

#[test]
fn values_print_literally_in_markdown() {
    let md = render_markdown("fixtures/variants/literal-values.yaml", "literal-values");
    let words = markdown_words(&md).join(" ");
    assert!(words.contains("*Star* {{ 7*7 }} <b>Co</b> (\"Consultant\")"), "{words}");
    assert!(
        words.contains("1. [Link](http://x) _under_ \\back\\ `code` # Hash | Pipe ~ Tilde $5 {% if %}, a partnership")
    );
    assert!(words.contains("- Dash & <script>alert(1)</script>, > Quote"));
    // No HTML, links, code or emphasis came from the values.
    use pulldown_cmark::{Event, Parser, Tag};
    for event in Parser::new(&md) {
        let bad = matches!(event, Event::Html(_) | Event::InlineHtml(_) | Event::Code(_))
            || matches!(event, Event::Start(Tag::Link { .. } | Tag::Emphasis | Tag::List(_) | Tag::Heading { .. } | Tag::CodeBlock(_)) if !matches!(event, Event::Start(Tag::Heading { level: pulldown_cmark::HeadingLevel::H1, .. })));
        assert!(!bad, "a value became Markdown syntax: {event:?}");
    }
}
