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
            // clap's message quotes the arguments as typed: printed through
            // the same escaping and closed-stream handling as everything
            // else (plain text, without clap's colours).
            let text = e.render().to_string();
            // clap's --help and --version are not errors.
            if e.use_stderr() {
                samizdat::diag::eprint(&text);
                std::process::exit(2);
            }
            samizdat::diag::print(&text);
            std::process::exit(0);
        }
    };
    std::process::exit(samizdat::cli::run(cli));
}
