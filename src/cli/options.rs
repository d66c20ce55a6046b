//! Options shared by several commands, and what they turn into.

use crate::library::{Library, EMBEDDED};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub(super) struct Inputs {
    /// How diagnostics are printed: human (with source lines and carets) or json (one object per line).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, global = true)]
    pub(super) message_format: MessageFormat,
    /// Deal sheets, or folders whose *.yaml / *.yml files are all taken.
    #[arg(required = true, value_name = "INPUT")]
    pub(super) inputs: Vec<PathBuf>,
    /// Use the templates of DIR (DIR/templates/*.md.tera, DIR/clauses/*.md.tera) instead of
    /// the embedded ones; files it lacks come from the embedded library.
    #[arg(long, value_name = "DIR")]
    pub(super) library: Option<PathBuf>,
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum PaperArg {
    Letter,
    A4,
}

/// The embedded library, with a user's files laid over it.
pub(super) fn load_library(dir: Option<&Path>) -> Result<Library, String> {
    let Some(dir) = dir else { return Library::embedded().map_err(|e| e.to_string()) };
    if !dir.is_dir() {
        return Err(format!("--library {}: not a folder", dir.display()));
    }
    let mut sources: Vec<(String, String)> = EMBEDDED.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    for (sub, prefix) in [("templates", ""), ("clauses", "clauses/")] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if !file.ends_with(".md.tera") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
            let name = format!("{prefix}{file}");
            sources.retain(|(n, _)| *n != name);
            sources.push((name, text));
        }
    }
    Library::from_sources(sources).map_err(|e| format!("--library {}: {e}", dir.display()))
}

pub(super) fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}
