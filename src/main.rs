//! archivist: full-text search for multilingual archives.
//!
//! Parses the command line once into [`settings::Settings`], runs one subcommand through
//! [`commands`], and maps the outcome to an exit code the way grep does: 0 found (or done), 1
//! nothing found, 2 error.
//!
//! [`cli`] is what the user typed, [`settings`] what each stage receives, [`commands`] each
//! command's wiring. [`ingest`] (files in, index out) and [`search`] (query in, results out)
//! share only the rooms above them: [`analysis`], [`schema`], [`store`], [`variants`],
//! [`timestamp`], [`path_key`], [`digest`], [`parallel`] and [`annotations`] (tags, notes and saved
//! searches, beside the index). [`status`] and [`verify`] read the index for their commands,
//! [`serve`] answers a browser and [`watch`] runs saved searches (both through search),
//! [`batch`] reads a `--batch` file; [`render`] formats every result.

mod analysis;
mod annotations;
mod batch;
mod bounded;
mod cli;
mod commands;
mod digest;
mod entities;
mod ingest;
mod near;
mod parallel;
mod path_key;
mod render;
mod schema;
mod search;
mod serve;
mod settings;
mod status;
mod store;
mod thread;
mod timestamp;
mod variants;
mod verify;
mod watch;
mod xref;

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let settings = settings::Settings::resolve(&cli.global);
    match commands::run(cli.command, &settings) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let message = format!("{e:#}");
            eprintln!("archivist: error: {}", render::terminal::inert(&message));
            ExitCode::from(2)
        }
    }
}

/// `archivist search x | head`: the reader went away, which is no error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
