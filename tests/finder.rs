//! The Finder's Agreement, shipped as pure data (`templates/finder.yaml`, its body
//! `templates/finder.md.tera` and `clauses/finder-*.md.tera`): no line of the program knows it.
//! Golden Markdown for the deal sheets in fixtures/finder/, pinned messages for
//! fixtures/finder/invalid/ and fixtures/finder/warnings/, the wording the fee formula and the
//! computed values produce, the PDF, `list`, `init` and `library check`.
//! Re-accept changed goldens with `CLAUSEWRIGHT_ACCEPT=1 cargo test --test finder`.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// Renders every deal sheet given to Markdown in a fresh folder `case`; returns the folder.
fn render_all(sheets: &[String], case: &str) -> PathBuf {
    let out = temp_dir(case);
    let mut args = vec!["render", "--format", "md", "--quiet", "--out", out.to_str().unwrap()];
    args.extend(sheets.iter().map(String::as_str));
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out
}

/// Writes `sheet` as `<name>.yaml` in a fresh folder and renders it to Markdown.
fn render_text(name: &str, sheet: &str) -> String {
    let dir = temp_dir(&format!("finder-{name}"));
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, sheet).unwrap();
    render_markdown(path.to_str().unwrap(), &format!("finder-{name}-out"))
}

/// A deal sheet with the given kind of financing and `fee:` block (indented two spaces).
fn sheet_with(kind: &str, fee: &str) -> String {
    format!(
        "agreement: finder\nfinder:\n  name: \"North Shore Partners, LLC\"\ncompany:\n  name: \"Ardent Robotics, Inc.\"\n\
         financing:\n  kind: {kind}\n  expected_proceeds: 2000000\nfee:\n{fee}tail:\n  months: 9\ngoverning_law: Ohio\n"
    )
}

/// The paragraph of `md` that opens with the bold heading `**N\. heading`.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    md.lines().find(|l| l.starts_with("**") && l.contains(&format!("\\. {heading}"))).unwrap_or_else(|| {
        panic!("no section {heading:?} in:\n{md}");
    })
}

