//! `clausewright compare OLD NEW`: the command line of redlines.
//!
//! Both deal sheets are rendered by the ordinary pipeline (invalid ones are reported
//! as `render` reports them), compared, and the redline is written to `-o FILE`
//! atomically (Markdown, PDF or DOCX, from `--format` or the file's extension) or, as
//! Markdown, to standard output.
//!
//! Exit status: 0 compared (whether or not they differ), 1 an invalid deal sheet, an
//! unwritable output, or (with `--exit-code`) a difference; 2 a usage error.

use super::{compare, to_markdown, Legend, Redline};
use crate::docx::from_markdown;
use crate::library::Library;
use crate::{pdf, Diagnostic, Format, Pipeline};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The arguments of `compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// OLD and NEW deal sheets (with --against-form, NEW alone).
    #[arg(required = true, num_args = 1..=2, value_name = "DEAL_SHEET")]
    files: Vec<PathBuf>,
    /// Compare NEW against the library's starter deal sheet for its agreement.
    #[arg(long)]
    against_form: bool,
    /// md, pdf or docx; by default from the extension of -o, else md.
    #[arg(long, short, value_enum)]
    format: Option<RedlineFormat>,
    /// Write the redline to FILE (atomically); Markdown to standard output when absent.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Paper size of a PDF or DOCX redline.
    #[arg(long, value_enum, default_value_t = PaperSize::Letter)]
    paper: PaperSize,
    /// Exit with status 1 when the agreements differ (like `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
    /// A library folder laid over the embedded library (repeatable, later ones winning).
    #[arg(long = "library", value_name = "DIR", action = clap::ArgAction::Append)]
    library: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RedlineFormat {
    Md,
    Pdf,
    Docx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PaperSize {
    Letter,
    A4,
}

/// The library's starter deal sheet for `agreement` (what `init` writes): what
/// `--against-form` compares with.
pub fn form_for(library: &Library, agreement: &str) -> Option<String> {
    library.agreement(agreement).map(|a| crate::library::starter::text(a, "clausewright.schema.json"))
}

/// One side of the comparison, rendered.
struct Side {
    name: String,
    markdown: String,
    options: pdf::PdfOptions,
}

/// Runs `compare` and returns the exit status.
pub fn run(args: CompareArgs) -> ExitCode {
    let usage = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    match (args.against_form, args.files.len()) {
        (true, 1) | (false, 2) => {}
        (true, _) => return usage("--against-form compares one deal sheet (NEW) with its form".into()),
        (false, _) => return usage("compare needs two deal sheets, OLD and NEW (or --against-form NEW)".into()),
    }
    let format = match (args.format, args.output.as_deref().and_then(extension_format)) {
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) => match &args.output {
            Some(path) => return usage(format!("cannot tell the format of {}; pass --format", path.display())),
            None => RedlineFormat::Md,
        },
    };
    if format != RedlineFormat::Md && args.output.is_none() {
        return usage(format!("a {format:?} redline needs -o FILE").to_lowercase());
    }
    let library = match Library::load(&args.library) {
        Ok(l) => l,
        Err(problems) => {
            crate::cli::print_library_problems(&problems);
            return usage(format!("the clause library has {} problem(s); nothing was compared", problems.len()));
        }
    };
    let pipeline = Pipeline {
        library,
        formats: vec![Format::Markdown],
        paper: match args.paper {
            PaperSize::Letter => pdf::Paper::Letter,
            PaperSize::A4 => pdf::Paper::A4,
        },
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok()),
        deny_warnings: false,
    };
    let new_path = &args.files[args.files.len() - 1];
    let new_bytes = std::fs::read(new_path);
    let old = match args.against_form {
        true => {
            let agreement = new_bytes.as_deref().ok().and_then(agreement_of).unwrap_or_default();
            form_for(&pipeline.library, &agreement).map(|yaml| {
                let name = format!("the {agreement} form");
                (name.clone(), render(&pipeline, Ok(yaml.as_bytes().to_vec()), &name))
            })
        }
        false => {
            Some((display(&args.files[0]), render(&pipeline, std::fs::read(&args.files[0]), &display(&args.files[0]))))
        }
    };
    let new = render(&pipeline, new_bytes, &display(new_path));
    let (old, new) = match (old, new) {
        (Some((_, Some(old))), Some(new)) => (old, new),
        (None, Some(_)) => {
            eprintln!("error: {}: the library has no form for its agreement", display(new_path));
            return ExitCode::from(1);
        }
        _ => return ExitCode::from(1),
    };
    let redline = compare(&from_markdown(&old.markdown), &from_markdown(&new.markdown));
    let legend = Legend { old: old.name.clone(), new: new.name.clone() };
    let bytes = match write(&redline, &legend, &new, format) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    match &args.output {
        None => print!("{}", String::from_utf8_lossy(&bytes)),
        Some(path) => {
            if let Err(e) = crate::output::write_atomic(path, &bytes) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
            let n = redline.changes.len();
            eprintln!("compared {} with {}: {n} change{} ({})", legend.new, legend.old, plural(n), path.display());
        }
    }
    ExitCode::from(if args.exit_code && !redline.is_unchanged() { 1 } else { 0 })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The redline in `format`.
fn write(redline: &Redline, legend: &Legend, new: &Side, format: RedlineFormat) -> Result<Vec<u8>, String> {
    match format {
        RedlineFormat::Md => Ok(to_markdown(redline, legend).into_bytes()),
        RedlineFormat::Docx => {
            let n = redline.changes.len();
            let description = format!("Redline of {} against {}: {n} change{}", legend.new, legend.old, plural(n));
            crate::docx::write(&redline.paras, &new.options, Some(&description)).map_err(|e| e.to_string())
        }
        RedlineFormat::Pdf => super::blackline::render(redline, legend, &new.options).map_err(|e| e.to_string()),
    }
}

fn extension_format(path: &Path) -> Option<RedlineFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Some(RedlineFormat::Md),
        "pdf" => Some(RedlineFormat::Pdf),
        "docx" => Some(RedlineFormat::Docx),
        _ => None,
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The `agreement:` of a deal sheet, read loosely (validation comes with rendering).
fn agreement_of(bytes: &[u8]) -> Option<String> {
    let value: serde_yaml::Value = serde_yaml::from_slice(bytes).ok()?;
    value.get("agreement")?.as_str().map(str::to_string)
}

/// Renders one deal sheet to Markdown, printing its diagnostics; `None` when invalid.
fn render(pipeline: &Pipeline, bytes: std::io::Result<Vec<u8>>, name: &str) -> Option<Side> {
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error(Default::default(), "", format!("cannot read the deal sheet: {e}")).in_file(name);
            eprint!("{}", crate::diagnostic::render(&[d], None));
            return None;
        }
    };
    let source = String::from_utf8_lossy(&bytes).into_owned();
    match pipeline.run(&bytes, name) {
        Ok(rendered) => {
            if !rendered.warnings.is_empty() {
                eprint!("{}", crate::diagnostic::render(&rendered.warnings, Some(&source)));
            }
            let markdown = rendered.outputs.into_iter().find(|(f, _)| *f == Format::Markdown)?.1;
            Some(Side {
                name: name.to_string(),
                markdown: String::from_utf8_lossy(&markdown).into_owned(),
                options: rendered.options,
            })
        }
        Err(diagnostics) => {
            eprint!("{}", crate::diagnostic::render(&diagnostics, Some(&source)));
            None
        }
    }
}
