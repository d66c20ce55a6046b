//! `clausewright man`: the man page (roff), generated from the clap definitions.

use clap::CommandFactory;
use std::process::ExitCode;

pub(super) fn run() -> ExitCode {
    let mut page = Vec::new();
    let command = super::Cli::command();
    if let Err(e) = clap_mangen::Man::new(command.clone()).render(&mut page) {
        return super::report::usage_error(format!("cannot write the man page: {e}"));
    }
    // One page for the tool: each command's options follow, as `git help` pages do.
    let mut command = command;
    command.build();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let mut options = Vec::new();
        if clap_mangen::Man::new(sub.clone()).render_options_section(&mut options).is_err() {
            continue;
        }
        let options = String::from_utf8_lossy(&options);
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        page.extend_from_slice(format!(".SH \"CLAUSEWRIGHT {}\"\n{about}\n", sub.get_name().to_uppercase()).as_bytes());
        // Each command's options under its own heading, not a second OPTIONS section.
        page.extend_from_slice(options.replacen(".SH OPTIONS\n", "", 1).as_bytes());
    }
    super::report::out(&String::from_utf8_lossy(&page));
    ExitCode::SUCCESS
}
