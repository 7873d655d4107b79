//! Resolved settings: the command line turned once into what each stage needs.
//!
//! Colour and progress decisions are made here, from the terminal and the environment, so no
//! stage ever looks at `isatty` or `NO_COLOR` itself.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{ColorChoice, GlobalArgs};

/// The folder ingested when none is named, and built on first search.
pub const DEFAULT_CORPUS: &str = "corpus";
/// The index folder used when `--index` is not given.
pub const DEFAULT_INDEX: &str = "index";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub index_dir: PathBuf,
    /// Whether `--index` was left at its default (then `search` may build the index itself).
    pub default_index: bool,
    pub verbosity: Verbosity,
    /// Colour escapes on stdout.
    pub color: bool,
    /// Progress bars on stderr.
    pub progress: bool,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> Settings {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        let verbosity = if global.quiet {
            Verbosity::Quiet
        } else if global.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        Settings {
            default_index: global.index == Path::new(DEFAULT_INDEX),
            index_dir: global.index.clone(),
            verbosity,
            color,
            progress: verbosity != Verbosity::Quiet && std::io::stderr().is_terminal(),
        }
    }
}
