//! `clausewright render`: deal sheets to Markdown and/or PDF files.

use super::options::{load_library, source_date_epoch, FormatArg, Inputs, PaperArg};
use super::report::{progress_bar, report, usage_error};
use crate::batch::{self, Run, Shard};
use crate::{pdf, Format, Pipeline};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct RenderArgs {
    #[command(flatten)]
    pub(super) inputs: Inputs,
    /// Output formats, comma-separated: md, pdf, docx (e.g. md,pdf,docx).
    #[arg(long, short, value_delimiter = ',', default_value = "md", value_name = "FORMATS")]
    pub(super) format: Vec<FormatArg>,
    /// Folder to write into (created if missing); files are named after the inputs.
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub(super) out: PathBuf,
    /// Paper size of the PDF.
    #[arg(long, value_enum, default_value_t = PaperArg::Letter)]
    pub(super) paper: PaperArg,
    /// Worker threads (default: all cores).
    #[arg(long, short, value_name = "N")]
    pub(super) jobs: Option<usize>,
    /// Render only slice K of N of the sorted inputs (for N machines sharing one folder).
    #[arg(long, value_name = "K/N")]
    pub(super) shard: Option<Shard>,
    /// Write a JSON manifest of inputs and outputs with their SHA-256.
    #[arg(long, value_name = "FILE")]
    pub(super) manifest: Option<PathBuf>,
    /// Stop at the first invalid deal sheet.
    #[arg(long)]
    pub(super) fail_fast: bool,
    /// No progress bar and no summary; diagnostics only.
    #[arg(long, short)]
    pub(super) quiet: bool,
}

pub(super) fn render(args: RenderArgs) -> ExitCode {
    let library = match load_library(&args.inputs.library) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut formats: Vec<Format> = args
        .format
        .iter()
        .map(|f| match f {
            FormatArg::Md => Format::Markdown,
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Docx => Format::Docx,
        })
        .collect();
    formats.sort();
    formats.dedup();
    let paper = match args.paper {
        PaperArg::Letter => pdf::Paper::Letter,
        PaperArg::A4 => pdf::Paper::A4,
    };
    let pipeline = Pipeline {
        library,
        formats: formats.clone(),
        paper,
        source_date_epoch: source_date_epoch(),
        deny_warnings: args.inputs.deny_warnings,
    };
    let inputs = match batch::gather(&args.inputs.inputs) {
        Ok(i) => batch::shard(i, args.shard),
        Err(e) => return usage_error(e.0),
    };
    if inputs.is_empty() && args.shard.is_none() {
        return usage_error("no deal sheets found (a folder is searched for *.yaml and *.yml files)");
    }
    if let Err(code) = super::options::preflight(&pipeline.library, inputs.len(), !args.inputs.library.dirs.is_empty())
    {
        return code;
    }
    if let Err(e) = batch::check_collisions(&inputs, &args.out, &formats) {
        return usage_error(e.0);
    }
    let bar = progress_bar(inputs.len(), args.quiet);
    let tick = || bar.inc(1);
    let job = Run {
        pipeline: &pipeline,
        out: &args.out,
        fail_fast: args.fail_fast,
        hash: args.manifest.is_some(),
        on_done: &tick,
    };
    let done = match rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build() {
        Ok(pool) => pool.install(|| batch::run(&inputs, &job)),
        Err(e) => return usage_error(format!("cannot start worker threads: {e}")),
    };
    bar.finish_and_clear();
    let failed = report(&done.kept, args.inputs.message_format);
    if let Some(path) = &args.manifest {
        if let Err(e) = crate::output::write_atomic(path, batch::manifest(&done.kept).as_bytes()) {
            eprintln!("error: cannot write the manifest {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if !args.quiet {
        let files = done.rendered * formats.len();
        let skipped = inputs.len() - done.attempted;
        let mut summary = format!(
            "rendered {} of {} deal sheets ({files} files in {})",
            done.rendered,
            inputs.len(),
            args.out.display()
        );
        if failed > 0 {
            summary.push_str(&format!("; {failed} failed"));
        }
        if skipped > 0 {
            summary.push_str(&format!("; {skipped} not attempted after --fail-fast"));
        }
        eprintln!("{summary}");
    }
    ExitCode::from(if failed > 0 { 1 } else { 0 })
}
