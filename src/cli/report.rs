//! What the commands print besides their results: diagnostics, usage errors, progress,
//! summaries. Nothing here panics on a closed pipe (`check deals/ | head -1`): a stream
//! that cannot be written is left alone.

use super::options::MessageFormat;
use crate::batch::Outcome;
use crate::Diagnostic;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether diagnostics on standard error are coloured (set once by `--color`).
static COLOR: AtomicBool = AtomicBool::new(false);

/// Whether messages are JSON lines (`--message-format json`), usage errors included.
static JSON: AtomicBool = AtomicBool::new(false);

/// How many diagnostics of one file are shown in human format; the rest are counted in
/// one closing line (all of them are in `--message-format json`).
pub(super) const MAX_SHOWN: usize = 50;

/// `--color`: `auto` colours a terminal unless `NO_COLOR` is set (to anything but "").
pub(super) fn set_color(choice: clap::ColorChoice) {
    let on = match choice {
        clap::ColorChoice::Always => true,
        clap::ColorChoice::Never => false,
        clap::ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
        }
    };
    COLOR.store(on, Ordering::Relaxed);
}

/// `--message-format`: from now on usage errors are JSON objects too, so every line on
/// standard error is JSON.
pub(super) fn set_message_format(format: MessageFormat) {
    JSON.store(format == MessageFormat::Json, Ordering::Relaxed);
}

/// Writes to standard output; false once it is closed.
pub(super) fn out(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).is_ok()
}

/// Writes to standard error, quietly giving up when it is closed.
pub(super) fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Prints `error: MESSAGE` and returns exit status 2.
pub(super) fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    if JSON.load(Ordering::Relaxed) {
        let d = Diagnostic::error(Default::default(), "", message.to_string());
        err(&format!("{}\n", serde_json::to_string(&d).unwrap_or_default()));
        return ExitCode::from(2);
    }
    let label = if COLOR.load(Ordering::Relaxed) { "\x1b[1;31merror\x1b[0m" } else { "error" };
    err(&format!("{label}: {message}\n"));
    ExitCode::from(2)
}

/// Several usage errors at once (every problem of an output plan), exit status 2.
pub(super) fn usage_errors(messages: &[String]) -> ExitCode {
    for m in messages {
        let _ = usage_error(m);
    }
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

/// Prints every diagnostic, by input.
pub(super) fn report(outcomes: &[Outcome], format: MessageFormat) {
    for outcome in outcomes {
        let diagnostics = match &outcome.result {
            Ok(w) => &w.warnings,
            Err(ds) => ds,
        };
        print_diagnostics(diagnostics, outcome.source.as_deref(), format);
    }
}

/// Prints diagnostics as the human format does, without the per-file cap.
pub(super) fn print_human(diagnostics: &[Diagnostic], source: Option<&str>) {
    err(&crate::diagnostic::render_styled(diagnostics, source, COLOR.load(Ordering::Relaxed)));
}

/// Prints the diagnostics of one file: in human format the first [`MAX_SHOWN`] and a
/// line counting the rest; in JSON every one, one object per line.
pub(super) fn print_diagnostics(diagnostics: &[Diagnostic], source: Option<&str>, format: MessageFormat) {
    if diagnostics.is_empty() {
        return;
    }
    match format {
        MessageFormat::Human => {
            // A problem of a library template or manifest (met while rendering this sheet)
            // quotes its own file's line, not the deal sheet's.
            let (library, own): (Vec<Diagnostic>, Vec<Diagnostic>) =
                diagnostics.iter().cloned().partition(|d| crate::library::is_library_file(&d.file));
            if !library.is_empty() {
                super::options::print_library_problems(&library, format);
            }
            let diagnostics = &own[..];
            if diagnostics.is_empty() {
                return;
            }
            let shown = &diagnostics[..diagnostics.len().min(MAX_SHOWN)];
            let mut text = crate::diagnostic::render_styled(shown, source, COLOR.load(Ordering::Relaxed));
            if diagnostics.len() > shown.len() {
                let more = diagnostics.len() - shown.len();
                text.push_str(&format!(
                    "... and {} in {} (--message-format json lists them all)\n\n",
                    count(more, "more problem"),
                    diagnostics[0].file
                ));
            }
            err(&text);
        }
        MessageFormat::Json => {
            let mut text = String::new();
            for d in diagnostics {
                text.push_str(&serde_json::to_string(d).unwrap_or_default());
                text.push('\n');
            }
            err(&text);
        }
    }
}

/// Prints the closing summary: a sentence in human format, `{"summary": {...}}` in JSON.
pub(super) fn summary(format: MessageFormat, human: &str, json: serde_json::Value) {
    match format {
        MessageFormat::Human => err(&format!("{human}\n")),
        MessageFormat::Json => err(&format!("{}\n", serde_json::json!({ "summary": json }))),
    }
}

/// `n` with thousands separators and the noun in singular or plural: "1 file",
/// "2,000 deal sheets".
pub(super) fn count(n: usize, noun: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let plural = if n == 1 { "" } else { "s" };
    format!("{grouped} {noun}{plural}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "file"), "0 files");
        assert_eq!(count(2000, "deal sheet"), "2,000 deal sheets");
        assert_eq!(count(1_234_567, "problem"), "1,234,567 problems");
    }
}
