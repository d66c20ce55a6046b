//! The command line: parses arguments, reads inputs, calls the pipeline, prints
//! diagnostics and a summary, and returns the exit status.
//!
//! Exit status: 0 when everything rendered (or checked clean), 1 when any deal sheet was
//! invalid or could not be written, 2 for usage errors (bad flags, an unusable
//! `--library`, no deal sheets found, two inputs writing the same output).

use crate::batch::{self, Outcome, Run, Shard};
use crate::library::{Library, AGREEMENTS, ALTERNATIVES, EMBEDDED};
use crate::{pdf, Diagnostic, Format, Pipeline};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "clausewright",
    version,
    about = "Assemble agreements from YAML deal sheets and a clause library, as Markdown or typeset PDF",
    after_help = "Examples:\n  clausewright render fixtures/exhibit-1.4.yaml --format md,pdf --out out/\n  clausewright check deals/\n  clausewright list\n\nExit status: 0 all rendered, 1 a deal sheet was invalid or not written, 2 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Render deal sheets (files or folders of *.yaml) to Markdown, PDF and/or Word (DOCX).
    #[command(
        after_help = "Examples:\n  clausewright render fixtures/exhibit-1.4.yaml --format md --out out/\n      writes out/exhibit-1.4.md\n  clausewright render deals/ --format md,pdf --out out/ --manifest out/manifest.json\n      renders every deal sheet of deals/ in parallel, with SHA-256 of every file\n  clausewright render deals/ --shard 3/8 --out out/\n      renders the 3rd of 8 slices (machine 3 of 8)\n\nAn invalid deal sheet is reported and skipped; nothing is written for it. Files are\nwritten whole (temp file + rename), never half."
    )]
    Render(RenderArgs),
    /// Validate deal sheets without writing anything; reports every problem of every file.
    #[command(
        after_help = "Examples:\n  clausewright check fixtures/exhibit-1.4.yaml\n  clausewright check deals/\n\nChecks everything that render checks, for both Markdown and PDF (including that the PDF\nfont can print every name)."
    )]
    Check(CheckArgs),
    /// List the agreements of the library and the clause alternatives a deal sheet can choose.
    List,
    /// Write a commented starter deal sheet that passes `check`.
    #[command(
        after_help = "Examples:\n  clausewright init deals/acme.yaml\n  clausewright init --agreement financial-consulting > acme.yaml"
    )]
    Init(InitArgs),
    /// Compare two deal sheets' agreements word by word: a redline as Markdown, PDF or DOCX.
    #[command(
        after_help = "Examples:\n  clausewright compare old.yaml new.yaml\n      prints a Markdown redline with a summary of changes\n  clausewright compare old.yaml new.yaml -o redline.docx\n      a Word document with tracked changes (accept all = NEW, reject all = OLD)\n  clausewright compare --against-form deals/acme.yaml -o acme-blackline.pdf\n      a PDF blackline of a deal against the library's form\n\nExit status: 0 compared, 1 invalid deal sheet (or, with --exit-code, a difference), 2 usage error."
    )]
    Compare(crate::compare::command::CompareArgs),
    /// Print the JSON Schema (draft 2020-12) of deal sheets, for editors.
    #[command(
        after_help = "Examples:\n  clausewright schema > clausewright.schema.json\n\nThen put `# yaml-language-server: $schema=clausewright.schema.json` at the top of a\ndeal sheet (VS Code's YAML extension and other editors validate and complete it)."
    )]
    Schema,
}

