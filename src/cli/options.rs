//! Options shared by several commands, and what they turn into.

use super::report::print_diagnostics;
use crate::batch::{self, Found};
use crate::library::{Library, EMBEDDED};
use crate::Format;
use clap::{ArgAction, Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

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
    #[command(flatten)]
    pub(super) library: LibraryArgs,
    /// Also search the sub-folders of folders given as INPUT (hidden files and folders are
    /// always skipped).
    #[arg(long, short)]
    pub(super) recursive: bool,
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
    Docx,
}

impl FormatArg {
    /// The formats asked for, sorted and without repeats.
    pub(super) fn formats(args: &[FormatArg]) -> Vec<Format> {
        let mut formats: Vec<Format> = args
            .iter()
            .map(|f| match f {
                FormatArg::Md => Format::Markdown,
                FormatArg::Pdf => Format::Pdf,
                FormatArg::Docx => Format::Docx,
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
    report_library(Library::load(&args.dirs))
}

/// The library for rendering or checking deal sheets. Without `--library`, the embedded one
/// read lazily: each template is parsed when a deal first needs it, and when one deal sheet
/// names its agreement (`agreement`), only that agreement's manifest is read.
pub(super) fn load_library_for(args: &LibraryArgs, agreement: Option<&str>) -> Result<Library, ExitCode> {
    let loaded = match (args.dirs.is_empty(), agreement) {
        (true, Some(id)) => Library::embedded_for(id).unwrap_or_else(Library::embedded_lazy),
        (true, None) => Library::embedded_lazy(),
        _ => Library::load(&args.dirs),
    };
    report_library(loaded)
}

/// A library loaded, or its problems printed (exit status 2).
fn report_library(loaded: Result<Library, Vec<crate::Diagnostic>>) -> Result<Library, ExitCode> {
    loaded.map_err(|problems| {
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
/// embedded library passes `library check` in the test suite (`tests/library.rs`), so a run
/// with it alone skips this: checking it again would cost every batch the rendering of every
/// agreement in every variant, several times what a hundred deal sheets cost.
pub(super) fn preflight(library: &Library, user_library: bool) -> Result<(), ExitCode> {
    if !user_library {
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

/// The agreement one deal sheet names, read from its `agreement:` line without parsing it (a
/// hint for [`load_library_for`]: a sheet that names it otherwise just loads everything).
pub(super) fn agreement_hint(found: &[Found]) -> Option<String> {
    let [one] = found else { return None };
    // Through the batch's reader: a FIFO, a device or an oversized file is never read here
    // (it is refused later, with its message); standard input is left for the render.
    if !matches!(one.input, batch::Input::File(_)) {
        return None;
    }
    let bytes = batch::read(&one.input).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let line = text.lines().find(|l| l.starts_with("agreement:"))?;
    let value = line["agreement:".len()..].split(" #").next()?.trim().trim_matches(['"', '\'']);
    (!value.is_empty()).then(|| value.to_string())
}

/// Prints problems of library files, quoting each file's line where it can be read.
pub(super) fn print_library_problems(problems: &[crate::Diagnostic], format: MessageFormat) {
    for d in problems {
        let source = std::fs::read_to_string(&d.file)
            .ok()
            .or_else(|| EMBEDDED.iter().find(|(rel, _)| *rel == d.file).map(|(_, text)| text.to_string()));
        match format {
            MessageFormat::Human => super::report::print_human(std::slice::from_ref(d), source.as_deref()),
            MessageFormat::Json => print_diagnostics(std::slice::from_ref(d), None, format),
        }
    }
}

pub(super) fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// A user library's templates checked against the PDF font before any deal sheet is
/// rendered: a character the font lacks, written in a template, is the template's
/// problem, reported once at its file:line:col (not once per deal sheet, blamed on the
/// deal sheet). Text inside `{# comments #}` is not printed and not checked.
pub(super) fn check_library_glyphs(library: &Library) -> Result<(), String> {
    let mut problems = Vec::new();
    // The user's own templates: the embedded ones are covered by the tests.
    for f in library.files().iter().filter(|f| f.origin != f.rel && f.rel.ends_with(".md.tera")) {
        if let Some((line, col, c)) = unprintable_in_template(&f.text) {
            problems.push(format!(
                "{}:{line}:{col}: the PDF font has no glyph for '{}' (U+{:04X})\n  = help: replace the character in the template, or render only Markdown (--format md)",
                f.origin,
                c.escape_debug(),
                c as u32
            ));
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
