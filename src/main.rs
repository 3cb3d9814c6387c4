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
    /// Re-export a TMX translation memory as CSV, JSON Lines or TMX.
    #[command(alias = "tmx2csv")]
    Convert(cmd::convert::Args),
    /// The main job: align, check and export a whole corpus into one directory.
    Run(cmd::run::Args),
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
        Command::Convert(a) => cmd::convert::run(a),
        Command::Run(a) => cmd::run::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Check(a) => cmd::check::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("termalign: error: {}", error_message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each cause once (library errors
/// already include their I/O cause in their message).
fn error_message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for c in e.chain() {
        let s = c.to_string();
        if out.contains(&s) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&s);
    }
    out.replace('\n', " ")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (duplicate flag names across flattened
    /// argument groups and the like) for every subcommand.
    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
