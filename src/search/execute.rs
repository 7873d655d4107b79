//! Run a compiled query and turn the top documents into [`Hit`]s with snippets: the best
//! documents, one per content ([`super::collapse`]), each with its stored fields, passages,
//! copies, variants found and, with `--explain`, what each clause added; counts by facet
//! ([`super::facets`]) when asked.

use std::time::{Duration, Instant};

use anyhow::Result;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Weight};
use tantivy::{DocAddress, DocSet, Searcher};

use super::collapse::{collapsed_top, copies};
use super::facets;
pub use super::facets::Facets;
use super::query::{self, Compiled};
use super::segment_fields::Statistics;
use super::snippet::{Scanner, Snippet, best_snippets};
use super::stored::{self, About};
use super::words::Cut;
use crate::annotations::{Annotations, Marked};
use crate::schema::Fields;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank in the whole result list (offset included).
    pub rank: usize,
    pub score: f32,
    /// What the index stores about the document.
    pub about: About,
    /// Other indexed files with identical content, sorted.
    pub copies: Vec<String>,
    /// Whether a query word matched this document through romanization (`shiberia` in
    /// `シベリア`).
    pub romanized: bool,
    /// Variant forms (other than the typed one) found in this document.
    pub variants: Vec<String>,
    /// The archivist's tags and note on it (see [`crate::annotations`]), set by the caller.
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// The best passage.
    pub snippet: Snippet,
    /// The best passages, best first (`--snippets N`; the first is `snippet`).
    pub snippets: Vec<Snippet>,
    /// How the score came about (`--explain`): each clause that matched and what it added,
    /// largest first.
    pub explanation: Option<Vec<(String, f32)>>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    /// Matching documents (identical copies each counted).
    pub total: usize,
    pub elapsed: Duration,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
    /// Query words left out as function words: with `--any`, those of the collection's
    /// languages; always, the particles of text typed without spaces.
    pub ignored: Vec<String>,
    /// `--explain`: the typed words that were cut into several (text without spaces).
    pub words: Vec<Cut>,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub options: query::QueryOptions,
    /// Passages per hit.
    pub snippets: usize,
    pub facets: bool,
    pub explain: bool,
    /// Every hit, past `limit` (`--all`).
    pub all: bool,
}

/// Runs a search with `searcher`: a server's, which follows the index's commits.
pub fn search_with(
    store: &Store,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let mut hits = Vec::new();
    let mut results = search_into(store, searcher, request, &mut |chunk| {
        hits.extend(chunk);
        Ok(())
    })?;
    results.hits = hits;
    Ok(results)
}

/// Sets each hit's tags and note from the archivist's marks.
pub fn annotate(marks: &Annotations, hits: &mut [Hit]) -> Result<()> {
    for hit in hits {
        let (tags, note) = marks.of(&marked(&hit.about))?;
        hit.tags = tags;
        hit.note = note;
    }
    Ok(())
}

/// A document as marks name it.
pub fn marked(about: &About) -> Marked {
    Marked {
        path: about.path.clone(),
        part: about.part.clone().unwrap_or_default(),
        sha256: about.sha256.clone(),
    }
}

/// Hits are built and handed on this many at a time by [`search_into`].
const CHUNK: usize = 256;

