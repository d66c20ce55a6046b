//! `clausewright check`: validation without writing anything.

use super::options::{check_library_glyphs, FormatArg, Inputs, MessageFormat};
use super::report::{count, out, print_diagnostics, summary, usage_error};
use crate::{batch, pdf, Format, Pipeline};
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub(super) inputs: Inputs,
    /// The formats to check for, comma-separated [default: md,pdf]. `--format md` skips the
    /// PDF font's coverage of names, for deal sheets only ever rendered to Markdown.
    #[arg(long, short, value_delimiter = ',', ignore_case = true, value_name = "FORMATS")]
    pub(super) format: Vec<FormatArg>,
    /// Diagnostics only: no `FILE: ok` lines and no summary.
    #[arg(long, short)]
    pub(super) quiet: bool,
}

pub(super) fn check(args: CheckArgs) -> ExitCode {
    super::report::set_message_format(args.inputs.message_format);
    let found = match args.inputs.gather() {
        Ok(found) => found,
        Err(e) => return usage_error(e),
    };
    let hint = super::options::agreement_hint(&found);
    let library = match super::options::load_library_for(&args.inputs.library, hint.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // The pipeline checks everything `render` could refuse (the PDF font's coverage
    // included) when asked for no format; only Markdown when only Markdown is wanted.
    let asked = FormatArg::formats(&args.format);
    let formats = if asked == [Format::Markdown] { asked } else { Vec::new() };
    if formats.is_empty() {
        if let Err(e) = check_library_glyphs(&library) {
            return usage_error(e);
        }
    }
    let pipeline = Pipeline {
        library,
        formats,
        paper: pdf::Paper::Letter,
        source_date_epoch: None,
        deny_warnings: args.inputs.deny_warnings,
    };
    if let Err(code) = super::options::preflight(&pipeline.library, !args.inputs.library.dirs.is_empty()) {
        return code;
    }
    let format = args.inputs.message_format;
    let mut failed = 0;
    let mut stdout_open = true;
    for f in &found {
        let name = f.input.name();
        let bytes = batch::read(&f.input);
        let result = match &bytes {
            Ok(bytes) => pipeline.run(bytes, &name).map(|r| r.warnings),
            Err(d) => Err(vec![d.clone().in_file(&name)]),
        };
        let source = bytes.as_ref().ok().map(|b| String::from_utf8_lossy(b));
        match result {
            Ok(warnings) => {
                print_diagnostics(&warnings, source.as_deref(), format);
                if !args.quiet && format == MessageFormat::Human && stdout_open {
                    stdout_open = out(&format!("{name}: ok\n"));
                }
            }
            Err(ds) => {
                failed += 1;
                print_diagnostics(&ds, source.as_deref(), format);
            }
        }
    }
    // One deal sheet's `FILE: ok` or diagnostics say it all; several get a count.
    let total = found.len();
    if (!args.quiet && total > 1) || format == MessageFormat::Json {
        let human = match failed {
            0 => format!("all {} valid", count(total, "deal sheet")),
            f => format!("{f} of {} invalid", count(total, "deal sheet")),
        };
        summary(format, &human, serde_json::json!({ "checked": total, "invalid": failed }));
    }
    ExitCode::from(if failed > 0 { 1 } else { 0 })
}
