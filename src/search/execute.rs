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
use super::near::{self, NearCopy, Signatures, Threshold};
use super::query::{self, Compiled, QueryOptions};
use super::request::SearchRequest;
use super::segment_fields::Statistics;
use super::sink::{Collect, Sink};
use super::snippet::{Scanner, Snippet, best_snippets};
use super::stored::{self, About};
use super::thread::{Place, Threads};
use super::words::Cut;

use crate::parallel;
use crate::schema::Fields;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Hit {
    /// Where the document is in the searcher that found it, for a caller's further questions
    /// of it (`xref` asks how it matched).
    pub address: DocAddress,
    /// 1-based rank in the whole result list (offset included).
    pub rank: usize,
    pub score: f32,
    /// What the index stores about the document.
    pub about: About,
    /// Other indexed files with identical content, sorted.
    pub copies: Vec<String>,
    /// Documents whose text is nearly the same, closest first (at most [`near::HIT_NEAR`]),
    /// and how many there are.
    pub near_copies: Vec<NearCopy>,
    pub near_count: usize,
    /// Its place in its e-mail thread, for a message or an attachment of one.
    pub thread: Option<Place>,
    /// Whether a query word matched this document through romanization (`shiberia` in
    /// `シベリア`).
    pub romanized: bool,
    /// Variant forms (other than the typed one) found in this document.
    pub variants: Vec<String>,
    /// The entities of the variants file this document names (each group's first form).
    pub names: Vec<String>,
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

/// Runs a search with `searcher`, every hit kept: a server's page of results.
pub fn search_with(
    store: &Store,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let mut collect = Collect::default();
    let mut results = search_into(store, searcher, request, &mut collect)?;
    results.hits = collect.0;
    Ok(results)
}

/// Hits are built and handed on this many at a time by [`search_into`].
const CHUNK: usize = 256;

/// Runs a search and hands its hits to `sink` in rank order, [`CHUNK`] at a time, as they are
/// built: with `request.all`, every hit of a query matching most of an archive goes by while
/// only one chunk is held. Four steps: the query read ([`query::compile`]), the documents
/// ranked ([`rank`]), their hits built on every core ([`HitBuilder`]), the result set counted
/// by facet ([`count_facets`]). The results returned carry no hits.
pub fn search_into(
    store: &Store,
    searcher: &Searcher,
    request: &SearchRequest,
    sink: &mut dyn Sink,
) -> Result<SearchResults> {
    let started = Instant::now();
    sink.begin(&request.query)?;
    let compiled = query::compile(
        &request.query,
        &store.fields,
        &request.options,
        Some(searcher),
    )?;
    search_compiled(store, searcher, &compiled, request, sink, started)
}

/// [`search_into`]'s steps after the query is read, for a query built otherwise (a
/// document's distinctive terms: [`super::similar`]); `sink` has begun, at `started`.
pub fn search_compiled(
    store: &Store,
    searcher: &Searcher,
    compiled: &Compiled,
    request: &SearchRequest,
    sink: &mut dyn Sink,
    started: Instant,
) -> Result<SearchResults> {
    // BM25's statistics skip the segments without a clause's field, as the clauses do.
    let skipping = compiled
        .presence
        .as_deref()
        .map(|presence| Statistics { searcher, presence });
    let statistics: &dyn Bm25StatisticsProvider = match &skipping {
        Some(skipping) => skipping,
        None => searcher,
    };
    let (total, top) = rank(searcher, statistics, &store.fields, compiled, request)?;
    let words = if request.explain {
        compiled.cuts.as_slice()
    } else {
        &[]
    };
    sink.ranked(words)?;
    let page = top.get(request.offset..).unwrap_or_default();
    // The variants file's entities, compiled once for the hits' names and the name facet.
    let names = if !page.is_empty() || request.facets {
        query::names(&request.options.variants, &store.fields, searcher)
    } else {
        Vec::new()
    };
    if !page.is_empty() {
        let builder = HitBuilder::new(
            searcher,
            statistics,
            &store.fields,
            compiled,
            &names,
            request,
            page.len(),
        )?;
        // On every core (see `threads`): each hit's snippets mean scanning its whole stored
        // text, most of a search's time when the hits are long documents.
        for (n, chunk) in page.chunks(CHUNK).enumerate() {
            let first = request.offset.saturating_add(n * CHUNK + 1);
            let hits = parallel::map(request.threads.max(1), chunk, |i, &(score, address)| {
                builder.hit(address, score, first.saturating_add(i))
            })?;
            sink.hits(hits.into_iter().collect::<Result<_>>()?)?;
        }
    }
    let facets = if request.facets {
        Some(count_facets(
            searcher,
            &store.fields,
            compiled,
            &request.options,
            &names,
            request.near,
        )?)
    } else {
        None
    };
    let results = SearchResults {
        query: request.query.clone(),
        total,
        elapsed: started.elapsed(),
        hits: Vec::new(),
        facets,
        ignored: compiled.ignored.clone(),
        words: if request.explain {
            compiled.cuts.clone()
        } else {
            Vec::new()
        },
    };
    sink.end(&results)?;
    Ok(results)
}

/// How many documents match, and the best of them, one per content, as many as the request
/// shows (all with `--all`), best first.
fn rank(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    fields: &Fields,
    compiled: &Compiled,
    request: &SearchRequest,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
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
    collapsed_top(
        searcher,
        statistics,
        fields,
        compiled.query.as_ref(),
        wanted,
        request.collapse_near.then_some(request.near),
    )
}

/// The whole result set counted by language, year, month, folder and entity, and by the
/// archivist's tags and the variants file's names (a count of each within the matches).
fn count_facets(
    searcher: &Searcher,
    fields: &Fields,
    compiled: &Compiled,
    options: &QueryOptions,
    names: &[(String, Box<dyn tantivy::query::Query>)],
    near: Threshold,
) -> Result<Facets> {
    let mut facets = facets::count(searcher, fields, compiled.query.as_ref(), near)?;
    let within = |other: Box<dyn tantivy::query::Query>| -> Result<u64> {
        let both =
            tantivy::query::BooleanQuery::intersection(vec![compiled.query.box_clone(), other]);
        Ok(searcher.search(&both, &tantivy::collector::Count)? as u64)
    };
    for (tag, docs) in &options.tagged {
        let count = within(query::tagged(fields, docs))?;
        if count > 0 {
            facets.tags.push((tag.clone(), count));
        }
    }
    for (name, query) in names {
        let count = within(query.box_clone())?;
        if count > 0 {
            facets.names.push((name.clone(), count));
        }
    }
    facets
        .names
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(facets)
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
    /// The query's romanized words (`shiberia` in `シベリア`), when it has any: whether a hit
    /// matched through them.
    romanized: Option<Box<dyn Weight>>,
    /// Each variant form's query: the forms a hit contains.
    variants: Vec<(String, Box<dyn Weight>)>,
    /// `--explain`: each scoring clause's weight, built once for all hits.
    leaves: Option<Vec<(String, Box<dyn Weight>)>>,
    /// Each entity of the variants file: the names a hit has.
    names: Vec<(String, Box<dyn Weight>)>,
    /// How near a hit's near copies are.
    near: Threshold,
    /// Every document's signature read so far, for hits' near copies.
    signatures: Signatures<'a>,
    /// The threads walked so far, for hits' places in them.
    threads: Threads<'a>,
}

impl<'a> HitBuilder<'a> {
    fn new(
        searcher: &'a Searcher,
        statistics: &dyn Bm25StatisticsProvider,
        fields: &'a Fields,
        compiled: &'a Compiled,
        names: &[(String, Box<dyn tantivy::query::Query>)],
        request: &SearchRequest,
        hits: usize,
    ) -> Result<HitBuilder<'a>> {
        let unscored = EnableScoring::disabled_from_searcher(searcher);
        let romanized = match &compiled.romanized {
            Some(q) => Some(q.weight(unscored)?),
            None => None,
        };
        let variants = compiled
            .variants
            .iter()
            .map(|(form, q)| Ok((form.clone(), q.weight(unscored)?)))
            .collect::<Result<Vec<_>>>()?;
        let names = names
            .iter()
            .map(|(name, q)| Ok((name.clone(), q.weight(unscored)?)))
            .collect::<Result<Vec<_>>>()?;
        let leaves = if request.explain {
            let scored = EnableScoring::enabled_from_statistics_provider(statistics, searcher);
            Some(
                compiled
                    .leaves
                    .iter()
                    .map(|(label, q)| Ok((label.clone(), q.weight(scored)?)))
                    .collect::<Result<Vec<_>>>()?,
            )
        } else {
            None
        };
        Ok(HitBuilder {
            searcher,
            fields,
            compiled,
            scanner: Scanner::new(&compiled.highlight),
            passages: request.snippets,
            romanized,
            variants,
            leaves,
            names,
            near: request.near,
            signatures: Signatures::for_hits(searcher, fields, hits)?,
            threads: Threads::new(searcher, fields),
        })
    }

    /// The hit for a ranked document: its stored fields, its best passages with the search's
    /// terms highlighted, its copies, the variant forms it contains and, with `--explain`,
    /// what each clause added.
    fn hit(&self, address: DocAddress, score: f32, rank: usize) -> Result<Hit> {
        let (searcher, fields, compiled) = (self.searcher, self.fields, self.compiled);
        let romanized = match &self.romanized {
            Some(weight) => matches(weight.as_ref(), searcher, address)?,
            None => false,
        };
        let (body, about) = stored::read(searcher, fields, address)?;
        let stemmed = stored::passage_languages(searcher, fields, address)?;
        let highlight = compiled
            .highlight
            .for_document(&about.lang, &stemmed, romanized, &body);
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
        let (near_count, near_copies) = match self.signatures.at(address) {
            Some(signature) => near::near_copies(
                &self.signatures,
                address,
                &signature,
                &about.sha256,
                self.near,
                near::HIT_NEAR,
            )?,
            None => (0, Vec::new()),
        };
        let thread = self.threads.place(address)?;
        let mut variants = Vec::new();
        for (form, weight) in &self.variants {
            if matches(weight.as_ref(), searcher, address)? {
                variants.push(form.clone());
            }
        }
        let mut names = Vec::new();
        for (name, weight) in &self.names {
            if matches(weight.as_ref(), searcher, address)? {
                names.push(name.clone());
            }
        }
        let explanation = match &self.leaves {
            Some(leaves) => Some(explain(leaves, searcher, address)?),
            None => None,
        };
        Ok(Hit {
            address,
            rank,
            score,
            about,
            copies,
            near_copies,
            near_count,
            thread,
            romanized,
            variants,
            names,
            tags: Vec::new(),
            note: None,
            snippet,
            snippets,
            explanation,
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
pub fn matches(weight: &dyn Weight, searcher: &Searcher, address: DocAddress) -> Result<bool> {
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
