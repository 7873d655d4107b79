//! `archivist tag` and `archivist note`: the archivist's tags and notes on indexed documents,
//! named by their files or, for tags, by a query's hits.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::index::variants_for;
use crate::annotations::{Annotations, DocRef};
use crate::cli::{NoteArgs, TagAction};
use crate::path_key;
use crate::render::terminal::inert;
use crate::search::{self, Hit, QueryOptions, SearchRequest, Sink};
use crate::settings::{Settings, Verbosity};
use crate::store::Store;

/// `tag add|remove|list`: 0, or 1 when no document was named.
pub fn tag(action: &TagAction, settings: &Settings) -> Result<u8> {
    let mut annotations = Annotations::open(&settings.index_dir)?;
    let (args, adding) = match action {
        TagAction::List => {
            let mut out = BufWriter::new(io::stdout().lock());
            for (tag, count) in annotations.tags()? {
                writeln!(out, "{}\t{count}", inert(&tag))?;
            }
            out.flush()?;
            return Ok(0);
        }
        TagAction::Add(args) => (args, true),
        TagAction::Remove(args) => (args, false),
    };
    if args.tag.trim().is_empty() {
        anyhow::bail!("a tag needs a name");
    }
    let store = Store::open(&settings.index_dir)?;
    let docs = match &args.query {
        Some(query) => every_hit(&store, settings, query)?,
        None => documents_at(&store, &args.paths)?,
    };
    let changed = if adding {
        annotations.tag(&args.tag, &docs)?
    } else {
        annotations.untag(&args.tag, &docs)?
    };
    if settings.verbosity > Verbosity::Quiet {
        let verb = if adding { "tagged" } else { "untagged" };
        eprintln!(
            "{verb} {changed} of {} documents: {}",
            docs.len(),
            inert(&args.tag)
        );
    }
    Ok(if docs.is_empty() { 1 } else { 0 })
}

/// `note PATH TEXT` or `note PATH --clear`: 0.
pub fn note(args: &NoteArgs, settings: &Settings) -> Result<u8> {
    let store = Store::open(&settings.index_dir)?;
    let docs = documents_at(&store, std::slice::from_ref(&args.path))?;
    let mut annotations = Annotations::open(&settings.index_dir)?;
    let text = if args.clear {
        None
    } else {
        args.text.as_deref()
    };
    for doc in &docs {
        annotations.note(doc, text)?;
    }
    Ok(0)
}

/// Every document of each indexed file at `paths`; a path not in the index is an error.
fn documents_at(store: &Store, paths: &[PathBuf]) -> Result<Vec<DocRef>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for path in paths {
        let absolute = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .with_context(|| format!("{}: not a usable path", path.display()))?;
        let key = path_key::key_of(&absolute);
        let found = search::whole::at_path(store, &searcher, &key)?;
        if found.is_empty() {
            anyhow::bail!("{} is not in the index", path.display());
        }
        out.extend(found.iter().map(search::doc_ref));
    }
    Ok(out)
}

/// Every hit of `query`, as annotations name them.
fn every_hit(store: &Store, settings: &Settings, query: &str) -> Result<Vec<DocRef>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let annotations = Annotations::existing(&settings.index_dir)?;
    let options = QueryOptions::of_index(
        variants_for(None, &settings.index_dir)?,
        annotations.as_ref(),
    )?;
    let request = SearchRequest::new(query)
        .limit(0)
        .options(options)
        .snippets(0)
        .all(true);
    let mut refs = Refs(Vec::new());
    search::search_into(store, &searcher, &request, &mut refs)?;
    Ok(refs.0)
}

/// The hits of a search, as annotations name them.
struct Refs(Vec<DocRef>);

impl Sink for Refs {
    fn hits(&mut self, hits: Vec<Hit>) -> Result<()> {
        self.0
            .extend(hits.iter().map(|h| search::doc_ref(&h.about)));
        Ok(())
    }
}
