//! Saved searches (`archivist watch`): each run prints, per saved search, only the hits that
//! are new since it last ran: documents ingested since, new or changed. How far each has seen
//! is the latest ingest time of the index when it last ran, kept with the tags and notes (see
//! [`crate::annotations`]); while an ingest is under way (its last commit partial) the mark
//! does not move past what was complete, so its remaining documents are not missed.

use std::io::Write;

use anyhow::Result;

use crate::annotations::{Annotations, Watch};
use crate::render::printer::Printer;
use crate::search::words::Cut;
use crate::search::{self, Annotated, Hit, QueryOptions, SearchRequest, SearchResults, Sink};
use crate::store::Store;

/// Runs the saved searches named (all when none), printing what is new to each with `printer`,
/// and moves them on. Whether any had something new.
pub fn run<W: Write>(
    store: &Store,
    annotations: &mut Annotations,
    names: &[String],
    printer: &mut Printer<W>,
) -> Result<bool> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let latest = crate::store::latest_ingest(&reader, &store.fields)?;
    let complete = !store.payload().partial;
    let variants = crate::variants::Variants::kept(&store.dir)?;
    let options = QueryOptions::of_index(variants, Some(annotations))?;
    let watches: Vec<Watch> = annotations
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
    let mut any_new = false;
    for watch in &watches {
        let request = SearchRequest::new(watch.query.clone())
            .limit(0)
            .options(
                options
                    .clone()
                    .langs(search::lang_list(&watch.langs))
                    .any(watch.any)
                    .fuzzy(watch.fuzzy),
            )
            .all(true);
        printer.saved_search(&watch.name);
        let mut new = New {
            seen_to: watch.seen_to,
            count: 0,
            inner: Annotated {
                annotations: Some(annotations),
                inner: &mut *printer,
            },
        };
        search::search_into(store, &searcher, &request, &mut new)?;
        any_new |= new.count > 0;
        // An ingest under way: what it has committed so far comes again next time rather
        // than its rest never.
        let seen_to = match (latest, complete) {
            (Some(latest), true) => latest,
            _ => watch.seen_to.unwrap_or(i64::MIN),
        };
        annotations.set_seen_to(&watch.name, seen_to)?;
    }
    printer.finish()?;
    Ok(any_new)
}

/// The hits of documents ingested after `seen_to` (all when the search never ran), handed to
/// `inner`, which is told their count as the search's.
struct New<S> {
    seen_to: Option<i64>,
    count: usize,
    inner: S,
}

impl<S: Sink> Sink for New<S> {
    fn begin(&mut self, query: &str) -> Result<()> {
        self.inner.begin(query)
    }

    fn ranked(&mut self, words: &[Cut]) -> Result<()> {
        self.inner.ranked(words)
    }

    fn hits(&mut self, mut hits: Vec<Hit>) -> Result<()> {
        hits.retain(|hit| self.seen_to.is_none_or(|m| hit.about.ingested > m));
        self.count += hits.len();
        self.inner.hits(hits)
    }

    fn end(&mut self, results: &SearchResults) -> Result<()> {
        self.inner.end(&SearchResults {
            total: self.count,
            ..results.clone()
        })
    }
}
