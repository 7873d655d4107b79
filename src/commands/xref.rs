//! `archivist xref LIST`: every name of the list searched in the index (built from the
//! bundled corpus on first use), printed as each chunk of names is done.

use std::io::{self, BufWriter};
use std::time::Instant;

use anyhow::Result;

use super::index::{open_for_search, variants_for};
use crate::annotations::Annotations;
use crate::cli::{Format, XrefArgs};
use crate::render::xref::XrefPrinter;
use crate::search::QueryOptions;
use crate::settings::{Settings, Verbosity};
use crate::xref::{Xref, list};

/// 0 when any name is mentioned, 1 when none is.
pub fn run(args: &XrefArgs, settings: &Settings) -> Result<u8> {
    let started = Instant::now();
    let entries = list::read(&args.list)?;
    let store = open_for_search(settings)?;
    let variants = variants_for(args.variants.as_deref(), &settings.index_dir)?;
    let annotations = Annotations::existing(&settings.index_dir)?;
    let xref = Xref {
        options: QueryOptions::of_index(variants, annotations.as_ref())?
            .langs(args.lang.clone())
            .fuzzy(args.fuzzy),
        limit: args.limit,
        all: args.all,
        deadline: None,
    };
    let format = super::format(args.format.unwrap_or(Format::Terminal));
    let out = BufWriter::new(io::stdout().lock());
    let mut printer = XrefPrinter::new(format, out, settings.color, args.csv_raw)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let (mut named, mut mentioned) = (0, 0);
    xref.run(&store, &searcher, &entries, |outcomes| {
        named += outcomes.len();
        mentioned += outcomes.iter().filter(|o| o.documents > 0).count();
        printer.outcomes(&outcomes)?;
        Ok(())
    })?;
    printer.finish(started.elapsed())?;
    if settings.verbosity > Verbosity::Quiet {
        eprintln!(
            "{mentioned} of {named} names mentioned ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if mentioned > 0 { 0 } else { 1 })
}