#[test]
fn every_finder_deal_sheet_renders_to_its_golden_markdown() {
    let sheets = yaml_files("fixtures/finder");
    assert_eq!(sheets.len(), 3, "flat, lehman and minimal: {sheets:?}");
    let out = render_all(&sheets, "finder-golden");
    let mut failures = Vec::new();
    for sheet in &sheets {
        let golden_path = root().join(sheet).with_extension("md");
        let rendered = std::fs::read(out.join(golden_path.file_name().unwrap())).unwrap();
        failures.extend(golden(&golden_path, &rendered));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_invalid_finder_deal_sheet_is_refused_with_its_pinned_message() {
    let sheets = yaml_files("fixtures/finder/invalid");
    assert!(sheets.len() >= 10, "{sheets:?}");
    let out = temp_dir("finder-invalid");
    let mut failures = Vec::new();
    for sheet in &sheets {
        let o = run(&["render", sheet, "--quiet", "--format", "md", "--out", out.to_str().unwrap()]);
        let err = stderr(&o);
        if o.status.code() != Some(1) || err.contains("panicked") || !err.contains(&format!("{sheet}:")) {
            failures
                .push(format!("{sheet}: exit {:?}, expected 1 and a message naming the file\n{err}", o.status.code()));
        }
        failures.extend(golden(&root().join(sheet).with_extension("stderr"), err.as_bytes()));
    }
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "files were written for invalid deal sheets");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn finder_warnings_are_pinned_and_the_agreement_is_still_written() {
    let sheets = yaml_files("fixtures/finder/warnings");
    assert!(!sheets.is_empty());
    let failures = warned_sheets_match_their_goldens(&sheets, "finder-warnings", &["--format", "md"]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_lehman_formula_prints_each_tier_and_the_excess() {
    let md = render_markdown("fixtures/finder/lehman.yaml", "finder-lehman");
    let fee = section(&md, "Finder's Fee.");
    assert!(
        fee.contains(
            "equal to the sum of five percent (5%) of the first \\$1,000,000.00 of the Gross Proceeds, \
             four percent (4%) of the next \\$1,000,000.00, three percent (3%) of the next \\$1,000,000.00, \
             two percent (2%) of the next \\$1,000,000.00 and one percent (1%) of the Gross Proceeds in excess \
             of \\$4,000,000.00."
        ),
        "{fee}"
    );
    assert!(fee.contains("The Gross Proceeds of all closings of the Financing are aggregated"), "{fee}");
    // A tiered fee has no single-rate illustration, and its payment at each closing is cumulative.
    assert!(!fee.contains("illustration"), "{fee}");
    let payment = section(&md, "Payment at Each Closing.");
    assert!(payment.contains("computed under Section 5 on all Gross Proceeds received at and before that closing"));
    // A public offering: FINRA's review of underwriting compensation, not Regulation D.
    let compliance = section(&md, "Compliance with Securities Laws.");
    assert!(compliance.contains("FINRA Rule 5110") || compliance.contains("Rule 5110 of the Financial Industry"));
    assert!(!compliance.contains("Regulation D"));
}

#[test]
fn tier_amounts_are_the_exact_differences_of_the_up_to_amounts() {
    let fee = "  tiers:\n    - { rate: 6, up_to: 1000000.00 }\n    - { rate: 4, up_to: 2500000.50 }\n    \
               - { rate: 3, up_to: 2500000.55 }\n    - { rate: 2, up_to: 2500001 }\n";
    let md = render_text("cents", &sheet_with("private-placement", fee));
    let text = section(&md, "Finder's Fee.");
    assert!(
        text.contains(
            "equal to the sum of six percent (6%) of the first \\$1,000,000.00 of the Gross Proceeds, four percent (4%) \
             of the next \\$1,500,000.50, three percent (3%) of the next \\$0.05 and two percent (2%) of the next \\$0.45."
        ),
        "{text}"
    );
    // Without `excess_rate` nothing is paid above the last tier, and the agreement says so.
    assert!(text.contains("no Finder's Fee is payable on Gross Proceeds in excess of \\$2,500,001.00."), "{text}");
}

#[test]
fn one_tier_with_an_excess_rate_is_a_sum_and_one_tier_alone_is_not() {
    let md = render_text(
        "one-tier-excess",
        &sheet_with("debt-financing", "  tiers: [{ rate: 3, up_to: 500000 }]\n  excess_rate: 2\n"),
    );
    assert!(section(&md, "Finder's Fee.").contains(
        "equal to the sum of three percent (3%) of the first \\$500,000.00 of the Gross Proceeds and two percent (2%) \
         of the Gross Proceeds in excess of \\$500,000.00."
    ));
    let md = render_text("one-tier", &sheet_with("debt-financing", "  tiers: [{ rate: 3, up_to: 500000 }]\n"));
    let fee = section(&md, "Finder's Fee.");
    assert!(fee.contains("equal to three percent (3%) of the first \\$500,000.00 of the Gross Proceeds."), "{fee}");
}

#[test]
fn a_flat_fee_states_its_computed_illustration_and_the_tail_ends_on_a_real_day() {
    let md = render_markdown("fixtures/finder/flat.yaml", "finder-flat");
    let fee = section(&md, "Finder's Fee.");
    assert!(fee.contains("equal to seven percent (7%) of the Gross Proceeds."), "{fee}");
    // percent_of: 7% of $5,000,000.00, computed, never typed.
    assert!(
        fee.contains("if the Gross Proceeds were \\$5,000,000.00, the Finder's Fee would be \\$350,000.00."),
        "{fee}"
    );
    // add_months: August 31, 2025 + 18 months has no February 31st: the month's last day.
    let tail = section(&md, "Tail.");
    assert!(tail.contains("within eighteen months (18) after the end of the Engagement Period"), "{tail}");
    assert!(tail.contains("expires on August 31, 2025, on or before February 28, 2027)"), "{tail}");
    assert!(section(&md, "Expenses.").contains("not to exceed \\$15,000.00 in the aggregate"));
    assert!(section(&md, "No Other Compensation.").contains("reimbursement of expenses under Section 8,"));
}

#[test]
fn the_illustration_rounds_to_the_cent_half_away_from_zero() {
    // 5% of $1,000.10 is $50.005 exactly: $50.01 (a banker's rounding would give $50.00).
    // 7.25% of $333.33 is $24.166425: $24.17.
    let md = render_text("round-a", &sheet_with("private-placement", "  rate: 5\n").replace("2000000", "1000.10"));
    assert!(md.contains("the Finder's Fee would be \\$50.01."), "{md}");
    let md =
        render_text("round-b", &sheet_with("private-placement", "  rate: \"7.25%\"\n").replace("2000000", "333.33"));
    assert!(md.contains("the Finder's Fee would be \\$24.17."), "{md}");
}

#[test]
fn without_the_consulting_agreement_its_recital_and_section_go_and_later_sections_move_up() {
    let with = render_markdown("fixtures/finder/flat.yaml", "finder-with-ca");
    let without = render_markdown("fixtures/finder/minimal.yaml", "finder-without-ca");
    assert!(with.contains("(the \"Consulting Agreement\")") && with.contains("**10\\. Consulting Agreement.**"));
    assert!(with.contains("**12\\. Governing Law.**") && !with.contains("**13\\."));
    assert!(!without.contains("Consulting Agreement"), "{without}");
    assert!(without.contains("**10\\. Entire Agreement") && without.contains("**11\\. Governing Law.**"));
    assert!(!without.contains("**12\\."));
    // Cross-references follow the sections they name.
    for md in [&with, &without] {
        assert!(section(md, "Tail.").contains("as provided in Sections 5 and 6,"));
        assert!(section(md, "Entire Agreement").contains("Sections 4, 5, 6, 7 and 9 survive"));
    }
}

#[test]
fn every_kind_of_financing_has_its_own_parties_gross_proceeds_and_compliance() {
    let cases = [
        (
            "private-placement",
            "prospective investors in a private placement",
            "Rule 506(d)(1) of Regulation D",
            "cash purchase price",
        ),
        (
            "public-offering",
            "prospective underwriters for an underwritten public offering",
            "Section 5 of the Securities Act",
            "over-allotment option",
        ),
        (
            "debt-financing",
            "prospective lenders for a loan or other debt financing",
            "license to act as a loan broker",
            "principal amount of loans",
        ),
    ];
    for (kind, parties, compliance, proceeds) in cases {
        let md = render_text(kind, &sheet_with(kind, "  rate: 3\n"));
        assert!(section(&md, "Engagement.").contains(parties), "{kind}");
        assert!(section(&md, "Compliance with Securities Laws.").contains(compliance), "{kind}");
        assert!(section(&md, "Finder's Fee.").contains(proceeds), "{kind}");
        for (other, _, other_compliance, other_proceeds) in cases.iter().filter(|c| c.0 != kind) {
            assert!(!md.contains(other_compliance) && !md.contains(other_proceeds), "{kind} has {other}'s words");
        }
    }
}

#[test]
fn an_individual_finder_signs_in_their_own_name() {
    let md = render_markdown("fixtures/finder/minimal.yaml", "finder-individual");
    assert!(md.contains("Grace A. Whitfield, an individual resident in the State of Texas (\"Finder\")"));
    let block = md.split("> **GRACE A. WHITFIELD**").nth(1).expect("the finder's signature block");
    assert!(!block.contains("By:") && !block.contains("Authorized Officer"), "{block}");
}

#[test]
fn the_finder_pdf_has_the_words_of_its_markdown() {
    let out = temp_dir("finder-pdf");
    for sheet in yaml_files("fixtures/finder") {
        let o = run(&["render", &sheet, "--format", "md,pdf", "--quiet", "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{sheet}: {}", stderr(&o));
        let stem = Path::new(&sheet).file_stem().unwrap().to_str().unwrap();
        let pdf = std::fs::read(out.join(format!("{stem}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{sheet}");
        let md = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
        let words = |w: Vec<String>| -> Vec<String> {
            let w: Vec<String> = w
                .into_iter()
                .filter(|w| !w.chars().all(|c| c == '_'))
                .map(|w| w.replace(['\u{2018}', '\u{2019}'], "'").replace(['\u{201C}', '\u{201D}'], "\""))
                .collect();
            hyphen_joined(&w)
        };
        let (from_md, from_pdf) = (words(markdown_words(&md)), words(pdf_words(&pdf)));
        assert!(from_md.len() > 1000, "{sheet}: {} words", from_md.len());
        assert_eq!(from_md, from_pdf, "{sheet}: the PDF's words differ from the Markdown's");
    }
}

#[test]
fn library_check_passes_on_the_embedded_library_with_the_finder_agreement() {
    let o = run(&["library", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!said.contains("finder"), "library check has something to say about the finder's agreement:\n{said}");
}

#[test]
fn list_shows_the_finder_agreement_and_init_writes_a_starter_check_accepts() {
    let o = run(&["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let list = stdout(&o);
    assert!(list.contains("finder") && list.contains("Finder's Agreement"), "{list}");
    assert!(list.contains("excess_rate") && list.contains("finder-consulting-agreement"), "{list}");
    let dir = temp_dir("finder-init");
    let o = run_in(&dir, &["init", "--agreement", "finder", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let starter = std::fs::read_to_string(dir.join("deal.yaml")).unwrap();
    assert!(starter.contains("agreement: finder"), "{starter}");
    let o = run_in(&dir, &["check", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "the starter:\n{starter}\n{}", stderr(&o));
}

/// Engine (docs/library.md, "Sections, numbering, conditions": a condition is a tera
/// expression over the deal's values): indexing a list and reading a field of the item,
/// `rows[1].amount`, is such an expression, but `library check` takes the `amount` after
/// `]` for an undeclared top-level name. The finder's rising-tiers check works around it
/// with `rows | nth(n=1) | get(key="amount")`.
#[test]
fn a_condition_may_read_a_field_of_a_list_item_by_index() {
    let lib = temp_dir("finder-index-lib");
    std::fs::create_dir_all(lib.join("templates")).unwrap();
    std::fs::create_dir_all(lib.join("clauses")).unwrap();
    let manifest =
        "title: Rows\nfields:\n  rows:\n    type: list\n    min_items: 1\n    items:\n      type: group\n      \
                    fields:\n        amount: { type: money, example: 10.00 }\nsections:\n  - rows-first\nchecks:\n  \
                    - when: 'rows | length > 1 and rows[1].amount == rows[0].amount'\n    at: rows\n    \
                    error: two rows have the same amount\n";
    std::fs::write(lib.join("templates/rows.yaml"), manifest).unwrap();
    std::fs::write(lib.join("templates/rows.md.tera"), "# Rows\n\n{{ sections }}\n").unwrap();
    std::fs::write(
        lib.join("clauses/rows-first.md.tera"),
        "**{{ number[\"rows-first\"] }}\\.** {{ rows[0].amount | money }}\n",
    )
    .unwrap();
    let o = run(&["library", "check", "--library", lib.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

fn schema_validator() -> jsonschema::Validator {
    let o = run(&["schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

fn sheet_json(path: &str) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

#[test]
fn the_schema_accepts_every_finder_sheet_the_tool_accepts_and_rejects_what_it_can_express() {
    let validator = schema_validator();
    let mut valid = yaml_files("fixtures/finder");
    valid.extend(yaml_files("fixtures/finder/warnings"));
    for sheet in &valid {
        let errors: Vec<String> = validator.iter_errors(&sheet_json(sheet)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{sheet}: {errors:?}");
    }
    // Cross-field rules (rate or tiers, rising tiers, dates in order) are the tool's alone.
    let expressible = [
        "financing-kind-unknown",
        "percent-over-100",
        "tail-too-long",
        "tier-key-misspelt",
        "tier-without-up-to",
        "tiers-empty",
        "tiers-too-many",
    ];
    for name in expressible {
        let sheet = format!("fixtures/finder/invalid/{name}.yaml");
        assert!(!validator.is_valid(&sheet_json(&sheet)), "the schema accepts {sheet}");
    }
}

/// Schema (issue 10, item 7: "the schema rejects what a schema can express (money with three
/// decimals, ...)"): a money value written as a number has no `multipleOf: 0.01`, so
/// `expected_proceeds: 750000.125` passes the schema that the tool refuses.
#[test]
fn the_schema_rejects_money_with_three_decimals() {
    let sheet = "fixtures/finder/invalid/money-three-decimals.yaml";
    assert!(!schema_validator().is_valid(&sheet_json(sheet)), "the schema accepts {sheet}");
}
