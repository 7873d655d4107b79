//! What one search asks for: [`SearchRequest`], built the same way by every face of search
//! (`search` and its batches, saved searches, `tag --query`, the server), and the
//! [`QueryOptions`] an index's searches start from.

use anyhow::Result;

use super::near::Threshold;
use super::query::QueryOptions;
use crate::annotations::Annotations;
use crate::variants::Variants;

/// Hits shown when a request says nothing (`search`'s `--limit`, the API's `limit`).
pub const DEFAULT_LIMIT: usize = 10;

/// A query and what to show of its results. [`SearchRequest::new`] gives the first
/// [`DEFAULT_LIMIT`] hits with one passage each; the setters change one thing each.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub options: QueryOptions,
    /// Passages per hit.
    pub snippets: usize,
    pub facets: bool,
    pub explain: bool,
    /// Every hit, past `limit` (`--all`).
    pub all: bool,
    /// Near copies folded into the first of them, as identical copies are (`--collapse near`).
    pub collapse_near: bool,
    /// How near a near copy is (`--near-threshold`).
    pub near: Threshold,
    /// Threads that build the hits (their snippets scan whole texts): every core for a search
    /// alone; one for each of a server's searches when several run at once, which would
    /// otherwise each start threads for the same cores.
    pub threads: usize,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            options: QueryOptions::default(),
            snippets: 1,
            facets: false,
            explain: false,
            all: false,
            collapse_near: false,
            near: Threshold::default(),
            threads: crate::parallel::cores(),
        }
    }

    pub fn limit(self, limit: usize) -> SearchRequest {
        SearchRequest { limit, ..self }
    }

    pub fn offset(self, offset: usize) -> SearchRequest {
        SearchRequest { offset, ..self }
    }

    pub fn options(self, options: QueryOptions) -> SearchRequest {
        SearchRequest { options, ..self }
    }

    pub fn snippets(self, snippets: usize) -> SearchRequest {
        SearchRequest { snippets, ..self }
    }

    pub fn facets(self, facets: bool) -> SearchRequest {
        SearchRequest { facets, ..self }
    }

    pub fn explain(self, explain: bool) -> SearchRequest {
        SearchRequest { explain, ..self }
    }

    /// Every hit (`--all`), or only the page `limit` and `offset` say.
    pub fn all(self, all: bool) -> SearchRequest {
        SearchRequest { all, ..self }
    }

    /// Near copies folded into one hit (`--collapse near`), or listed with each hit only.
    pub fn collapse_near(self, collapse_near: bool) -> SearchRequest {
        SearchRequest {
            collapse_near,
            ..self
        }
    }

    /// The least similarity of a near copy (`--near-threshold`).
    pub fn near(self, near: Threshold) -> SearchRequest {
        SearchRequest { near, ..self }
    }
}

impl QueryOptions {
    /// What every search of an index is read with: its variant names, and the documents each
    /// of the archivist's tags marks (`tag:`), when the index has tags.
    pub fn of_index(variants: Variants, annotations: Option<&Annotations>) -> Result<QueryOptions> {
        Ok(QueryOptions {
            variants,
            tagged: match annotations {
                Some(annotations) => annotations.tagged()?,
                None => Default::default(),
            },
            ..Default::default()
        })
    }

    /// Only documents with text in one of `langs`.
    pub fn langs(self, langs: Vec<String>) -> QueryOptions {
        QueryOptions { langs, ..self }
    }

    /// Every word optional (`--any`).
    pub fn any(self, any: bool) -> QueryOptions {
        QueryOptions { any, ..self }
    }

    /// Words a few edits away match too (`--fuzzy`).
    pub fn fuzzy(self, fuzzy: bool) -> QueryOptions {
        QueryOptions { fuzzy, ..self }
    }
}

/// Language codes written as one comma-separated list (`ru,uk`, `ru, uk`), as a saved search
/// keeps them and the API takes them.
pub fn lang_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_changes_one_thing_at_a_time() {
        let request = SearchRequest::new("Maizuru");
        assert_eq!(
            (request.limit, request.offset, request.snippets),
            (10, 0, 1)
        );
        assert!(!request.all && !request.facets && !request.explain);
        let request = request
            .limit(3)
            .offset(6)
            .snippets(2)
            .facets(true)
            .all(true);
        assert_eq!((request.limit, request.offset, request.snippets), (3, 6, 2));
        assert!(request.all && request.facets && !request.explain);
        assert_eq!(request.query, "Maizuru");
    }

    #[test]
    fn language_lists() {
        assert_eq!(lang_list("ru, uk,,"), ["ru", "uk"]);
        assert!(lang_list("").is_empty());
    }
}
