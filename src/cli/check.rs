//! `clausewright check`: validation without writing anything.

use super::options::{load_library, Inputs};
use super::report::{print_diagnostics, usage_error};
use crate::{batch, pdf, Diagnostic, Pipeline};
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub(super) inputs: Inputs,
}

pub(super) fn check(args: CheckArgs) -> ExitCode {
    let library = match load_library(&args.inputs.library) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let pipeline = Pipeline {
        library,
        formats: Vec::new(),
        paper: pdf::Paper::Letter,
        source_date_epoch: None,
        deny_warnings: args.inputs.deny_warnings,
    };
    let inputs = match batch::gather(&args.inputs.inputs) {
        Ok(i) => i,
        Err(e) => return usage_error(e.0),
    };
    if inputs.is_empty() {
        return usage_error("no deal sheets found (a folder is searched for *.yaml and *.yml files)");
    }
    if let Err(code) = super::options::preflight(&pipeline.library, inputs.len(), !args.inputs.library.dirs.is_empty())
    {
        return code;
    }
    let mut failed = 0;
    for input in &inputs {
        let name = input.display().to_string();
        let bytes = std::fs::read(input);
        let result = match &bytes {
            Ok(bytes) => pipeline.run(bytes, &name).map(|r| r.warnings),
            Err(e) => {
                Err(vec![Diagnostic::error(Default::default(), "", format!("cannot read the deal sheet: {e}"))
                    .in_file(&name)])
            }
        };
        let source = bytes.as_ref().ok().map(|b| String::from_utf8_lossy(b));
        match result {
            Ok(warnings) => {
                print_diagnostics(&warnings, source.as_deref(), args.inputs.message_format);
                println!("{name}: ok");
            }
            Err(ds) => {
                failed += 1;
                print_diagnostics(&ds, source.as_deref(), args.inputs.message_format);
            }
        }
    }
    ExitCode::from(if failed > 0 { 1 } else { 0 })
}
