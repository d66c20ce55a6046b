//! What the commands print besides their results: diagnostics, usage errors, progress.

use super::options::MessageFormat;
use crate::batch::Outcome;
use crate::Diagnostic;
use std::io::IsTerminal;
use std::process::ExitCode;

/// Prints `error: MESSAGE` and returns exit status 2.
pub(super) fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

pub(super) fn progress_bar(len: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || len < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} deal sheets, {elapsed} elapsed, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Prints every diagnostic, by input; returns how many inputs failed.
pub(super) fn report(outcomes: &[Outcome], format: MessageFormat) -> usize {
    let mut failed = 0;
    for outcome in outcomes {
        match &outcome.result {
            Ok(w) => print_diagnostics(&w.warnings, outcome.source.as_deref(), format),
            Err(ds) => {
                failed += 1;
                print_diagnostics(ds, outcome.source.as_deref(), format);
            }
        }
    }
    failed
}

pub(super) fn print_diagnostics(diagnostics: &[Diagnostic], source: Option<&str>, format: MessageFormat) {
    if diagnostics.is_empty() {
        return;
    }
    match format {
        MessageFormat::Human => {
            // A problem of a library template (met while rendering this sheet) quotes the
            // template's line, not the deal sheet's.
            let input = diagnostics.iter().map(|d| d.file.as_str()).find(|f| !f.ends_with(".md.tera"));
            for d in diagnostics {
                if Some(d.file.as_str()) == input {
                    eprint!("{}", crate::diagnostic::render(std::slice::from_ref(d), source));
                } else {
                    super::options::print_library_problems(std::slice::from_ref(d), format);
                }
            }
        }
        MessageFormat::Json => {
            for d in diagnostics {
                eprintln!("{}", serde_json::to_string(d).unwrap_or_default());
            }
        }
    }
}
