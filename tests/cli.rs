//! The command line: exit statuses, what is written and what is not, help, --library.

mod common;
use common::*;

#[test]
fn render_writes_the_named_output_and_exits_zero() {
    let out = temp_dir("cli-render");
    let o = run(&["render", "fixtures/exhibit-1.4.yaml", "--format", "md", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("exhibit-1.4.md").is_file());
    assert!(stderr(&o).contains("rendered 1 of 1 deal sheets"));
}

#[test]
fn check_validates_without_writing() {
    let dir = temp_dir("cli-check");
    std::fs::copy(root().join("fixtures/exhibit-1.4.yaml"), dir.join("deal.yaml")).unwrap();
    let o = run_in(&dir, &["check", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "deal.yaml: ok\n");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 1, "check wrote something");
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        vec!["render"],
        vec!["render", "fixtures/exhibit-1.4.yaml", "--format", "rtf"],
        vec!["render", "fixtures/exhibit-1.4.yaml", "--shard", "3/2"],
        vec!["frobnicate"],
        vec!["render", "fixtures/invalid/../../src"],
        vec!["render", "fixtures/exhibit-1.4.yaml", "--library", "no-such-folder"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_missing_input_fails_with_exit_one() {
    let out = temp_dir("cli-missing");
    let o = run(&["render", "fixtures/no-such-deal.yaml", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fixtures/no-such-deal.yaml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot read the deal sheet"), "{}", stderr(&o));
}

#[test]
fn help_teaches_by_example() {
    for cmd in ["render", "check"] {
        let o = run(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0));
        let help = stdout(&o);
        assert!(help.contains("Examples:") && help.contains(&format!("clausewright {cmd} ")), "{help}");
    }
    let o = run(&["--help"]);
    assert!(stdout(&o).contains("Exit status"));
}

#[test]
fn list_shows_agreements_sections_and_alternatives() {
    let o = run(&["list"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for needle in ["financial-consulting", "3. finder", "competition", "permitted | restricted", "expenses_cap"] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn a_user_library_replaces_embedded_templates() {
    let lib = temp_dir("cli-library");
    std::fs::create_dir_all(lib.join("clauses")).unwrap();
    std::fs::write(
        lib.join("clauses/governing-law.md.tera"),
        "**{{ number[\"governing-law\"] }}\\.** The courts of {{ governing_law | the_state }} decide.\n",
    )
    .unwrap();
    let out = temp_dir("cli-library-out");
    let o = run(&[
        "render",
        "fixtures/exhibit-1.4.yaml",
        "--library",
        lib.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("exhibit-1.4.md")).unwrap();
    assert!(md.contains("**7\\.** The courts of the State of Florida decide."));
    assert!(md.contains("**6\\.** All final decisions"), "other clauses still come from the embedded library");
}

#[test]
fn a_broken_user_template_is_a_usage_error_with_its_position() {
    let lib = temp_dir("cli-library-broken");
    std::fs::create_dir_all(lib.join("clauses")).unwrap();
    std::fs::write(lib.join("clauses/fees.md.tera"), "{{ fee.monthly | money \n").unwrap();
    let o = run(&["check", "fixtures/exhibit-1.4.yaml", "--library", lib.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("clauses/fees.md.tera"), "{}", stderr(&o));
}
