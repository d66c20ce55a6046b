//! Options shared by several commands, and what they turn into.

use crate::batch::{self, Found};
use crate::library::{Library, EMBEDDED};
use crate::Format;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub(super) struct Inputs {
    /// How diagnostics are printed: human (with source lines and carets) or json (one object
    /// per line on standard error, ending with a summary object).
    #[arg(long, value_enum, ignore_case = true, default_value_t = MessageFormat::Human, global = true)]
    pub(super) message_format: MessageFormat,
    /// Deal sheets, or folders whose *.yaml / *.yml files are all taken; `-` (or a pipe with
    /// no INPUT) reads one deal sheet from standard input.
    #[arg(value_name = "INPUT")]
    pub(super) inputs: Vec<PathBuf>,
    /// Also search the sub-folders of folders given as INPUT (hidden files and folders are
    /// always skipped).
    #[arg(long, short)]
    pub(super) recursive: bool,
    /// Use the templates of DIR (DIR/templates/*.md.tera, DIR/clauses/*.md.tera) instead of
    /// the embedded ones; files it lacks come from the embedded library.
    #[arg(long, value_name = "DIR")]
    pub(super) library: Option<PathBuf>,
    /// Treat warnings (implausible dates and the like) as errors.
    #[arg(long)]
    pub(super) deny_warnings: bool,
}

impl Inputs {
    /// The deal sheets named on the command line: the INPUTs, or standard input when it is
    /// a pipe or a file and no INPUT is given. An error when there are none.
    pub(super) fn gather(&self) -> Result<Vec<Found>, String> {
        let given = if self.inputs.is_empty() {
            if !stdin_is_piped() {
                return Err("no INPUT given: name deal sheets or folders, `-` for standard input, or pipe a deal sheet in (see --help)".to_string());
            }
            vec![PathBuf::from("-")]
        } else {
            self.inputs.clone()
        };
        let found = batch::gather(&given, self.recursive).map_err(|e| e.0)?;
        if found.is_empty() {
            let how = if self.recursive { "" } else { " (not in sub-folders without --recursive)" };
            return Err(format!("no deal sheets found: a folder is searched for *.yaml and *.yml files{how}"));
        }
        Ok(found)
    }
}

/// True when standard input is a pipe, a file or a socket: something was sent to it. A
/// terminal or `/dev/null` (what a service or CI gives) is not.
fn stdin_is_piped() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else { return false };
        let Ok(meta) = std::fs::File::from(fd).metadata() else { return false };
        let t = meta.file_type();
        t.is_fifo() || t.is_file() || t.is_socket()
    }
    #[cfg(not(unix))]
    {
        use std::io::IsTerminal;
        !std::io::stdin().is_terminal()
    }
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

impl FormatArg {
    /// The formats asked for, sorted and without repeats.
    pub(super) fn formats(args: &[FormatArg]) -> Vec<Format> {
        let mut formats: Vec<Format> = args
            .iter()
            .map(|f| match f {
                FormatArg::Md => Format::Markdown,
                FormatArg::Pdf => Format::Pdf,
            })
            .collect();
        formats.sort();
        formats.dedup();
        formats
    }
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

/// A user library's templates checked against the PDF font before any deal sheet is
/// rendered: a character the font lacks, written in a template, is the template's
/// problem, reported once at its file:line:col (not once per deal sheet, blamed on the
/// deal sheet). Text inside `{# comments #}` is not printed and not checked.
pub(super) fn check_library_glyphs(dir: Option<&Path>) -> Result<(), String> {
    let Some(dir) = dir else { return Ok(()) };
    let mut problems = Vec::new();
    for sub in ["templates", "clauses"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths.iter().filter(|p| p.to_string_lossy().ends_with(".md.tera")) {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            if let Some((line, col, c)) = unprintable_in_template(&text) {
                problems.push(format!(
                    "{}:{line}:{col}: the PDF font has no glyph for '{}' (U+{:04X})\n  = help: replace the character in the template, or render only Markdown (--format md)",
                    path.display(),
                    c.escape_debug(),
                    c as u32
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\nerror: "))
    }
}

/// The first character outside `{# #}` comments that the PDF font cannot print, with its
/// 1-based line and column. Line breaks and tabs are layout, not glyphs.
fn unprintable_in_template(text: &str) -> Option<(usize, usize, char)> {
    let mut in_comment = false;
    let (mut line, mut col) = (1, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                line += 1;
                col = 0;
                continue;
            }
            '{' if !in_comment && chars.peek() == Some(&'#') => in_comment = true,
            '#' if in_comment && chars.peek() == Some(&'}') => in_comment = false,
            '\t' | '\r' => continue,
            _ => {}
        }
        if !in_comment && crate::pdf::unsupported_char(c.encode_utf8(&mut [0; 4])).is_some() {
            return Some((line, col, c));
        }
    }
    None
}
