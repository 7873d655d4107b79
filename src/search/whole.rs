//! One document by its id, whole: its stored fields and text, and with a query every place the
//! query matches in it (not only the best passage). What `serve` shows when a hit is opened.

use anyhow::Result;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::near::{self, NearCopy, Signatures, Threshold};
use super::query::{self, QueryOptions};
use super::snippet::{Scanner, all_matches};
use super::stored::{self, About};
use super::thread::{Place, Threads};
use crate::schema::Fields;
use crate::store::Store;

/// A document as stored, with the matches of a query in its text.
#[derive(Debug, Clone)]
pub struct Document {
    pub about: About,
    /// The stored text (the first 4 MB): pages separated by form feeds.
    pub text: String,
    /// Byte ranges of `text` the query matches, sorted, disjoint; empty without a query.
    pub matches: Vec<(usize, usize)>,
    /// Documents whose text is nearly the same (at the default threshold), closest first, at
    /// most [`near::DOCUMENT_NEAR`].
    pub near_copies: Vec<NearCopy>,
    /// Its place in its e-mail thread, for a message or an attachment of one.
    pub thread: Option<Place>,
    /// The archivist's tags and note on it, set by the caller.
    pub tags: Vec<String>,
    pub note: Option<String>,
}

/// The document with id `id`, and the matches of `query` in it; `None` when no document has
/// that id. A malformed query is an error, as in a search.
pub fn document(
    store: &Store,
    searcher: &Searcher,
    id: &str,
    query: Option<(&str, &QueryOptions)>,
) -> Result<Option<Document>> {
    let fields = &store.fields;
    let Some(address) = address_of(searcher, fields, id)? else {
        return Ok(None);
    };
    let (text, about) = stored::read(searcher, fields, address)?;
    let matches = match query {
        Some((query, options)) if !query.trim().is_empty() => {
            let compiled = query::compile(query, fields, options, Some(searcher))?;
            // Romanized forms too: this document was opened from a hit, whichever way it
            // matched.
            let stemmed = stored::passage_languages(searcher, fields, address)?;
            let highlight = compiled
                .highlight
                .for_document(&about.lang, &stemmed, true, &text);
            all_matches(&text, &highlight, &Scanner::new(&compiled.highlight))
        }
        _ => Vec::new(),
    };
    let signatures = Signatures::new(searcher, fields);
    let (_, near_copies) = match signatures.at(address) {
        Some(signature) => near::near_copies(
            &signatures,
            address,
            &signature,
            &about.sha256,
            Threshold::default(),
            near::DOCUMENT_NEAR,
        )?,
        None => (0, Vec::new()),
    };
    let thread = Threads::new(searcher, fields).place(address)?;
    Ok(Some(Document {
        about,
        text,
        matches,
        near_copies,
        thread,
        tags: Vec::new(),
        note: None,
    }))
}

/// Where the document with id `id` is, if any has it.
pub fn address_of(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<DocAddress>> {
    let term = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&term, &TopDocs::with_limit(1).order_by_score())?;
    Ok(found.first().map(|&(_, address)| address))
}

/// What the index stores about every document of the file with key `key` (one for most
/// files; a container's members, an mbox's messages).
pub fn at_path(store: &Store, searcher: &Searcher, key: &str) -> Result<Vec<About>> {
    let term = TermQuery::new(
        Term::from_field_text(store.fields.path, key),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&term, &TopDocs::with_limit(100_000).order_by_score())?;
    let mut out = Vec::with_capacity(found.len());
    for (_, address) in found {
        out.push(stored::read(searcher, &store.fields, address)?.1);
    }
    Ok(out)
}
