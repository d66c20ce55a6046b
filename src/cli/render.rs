//! `clausewright render`: deal sheets to Markdown and/or PDF files.

use super::options::{check_library_glyphs, source_date_epoch, FormatArg, Inputs, MessageFormat, PaperArg};
use super::plan::{self, OutputArg, RealFs};
use super::report::{count, progress_bar, report, summary, usage_error, usage_errors};
use crate::batch::{self, Dest, Run, Shard};
use crate::{pdf, Pipeline};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Up to this many files written, `render` names each; more, it names the folder.
const NAMED: usize = 4;

#[derive(Args, Debug)]
pub(super) struct RenderArgs {
    #[command(flatten)]
    pub(super) inputs: Inputs,
    /// Output formats, comma-separated: md, pdf or md,pdf [default: md, or the extension of
    /// -o FILE].
    #[arg(long, short, value_delimiter = ',', ignore_case = true, value_name = "FORMATS")]
    pub(super) format: Vec<FormatArg>,
    /// Where to write, as `cp` does: an existing folder or a path ending in / receives the
    /// outputs; otherwise (one deal sheet, one format) PATH is the file itself; `-` is
    /// standard output.
    #[arg(long, short, value_name = "PATH", conflicts_with = "out_dir")]
    pub(super) output: Option<PathBuf>,
    /// Folder to write into (created if missing), files named after the inputs [default: .].
    #[arg(long, visible_alias = "out", value_name = "DIR")]
    pub(super) out_dir: Option<PathBuf>,
    /// Paper size of the PDF.
    #[arg(long, value_enum, ignore_case = true, default_value_t = PaperArg::Letter)]
    pub(super) paper: PaperArg,
    /// Worker threads, 1 to 256 (default: all cores).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(super) jobs: Option<u16>,
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
    super::report::set_message_format(args.inputs.message_format);
    let asked = FormatArg::formats(&args.format);
    let found = match args.inputs.gather() {
        Ok(found) => batch::shard(found, args.shard),
        Err(e) => return usage_error(e),
    };
    let output = match (&args.output, &args.out_dir) {
        (Some(p), _) => OutputArg::Path(p.clone()),
        (None, Some(d)) => OutputArg::Dir(d.clone()),
        (None, None) => OutputArg::Default,
    };
    let plan = match plan::plan(&found, &asked, &output, args.manifest.as_deref(), &RealFs::new()) {
        Ok(plan) => plan,
        Err(problems) => return usage_errors(&problems),
    };
    if let Some(path) = &args.manifest {
        if let Err(e) = check_manifest(path) {
            return usage_error(format!("--manifest {}: cannot be written: {e}", path.display()));
        }
    }
    let hint = super::options::agreement_hint(&found);
    // The plan holds what the run needs; the list of inputs found is not kept beside it.
    drop(found);
    let library = match super::options::load_library_for(&args.inputs.library, hint.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if plan.formats.contains(&crate::Format::Pdf) {
        if let Err(e) = check_library_glyphs(&library) {
            return usage_error(e);
        }
    }
    let paper = match args.paper {
        PaperArg::Letter => pdf::Paper::Letter,
        PaperArg::A4 => pdf::Paper::A4,
    };
    let pipeline = Pipeline {
        library,
        formats: plan.formats.clone(),
        paper,
        source_date_epoch: source_date_epoch(),
        deny_warnings: args.inputs.deny_warnings,
    };
    if let Err(code) = super::options::preflight(&pipeline.library, !args.inputs.library.dirs.is_empty()) {
        return code;
    }
    let quiet = args.quiet || plan.jobs.iter().any(|j| j.outputs.iter().any(|(_, d)| *d == Dest::Stdout));
    let bar = progress_bar(plan.jobs.len(), quiet);
    // A hidden bar is left alone: its `inc` and `suspend` take its lock, and a worker
    // would wait on it while the messages of the chunk before are printed.
    let shown = !bar.is_hidden();
    let tick = || {
        if shown {
            bar.inc(1);
        }
    };
    let job = Run { pipeline: &pipeline, fail_fast: args.fail_fast, hash: args.manifest.is_some(), on_done: &tick };
    // No more threads than deal sheets; one deal sheet is rendered on this thread, with no
    // worker started (a pool of idle workers cost one document more CPU than its rendering).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.jobs.map_or(cores, usize::from).min(plan.jobs.len().max(1));
    let builder = rayon::ThreadPoolBuilder::new().num_threads(threads);
    let builder = if threads == 1 { builder.use_current_thread() } else { builder };
    let format = args.inputs.message_format;
    let mut print = |outcomes: &[batch::Outcome]| {
        if shown {
            bar.suspend(|| report(outcomes, format));
        } else {
            report(outcomes, format);
        }
    };
    let done = match builder.build() {
        Ok(pool) => pool.install(|| batch::run(&plan.jobs, &job, &mut print)),
        Err(e) => return usage_error(format!("cannot start worker threads: {e}")),
    };
    bar.finish_and_clear();
    // The process ends here: its parsed library is left for the system to free at exit
    // (taking it apart cost one document 5% of its instructions).
    std::mem::forget(pipeline);
    let failed = done.failed;
    if let Some(path) = &args.manifest {
        if let Err(e) = crate::output::write_atomic(path, batch::manifest(&done.kept).as_bytes()) {
            let _ = usage_error(format!("cannot write the manifest {}: {e}", path.display()));
            return ExitCode::from(1);
        }
    }
    if !args.quiet || format == MessageFormat::Json {
        let skipped = plan.jobs.len() - done.attempted;
        let files = done.rendered * plan.formats.len();
        let written: Vec<String> = written(&done, &plan, files);
        let human = human_summary(&plan, &written, files, done.rendered, failed, skipped);
        let json = serde_json::json!({
            "rendered": done.rendered,
            "failed": failed,
            "not_attempted": skipped,
            "deal_sheets": plan.jobs.len(),
            "files": files,
            "folder": plan.folder.as_ref().map(|f| f.display().to_string()),
        });
        if !quiet || format == MessageFormat::Json {
            summary(format, &human, json);
        }
    }
    ExitCode::from(if failed > 0 { 1 } else { 0 })
}

/// The manifest is written last; that it can be is checked first, so a bad path does
/// not cost a whole run. A folder at its path, or a folder that cannot be created or
/// written, is refused.
fn check_manifest(path: &std::path::Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::other("it is a folder"));
    }
    crate::output::check_writable(path)
}

