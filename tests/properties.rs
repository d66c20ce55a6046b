//! Properties over generated deal sheets (proptest): valid sheets always render, rendering
//! is deterministic, names print literally, and no input at all makes loading panic.

mod common;
use clausewright::{library::Library, Format, Pipeline};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline(formats: Vec<Format>) -> Pipeline {
    Pipeline {
        library: Library::embedded().unwrap(),
        formats,
        paper: Default::default(),
        source_date_epoch: None,
        deny_warnings: false,
    }
}

fn both() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| pipeline(vec![Format::Markdown, Format::Pdf]))
}

fn markdown() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| pipeline(vec![Format::Markdown]))
}

/// Names with letters from several scripts, Markdown and template syntax and quotes, in
/// words of at most 14 characters (a longer unbroken word is broken at the edge of a
/// signature column, and then reads back as two words: see the README).
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::string::string_regex(r"[A-Za-zÀ-ÿĀ-ſ0-9.,&'*_#<>{}\[\]()|~`$%!-]{1,14}").unwrap(),
        1..5,
    )
    .prop_map(|words| words.join(" "))
    .prop_filter("a name has a letter", |s| s.chars().any(char::is_alphanumeric))
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("~".to_string()),
        (1934i32..2030).prop_map(|y| y.to_string()),
        (1934i32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
}

prop_compose! {
    fn deal_sheet()(
        consultant in name(), client in name(), signer in name(),
        entity in prop::sample::select(vec!["corporation", "limited liability company", "limited partnership", "partnership", "individual"]),
        state in prop::sample::select(clausewright::deal::states::JURISDICTIONS.to_vec()),
        law in prop::sample::select(clausewright::deal::states::JURISDICTIONS.to_vec()),
        date in date(), effective in date(),
        months in 1u32..=120, dollars in 1u64..10_000_000, cents in 0u32..100,
        conformed in any::<bool>(), monthly in any::<bool>(), restricted in any::<bool>(), omitted in any::<bool>(),
        cap in prop::option::of(1u64..100_000),
    ) -> (String, String, String) {
        let yaml = format!(
            "agreement: financial-consulting\ndate: {date}\nconsultant:\n  name: {consultant:?}\n  jurisdiction: {state}\n  entity: {entity}\nclient:\n  name: {client:?}\n  signatory:\n    name: {signer:?}\n    conformed: {conformed}\nregistration:\n  form: S-1\n  file_number: \"333-12345\"\n  effective: {effective}\nterm:\n  months: {months}\nfee:\n  monthly: \"{dollars}.{cents:02}\"\n  payment: {}\ngoverning_law: {law}\nclauses:\n  competition: {}\n  finder: {}\n{}",
            if monthly { "monthly" } else { "upfront" },
            if restricted { "restricted" } else { "permitted" },
            if omitted { "omitted" } else { "separate-agreement" },
            cap.map(|c| format!("  expenses_cap: {c}\n")).unwrap_or_default(),
        );
        (yaml, consultant, client)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_valid_deal_sheet_renders_deterministically((yaml, consultant, client) in deal_sheet()) {
        prop_assume!(consultant.trim().to_lowercase() != client.trim().to_lowercase());
        let first = markdown().run(yaml.as_bytes(), "p.yaml");
        let first = match first {
            Ok(r) => r,
            Err(ds) => return Err(TestCaseError::fail(format!("{yaml}\n{ds:#?}"))),
        };
        let again = markdown().run(yaml.as_bytes(), "p.yaml").unwrap();
        prop_assert_eq!(&first.outputs, &again.outputs);
        let md = String::from_utf8(first.outputs[0].1.clone()).unwrap();
        let words = common::markdown_words(&md).join(" ");
        // Names come out literally, never as Markdown.
        let literal = consultant.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert!(words.contains(&literal), "{} not in {}", literal, words);
        prop_assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
    }

    #[test]
    fn the_pdf_says_what_the_markdown_says((yaml, consultant, client) in deal_sheet()) {
        prop_assume!(consultant.trim().to_lowercase() != client.trim().to_lowercase());
        let rendered = both().run(yaml.as_bytes(), "p.yaml").map_err(|ds| TestCaseError::fail(format!("{ds:#?}")))?;
        let md = String::from_utf8(rendered.outputs[0].1.clone()).unwrap();
        let pdf = &rendered.outputs[1].1;
        let blank = |w: &String| w.chars().all(|c| c == '_');
        let from_md: Vec<String> = common::markdown_words(&md).into_iter().filter(|w| !blank(w)).collect();
        let from_pdf: Vec<String> = common::pdf_words(pdf).into_iter().filter(|w| !blank(w)).collect();
        prop_assert_eq!(common::hyphen_joined(&from_md), common::hyphen_joined(&from_pdf));
        let again = both().run(yaml.as_bytes(), "p.yaml").unwrap();
        prop_assert!(&again.outputs[1].1 == pdf, "the PDF is not deterministic");
    }

    #[test]
    fn loading_never_panics_on_any_text(text in "\\PC{0,400}") {
        let _ = markdown().run(text.as_bytes(), "p.yaml");
    }

    #[test]
    fn loading_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = markdown().run(&bytes, "p.yaml");
    }
}
