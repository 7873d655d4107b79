//! `archivist ingest`: the folders named (the bundled corpus when none) into the index, a
//! summary on stderr, the report as JSON on request, then the saved searches with `--watch`.

use std::io::{self, BufWriter};
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::annotations::Annotations;
use crate::cli::IngestArgs;
use crate::ingest::{self, IngestOptions};
use crate::render::printer::{Format, Heading, Printer, Style};
use crate::settings::{DEFAULT_CORPUS, Settings, Verbosity};
use crate::store::Store;
use crate::{render, watch};

/// 0, or 2 when a file failed.
pub fn run(args: &IngestArgs, settings: &Settings) -> Result<u8> {
    let report = ingest::run(&options(args, settings), &|n| {
        render::terminal::ingest_notice(n, settings.verbosity)
    })?;
    if settings.verbosity > Verbosity::Quiet {
        eprintln!("{}", render::terminal::ingest_summary(&report));
    }
    if let Some(path) = &args.report {
        let mut json = Vec::new();
        render::json::ingest_report(&mut json, &report)?;
        std::fs::write(path, json)
            .with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    if args.watch {
        let store = Store::open(&settings.index_dir)?;
        let mut annotations = Annotations::open(&settings.index_dir)?;
        let style = Style {
            color: settings.color,
            heading: Heading::Saved,
            ..Style::plain()
        };
        let out = BufWriter::new(io::stdout().lock());
        let mut printer = Printer::new(Format::Terminal, out, style)?;
        watch::run(&store, &mut annotations, &[], &mut printer)?;
    }
    Ok(if report.failed > 0 { 2 } else { 0 })
}

fn options(args: &IngestArgs, settings: &Settings) -> IngestOptions {
    let inputs = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    IngestOptions {
        max_file_size: args.max_file_size,
        max_read_time: args.max_read_time,
        follow_links: args.follow_links,
        commit_every: args.commit_every,
        ocr: !args.no_ocr,
        ocr_languages: args.ocr_languages.clone(),
        ocr_cache: args.ocr_cache.clone(),
        progress: settings.progress,
        phone_region: args.phone_region,
        date_order: args.date_order,
        ..IngestOptions::new(settings.index_dir.clone(), inputs)
    }
}
