//! The `clausewright` command; everything is in the library crate.

/// mimalloc: the pipeline allocates many small strings and vectors per document; a batch of
/// PDFs spends about a tenth less CPU with it than with the system allocator (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    clausewright::cli::run()
}
