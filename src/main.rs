//! The `samizdat` binary: parses the command line and hands over to
//! `samizdat::cli`, which returns the exit status.

use clap::Parser as _;

/// mimalloc: faster than glibc's allocator for the typesetter's many small
/// blocks, and it returns what two threads free (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match samizdat::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's --help and --version are not errors.
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    std::process::exit(samizdat::cli::run(cli));
}
