//! `clausewright schema`: the JSON Schema of deal sheets, for editors.

use std::process::ExitCode;

/// Prints the schema.
pub(super) fn run() -> ExitCode {
    print!("{}", crate::deal::json_schema());
    ExitCode::SUCCESS
}
