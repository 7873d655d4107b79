//! Each subcommand's wiring, from what the user typed ([`crate::cli`]) and the resolved
//! [`Settings`] to the stages that do the work and the printers that show it; `main` only parses
//! and dispatches here. One file per command (or pair of commands sharing their arguments):
//! [`ingest`], [`search`] (with its batches), [`serve`], [`annotate`] (`tag`, `note`), [`watch`]
//! (saved searches), [`xref`] (a list of names), [`similar`] (documents like one), [`index`]
//! (`status`, `verify`, and opening an index to search, built from the bundled corpus on first
//! use).

mod annotate;
mod index;
mod ingest;
mod search;
mod serve;
mod similar;
mod watch;
mod xref;

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, Command, Format};
use crate::render::printer;
use crate::settings::Settings;

/// Runs one command; its exit code (0 found or done, 1 nothing found, 2 a partial batch).
pub fn run(command: Command, settings: &Settings) -> Result<u8> {
    match command {
        Command::Ingest(args) => ingest::run(&args, settings),
        Command::Search(args) => search::run(&args, settings),
        Command::Xref(args) => xref::run(&args, settings),
        Command::Similar(args) => similar::run(&args, settings),
        Command::Serve(args) => serve::run(&args, settings),
        Command::Tag { action } => annotate::tag(&action, settings),
        Command::Note(args) => annotate::note(&args, settings),
        Command::Watch(args) => watch::run(&args, settings),
        Command::Verify(args) => index::verify(args.json, settings),
        Command::Status(args) => index::status(args.json, settings),
        Command::Completions { shell } => {
            // clap_complete panics on a failed write (`| head`): the script is made in memory
            // and written here, where a closed pipe is an error `main` ends quietly on.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "archivist", &mut script);
            io::stdout().write_all(&script)?;
            Ok(0)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(0)
        }
    }
}

/// The printer's format for what was typed.
fn format(chosen: Format) -> printer::Format {
    match chosen {
        Format::Terminal => printer::Format::Terminal,
        Format::Json => printer::Format::Json,
        Format::Jsonl => printer::Format::Jsonl,
        Format::Csv => printer::Format::Csv,
    }
}
