//! `clausewright init`: a commented starter deal sheet that passes `check`.

use super::report::usage_error;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct InitArgs {
    /// The agreement to start from (see `clausewright list`).
    #[arg(long, default_value = "financial-consulting")]
    pub(super) agreement: String,
    /// Where to write the deal sheet; standard output when absent.
    pub(super) file: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub(super) force: bool,
}

pub(super) fn init(args: InitArgs) -> ExitCode {
    let Some((_, starter)) = crate::library::STARTERS.iter().find(|(id, _)| *id == args.agreement) else {
        let ids: Vec<&str> = crate::library::STARTERS.iter().map(|(id, _)| *id).collect();
        return usage_error(format!("unknown agreement `{}`; the library has: {}", args.agreement, ids.join(", ")));
    };
    let Some(file) = args.file else {
        print!("{starter}");
        return ExitCode::SUCCESS;
    };
    if file.exists() && !args.force {
        return usage_error(format!("{} exists; pass --force to overwrite it", file.display()));
    }
    match crate::output::write_atomic(&file, starter.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote {}; edit it, then `clausewright check {}`", file.display(), file.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", file.display());
            ExitCode::from(1)
        }
    }
}
