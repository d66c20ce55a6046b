//! `clausewright schema`: the JSON Schema of deal sheets built from the manifests, for editors.

use super::options::{load_library, LibraryArgs};
use super::report::usage_error;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct SchemaArgs {
    /// Only this agreement's deal sheets (default: every agreement, chosen by `agreement:`).
    #[arg(long, value_name = "ID")]
    pub(super) agreement: Option<String>,
    #[command(flatten)]
    pub(super) library: LibraryArgs,
}

/// Prints the schema.
pub(super) fn run(args: SchemaArgs) -> ExitCode {
    let library = match load_library(&args.library) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(id) = &args.agreement {
        if library.agreement(id).is_none() {
            return usage_error(format!(
                "unknown agreement `{id}`; the library has: {}",
                library.agreement_ids().join(", ")
            ));
        }
    }
    print!("{}", crate::library::schema::json_schema(&library, args.agreement.as_deref()));
    ExitCode::SUCCESS
}
