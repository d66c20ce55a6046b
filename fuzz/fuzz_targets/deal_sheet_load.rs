//! Stage 1: arbitrary bytes -> `deal::load`, then the diagnostics printed the way
//! `clausewright check` / `render` print them (`diagnostic::render` over the lossy source).
//! Any panic, hang or blow-up is a bug; `Err(diagnostics)` is the expected answer to bad input.
#![no_main]

use clausewright::deal::{self, Rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let rules = Rules { agreements: &["financial-consulting"], unprintable: None };
    match deal::load(data, "fuzz.yaml", &rules) {
        Ok(deal::Validated { sheet, warnings }) => {
            // A validated sheet must hold the model's invariants.
            assert!((1..=120).contains(&sheet.term.months), "term out of range: {}", sheet.term.months);
            assert!(sheet.fee.monthly.0 > rust_decimal::Decimal::ZERO, "fee not positive");
            assert_eq!(sheet.agreement, "financial-consulting");
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
