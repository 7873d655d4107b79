//! Run a compiled query and turn the top documents into [`Hit`]s with snippets.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Weight};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument};

use super::query::{self, Compiled};
use super::snippet::{Snippet, best_snippet};
use crate::schema::Fields;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank in the whole result list (offset included).
    pub rank: usize,
    pub score: f32,
    pub path: String,
    pub title: String,
    pub lang: String,
    pub langs: Vec<String>,
    /// Whether a query word matched this document through romanization (`shiberia` in
    /// `シベリア`).
    pub romanized: bool,
    pub snippet: Snippet,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub elapsed: Duration,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    /// Keep only documents with text in one of these languages (empty: no filter).
    pub langs: Vec<String>,
}

pub fn search(store: &Store, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let compiled = query::compile(&request.query, &store.fields, &request.langs)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let (top, total) = if request.limit == 0 {
        (Vec::new(), searcher.search(&compiled.query, &Count)?)
    } else {
        let top = TopDocs::with_limit(request.limit)
            .and_offset(request.offset)
            .order_by_score();
        searcher
            .search(&compiled.query, &(top, Count))
            .context("search failed")?
    };
    let romanized = match &compiled.romanized {
        Some(q) if !top.is_empty() => {
            Some(q.weight(EnableScoring::disabled_from_searcher(&searcher))?)
        }
        _ => None,
    };
    let hits = top
        .into_iter()
        .enumerate()
        .map(|(i, (score, address))| {
            let mut hit = hit(
                &searcher,
                &store.fields,
                &compiled,
                address,
                score,
                request.offset + i + 1,
            )?;
            if let Some(weight) = &romanized {
                hit.romanized = matches(weight.as_ref(), &searcher, address)?;
            }
            Ok(hit)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        elapsed: started.elapsed(),
        hits,
    })
}

fn hit(
    searcher: &Searcher,
    fields: &Fields,
    compiled: &Compiled,
    address: DocAddress,
    score: f32,
    rank: usize,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .context("cannot read a stored document")?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let body = text(fields.body);
    Ok(Hit {
        rank,
        score,
        path: text(fields.path),
        title: text(fields.title),
        lang: text(fields.lang),
        langs: doc
            .get_all(fields.langs)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        romanized: false,
        snippet: best_snippet(&body, &compiled.highlight),
    })
}

/// Whether the document at `address` matches `weight`'s query.
fn matches(weight: &dyn Weight, searcher: &Searcher, address: DocAddress) -> Result<bool> {
    let reader = searcher.segment_reader(address.segment_ord);
    let mut scorer = weight.scorer(reader, 1.0)?;
    Ok(scorer.doc() <= address.doc_id && scorer.seek(address.doc_id) == address.doc_id)
}
