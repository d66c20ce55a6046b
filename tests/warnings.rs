//! Cross-field checks: warnings are printed but never block rendering, unless
//! `--deny-warnings`; each pins its message in the `.stderr` file beside it.

mod common;
use common::*;

fn sheets() -> Vec<String> {
    yaml_files("fixtures/warnings")
}

#[test]
fn warnings_are_reported_and_the_agreement_is_still_rendered() {
    let sheets = sheets();
    assert!(sheets.len() >= 3);
    let failures = warned_sheets_match_their_goldens(&sheets, "warnings", &[]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deny_warnings_turns_them_into_errors_and_writes_nothing() {
    for sheet in sheets() {
        let out = temp_dir("deny-warnings");
        let o = run(&["render", &sheet, "--deny-warnings", "--quiet", "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{sheet}");
        assert!(stderr(&o).starts_with("error: "), "{sheet}: {}", stderr(&o));
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "{sheet}: written despite --deny-warnings");
        let o = run(&["check", &sheet, "--deny-warnings"]);
        assert_eq!(o.status.code(), Some(1), "{sheet}");
    }
}
