//! `clausewright library check` and `clausewright library export`: for library authors.

use super::options::{load_library, print_library_problems, LibraryArgs, MessageFormat};
use super::report::usage_error;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub(super) enum LibraryCommand {
    /// Check a library without a deal sheet: manifests, templates, clause files, and every
    /// agreement rendered from its starter in every variant.
    #[command(
        after_help = "Examples:\n  clausewright library check\n  clausewright library check --library my-library/\n\nExit status: 0 no errors (warnings may be printed), 1 errors found, 2 the library does not load."
    )]
    Check(CheckArgs),
    /// Write the embedded library as files: the starting point of your own library.
    #[command(
        after_help = "Examples:\n  clausewright library export my-library/\n  clausewright render deal.yaml --library my-library/\n\nEdit or add files there; pass the folder with --library. Files you do not change can be\ndeleted: the embedded ones are used for them."
    )]
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    library: LibraryArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args, Debug)]
pub(super) struct ExportArgs {
    /// The folder to write (templates/ and clauses/ inside it).
    dir: PathBuf,
    /// Overwrite files that exist.
    #[arg(long)]
    force: bool,
}

pub(super) fn run(command: LibraryCommand) -> ExitCode {
    match command {
        LibraryCommand::Check(args) => check(args),
        LibraryCommand::Export(args) => export(args),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let library = match load_library(&args.library) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let report = crate::library::check::check(&library);
    print_library_problems(&report.problems, MessageFormat::Human);
    let errors = report.problems.iter().filter(|d| d.is_error() || args.deny_warnings).count();
    let warnings = report.problems.len() - report.problems.iter().filter(|d| d.is_error()).count();
    let n = library.agreement_ids().len();
    eprintln!(
        "checked {n} agreement{} ({} renders): {errors} error{}, {warnings} warning{}",
        if n == 1 { "" } else { "s" },
        report.rendered,
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    ExitCode::from(if errors > 0 { 1 } else { 0 })
}

fn export(args: ExportArgs) -> ExitCode {
    let files = crate::library::EMBEDDED;
    if !args.force {
        if let Some((rel, _)) = files.iter().find(|(rel, _)| args.dir.join(rel).exists()) {
            return usage_error(format!("{} exists; pass --force to overwrite", args.dir.join(rel).display()));
        }
    }
    for (rel, text) in files {
        let path = args.dir.join(rel);
        if let Err(e) = crate::output::write_atomic(&path, text.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    eprintln!("wrote {} files to {}; use it with `--library {}`", files.len(), args.dir.display(), args.dir.display());
    ExitCode::SUCCESS
}
