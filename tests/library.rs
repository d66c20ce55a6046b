//! The clause library as data (docs/library.md), through the real binary: layering with
//! repeated `--library`, misnamed files, manifest mistakes with their file:line:col,
//! computed values, conditions and checks, `library check`, `library export`.

mod common;
use common::*;
use std::path::Path;

/// Writes `files` (relative path, text) under `dir`.
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const MANIFEST: &str = r#"title: Placement Agent Letter
description: A small agreement written for these tests
fields:
  date: { type: date, help: The day it is signed }
  company: { type: party }
  agent: { type: party, example: { name: "Broker Dealer LLC" } }
  rate: { type: percent, max: 10, example: 7 }
  raise: { type: money, example: 5000000 }
  months: { type: integer, min: 1, max: 36, example: 6 }
  exclusive: { type: bool, default: false }
  tiers:
    type: list
    required: false
    min_items: 1
    items:
      type: group
      fields:
        rate: { type: percent }
        up_to: { type: money }
computed:
  fee: { percent_of: [rate, raise] }
  ends: { add_months: [date, months] }
  tier_count: { count: tiers }
sections:
  - pa-fee
  - { clause: pa-exclusive, when: exclusive }
  - { clause: pa-tiers, when: tiers }
  - pa-law
checks:
  - when: 'months > 24'
    at: months
    warning: 'an engagement of {{ months }} months is unusually long'
  - when: 'exclusive and months > 12'
    at: exclusive
    error: an exclusive engagement may not run over twelve months
"#;

fn library(dir: &Path) {
    write(
        dir,
        &[
            ("templates/placement.yaml", MANIFEST),
            (
                "templates/placement.md.tera",
                "# {{ title }}\n\nMade {{ date | long_date }} by {{ company.name }} and {{ agent.name }}.\n\n{{ sections }}\n\n{{<signature_block party={company} />}}\n",
            ),
            (
                "clauses/pa-fee.md.tera",
                "**{{ number[\"pa-fee\"] }}\\.** A fee of {{ rate | percent }} of {{ raise | money }}, that is {{ fee | money }}, until {{ ends | long_date }} (see Section {{ number[\"pa-law\"] }}).",
            ),
            ("clauses/pa-exclusive.md.tera", "**{{ number[\"pa-exclusive\"] }}\\.** The engagement is exclusive."),
            (
                "clauses/pa-tiers.md.tera",
                "**{{ number[\"pa-tiers\"] }}\\.** {{ tier_count }} tiers: {% for t in tiers %}{{ t.rate | percent }} up to {{ t.up_to | money }}{% if not loop.last %}; {% endif %}{% endfor %}.",
            ),
            ("clauses/pa-law.md.tera", "**{{ number[\"pa-law\"] }}\\.** The laws of Delaware govern."),
        ],
    );
}

const DEAL: &str = "agreement: placement\ndate: 2024-01-31\ncompany: { name: \"Acme, Inc.\", jurisdiction: Delaware, entity: corporation }\nagent: { name: \"Broker LLC\" }\nrate: \"2.5%\"\nraise: 1000000.01\nmonths: 25\n";

