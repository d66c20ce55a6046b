//! The `clausewright` command; everything is in the library crate.

fn main() -> std::process::ExitCode {
    clausewright::cli::run()
}
