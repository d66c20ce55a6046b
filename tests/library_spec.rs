//! The acceptance test of the library format (docs/library.md), played by an independent
//! user: two libraries written from the spec alone, not from the program.
//!
//! - `fixtures/libraries/advisory`: a new agreement, `placement-agent` (a placement agency
//!   agreement for a Regulation D offering), with fields of every type of the spec's table,
//!   computed money and dates, optional sections renumbered with cross-references, and
//!   checks (an error and a warning). Its deal sheets are in `fixtures/library-deals/advisory`, with the expected
//!   Markdown beside the valid ones and the pinned messages beside the invalid ones.
//! - `fixtures/libraries/consulting-extras`: laid over the embedded library, it replaces one
//!   clause of the Financial Consulting Agreement and adds an optional section to it.
//!
//! Broken copies of the advisory library are made here, one mistake each, and every one must
//! be refused before any deal sheet is read (exit 2) with the file, the line and what is wrong.
//! Re-accept changed goldens with `CLAUSEWRIGHT_ACCEPT=1 cargo test --test library_spec`.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const ADVISORY: &str = "fixtures/libraries/advisory";
const EXTRAS: &str = "fixtures/libraries/consulting-extras";
/// Deal sheets live outside the library folders: a library holds only templates/ and clauses/.
const ADVISORY_DEALS: &str = "fixtures/library-deals/advisory";
const EXTRAS_DEALS: &str = "fixtures/library-deals/consulting-extras";
const MANIFEST: &str = "templates/placement-agent.yaml";

/// Renders `sheet` (a path from the root) to Markdown with the given libraries, in a fresh
/// folder named `case`; returns the exit status, the text written (if any) and stderr.
fn render_with(libraries: &[&str], sheet: &str, case: &str) -> (Option<i32>, Option<String>, String) {
    let out = temp_dir(case);
    let mut args = vec!["render", sheet, "--quiet", "--format", "md", "--out", out.to_str().unwrap()];
    for lib in libraries {
        args.extend(["--library", lib]);
    }
    let o = run(&args);
    let stem = Path::new(sheet).file_stem().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(out.join(format!("{stem}.md"))).ok();
    (o.status.code(), text, stderr(&o))
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line contains {needle:?}")) + 1
}