#[test]
fn a_library_written_as_data_renders_with_computed_values_and_renumbered_sections() {
    let dir = temp_dir("library-render");
    library(&dir.join("lib"));
    write(&dir, &[("deal.yaml", DEAL)]);
    let o = run_in(&dir, &["render", "deal.yaml", "--library", "lib", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("out/deal.md")).unwrap();
    // 2.5% of 1,000,000.01 is 25,000.00025: money rounds to the cent at the end.
    assert!(md.contains("A fee of two and one-half percent (2.5%) of \\$1,000,000.01, that is \\$25,000.00"), "{md}");
    // January 31 plus 25 months: the last day of February.
    assert!(md.contains("until February 28, 2026 (see Section 2)"), "{md}");
    assert!(md.contains("**2\\.** The laws of Delaware govern.") && !md.contains("exclusive"), "{md}");
    // The manifest's warning points at the deal sheet's line.
    assert!(stderr(&o).contains("an engagement of 25 months is unusually long"), "{}", stderr(&o));
    assert!(stderr(&o).contains("deal.yaml:7:9"), "{}", stderr(&o));
    // Optional sections appear and the numbers follow.
    let deal = format!(
        "{}exclusive: true\ntiers:\n  - {{ rate: 5, up_to: 1000000 }}\n  - {{ rate: 4, up_to: 2000000 }}\n",
        DEAL.replace("months: 25", "months: 6")
    );
    write(&dir, &[("deal.yaml", &deal)]);
    let o = run_in(&dir, &["render", "deal.yaml", "--library", "lib", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("out/deal.md")).unwrap();
    assert!(md.contains("(see Section 4)") && md.contains("**2\\.** The engagement is exclusive."), "{md}");
    assert!(
        md.contains(
            "**3\\.** 2 tiers: five percent (5%) up to \\$1,000,000.00; four percent (4%) up to \\$2,000,000.00."
        ),
        "{md}"
    );
}

#[test]
fn checks_refuse_and_fields_are_typed_by_the_manifest() {
    let dir = temp_dir("library-typed");
    library(&dir.join("lib"));
    let deal = DEAL.replace("\"2.5%\"", "12").replace("1000000.01", "10.001");
    write(&dir, &[("deal.yaml", &deal)]);
    let o = run_in(&dir, &["check", "deal.yaml", "--library", "lib"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("rate: expected a percentage more than 0% and at most 10%, found `12`"), "{err}");
    assert!(err.contains("raise: expected an amount with at most two decimals, found `10.001`"), "{err}");
    write(&dir, &[("deal.yaml", &DEAL.replace("Broker LLC", "ACME, INC."))]);
    let err = stderr(&run_in(&dir, &["check", "deal.yaml", "--library", "lib"]));
    assert!(err.contains("agent.name: the agent has the same name as the company"), "{err}");
    write(&dir, &[("deal.yaml", &format!("{DEAL}exclusive: true\n"))]);
    let err = stderr(&run_in(&dir, &["check", "deal.yaml", "--library", "lib"]));
    assert!(err.contains("exclusive: an exclusive engagement may not run over twelve months"), "{err}");
    assert!(err.contains("deal.yaml:8:12"), "{err}");
}

#[test]
fn library_mistakes_are_refused_once_with_their_file_and_line_before_any_deal_sheet() {
    let dir = temp_dir("library-broken");
    let lib = dir.join("lib");
    library(&lib);
    let deals: Vec<String> = (0..20).map(|i| format!("d{i}.yaml")).collect();
    for d in &deals {
        write(&dir, &[(d, DEAL)]);
    }
    let cases: [(&str, &str, &str, &str); 5] = [
        ("templates/placement.yaml", "sections:", "section:", "lib/templates/placement.yaml:24:1"),
        (
            "templates/placement.yaml",
            "when: exclusive",
            "when: exclusiv",
            "`exclusiv` is not a declared field or computed value",
        ),
        (
            "templates/placement.yaml",
            "percent_of: [rate, raise]",
            "percent_of: [rate, raised]",
            "did you mean `raise`?",
        ),
        ("templates/placement.yaml", "  - pa-law", "  - pa-laws", "the section `pa-laws` has no clause file"),
        ("clauses/pa-law.md.tera", "govern.", "govern {% if %}.", "clauses/pa-law.md.tera:1:"),
    ];
    for (file, from, to, expected) in cases {
        library(&lib);
        let text = std::fs::read_to_string(lib.join(file)).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(lib.join(file), text.replacen(from, to, 1)).unwrap();
        let o = run_in(&dir, &["render", ".", "--library", "lib", "--out", "out"]);
        assert_eq!(o.status.code(), Some(2), "{to}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{to}: {}", stderr(&o));
        assert_eq!(stderr(&o).matches("error:").count(), 2, "one problem and the closing line: {}", stderr(&o));
        assert!(!dir.join("out").exists(), "nothing written");
    }
    // A misnamed file is an error naming it, never silently ignored.
    library(&lib);
    write(&lib, &[("clauses/governing_law.md.tera.bak", "x"), ("templates/extra.yml", "title: x")]);
    let o = run_in(&dir, &["check", "d0.yaml", "--library", "lib"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`clauses/governing_law.md.tera.bak` fits no pattern"), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean `templates/extra.yaml`?"), "{}", stderr(&o));
}

#[test]
fn library_check_finds_undefined_values_in_any_variant_and_unused_clauses() {
    let dir = temp_dir("library-check");
    let lib = dir.join("lib");
    library(&lib);
    let o = run_in(&dir, &["library", "check", "--library", "lib"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Printing an optional value without testing it fails only when it is absent.
    write(
        &lib,
        &[
            ("clauses/pa-law.md.tera", "**{{ number[\"pa-law\"] }}\\.** Law. {{ tier_count }}"),
            ("clauses/unused.md.tera", "x"),
        ],
    );
    let o = run_in(&dir, &["library", "check", "--library", "lib"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("Variable `tier_count` is not defined"), "{err}");
    assert_eq!(err.matches("tier_count` is not defined").count(), 1, "reported once: {err}");
    assert!(err.contains("lib/clauses/pa-law.md.tera:1:"), "{err}");
    assert!(err.contains("warning: the clause `unused` is used by no agreement"), "{err}");
}

#[test]
fn layers_apply_in_order_and_export_round_trips() {
    let dir = temp_dir("library-layers");
    let o = run_in(&dir, &["library", "export", "exported"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("exported/templates/financial-consulting.yaml").is_file());
    let o = run_in(&dir, &["library", "check", "--library", "exported"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Exporting again refuses to overwrite.
    assert_eq!(run_in(&dir, &["library", "export", "exported"]).status.code(), Some(2));
    let exhibit = root().join("fixtures/exhibit-1.4.yaml");
    let exhibit = exhibit.to_str().unwrap();
    // Two layers: the second one's governing-law clause wins.
    write(
        &dir,
        &[
            ("first/clauses/governing-law.md.tera", "**{{ number[\"governing-law\"] }}\\.** First."),
            ("second/clauses/governing-law.md.tera", "**{{ number[\"governing-law\"] }}\\.** Second."),
        ],
    );
    let o = run_in(
        &dir,
        &["render", exhibit, "--library", "exported", "--library", "first", "--library", "second", "--out", "out"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("out/exhibit-1.4.md")).unwrap();
    assert!(md.contains("**7\\.** Second.") && !md.contains("First."), "{md}");
    let o = run_in(&dir, &["render", exhibit, "--library", "exported", "--out", "plain"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let golden = std::fs::read(root().join("fixtures/exhibit-1.4.md")).unwrap();
    assert_eq!(std::fs::read(dir.join("plain/exhibit-1.4.md")).unwrap(), golden);
}

#[test]
fn init_schema_and_list_come_from_the_manifest() {
    let dir = temp_dir("library-init");
    library(&dir.join("lib"));
    let o = run_in(&dir, &["init", "--library", "lib", "--agreement", "placement", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("deal.yaml")).unwrap();
    assert!(text.contains("rate: 7") && text.contains("# The day it is signed"), "{text}");
    let o = run_in(&dir, &["check", "--library", "lib", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(&dir, &["schema", "--library", "lib"]);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let sheet: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    assert!(validator.is_valid(&sheet));
    let bad: serde_json::Value = serde_yaml::from_str(&text.replace("rate: 7", "rate: 70")).unwrap();
    assert!(!validator.is_valid(&bad));
    // The embedded agreement is still there and still chosen by its own key.
    let exhibit: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root().join("fixtures/exhibit-1.4.yaml")).unwrap()).unwrap();
    assert!(validator.is_valid(&exhibit));
    // `-` is standard output, not a file named `-`.
    let o = run_in(&dir, &["init", "--library", "lib", "--agreement", "placement", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("agreement: placement") && !dir.join("-").exists());
    let out = stdout(&run_in(&dir, &["list", "--library", "lib"]));
    assert!(out.contains("placement: Placement Agent Letter") && out.contains("rate (percent, required)"), "{out}");
    assert!(out.contains("pa-tiers (when tiers)"), "{out}");
}

/// The README's walk-through, step by step: export the library, add a field and a section to
/// the consulting agreement's manifest, write the clause, check, render.
#[test]
fn the_readme_walk_through_adds_a_numbered_clause_without_touching_the_program() {
    let dir = temp_dir("library-walk-through");
    let o = run_in(&dir, &["library", "export", "my-library"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest_path = dir.join("my-library/templates/financial-consulting.yaml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    // Step 1: the field beside the other alternatives, the section after `decisions`.
    let mut edited = String::new();
    for line in manifest.lines() {
        edited.push_str(line);
        edited.push('\n');
        if line.trim_start().starts_with("expenses_cap:") {
            let indent = &line[..line.len() - line.trim_start().len()];
            edited.push_str(&format!(
                "{indent}non_solicitation: {{ type: bool, default: false, help: Adds a covenant not to solicit the Client's employees }}\n"
            ));
        }
        if line.trim_start().starts_with("- { clause: decisions") || line.trim() == "- decisions" {
            edited.push_str("  - { clause: non-solicitation, when: clauses.non_solicitation }\n");
        }
    }
    assert_ne!(edited, manifest, "the manifest has the lines the README names");
    std::fs::write(&manifest_path, edited).unwrap();
    // Step 2: the clause.
    write(
        &dir.join("my-library"),
        &[(
            "clauses/non-solicitation.md.tera",
            "**{{ number[\"non-solicitation\"] }}\\.** During the term of this Agreement, Consultant shall not solicit for employment any employee of Client, in consideration of the fees payable under Section {{ number.fees }}.",
        )],
    );
    // Step 3: check, then render with and without the key.
    let o = run_in(&dir, &["library", "check", "--library", "my-library"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let exhibit = std::fs::read_to_string(root().join("fixtures/exhibit-1.4.yaml")).unwrap();
    write(
        &dir,
        &[("plain.yaml", &exhibit), ("with.yaml", &format!("{exhibit}clauses: {{ non_solicitation: true }}\n"))],
    );
    let o = run_in(&dir, &["render", "plain.yaml", "with.yaml", "--library", "my-library", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plain = std::fs::read(dir.join("out/plain.md")).unwrap();
    assert_eq!(plain, std::fs::read(root().join("fixtures/exhibit-1.4.md")).unwrap(), "without the key: the exhibit");
    let with = std::fs::read_to_string(dir.join("out/with.md")).unwrap();
    assert!(with.contains("**7\\.** During the term of this Agreement, Consultant shall not solicit"), "{with}");
    assert!(with.contains("the fees payable under Section 4."), "{with}");
    assert!(with.contains("**8\\.** This Agreement shall be governed"), "{with}");
}

/// One deal sheet is rendered with only its agreement read and only the clauses it keeps
/// parsed: each golden deal sheet rendered alone gives the Markdown its golden file holds
/// (the golden test renders them together, with the whole library parsed).
#[test]
fn each_deal_sheet_rendered_alone_matches_its_golden_markdown() {
    let sheets: Vec<String> = ["fixtures", "fixtures/variants", "fixtures/lenient", "fixtures/finder"]
        .iter()
        .flat_map(|d| yaml_files(d))
        .collect();
    assert!(sheets.len() >= 20, "{sheets:?}");
    let mut failures = Vec::new();
    for sheet in &sheets {
        let o = run(&["render", sheet, "--format", "md", "-o", "-"]);
        let golden = std::fs::read_to_string(root().join(sheet).with_extension("md")).unwrap();
        if o.status.code() != Some(0) || stdout(&o) != golden {
            failures.push(format!("{sheet}: exit {:?}, {}", o.status.code(), stderr(&o)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
