//! `clausewright init`: a commented starter deal sheet, built from the agreement's manifest,
//! that passes `check`.

use super::options::{load_library, LibraryArgs};
use super::report::usage_error;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct InitArgs {
    /// The agreement to start from (`clausewright list`); may be left out when the library
    /// has one agreement.
    #[arg(long, value_name = "ID")]
    pub(super) agreement: Option<String>,
    /// Where to write the deal sheet; standard output when absent.
    pub(super) file: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub(super) force: bool,
    #[command(flatten)]
    pub(super) library: LibraryArgs,
}

/// The schema file the starter's modeline names, beside the deal sheet.
const SCHEMA_FILE: &str = "clausewright.schema.json";

pub(super) fn init(args: InitArgs) -> ExitCode {
    let library = match load_library(&args.library) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let ids = library.agreement_ids();
    let id = match (&args.agreement, ids.as_slice()) {
        (Some(id), _) => id.clone(),
        (None, [only]) => only.to_string(),
        (None, _) => {
            return usage_error(format!(
                "the library has several agreements; choose one with --agreement: {}\n  e.g. clausewright init --agreement {} deals/acme.yaml",
                ids.join(", "),
                ids.first().copied().unwrap_or("ID")
            ))
        }
    };
    let Some(agreement) = library.agreement(&id) else {
        let near = crate::diagnostic::closest(&id, ids.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return usage_error(format!("unknown agreement `{id}`{near}; the library has: {}", ids.join(", ")));
    };
    let starter = crate::library::starter::text(agreement, SCHEMA_FILE);
    // `-` is standard output, as everywhere else on the command line.
    let Some(file) = args.file.filter(|f| f.as_os_str() != "-") else {
        print!("{starter}");
        return ExitCode::SUCCESS;
    };
    if file.exists() && !args.force {
        return usage_error(format!("{} exists; pass --force to overwrite it", file.display()));
    }
    match crate::output::write_atomic(&file, starter.as_bytes()) {
        Ok(()) => {
            let folder =
                file.parent().filter(|p| !p.as_os_str().is_empty()).map_or(".".into(), |p| p.display().to_string());
            let schema = std::path::Path::new(&folder).join(SCHEMA_FILE);
            eprintln!("wrote {}; edit it, then `clausewright check {}`", file.display(), file.display());
            if !schema.exists() {
                eprintln!("for checking and completion in your editor: clausewright schema > {}", schema.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", file.display());
            ExitCode::from(1)
        }
    }
}
