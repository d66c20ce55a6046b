//! Stage 1: arbitrary bytes -> `deal::load`, then the diagnostics printed the way
//! `clausewright check` / `render` print them (`diagnostic::render` over the lossy source).
//! Any panic, hang or blow-up is a bug; `Err(diagnostics)` is the expected answer to bad input.
#![no_main]

use clausewright::deal::{self, Rules, Val};
use clausewright::library::Library;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static LIBRARY: OnceLock<Library> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let library = LIBRARY.get_or_init(|| Library::embedded().expect("the embedded library loads"));
    let rules = Rules { library, unprintable: None };
    match deal::load(data, "fuzz.yaml", &rules) {
        Ok(deal::Validated { sheet, warnings }) => {
            // A validated sheet must hold the model's invariants.
            // A validated sheet holds its manifest's rules, e.g. the consulting agreement's.
            if sheet.agreement == "financial-consulting" {
                let months = sheet.get("term.months");
                assert!(matches!(months, Some(Val::Integer(1..=120))), "term out of range: {months:?}");
                let fee = sheet.get("fee.monthly").and_then(Val::as_decimal);
                assert!(fee.is_some_and(|f| f > rust_decimal::Decimal::ZERO), "fee not positive");
            }
            assert!(library.agreement(&sheet.agreement).is_some(), "an agreement the library lacks");
            // Warnings never block a sheet, but they are printed with the source.
            assert!(warnings.iter().all(|d| !d.is_error() && d.file == "fuzz.yaml"), "an error among the warnings");
            if !warnings.is_empty() {
                let _ = clausewright::diagnostic::render(&warnings, Some(&String::from_utf8_lossy(data)));
            }
        }
        Err(diagnostics) => {
            // A refusal always says why, and names the file.
            assert!(!diagnostics.is_empty(), "load failed without a diagnostic");
            assert!(diagnostics.iter().all(|d| d.file == "fuzz.yaml"));
            let source = String::from_utf8_lossy(data);
            let _ = clausewright::diagnostic::render(&diagnostics, Some(&source));
        }
    }
});
