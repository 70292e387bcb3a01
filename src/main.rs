//! The `alliance-catalog` command: parses arguments, runs the command,
//! prints the error chain and maps the outcome to an exit code
//! (0 success, 1 findings, 2 could not run).

mod cli;

use std::process::ExitCode;

/// Parsing thousands of entries allocates many small strings; mimalloc
/// handles that faster than the system allocator, across worker threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let text = alliance_catalog::diag::render::terminal_safe(&format!("{err:#}"));
            // If stderr itself is gone there is nobody left to tell.
            let _ = std::io::Write::write_fmt(&mut stderr, format_args!("error: {text}\n"));
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
