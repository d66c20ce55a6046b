//! The Exhibit 1.4 deal sheet renders to the filed agreement, word for word.

mod common;
use common::*;

#[test]
fn exhibit_markdown_has_the_seed_words() {
    let md = render_markdown("fixtures/exhibit-1.4.yaml", "exhibit-md");
    let diffs = seed_differences(&markdown_words(&md));
    assert!(diffs.is_empty(), "word differences against the seed:\n{}", diffs.join("\n"));
}

#[test]
fn the_seed_comparison_can_fail() {
    let md = "EXHIBIT 1.4\n\nTHIS AGREEMENT is made";
    assert!(!seed_differences(&markdown_words(md)).is_empty());
}

#[test]
fn sections_are_numbered_literally() {
    let md = render_markdown("fixtures/exhibit-1.4.yaml", "exhibit-numbers");
    for n in 1..=7 {
        assert!(md.contains(&format!("\n**{n}\\.** ")), "section {n} is not numbered literally");
    }
    // CommonMark sees paragraphs, not a list it could renumber.
    assert!(!pulldown_cmark::Parser::new(&md)
        .any(|e| matches!(e, pulldown_cmark::Event::Start(pulldown_cmark::Tag::List(_)))));
}