/// The files written, when there are few enough to name: the plan's outputs minus
/// those of the inputs that failed or were not attempted.
fn written(done: &batch::Done, plan: &plan::Plan, files: usize) -> Vec<String> {
    if files == 0 || files > NAMED {
        return Vec::new();
    }
    let failed: Vec<&batch::Input> = done.kept.iter().filter(|o| o.result.is_err()).map(|o| &o.input).collect();
    let mut names = Vec::new();
    for job in plan.jobs.iter().filter(|j| !failed.contains(&&j.input)) {
        for (_, dest) in &job.outputs {
            if let Dest::File(p) = dest {
                names.push(p.display().to_string());
            }
        }
    }
    names.truncate(files);
    names
}

/// "wrote out/a.md and out/a.pdf", or "rendered 1,998 of 2,000 deal sheets (3,996 files in
/// out/); 2 failed".
fn human_summary(
    plan: &plan::Plan,
    written: &[String],
    files: usize,
    rendered: usize,
    failed: usize,
    skipped: usize,
) -> String {
    let total = plan.jobs.len();
    let mut line = match (written, &plan.folder) {
        ([], Some(folder)) => format!(
            "rendered {rendered} of {} ({} in {})",
            count(total, "deal sheet"),
            count(files, "file"),
            folder.display()
        ),
        ([], None) => format!("rendered {rendered} of {}", count(total, "deal sheet")),
        ([one], _) => format!("wrote {one}"),
        (many, _) => format!("wrote {} and {}", many[..many.len() - 1].join(", "), many[many.len() - 1]),
    };
    if failed > 0 {
        match written.is_empty() {
            true => line.push_str(&format!("; {failed} failed")),
            false => line.push_str(&format!("; {failed} of {} failed", count(total, "deal sheet"))),
        }
    }
    if skipped > 0 {
        line.push_str(&format!("; {skipped} not attempted after --fail-fast"));
    }
    line
}
