//! The `faasguard` binary: argument parsing, the exit-code contract and
//! error reporting. The commands live in [`commands`]; everything they
//! analyse or print comes from the library crates.
//!
//! Exit codes: 0 when the scan found nothing at or above `--fail-on`, 1 when
//! it did, 2 on a usage or tool error (bad flag, missing path, unwritable
//! output). A closed stdout (`faasguard scan | head`) is not an error.

mod args;
mod commands;
mod discover;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Args, Command};

/// mimalloc for Rust and, through its `override` feature, for tree-sitter's
/// C allocations too: parsing handler code allocates a node per token.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            // clap prints help and version to stdout (exit 0) and usage
            // errors to stderr (exit 2), matching our contract.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => {
            // The reader went away (`| head`): Unix tools exit quietly and
            // successfully then, since nobody is left to read an error.
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("faasguard: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Scan(scan) => commands::scan::run(&scan),
        Command::Rules(rules) => commands::rules::run(&rules),
        Command::Explain(explain) => commands::explain::run(&explain),
        Command::Iam(iam) => commands::iam::run(&iam),
        Command::Sbom(sbom) => commands::sbom::run(&sbom),
        Command::Db(db) => commands::db::run(&db),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
