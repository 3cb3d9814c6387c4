//! The `termalign` command line: parse, run, map errors to exit codes.
//!
//! Exit codes: 0 clean; 1 the checks found error-level problems; 2 an error
//! (bad input, unreadable file…). A broken pipe exits 0.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Arabic–English translation alignment, terminology and consistency checks.
#[derive(Parser)]
#[command(name = "termalign", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Split a document into typed segments (paragraphs, headings, metadata).
    Segment(cmd::segment::Args),
    /// Align an Arabic file with its English original.
    Align(cmd::align::Args),
    /// Extract bilingual term candidates (English n-grams, Arabic renderings ranked by logDice).
    Extract(cmd::extract::Args),
    /// Check terminology, numbers and completeness against a glossary (exit 1 on errors).
    Check(cmd::check::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Segment(a) => cmd::segment::run(a),
        Command::Align(a) => cmd::align::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Check(a) => cmd::check::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("termalign: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
