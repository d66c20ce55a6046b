//! Options shared by several commands, and what they turn into.

use super::report::print_diagnostics;
use crate::library::{Library, EMBEDDED};
use clap::{ArgAction, Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct Inputs {
    /// How diagnostics are printed: human (with source lines and carets) or json (one object per line).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, global = true)]
    pub(super) message_format: MessageFormat,
    /// Deal sheets, or folders whose *.yaml / *.yml files are all taken.
    #[arg(required = true, value_name = "INPUT")]
    pub(super) inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub(super) library: LibraryArgs,
    /// Treat warnings (implausible dates and the like) as errors.
    #[arg(long)]
    pub(super) deny_warnings: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum FormatArg {
    Md,
    Pdf,
    Docx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum PaperArg {
    Letter,
    A4,
}

/// `--library DIR`, repeatable: folders laid over the embedded library, in order.
#[derive(Args, Debug, Default)]
pub(super) struct LibraryArgs {
    /// A library folder (templates/*.yaml, templates/*.md.tera, clauses/*.md.tera) laid over
    /// the embedded library; repeat it to layer several, later ones winning. See
    /// `clausewright library export` for a starting point.
    #[arg(long = "library", value_name = "DIR", action = ArgAction::Append)]
    pub(super) dirs: Vec<PathBuf>,
}

/// The embedded library with the user's folders laid over it, loaded and checked once per
/// run. Its problems are printed (each at its file, line and column) and give exit status 2.
pub(super) fn load_library(args: &LibraryArgs) -> Result<Library, ExitCode> {
    Library::load(&args.dirs).map_err(|problems| {
        print_library_problems(&problems, MessageFormat::Human);
        eprintln!(
            "error: the clause library has {} problem{}; nothing was read or written",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        ExitCode::from(2)
    })
}

/// Before any deal sheet is read: renders every agreement of the library in every variant
/// (`library check`), so a template that fails (an undefined value, a condition that cannot
/// be evaluated) is one library error with exit status 2, not one error per deal sheet. The
/// embedded library passes `library check` in the test suite, so one deal sheet rendered with
/// it alone skips this (the common case stays fast).
pub(super) fn preflight(library: &Library, inputs: usize, user_library: bool) -> Result<(), ExitCode> {
    if inputs < 2 && !user_library {
        return Ok(());
    }
    let report = crate::library::check::check(library);
    let errors: Vec<crate::Diagnostic> = report.problems.into_iter().filter(crate::Diagnostic::is_error).collect();
    if errors.is_empty() {
        return Ok(());
    }
    print_library_problems(&errors, MessageFormat::Human);
    eprintln!(
        "error: the clause library has {} problem{} (`clausewright library check` shows them); no deal sheet was read",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    Err(ExitCode::from(2))
}

/// Prints problems of library files, quoting each file's line where it can be read.
pub(super) fn print_library_problems(problems: &[crate::Diagnostic], format: MessageFormat) {
    for d in problems {
        let source = std::fs::read_to_string(&d.file)
            .ok()
            .or_else(|| EMBEDDED.iter().find(|(rel, _)| *rel == d.file).map(|(_, text)| text.to_string()));
        match format {
            MessageFormat::Human => {
                eprint!("{}", crate::diagnostic::render(std::slice::from_ref(d), source.as_deref()))
            }
            MessageFormat::Json => print_diagnostics(std::slice::from_ref(d), None, format),
        }
    }
}

pub(super) fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}