#[derive(Args, Debug)]
struct InitArgs {
    /// The agreement to start from (see `clausewright list`).
    #[arg(long, default_value = "financial-consulting")]
    agreement: String,
    /// Where to write the deal sheet; standard output when absent.
    file: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct Inputs {
    /// How diagnostics are printed: human (with source lines and carets) or json (one object per line).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, global = true)]
    message_format: MessageFormat,
    /// Deal sheets, or folders whose *.yaml / *.yml files are all taken.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Use the templates of DIR (DIR/templates/*.md.tera, DIR/clauses/*.md.tera) instead of
    /// the embedded ones; files it lacks come from the embedded library.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Treat warnings (implausible dates and the like) as errors.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args, Debug)]
struct RenderArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Output formats, comma-separated: md, pdf, docx (e.g. md,pdf,docx).
    #[arg(long, short, value_delimiter = ',', default_value = "md", value_name = "FORMATS")]
    format: Vec<FormatArg>,
    /// Folder to write into (created if missing); files are named after the inputs.
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    out: PathBuf,
    /// Paper size of the PDF.
    #[arg(long, value_enum, default_value_t = PaperArg::Letter)]
    paper: PaperArg,
    /// Worker threads (default: all cores).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// Render only slice K of N of the sorted inputs (for N machines sharing one folder).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Write a JSON manifest of inputs and outputs with their SHA-256.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Stop at the first invalid deal sheet.
    #[arg(long)]
    fail_fast: bool,
    /// No progress bar and no summary; diagnostics only.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    inputs: Inputs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Md,
    Pdf,
    Docx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PaperArg {
    Letter,
    A4,
}

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args),
        Command::List => {
            print!("{}", list());
            ExitCode::SUCCESS
        }
        Command::Init(args) => init(args),
        Command::Compare(args) => crate::compare::command::run(args),
        Command::Schema => {
            print!("{}", crate::deal::json_schema());
            ExitCode::SUCCESS
        }
    }
}

fn init(args: InitArgs) -> ExitCode {
    let Some((_, starter)) = crate::library::STARTERS.iter().find(|(id, _)| *id == args.agreement) else {
        let ids: Vec<&str> = crate::library::STARTERS.iter().map(|(id, _)| *id).collect();
        return usage_error(format!("unknown agreement `{}`; the library has: {}", args.agreement, ids.join(", ")));
    };
    let Some(file) = args.file else {
        print!("{starter}");
        return ExitCode::SUCCESS;
    };
    if file.exists() && !args.force {
        return usage_error(format!("{} exists; pass --force to overwrite it", file.display()));
    }
    match crate::output::write_atomic(&file, starter.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote {}; edit it, then `clausewright check {}`", file.display(), file.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", file.display());
            ExitCode::from(1)
        }
    }
}

fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// The embedded library, with a user's files laid over it.
fn load_library(dir: Option<&Path>) -> Result<Library, String> {
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

fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

fn render(args: RenderArgs) -> ExitCode {
    let library = match load_library(args.inputs.library.as_deref()) {
        Ok(l) => l,
        Err(e) => return usage_error(e),
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

fn progress_bar(len: usize, quiet: bool) -> indicatif::ProgressBar {
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
fn report(outcomes: &[Outcome], format: MessageFormat) -> usize {
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

fn print_diagnostics(diagnostics: &[Diagnostic], source: Option<&str>, format: MessageFormat) {
    if diagnostics.is_empty() {
        return;
    }
    match format {
        MessageFormat::Human => eprint!("{}", crate::diagnostic::render(diagnostics, source)),
        MessageFormat::Json => {
            for d in diagnostics {
                eprintln!("{}", serde_json::to_string(d).unwrap_or_default());
            }
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let library = match load_library(args.inputs.library.as_deref()) {
        Ok(l) => l,
        Err(e) => return usage_error(e),
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

/// The `list` text: agreements with their sections, then the clause alternatives.
fn list() -> String {
    let mut out = String::from("Agreements (deal sheet `agreement:`):\n");
    for a in AGREEMENTS {
        out.push_str(&format!("  {:<22} {}\n", a.id, a.description));
        for (i, (id, what)) in a.sections.iter().enumerate() {
            out.push_str(&format!("      {}. {:<15} {}\n", i + 1, id, what));
        }
    }
    out.push_str("\nClause alternatives (deal sheet `clauses:`, and `fee.payment`):\n");
    for (key, values, default, what) in ALTERNATIVES {
        out.push_str(&format!("  {key:<14} {values}  (default {default})\n      {what}\n"));
    }
    out
}
