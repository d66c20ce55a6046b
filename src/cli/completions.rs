//! `clausewright completions SHELL`: shell completions generated from the clap definitions.

use clap::{Args, CommandFactory};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, ignore_case = true)]
    shell: clap_complete::Shell,
}

pub(super) fn run(args: CompletionsArgs) -> ExitCode {
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "clausewright", &mut text);
    super::report::out(&String::from_utf8_lossy(&text));
    ExitCode::SUCCESS
}
