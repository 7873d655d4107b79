//! Saved searches (`archivist watch`): each run prints, per saved search, only the hits that
//! are new since it last ran: documents ingested since, new or changed. How far each has seen
//! is the latest ingest time of the index when it last ran, kept with the tags and notes (see
//! [`crate::annotations`]); while an ingest is under way (its last commit partial) the mark
//! does not move past what was complete, so its remaining documents are not missed.

use std::io::Write;

use anyhow::Result;

use crate::annotations::{Annotations, Watch};
use crate::cli::Format;
use crate::render;
use crate::render::terminal::inert;
use crate::search::{self, QueryOptions, SearchRequest};
use crate::store::Store;

/// How a run prints.
pub struct Printing {
    pub format: Format,
    pub color: bool,
    /// `--csv-raw`: CSV cells not neutralized.
    pub csv_raw: bool,
}

/// Runs the saved searches named (all when none), printing what is new to each on `out`, and
/// moves their marks on. Whether any had something new.
pub fn run<W: Write>(
    store: &Store,
    marks: &mut Annotations,
    names: &[String],
    printing: &Printing,
    out: &mut W,
) -> Result<bool> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let latest = crate::store::latest_ingest(&reader, &store.fields)?;
    let complete = !store.payload().partial;
    let variants = crate::variants::Variants::kept(&store.dir)?;
    let tagged = marks.tagged()?;
    let watches: Vec<Watch> = marks
        .watches()?
        .into_iter()
        .filter(|w| names.is_empty() || names.contains(&w.name))
        .collect();
    if let Some(missing) = names
        .iter()
        .find(|n| !watches.iter().any(|w| &w.name == *n))
    {
        anyhow::bail!("no saved search named {missing:?} (archivist watch list)");
    }
    // Rows and lines go through the exporter; the terminal and JSON straight out.
    let mut sink = match printing.format {
        Format::Csv => Sink::Export(render::export::Export::csv(out, printing.csv_raw)?),
        Format::Jsonl => Sink::Export(render::export::Export::jsonl(out)),
        Format::Terminal | Format::Json => Sink::Plain(out),
    };
    let mut any_new = false;
    for watch in &watches {
        let request = SearchRequest {
            query: watch.query.clone(),
            limit: 0,
            offset: 0,
            options: QueryOptions {
                langs: watch
                    .langs
                    .split(',')
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                any: watch.any,
                fuzzy: watch.fuzzy,
                variants: variants.clone(),
                tagged: tagged.clone(),
            },
            snippets: 1,
            facets: false,
            explain: false,
            all: true,
        };
        let is_new = |hit: &search::Hit| watch.mark.is_none_or(|m| hit.about.ingested > m);
        let mut new = Vec::new();
        let mut count = 0;
        let results = search::search_into(store, &searcher, &request, &mut |mut hits| {
            hits.retain(is_new);
            count += hits.len();
            search::annotate(marks, &mut hits)?;
            match &mut sink {
                Sink::Export(export) => export.hits(&watch.name, &hits)?,
                Sink::Plain(_) => new.extend(hits),
            }
            Ok(())
        })?;
        if let Sink::Plain(out) = &mut sink {
            if printing.format == Format::Json {
                let shown = search::SearchResults {
                    total: new.len(),
                    hits: new,
                    ..results
                };
                render::json::search(out, &shown)?;
            } else {
                writeln!(
                    out,
                    "== {}: {} ({count} new)",
                    inert(&watch.name),
                    inert(&watch.query)
                )?;
                render::terminal::hits(out, &new, printing.color)?;
            }
        }
        any_new |= count > 0;
        // An ingest under way: what it has committed so far comes again next time rather
        // than its rest never.
        let mark = match (latest, complete) {
            (Some(latest), true) => latest,
            _ => watch.mark.unwrap_or(i64::MIN),
        };
        marks.mark(&watch.name, mark)?;
    }
    match &mut sink {
        Sink::Export(export) => export.flush()?,
        Sink::Plain(out) => out.flush()?,
    }
    Ok(any_new)
}

enum Sink<'a, W: Write> {
    Export(render::export::Export<&'a mut W>),
    Plain(&'a mut W),
}
