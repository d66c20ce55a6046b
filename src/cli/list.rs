//! `clausewright list`: the agreements and clause alternatives of the library.

use crate::library::{AGREEMENTS, ALTERNATIVES};
use std::process::ExitCode;

/// Prints the `list` text.
pub(super) fn run() -> ExitCode {
    print!("{}", list());
    ExitCode::SUCCESS
}

/// The `list` text: agreements with their sections, then the clause alternatives.
fn list() -> String {
    let mut out = String::from("Agreements (deal sheet `agreement:`):\n");
    for a in AGREEMENTS {
        out.push_str(&format!("  {:<22} {}\n", a.id, a.description));
        for (i, (id, what)) in a.sections.iter().enumerate() {
            out.push_str(&format!("      {}. {:<15} {}\n", i + 1, id, what));
        }
    }
    out.push_str("\nClause alternatives (deal sheet `clauses:`, and `fee.payment`):\n");
    for (key, values, default, what) in ALTERNATIVES {
        out.push_str(&format!("  {key:<14} {values}  (default {default})\n      {what}\n"));
    }
    out
}
