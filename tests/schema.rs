//! The JSON Schema printed by `clausewright schema` accepts every valid fixture and rejects
//! the invalid ones whose mistake a schema can express; `init` writes a sheet that passes.

mod common;
use common::*;

fn schema() -> jsonschema::Validator {
    let o = run(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

fn as_json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn the_schema_accepts_every_valid_fixture() {
    let validator = schema();
    let mut sheets = vec!["fixtures/exhibit-1.4.yaml".to_string()];
    sheets.extend(yaml_files("fixtures/variants"));
    sheets.extend(yaml_files("fixtures/warnings"));
    sheets.extend(yaml_files("fixtures/lenient"));
    for sheet in sheets {
        let errors: Vec<String> = validator.iter_errors(&as_json(&sheet)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{sheet}: {errors:?}");
    }
}

#[test]
fn the_schema_rejects_the_mistakes_it_can_express() {
    let validator = schema();
    let expressible = [
        "agreement-absolute-path",
        "agreement-null",
        "agreement-path",
        "agreement-unknown",
        "alternative-competition-unknown",
        "alternative-unknown",
        "clause-key-unknown",
        "conformed-not-bool",
        "conformed-quoted",
        "date-in-words",
        "date-slashes",
        "entity-misspelt",
        "entity-unknown",
        "exhibit-malformed",
        "expenses-cap-not-money",
        "file-number-letters",
        "file-number-malformed",
        "file-number-too-long",
        "missing-party-name",
        "missing-registration",
        "money-negative",
        "money-three-decimals",
        "money-with-dollar-sign",
        "money-zero",
        "months-fraction",
        "months-in-words",
        "months-quoted",
        "months-too-many",
        "months-zero",
        "name-empty",
        "name-is-a-list",
        "name-too-long",
        "party-is-a-string",
        "payment-unknown",
        "sec-form-malformed",
        "signatory-is-a-string",
        "signatory-without-name",
        "state-foreign",
        "state-misspelt",
        "top-level-list",
        "top-level-scalar",
        "unknown-key-no-suggestion",
        "unknown-nested-key-misspelt",
        "unknown-top-key-misspelt",
        "year-out-of-range",
    ];
    for name in expressible {
        let sheet = as_json(&format!("fixtures/invalid/{name}.yaml"));
        assert!(!validator.is_valid(&sheet), "the schema accepts fixtures/invalid/{name}.yaml");
    }
}

#[test]
fn init_writes_a_sheet_that_checks_renders_and_fits_the_schema() {
    let dir = temp_dir("init");
    let o = run_in(&dir, &["init", "--agreement", "financial-consulting", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "warnings: {}", stderr(&o));
    let o = run_in(&dir, &["render", "deal.yaml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("out/deal.md").is_file());
    let text = std::fs::read_to_string(dir.join("deal.yaml")).unwrap();
    assert!(schema().is_valid(&serde_yaml::from_str::<serde_json::Value>(&text).unwrap()));
    // It does not overwrite a file without --force.
    let o = run_in(&dir, &["init", "--agreement", "financial-consulting", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run_in(&dir, &["init", "--agreement", "financial-consulting", "deal.yaml", "--force"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn money_written_as_a_number_is_checked_to_the_cent_without_float_noise() {
    let validator = schema();
    let exhibit = as_json("fixtures/exhibit-1.4.yaml");
    let with_fee = |text: &str| {
        let mut sheet = exhibit.clone();
        sheet["fee"]["monthly"] = serde_json::from_str(text).unwrap();
        validator.is_valid(&sheet)
    };
    for whole in [0u64, 1, 7, 19, 4000, 12345, 999_999, 123_456_789, 999_999_999_999] {
        for cents in 0..100 {
            let text = format!("{whole}.{cents:02}");
            if text != "0.00" {
                assert!(with_fee(&text), "{text} is an amount of money");
            }
        }
    }
    for bad in ["4000.001", "0.005", "12345.678", "0"] {
        assert!(!with_fee(bad), "{bad} is not");
    }
}
