//! Where a search's results go as they are built (ripgrep's `Sink`): [`super::search_into`]
//! tells a [`Sink`] that a query starts, what its ranking found before any hit, each chunk of
//! hits in rank order, and the end. The printers of every output format
//! ([`crate::render::printer`]) are sinks, as are the adapters that set each hit's tags and
//! note ([`Annotated`]) and that keep a saved search's new hits (in [`crate::watch`]), so that
//! `search`, its batches, `--all` and saved searches all print through the same code.

use anyhow::Result;

use super::execute::{Hit, SearchResults};
use super::stored::About;
use super::words::Cut;
use crate::annotations::{Annotations, DocRef};

pub trait Sink {
    /// A query is about to run (a batch's terminal output heads its hits with it); called
    /// before the query is read, so also for a query that turns out malformed.
    fn begin(&mut self, _query: &str) -> Result<()> {
        Ok(())
    }

    /// The query is read and ranked: the typed words it cut into several (`--explain`), before
    /// any hit.
    fn ranked(&mut self, _words: &[Cut]) -> Result<()> {
        Ok(())
    }

    /// The next hits, in rank order.
    fn hits(&mut self, hits: Vec<Hit>) -> Result<()>;

    /// The query is done: its count, facets and time (its hits went to [`Sink::hits`]).
    fn end(&mut self, _results: &SearchResults) -> Result<()> {
        Ok(())
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn begin(&mut self, query: &str) -> Result<()> {
        (**self).begin(query)
    }

    fn ranked(&mut self, words: &[Cut]) -> Result<()> {
        (**self).ranked(words)
    }

    fn hits(&mut self, hits: Vec<Hit>) -> Result<()> {
        (**self).hits(hits)
    }

    fn end(&mut self, results: &SearchResults) -> Result<()> {
        (**self).end(results)
    }
}

/// Every hit, kept (the server's page of results).
#[derive(Default)]
pub struct Collect(pub Vec<Hit>);

impl Sink for Collect {
    fn hits(&mut self, hits: Vec<Hit>) -> Result<()> {
        self.0.extend(hits);
        Ok(())
    }
}

/// Each hit with its tags and note from the archivist's annotations (none without them), then
/// handed to `inner`.
pub struct Annotated<'a, S> {
    pub annotations: Option<&'a Annotations>,
    pub inner: S,
}

impl<S: Sink> Sink for Annotated<'_, S> {
    fn begin(&mut self, query: &str) -> Result<()> {
        self.inner.begin(query)
    }

    fn ranked(&mut self, words: &[Cut]) -> Result<()> {
        self.inner.ranked(words)
    }

    fn hits(&mut self, mut hits: Vec<Hit>) -> Result<()> {
        if let Some(annotations) = self.annotations {
            annotate(annotations, &mut hits)?;
        }
        self.inner.hits(hits)
    }

    fn end(&mut self, results: &SearchResults) -> Result<()> {
        self.inner.end(results)
    }
}

/// Sets each hit's tags and note from the archivist's annotations.
pub fn annotate(annotations: &Annotations, hits: &mut [Hit]) -> Result<()> {
    for hit in hits {
        let (tags, note) = annotations.of(&doc_ref(&hit.about))?;
        hit.tags = tags;
        hit.note = note;
    }
    Ok(())
}

/// A document as annotations name it.
pub fn doc_ref(about: &About) -> DocRef {
    DocRef {
        path: about.path.clone(),
        part: about.part.clone().unwrap_or_default(),
        sha256: about.sha256.clone(),
    }
}