/// Runs a search and hands its hits to `sink` in rank order, [`CHUNK`] at a time, as they are
/// built: with `request.all`, every hit of a query matching most of an archive goes by while
/// only one chunk is held. The results returned carry no hits.
pub fn search_into(
    store: &Store,
    searcher: &Searcher,
    request: &SearchRequest,
    sink: &mut dyn FnMut(Vec<Hit>) -> Result<()>,
) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = searcher.clone();
    let compiled = query::compile(
        &request.query,
        &store.fields,
        &request.options,
        Some(&searcher),
    )?;
    let wanted = if request.all {
        // Every match: the ranking holds a score and an address per hit, 12 bytes.
        searcher.search(compiled.query.as_ref(), &tantivy::collector::Count)?
    } else if request.limit == 0 {
        0
    } else {
        // Never more than the index holds: the ranking allocates room for all it is asked for.
        let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        request.offset.saturating_add(request.limit).min(documents)
    };
    // BM25's statistics skip the segments without a clause's field, as the clauses do.
    let skipping = compiled.presence.as_deref().map(|presence| Statistics {
        searcher: &searcher,
        presence,
    });
    let statistics: &dyn Bm25StatisticsProvider = match &skipping {
        Some(skipping) => skipping,
        None => &searcher,
    };
    let (total, top) = collapsed_top(
        &searcher,
        statistics,
        &store.fields,
        compiled.query.as_ref(),
        wanted,
    )?;
    let romanized = match &compiled.romanized {
        Some(q) if !top.is_empty() => {
            Some(q.weight(EnableScoring::disabled_from_searcher(&searcher))?)
        }
        _ => None,
    };
    let scoring = EnableScoring::disabled_from_searcher(&searcher);
    let variant_weights = compiled
        .variants
        .iter()
        .map(|(form, q)| Ok((form.clone(), q.weight(scoring)?)))
        .collect::<Result<Vec<_>>>()?;
    // `--explain`: each scoring clause's weight, built once for all hits.
    let leaf_weights = if request.explain {
        compiled
            .leaves
            .iter()
            .map(|(label, q)| {
                Ok((
                    label.clone(),
                    q.weight(EnableScoring::enabled_from_statistics_provider(
                        statistics, &searcher,
                    ))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let page: Vec<(f32, DocAddress)> = top.into_iter().skip(request.offset).collect();
    let builder = HitBuilder {
        searcher: &searcher,
        fields: &store.fields,
        compiled: &compiled,
        scanner: Scanner::new(&compiled.highlight),
        passages: request.snippets,
    };
    for (n, chunk) in page.chunks(CHUNK).enumerate() {
        let hits = in_parallel(chunk, |i, &(score, address)| {
            let romanized = match &romanized {
                Some(weight) => matches(weight.as_ref(), &searcher, address)?,
                None => false,
            };
            let mut hit = builder.hit(Found {
                address,
                score,
                romanized,
            })?;
            hit.rank = request.offset.saturating_add(n * CHUNK + i + 1);
            if request.explain {
                hit.explanation = Some(explain(&leaf_weights, &searcher, address)?);
            }
            for (form, weight) in &variant_weights {
                if matches(weight.as_ref(), &searcher, address)? {
                    hit.variants.push(form.clone());
                }
            }
            Ok(hit)
        })?;
        sink(hits)?;
    }
    let facets = if request.facets {
        let mut facets = facets::count(&searcher, &store.fields, compiled.query.as_ref())?;
        for (tag, docs) in &request.options.tagged {
            let both = tantivy::query::BooleanQuery::intersection(vec![
                compiled.query.box_clone(),
                query::tagged(&store.fields, docs),
            ]);
            let count = searcher.search(&both, &tantivy::collector::Count)?;
            if count > 0 {
                facets.tags.push((tag.clone(), count as u64));
            }
        }
        Some(facets)
    } else {
        None
    };
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        elapsed: started.elapsed(),
        hits: Vec::new(),
        facets,
        ignored: compiled.ignored,
        words: if request.explain {
            compiled.cuts
        } else {
            Vec::new()
        },
    })
}

/// `build(i, item)` for every item, in order, on up to as many threads as there are cores:
/// each hit's snippets mean re-analyzing its whole stored text, most of a search's time when the
/// hits are long documents. The first error is returned.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    build: impl Fn(usize, &T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().enumerate().map(|(i, t)| build(i, t)).collect();
    }
    // Thread k builds items k, k + threads, k + 2 threads, ...: hits of similar rank are often
    // similar documents, so interleaving shares the work out better than halves would.
    let parts: Vec<Vec<(usize, Result<R>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let build = &build;
                scope.spawn(move || {
                    (k..items.len())
                        .step_by(threads)
                        .map(|i| (i, build(i, &items[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut built: Vec<(usize, Result<R>)> = parts.into_iter().flatten().collect();
    if built.len() != items.len() {
        anyhow::bail!("a thread building search hits panicked");
    }
    built.sort_by_key(|(i, _)| *i);
    built.into_iter().map(|(_, r)| r).collect()
}

/// What every hit of a search is built with.
struct HitBuilder<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    compiled: &'a Compiled,
    /// Finds the search's terms in a document's text.
    scanner: Scanner,
    /// Passages shown per hit.
    passages: usize,
}

/// A document the search ranked: where it is, its score, and whether it matched through
/// romanization.
struct Found {
    address: DocAddress,
    score: f32,
    romanized: bool,
}

impl HitBuilder<'_> {
    /// The hit for a found document: its stored fields, its best passages with the search's
    /// terms highlighted, and its copies. Rank, variants and explanation are the caller's.
    fn hit(&self, found: Found) -> Result<Hit> {
        let Found {
            address,
            score,
            romanized,
        } = found;
        let (searcher, fields, compiled) = (self.searcher, self.fields, self.compiled);
        let (body, about) = stored::read(searcher, fields, address)?;
        let highlight = compiled.highlight.for_document(&about.langs, romanized);
        let snippets = best_snippets(&body, &highlight, &self.scanner, self.passages);
        let snippet = snippets.first().cloned().unwrap_or_else(|| Snippet {
            text: String::new(),
            highlights: Vec::new(),
            cut_start: false,
            cut_end: false,
            page: None,
        });
        let copies = copies(
            searcher,
            fields,
            address,
            &about.sha256,
            &about.path,
            about.part.as_deref(),
        )?;
        Ok(Hit {
            rank: 0,
            score,
            about,
            copies,
            romanized,
            variants: Vec::new(),
            tags: Vec::new(),
            note: None,
            snippet,
            snippets,
            explanation: None,
        })
    }
}

/// What each scoring clause of the query adds to this document's score (clauses that match),
/// largest first. tantivy's own `explain` trips an assertion on some boolean queries, so each
/// clause is scored on its own.
fn explain(
    leaves: &[(String, Box<dyn Weight>)],
    searcher: &Searcher,
    address: DocAddress,
) -> Result<Vec<(String, f32)>> {
    let mut out = Vec::new();
    for (label, weight) in leaves {
        if let Some(score) = score_at(weight.as_ref(), searcher, address)? {
            out.push((label.clone(), score));
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(out)
}

/// Whether the document at `address` matches `weight`'s query.
fn matches(weight: &dyn Weight, searcher: &Searcher, address: DocAddress) -> Result<bool> {
    Ok(score_at(weight, searcher, address)?.is_some())
}

/// The score `weight` gives the document at `address`, or `None` when it does not match. A
/// fresh scorer may already stand past the document, and seeking backwards is not allowed.
fn score_at(weight: &dyn Weight, searcher: &Searcher, address: DocAddress) -> Result<Option<f32>> {
    let reader = searcher.segment_reader(address.segment_ord);
    let mut scorer = weight.scorer(reader, 1.0)?;
    let found = scorer.doc() <= address.doc_id && scorer.seek(address.doc_id) == address.doc_id;
    Ok(found.then(|| scorer.score()))
}
