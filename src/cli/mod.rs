//! The command line: parses arguments, reads inputs, calls the pipeline, prints
//! diagnostics and a summary, and returns the exit status.
//!
//! Exit status: 0 when everything rendered (or checked clean), 1 when any deal sheet was
//! invalid or could not be written, 2 for usage errors (bad flags, an unusable
//! `--library`, no deal sheets found, two inputs writing the same output).
//!
//! One file per command (`render.rs`, `check.rs`, `list.rs`, `init.rs`, `schema.rs`);
//! options several commands share are in `options.rs`, and what they print besides
//! their results (diagnostics, usage errors, progress) in `report.rs`.

mod check;
mod init;
mod library;
mod list;
mod options;
mod render;
mod report;
mod schema;

use clap::{Parser, Subcommand};

/// Prints problems of library files as the commands do, quoting each file's line.
pub fn print_library_problems(problems: &[crate::Diagnostic]) {
    options::print_library_problems(problems, options::MessageFormat::Human);
}
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
    Render(render::RenderArgs),
    /// Validate deal sheets without writing anything; reports every problem of every file.
    #[command(
        after_help = "Examples:\n  clausewright check fixtures/exhibit-1.4.yaml\n  clausewright check deals/\n\nChecks everything that render checks, for both Markdown and PDF (including that the PDF\nfont can print every name)."
    )]
    Check(check::CheckArgs),
    /// List the agreements of the library: their fields, alternatives and sections.
    #[command(after_help = "Examples:\n  clausewright list\n  clausewright list --library my-library/")]
    List(list::ListArgs),
    /// Write a commented starter deal sheet that passes `check`.
    #[command(
        after_help = "Examples:\n  clausewright init --agreement financial-consulting deals/acme.yaml\n  clausewright init --agreement financial-consulting > acme.yaml\n  clausewright init --library my-library/ --agreement my-agreement deals/x.yaml"
    )]
    Init(init::InitArgs),
    /// Compare two deal sheets' agreements word by word: a redline as Markdown, PDF or DOCX.
    #[command(
        after_help = "Examples:\n  clausewright compare old.yaml new.yaml\n      prints a Markdown redline with a summary of changes\n  clausewright compare old.yaml new.yaml -o redline.docx\n      a Word document with tracked changes (accept all = NEW, reject all = OLD)\n  clausewright compare --against-form deals/acme.yaml -o acme-blackline.pdf\n      a PDF blackline of a deal against the library's form\n\nExit status: 0 compared, 1 invalid deal sheet (or, with --exit-code, a difference), 2 usage error."
    )]
    Compare(crate::compare::command::CompareArgs),
    /// Print the JSON Schema (draft 2020-12) of deal sheets, for editors.
    #[command(
        after_help = "Examples:\n  clausewright schema > deals/clausewright.schema.json\n  clausewright schema --agreement financial-consulting\n\nOne schema serves every agreement: the deal sheet's `agreement:` chooses. Deal sheets\nwritten by `init` start with `# yaml-language-server: $schema=clausewright.schema.json`,\nwhich editors (VS Code's YAML extension and others) resolve beside the deal sheet."
    )]
    Schema(schema::SchemaArgs),
    /// Commands for library authors: check a library, export the embedded one.
    #[command(subcommand)]
    Library(library::LibraryCommand),
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
        Command::Render(args) => render::render(args),
        Command::Check(args) => check::check(args),
        Command::List(args) => list::run(args),
        Command::Init(args) => init::init(args),
        Command::Compare(args) => crate::compare::command::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Library(command) => library::run(command),
    }
}