/// True when `err` names `file` at `line` (`file:line` not followed by another digit).
fn names_position(err: &str, file: &str, line: usize) -> bool {
    let at = format!("{file}:{line}");
    err.match_indices(&at).any(|(i, _)| !err[i + at.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the advisory library (templates/ and clauses/ only) in `<case>/lib`; returns `<case>`.
fn library_copy(case: &str) -> PathBuf {
    let dir = temp_dir(case);
    for sub in ["templates", "clauses"] {
        copy_dir(&root().join(ADVISORY).join(sub), &dir.join("lib").join(sub));
    }
    dir
}

// ---------------------------------------------------------------------------------------
// The advisory library renders

#[test]
fn the_advisory_deal_sheets_render_to_their_expected_markdown() {
    let sheets = yaml_files(ADVISORY_DEALS);
    assert!(sheets.len() >= 4, "{sheets:?}");
    let mut failures = Vec::new();
    for sheet in &sheets {
        let stem = Path::new(sheet).file_stem().unwrap().to_str().unwrap().to_string();
        let (code, text, err) = render_with(&[ADVISORY], sheet, &format!("advisory-{stem}"));
        if code != Some(0) {
            failures.push(format!("{sheet}: exit {code:?}\n{err}"));
            continue;
        }
        let source = std::fs::read_to_string(root().join(sheet)).unwrap();
        if stem == "long-tail" {
            // The warning check: the sheet renders, and the warning points at `term.tail_months`.
            let line = line_of(&source, "tail_months:");
            if !err.contains("warning") || !names_position(&err, sheet, line) || !err.contains("twelve months") {
                failures.push(format!("{sheet}: expected the tail warning at line {line}\n{err}"));
            }
        } else if !err.is_empty() {
            failures.push(format!("{sheet}: unexpected messages\n{err}"));
        }
        failures.extend(golden(&root().join(sheet).with_extension("md"), text.unwrap_or_default().as_bytes()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The parts of the rendered text the spec fixes, checked apart from the goldens so that a
/// re-accepted golden cannot hide them: computed money and dates, renumbering, references.
#[test]
fn computed_values_numbering_and_references_follow_the_deal() {
    let (code, text, err) = render_with(&[ADVISORY], &format!("{ADVISORY_DEALS}/month-end.yaml"), "month-end");
    assert_eq!(code, Some(0), "{err}");
    let text = text.unwrap();
    // 6.5% of $12,500,000.50 is 812,500.03250: rounded to the cent only at the end.
    assert!(text.contains(r"the cash fee will be \$812,500.03."), "{text}");
    // 2023-08-31 plus six months: February 2024 has no 31st, so its last day.
    assert!(text.contains("ending on February 29, 2024"), "{text}");
    // No tail (tail_months: 0): its section is left out and the exclusions move up to 5.
    assert!(text.contains(r"**5\.** No fee is payable under Section 3 on securities"), "{text}");
    assert!(text.contains(", except as provided in Section 5;"), "{text}");
    assert!(!text.contains("after the end of the term"), "{text}");
    assert!(text.contains(r"**7\.** This Agreement shall be governed"), "{text}");
    assert!(!text.contains(r"**8\.**"), "{text}");
    // Choice values in any letter case are the value as declared.
    assert!(text.contains("convertible promissory notes"), "{text}");
    assert!(text.contains("Rule 506(c)"), "{text}");
    assert!(text.contains("laws of the State of California"), "{text}");
    assert!(text.contains("its non-exclusive placement agent"), "{text}");

    let (code, text, err) = render_with(&[ADVISORY], &format!("{ADVISORY_DEALS}/long-tail.yaml"), "long-tail");
    assert_eq!(code, Some(0), "{err}");
    let text = text.unwrap();
    // 2024-01-31 + 1 month = 2024-02-29 (clamped), + 18 months = 2025-08-29.
    assert!(text.contains("ending on February 29, 2024"), "{text}");
    assert!(text.contains("on or before August 29, 2025"), "{text}");
    assert!(text.contains("eighteen months (18)"), "{text}");
}

#[test]
fn the_advisory_library_passes_check_and_leaves_the_embedded_agreement_alone() {
    for sheet in yaml_files(ADVISORY_DEALS) {
        let o = run(&["check", &sheet, "--library", ADVISORY]);
        assert_eq!(o.status.code(), Some(0), "{sheet}: {}", stderr(&o));
    }
    // The exhibit is byte-identical with a library that adds an agreement and no override.
    let (code, text, err) = render_with(&[ADVISORY], "fixtures/exhibit-1.4.yaml", "exhibit-with-advisory");
    assert_eq!(code, Some(0), "{err}");
    let expected = std::fs::read_to_string(root().join("fixtures/exhibit-1.4.md")).unwrap();
    assert!(text.unwrap() == expected, "the exhibit changed under --library {ADVISORY}");
    // Without the library, the agreement is unknown (a deal-sheet error, exit 1).
    let (code, _, err) = render_with(&[], &format!("{ADVISORY_DEALS}/minimal.yaml"), "no-library");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("placement-agent"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Invalid deal sheets for the advisory agreement

/// Sheets, the text of the line the message must point at, and what it must say. A missing
/// key is reported at the first key of its map, as for deal-sheet format v1.
const INVALID: &[(&str, &str, &[&str])] = &[
    ("solicitation-under-506b", "general_solicitation:", &["error", "506(b)"]),
    ("percent-over-max", "cash:", &["fee.cash", "10"]),
    ("percent-three-decimals", "cash:", &["fee.cash"]),
    ("percent-zero", "cash:", &["fee.cash"]),
    ("money-three-decimals", "gross_proceeds:", &["offering.gross_proceeds"]),
    ("money-under-min", "gross_proceeds:", &["offering.gross_proceeds"]),
    ("unknown-key-misspelt", "exclusve:", &["exclusve", "`exclusive`"]),
    ("choice-unknown", "exemption:", &["offering.exemption", "rule-506d", "rule-506b"]),
    ("date-impossible", "date:", &["date"]),
    ("date-before-min", "date:", &["date", "2000-01-01"]),
    ("date-year-alone", "date:", &["date"]),
    ("integer-over-max", "months:", &["term.months", "24"]),
    ("integer-fraction", "months:", &["term.months"]),
    ("bool-quoted", "exclusive:", &["exclusive"]),
    ("text-pattern", "reference:", &["reference"]),
    ("decimal-too-many-places", "exercise_multiple:", &["fee.warrants.exercise_multiple"]),
    ("group-missing-required", "exercise_multiple:", &["fee.warrants.coverage"]),
    ("list-empty", "excluded_investors:", &["excluded_investors"]),
    ("list-too-long", "- name: Investor 1", &["excluded_investors", "25"]),
    ("list-item-unknown-key", "cpa:", &["cpa", "`cap`"]),
    ("list-not-a-list", "excluded_investors:", &["excluded_investors"]),
    ("file-number-malformed", "file_number:", &["registration.file_number"]),
    ("jurisdiction-foreign", "governing_law:", &["governing_law", "Ontario"]),
    ("missing-required", "exemption:", &["offering.gross_proceeds"]),
    ("text-control-character", "Halyard", &["agent.name"]),
];

#[test]
fn invalid_advisory_sheets_are_refused_with_their_pinned_messages() {
    let dir = format!("{ADVISORY_DEALS}/invalid");
    let files = yaml_files(&dir);
    let mut failures = Vec::new();
    for (name, _, _) in INVALID {
        if !files.contains(&format!("{dir}/{name}.yaml")) {
            failures.push(format!("{dir}/{name}.yaml is missing"));
        }
    }
    let out = temp_dir("advisory-invalid");
    for sheet in &files {
        let name = Path::new(sheet).file_stem().unwrap().to_str().unwrap();
        let o =
            run(&["render", sheet, "--quiet", "--library", ADVISORY, "--format", "md", "--out", out.to_str().unwrap()]);
        let err = stderr(&o);
        if o.status.code() != Some(1) || err.contains("panicked") {
            failures.push(format!("{sheet}: exit {:?}, expected 1\n{err}", o.status.code()));
        }
        if !err.contains(&format!("{sheet}:")) || !err.contains("error") {
            failures.push(format!("{sheet}: the message does not name the file and position\n{err}"));
        }
        if let Some((_, at, says)) = INVALID.iter().find(|(n, _, _)| *n == name) {
            let line = line_of(&std::fs::read_to_string(root().join(sheet)).unwrap(), at);
            if !names_position(&err, sheet, line) {
                failures.push(format!("{sheet}: the message does not point at line {line}\n{err}"));
            }
            for s in *says {
                if !err.contains(s) {
                    failures.push(format!("{sheet}: the message does not say {s:?}\n{err}"));
                }
            }
        }
        failures.extend(golden(&root().join(sheet).with_extension("stderr"), err.as_bytes()));
    }
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert!(written.is_empty(), "files were written for invalid deal sheets: {written:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The hint for a missing key ("add `key: value`") is a value the field accepts: following it
/// gives a sheet that passes.
#[test]
fn following_the_hint_for_a_missing_key_gives_a_valid_sheet() {
    let dir = temp_dir("missing-key-hints");
    for (name, parent, indent) in
        [("missing-required", "offering:", "  "), ("group-missing-required", "  warrants:", "    ")]
    {
        let sheet = format!("{ADVISORY_DEALS}/invalid/{name}.yaml");
        let o = run(&["check", &sheet, "--library", ADVISORY]);
        let err = stderr(&o);
        let hint = err.split("help: add `").nth(1).and_then(|rest| rest.split('`').next());
        let hint = hint.unwrap_or_else(|| panic!("{sheet}: no `add` hint:\n{err}"));
        let text = std::fs::read_to_string(root().join(&sheet)).unwrap();
        let fixed: Vec<String> = text
            .lines()
            .flat_map(
                |l| if l == parent { vec![l.to_string(), format!("{indent}{hint}")] } else { vec![l.to_string()] },
            )
            .collect();
        std::fs::write(dir.join(format!("{name}.yaml")), fixed.join("\n") + "\n").unwrap();
        let o =
            run_in(&dir, &["check", &format!("{name}.yaml"), "--library", &root().join(ADVISORY).to_string_lossy()]);
        assert_eq!(o.status.code(), Some(0), "{sheet} with `{hint}` added:\n{}", stderr(&o));
    }
}

#[test]
fn every_problem_of_an_advisory_sheet_is_reported_in_one_run() {
    let sheet = format!("{ADVISORY_DEALS}/invalid/many-errors.yaml");
    let o = run(&["check", &sheet, "--library", ADVISORY]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let source = std::fs::read_to_string(root().join(&sheet)).unwrap();
    for at in [
        "date:",
        "name: \"\"",
        "entty:",
        "securities:",
        "gross_proceeds:",
        "cash:",
        "months: 0",
        "tail_months:",
        "governing_law:",
    ] {
        let line = line_of(&source, at);
        assert!(names_position(&err, &sheet, line), "no message for line {line} ({at}):\n{err}");
    }
}

// ---------------------------------------------------------------------------------------
// Layering: a library that changes the embedded agreement

#[test]
fn a_later_library_overrides_a_clause_and_adds_a_section_to_the_embedded_agreement() {
    // The exhibit through the extras: the same text, but for the replaced governing-law clause.
    let (code, text, err) = render_with(&[EXTRAS], &format!("{EXTRAS_DEALS}/exhibit.yaml"), "extras-exhibit");
    assert_eq!(code, Some(0), "{err}");
    let stock = std::fs::read_to_string(root().join("fixtures/exhibit-1.4.md")).unwrap();
    let sentence = "the laws of the State of Florida.";
    assert!(stock.contains(sentence));
    let expected = stock.replace(
        sentence,
        "the laws of the State of Florida, and each party submits to the exclusive jurisdiction of the state and federal courts sitting in the State of Florida.",
    );
    assert!(text.as_deref() == Some(expected.as_str()), "{}", text.unwrap_or_default());

    // The new optional section, with the finder's section left out: golden, and the numbers.
    let sheet = format!("{EXTRAS_DEALS}/confidential-no-finder.yaml");
    let (code, text, err) = render_with(&[EXTRAS], &sheet, "extras-confidential");
    assert_eq!(code, Some(0), "{err}");
    let text = text.unwrap();
    assert!(text.contains(r"**6\.** Consultant shall hold in confidence"), "{text}");
    assert!(text.contains("payable under Section 3 are full consideration"), "{text}");
    assert!(text.contains(r"**7\.** This Agreement shall be governed"), "{text}");
    assert!(!text.contains(r"**8\.**"), "{text}");
    let failures: Vec<String> =
        golden(&root().join(&sheet).with_extension("md"), text.as_bytes()).into_iter().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Without the extras the embedded agreement's own confidentiality section (issue 11) is used.
    let (code, text, err) = render_with(&[], &sheet, "extras-absent");
    assert_eq!(code, Some(0), "{err}");
    let text = text.unwrap();
    assert!(text.contains("Consultant shall hold in strict confidence"), "{text}");
    assert!(!text.contains("full consideration for this covenant"), "{text}");
}

#[test]
fn libraries_layer_in_the_order_given_and_clauses_are_shared_by_every_agreement() {
    let late = temp_dir("late-library");
    std::fs::create_dir_all(late.join("clauses")).unwrap();
    std::fs::write(
        late.join("clauses/governing-law.md.tera"),
        "**{{ number[\"governing-law\"] }}\\.** The laws of {{ governing_law | the_state }} govern this Agreement.\n",
    )
    .unwrap();
    let late = late.to_str().unwrap();
    let sheet = format!("{ADVISORY_DEALS}/minimal.yaml");
    let late_text = "The laws of the Commonwealth of Massachusetts govern this Agreement.";
    let extras_text = "courts sitting in the Commonwealth of Massachusetts.";

    // The placement agreement takes governing-law from the embedded library...
    let (_, text, err) = render_with(&[ADVISORY], &sheet, "layer-0");
    assert!(text.expect(&err).contains("laws of the Commonwealth of Massachusetts.\n"), "{err}");
    // ...and from whichever later library replaces it, the last one winning.
    let (code, text, err) = render_with(&[ADVISORY, EXTRAS, late], &sheet, "layer-1");
    assert_eq!(code, Some(0), "{err}");
    let text = text.unwrap();
    assert!(text.contains(late_text) && !text.contains(extras_text), "{text}");
    let (code, text, err) = render_with(&[late, ADVISORY, EXTRAS], &sheet, "layer-2");
    assert_eq!(code, Some(0), "{err}");
    let text = text.unwrap();
    assert!(text.contains(extras_text) && !text.contains(late_text), "{text}");
    // The governing-law section is still numbered 6 (the clause writes its own number).
    assert!(text.contains(r"**6\.** This Agreement shall be governed"), "{text}");
}

// ---------------------------------------------------------------------------------------
// The commands for library authors

#[test]
fn library_check_accepts_the_libraries_written_from_the_spec() {
    for libs in [&[ADVISORY][..], &[EXTRAS], &[ADVISORY, EXTRAS], &[]] {
        let mut args = vec!["library", "check"];
        for lib in libs {
            args.extend(["--library", lib]);
        }
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{libs:?}: {err}");
        // Every declared field of these libraries is used by a template: no warning either
        // (the summary line "0 errors, 0 warnings" aside). The one exception is not theirs: a
        // library that replaces the embedded financial-consulting manifest leaves the embedded
        // clauses of the sections it does not list unused, and the warning names those
        // embedded files (" = in clauses/...", no library folder).
        let lines: Vec<&str> = err.lines().collect();
        let messages: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("error") || l.starts_with("warning"))
            .filter(|(i, l)| {
                let embedded_unused = l.contains("is used by no agreement")
                    && lines.get(i + 1).is_some_and(|next| next.trim_start().starts_with("= in clauses/"));
                !embedded_unused
            })
            .map(|(_, l)| *l)
            .collect();
        assert!(messages.is_empty(), "{libs:?}: {err}");
    }
}

#[test]
fn list_shows_the_new_agreement_its_fields_and_sections() {
    let o = run(&["list", "--library", ADVISORY]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for s in [
        "financial-consulting",
        "placement-agent",
        "Placement Agency Agreement",
        "Engagement of a placement agent for a best-efforts private placement under Regulation D",
        "gross_proceeds",
        "The most the offering may raise",
        "exercise_multiple",
        "excluded_investors",
        "tail_months",
        "percent",
        "money",
        "sec-file-number",
        "rule-506b",
        "exclusions",
        "term.tail_months > 0",
    ] {
        assert!(out.contains(s), "`list --library {ADVISORY}` does not show {s:?}:\n{out}");
    }
    let o = run(&["list", "--library", EXTRAS]);
    assert!(stdout(&o).contains("confidentiality"), "{}", stdout(&o));
}

fn schema_of(libraries: &[&str], agreement: Option<&str>) -> jsonschema::Validator {
    let mut args = vec!["schema"];
    for lib in libraries {
        args.extend(["--library", lib]);
    }
    if let Some(id) = agreement {
        args.extend(["--agreement", id]);
    }
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = schema.to_string();
    if libraries.contains(&ADVISORY) && agreement != Some("financial-consulting") {
        assert!(text.contains("The most the offering may raise"), "descriptions come from `help`");
    }
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

fn as_json(path: &str) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

/// Invalid sheets whose mistake a JSON Schema can express.
const EXPRESSIBLE: &[&str] = &[
    "percent-over-max",
    "percent-three-decimals",
    "percent-zero",
    "money-three-decimals",
    "money-under-min",
    "unknown-key-misspelt",
    "choice-unknown",
    "integer-over-max",
    "integer-fraction",
    "bool-quoted",
    "text-pattern",
    "group-missing-required",
    "list-empty",
    "list-too-long",
    "list-item-unknown-key",
    "list-not-a-list",
    "file-number-malformed",
    "jurisdiction-foreign",
    "missing-required",
];

#[test]
fn the_schema_from_the_manifests_fits_the_advisory_sheets() {
    for validator in [schema_of(&[ADVISORY], None), schema_of(&[ADVISORY], Some("placement-agent"))] {
        for sheet in yaml_files(ADVISORY_DEALS) {
            let errors: Vec<String> = validator.iter_errors(&as_json(&sheet)).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{sheet}: {errors:?}");
        }
        for name in EXPRESSIBLE {
            let sheet = format!("{ADVISORY_DEALS}/invalid/{name}.yaml");
            assert!(!validator.is_valid(&as_json(&sheet)), "the schema accepts {sheet}");
        }
    }
    // One schema for every agreement, chosen by `agreement`.
    let all = schema_of(&[ADVISORY], None);
    assert!(all.is_valid(&as_json("fixtures/exhibit-1.4.yaml")));
    let mut mixed = as_json(&format!("{ADVISORY_DEALS}/minimal.yaml"));
    mixed["agreement"] = "financial-consulting".into();
    assert!(!all.is_valid(&mixed), "a placement-agent sheet passes as a financial-consulting one");
    // The extras' new key is in the schema of the layered library, and, since issue 11 gave the
    // embedded agreement its own confidentiality section, in the embedded one too; a key neither
    // declares is refused.
    let sheet = as_json(&format!("{EXTRAS_DEALS}/confidential-no-finder.yaml"));
    assert!(schema_of(&[EXTRAS], None).is_valid(&sheet));
    assert!(schema_of(&[], None).is_valid(&sheet));
    let mut unknown = sheet.clone();
    unknown["clauses"]["confidentiallity"] = true.into();
    assert!(!schema_of(&[EXTRAS], None).is_valid(&unknown) && !schema_of(&[], None).is_valid(&unknown));
}

#[test]
fn init_writes_a_starter_for_the_new_agreement_that_checks_renders_and_fits_the_schema() {
    let dir = temp_dir("advisory-init");
    let lib = root().join(ADVISORY);
    let lib = lib.to_str().unwrap();
    let o = run_in(&dir, &["init", "--library", lib, "--agreement", "placement-agent", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("deal.yaml")).unwrap();
    assert!(text.contains("agreement: placement-agent"), "{text}");
    // The examples of the manifest are what init writes.
    assert!(text.contains("PA-0001") || !text.contains("reference:"), "{text}");
    let o = run_in(&dir, &["check", "--library", lib, "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let o = run_in(&dir, &["render", "--library", lib, "deal.yaml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("out/deal.md")).unwrap();
    assert!(md.contains("# Placement Agency Agreement"), "{md}");
    let json: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    assert!(schema_of(&[ADVISORY], None).is_valid(&json), "{text}");

    // For the consulting agreement with the extras, the starter knows the new key.
    let o = run_in(
        &dir,
        &[
            "init",
            "--library",
            &root().join(EXTRAS).to_string_lossy(),
            "--agreement",
            "financial-consulting",
            "fc.yaml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "--library", &root().join(EXTRAS).to_string_lossy(), "fc.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------
// Broken copies of the advisory library

/// One mistake made in a copy of the library.
enum Edit {
    /// Replace the first `from` in `file` by `to`; the message points at the line of `to`.
    Replace(&'static str, &'static str, &'static str),
    /// Remove `file`; the message points at the manifest line containing the text given.
    Remove(&'static str, &'static str),
    /// Add `file` (a copy of an existing file): a name that fits no pattern.
    Add(&'static str, &'static str),
}

struct Broken {
    case: &'static str,
    edit: Edit,
    says: &'static [&'static str],
}

const BROKEN: &[Broken] = &[
    Broken {
        case: "manifest-unknown-key",
        edit: Edit::Replace(MANIFEST, "description: Engagement", "descripton: Engagement"),
        says: &["descripton", "`description`"],
    },
    Broken {
        case: "field-unknown-key",
        edit: Edit::Replace(MANIFEST, "required: false, max: 50000", "requird: false, max: 50000"),
        says: &["requird", "`required`"],
    },
    Broken {
        case: "field-unknown-type",
        edit: Edit::Replace(MANIFEST, "cash: { type: percent,", "cash: { type: percentage,"),
        says: &["percentage", "percent"],
    },
    Broken {
        case: "choice-default-not-a-value",
        edit: Edit::Replace(MANIFEST, "default: common-stock", "default: common-shares"),
        says: &["common-shares", "common-stock"],
    },
    Broken {
        case: "choice-without-values",
        edit: Edit::Replace(
            MANIFEST,
            "exemption: { type: choice, values: [rule-506b, rule-506c],",
            "exemption: { type: choice,",
        ),
        says: &["values"],
    },
    Broken {
        case: "pattern-not-a-regex",
        edit: Edit::Replace(MANIFEST, "pattern: '^PA-[0-9]{4}$'", "pattern: '^PA-[0-9{4}$'"),
        says: &["pattern"],
    },
    Broken {
        case: "manifest-not-yaml",
        edit: Edit::Replace(MANIFEST, "      months: { type: integer", "      months: { type: integer, min: [1"),
        says: &[],
    },
    Broken {
        case: "missing-clause-file",
        edit: Edit::Remove("clauses/indemnity.md.tera", "  - indemnity"),
        says: &["indemnity"],
    },
    Broken {
        case: "section-clause-misspelt",
        edit: Edit::Replace(MANIFEST, "  - indemnity", "  - indemnities"),
        says: &["indemnities"],
    },
    Broken {
        case: "condition-undeclared-field",
        edit: Edit::Replace(MANIFEST, "when: fee.monthly_retainer }", "when: fee.monthly_retainers }"),
        says: &["fee.monthly_retainers"],
    },
    Broken {
        case: "condition-not-an-expression",
        edit: Edit::Replace(MANIFEST, "when: 'term.tail_months > 0'", "when: 'term.tail_months >'"),
        says: &[],
    },
    Broken {
        case: "computed-undeclared-field",
        edit: Edit::Replace(
            MANIFEST,
            "cash_fee: { percent_of: [fee.cash, offering.gross_proceeds] }",
            "cash_fee: { percent_of: [fee.cash, offering.gross] }",
        ),
        says: &["offering.gross"],
    },
    Broken {
        case: "computed-unknown-operation",
        edit: Edit::Replace(MANIFEST, "{ product: [fee.monthly_retainer", "{ prodcut: [fee.monthly_retainer"),
        says: &["prodcut", "`product`"],
    },
    Broken {
        case: "check-at-undeclared-field",
        edit: Edit::Replace(MANIFEST, "at: term.tail_months", "at: term.tail_month"),
        says: &["term.tail_month"],
    },
    Broken {
        case: "check-condition-undeclared-field",
        edit: Edit::Replace(MANIFEST, "when: 'term.tail_months > 12'", "when: 'term.tail > 12'"),
        says: &["term.tail"],
    },
    Broken {
        // Conditions compare numbers as numbers (docs/library.md), but text with a number is a
        // mistake of the library, reported at the condition's line.
        case: "check-compares-text-with-a-number",
        edit: Edit::Replace(MANIFEST, "when: 'term.tail_months > 12'", "when: 'agent.name > 8'"),
        says: &["agent.name > 8"],
    },
    Broken {
        case: "check-unknown-key",
        edit: Edit::Replace(MANIFEST, "    warning: a tail", "    warnin: a tail"),
        says: &["warnin", "`warning`"],
    },
    Broken {
        case: "template-undefined-value",
        edit: Edit::Replace(
            "clauses/offering.md.tera",
            "offering.gross_proceeds | money",
            "offering.gross_proceed | money",
        ),
        says: &["gross_proceed"],
    },
    Broken {
        case: "template-undefined-section-number",
        edit: Edit::Replace(
            "clauses/tail.md.tera",
            "Section {{ number.compensation }}",
            "Section {{ number.compensations }}",
        ),
        says: &["compensations"],
    },
    Broken {
        case: "template-prints-an-absent-optional-field",
        edit: Edit::Replace(
            "clauses/appointment.md.tera",
            "for its own account.",
            "for its own account, and raises at least {{ offering.minimum | money }}.",
        ),
        says: &["offering.minimum"],
    },
    Broken {
        case: "template-does-not-parse",
        edit: Edit::Replace(
            "templates/placement-agent.md.tera",
            "as of {{ date | long_date }}.",
            "as of {{ date | long_date( }}.",
        ),
        says: &[],
    },
    Broken {
        case: "clause-does-not-parse",
        edit: Edit::Replace(
            "clauses/retainer.md.tera",
            "{{ retainer_total | money }}",
            "{{ retainer_total | money }}{% endif %}",
        ),
        says: &[],
    },
    Broken {
        case: "misnamed-template-backup",
        edit: Edit::Add("templates/placement-agent.md.tera.bak", "templates/placement-agent.md.tera"),
        says: &["placement-agent.md.tera.bak"],
    },
    Broken {
        case: "misnamed-clause",
        edit: Edit::Add("clauses/governing_law.tera", "clauses/indemnity.md.tera"),
        says: &["governing_law.tera"],
    },
    Broken { case: "misnamed-manifest", edit: Edit::Add("templates/ndaa.yml", MANIFEST), says: &["ndaa.yml"] },
    Broken {
        case: "agreement-id-not-lower-case",
        edit: Edit::Add("templates/Placement_Agent.yaml", MANIFEST),
        says: &["Placement_Agent.yaml"],
    },
];

/// Makes the broken copy for `b`; returns its folder and the file and line the message must name.
fn break_library(b: &Broken) -> (PathBuf, String, Option<usize>) {
    let dir = library_copy(&format!("broken-{}", b.case));
    let lib = dir.join("lib");
    match b.edit {
        Edit::Replace(file, from, to) => {
            let text = std::fs::read_to_string(lib.join(file)).unwrap();
            assert!(text.contains(from), "{}: {file} has no {from:?}", b.case);
            let text = text.replacen(from, to, 1);
            std::fs::write(lib.join(file), &text).unwrap();
            (dir, file.to_string(), Some(line_of(&text, to.lines().next().unwrap())))
        }
        Edit::Remove(file, manifest_line) => {
            std::fs::remove_file(lib.join(file)).unwrap();
            let manifest = std::fs::read_to_string(lib.join(MANIFEST)).unwrap();
            (dir, MANIFEST.to_string(), Some(line_of(&manifest, manifest_line)))
        }
        Edit::Add(file, copy_of) => {
            std::fs::copy(lib.join(copy_of), lib.join(file)).unwrap();
            (dir, file.to_string(), None)
        }
    }
}

#[test]
fn every_broken_copy_of_the_library_is_refused_with_the_file_the_line_and_what_is_wrong() {
    let mut failures = Vec::new();
    let sheet = root().join(ADVISORY_DEALS).join("minimal.yaml");
    for b in BROKEN {
        let (dir, file, line) = break_library(b);
        let where_ = match line {
            Some(l) => format!("{file}:{l}"),
            None => file.clone(),
        };
        let names = |err: &str| match line {
            Some(l) => names_position(err, &file, l),
            None => err.contains(&file),
        };
        // `library check` refuses it, naming the file, the line and what is wrong.
        let o = run_in(&dir, &["library", "check", "--library", "lib"]);
        let err = stderr(&o);
        // The spec gives no exit status for `library check`; a refusal is 1 or 2, never 0.
        if !matches!(o.status.code(), Some(1 | 2)) || err.contains("panicked") {
            failures.push(format!("{}: library check exit {:?}, expected 1 or 2\n{err}", b.case, o.status.code()));
        }
        if !names(&err) || !err.contains("error") {
            failures.push(format!("{}: library check does not name {where_}\n{err}", b.case));
        }
        for s in b.says {
            if !err.contains(s) {
                failures.push(format!("{}: library check does not say {s:?}\n{err}", b.case));
            }
        }
        // Rendering a valid deal sheet with it is refused the same way before the sheet is
        // read (exit 2), and nothing is written.
        std::fs::copy(&sheet, dir.join("minimal.yaml")).unwrap();
        let o = run_in(&dir, &["render", "minimal.yaml", "--quiet", "--library", "lib", "--out", "out"]);
        let err = stderr(&o);
        if o.status.code() != Some(2) || !names(&err) || err.contains("minimal.yaml:") {
            failures.push(format!("{}: render exit {:?}, expected 2 naming {where_}\n{err}", b.case, o.status.code()));
        }
        if dir.join("out").exists() && std::fs::read_dir(dir.join("out")).unwrap().next().is_some() {
            failures.push(format!("{}: render wrote files with a broken library", b.case));
        }
    }
    assert!(failures.is_empty(), "{} problems:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn a_batch_with_a_broken_library_gives_one_error_exit_2_and_writes_nothing() {
    let b = BROKEN.iter().find(|b| b.case == "template-undefined-value").unwrap();
    let (dir, file, line) = break_library(b);
    std::fs::create_dir_all(dir.join("deals")).unwrap();
    let sheet = std::fs::read_to_string(root().join(ADVISORY_DEALS).join("minimal.yaml")).unwrap();
    for i in 0..300 {
        std::fs::write(dir.join(format!("deals/deal-{i:03}.yaml")), &sheet).unwrap();
    }
    for command in
        [&["render", "deals", "--library", "lib", "--out", "out"][..], &["check", "deals", "--library", "lib"]]
    {
        let o = run_in(&dir, command);
        let command = command[0];
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{command}: {err}");
        assert!(names_position(&err, &file, line.unwrap()), "{command}: {err}");
        // One message for the broken template (a summary line may follow), not one per sheet.
        let mentions = err.lines().filter(|l| l.contains(&format!("{file}:"))).count();
        assert_eq!(mentions, 1, "{command}: {mentions} messages for one broken template:\n{err}");
        assert!(!err.contains("deal-"), "{command}: a deal sheet was read:\n{err}");
        assert!(!dir.join("out").exists() || std::fs::read_dir(dir.join("out")).unwrap().next().is_none());
    }
}

/// A check comparing two amounts of money is never silently wrong: either `library check`
/// refuses it, or it compares the amounts as numbers (not "500000.00" > "3000000.00" as text).
#[test]
fn a_check_comparing_money_is_refused_or_compares_numbers() {
    let dir = library_copy("money-condition");
    let manifest = dir.join("lib").join(MANIFEST);
    let text = std::fs::read_to_string(&manifest).unwrap().replacen(
        "checks:\n",
        "checks:\n  - when: 'offering.minimum and offering.minimum > offering.gross_proceeds'\n    at: offering.minimum\n    error: the minimum is more than the offering\n",
        1,
    );
    std::fs::write(&manifest, &text).unwrap();
    let o = run_in(&dir, &["library", "check", "--library", "lib"]);
    if o.status.code() != Some(0) {
        let line = line_of(&text, "offering.minimum > offering.gross_proceeds");
        assert!(names_position(&stderr(&o), MANIFEST, line), "refused without the line:\n{}", stderr(&o));
        return;
    }
    for (name, minimum, refused) in
        [("smaller", "500000", false), ("larger", "4000000", true), ("equal", "3000000", false)]
    {
        let sheet = format!(
            "agreement: placement-agent\ndate: 2024-03-15\ncompany:\n  name: A Corp.\nagent:\n  name: B LLC\noffering:\n  exemption: rule-506b\n  gross_proceeds: 3000000\n  minimum: {minimum}\nfee:\n  cash: 7\nterm:\n  months: 6\ngoverning_law: Ohio\n"
        );
        std::fs::write(dir.join(format!("{name}.yaml")), sheet).unwrap();
        let o = run_in(&dir, &["check", &format!("{name}.yaml"), "--library", "lib"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(if refused { 1 } else { 0 }), "minimum {minimum} of 3000000: {err}");
        assert_eq!(err.contains("the minimum is more than the offering"), refused, "{err}");
    }
}
