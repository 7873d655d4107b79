//! Run a compiled query and turn the top documents into [`Hit`]s with snippets.
//!
//! Files with identical content (same SHA-256, and the same message of a mailbox) are one hit
//! listing all their paths: an archive that holds three copies of a letter should not show it
//! three times. Enough top documents are fetched to fill the page after collapsing.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, TermQuery, Weight};
use tantivy::schema::OwnedValue;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::present::Statistics;
use super::query::{self, Compiled};
use super::snippet::{Scanner, Snippet, best_snippets};
use super::words::Cut;
use crate::schema::{Fields, first_str};
use crate::store::Store;

/// Copies of one content listed per hit at most.
const MAX_COPIES: usize = 100;

#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank in the whole result list (offset included).
    pub rank: usize,
    pub score: f32,
    pub path: String,
    /// Other indexed files with identical content, sorted.
    pub copies: Vec<String>,
    pub title: String,
    pub lang: String,
    pub langs: Vec<String>,
    pub format: String,
    pub encoding: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    /// Which document of a container (`message 3` of an mbox).
    pub part: Option<String>,
    /// Whether a query word matched this document through romanization (`shiberia` in
    /// `シベリア`).
    pub romanized: bool,
    /// Variant forms (other than the typed one) found in this document.
    pub variants: Vec<String>,
    /// The best passage.
    pub snippet: Snippet,
    /// The best passages, best first (`--snippets N`; the first is `snippet`).
    pub snippets: Vec<Snippet>,
    /// How the score came about (`--explain`): each clause that matched and what it added,
    /// largest first.
    pub explanation: Option<Vec<(String, f32)>>,
}

/// Counts over the whole result set (`--facets`), largest first.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub langs: Vec<(String, u64)>,
    pub years: Vec<(u64, u64)>,
    pub folders: Vec<(String, u64)>,
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
}

pub fn search(store: &Store, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let compiled = query::compile(
        &request.query,
        &store.fields,
        &request.options,
        Some(&searcher),
    )?;
    let wanted = if request.limit == 0 {
        0
    } else {
        request.offset + request.limit
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
    let passages = Passages {
        scanner: Scanner::new(&compiled.highlight),
        count: request.snippets,
    };
    let hits = in_parallel(&page, |i, &(score, address)| {
        let romanized = match &romanized {
            Some(weight) => matches(weight.as_ref(), &searcher, address)?,
            None => false,
        };
        let mut hit = hit(
            &searcher,
            &store.fields,
            &compiled,
            &passages,
            address,
            score,
            romanized,
        )?;
        hit.rank = request.offset + i + 1;
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
    let facets = if request.facets {
        Some(facets(&searcher, &store.fields, compiled.query.as_ref())?)
    } else {
        None
    };
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        elapsed: started.elapsed(),
        hits,
        facets,
        ignored: compiled.ignored,
        words: if request.explain {
            compiled.cuts
        } else {
            Vec::new()
        },
    })
}

/// Languages, years and top-level folders of every matching document, from fast fields.
fn facets(searcher: &Searcher, fields: &Fields, query: &dyn Query) -> Result<Facets> {
    use std::collections::HashMap;
    use tantivy::collector::DocSetCollector;
    let matching = searcher.search(query, &DocSetCollector)?;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for address in matching {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push(address.doc_id);
    }
    let schema = searcher.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let mut langs: HashMap<String, u64> = HashMap::new();
    let mut years: HashMap<u64, u64> = HashMap::new();
    let mut folders: HashMap<String, u64> = HashMap::new();
    let mut buffer = String::new();
    for (segment, docs) in by_segment {
        let fast = searcher.segment_reader(segment).fast_fields();
        let lang_column = fast.str(&name(fields.langs))?;
        let folder_column = fast.str(&name(fields.folder))?;
        let year_column = fast.u64(&name(fields.years))?;
        // Counted by term ordinal, and each ordinal read once: reading a string decompresses a
        // block of the column's dictionary.
        let mut lang_ords: HashMap<u64, u64> = HashMap::new();
        let mut folder_ords: HashMap<u64, u64> = HashMap::new();
        for doc in docs {
            if let Some(column) = &lang_column {
                for ord in column.term_ords(doc) {
                    *lang_ords.entry(ord).or_default() += 1;
                }
            }
            if let Some(ord) = folder_column.as_ref().and_then(|c| c.term_ords(doc).next()) {
                *folder_ords.entry(ord).or_default() += 1;
            }
            for year in year_column.values_for_doc(doc) {
                *years.entry(year).or_default() += 1;
            }
        }
        for (column, ords, counts) in [
            (&lang_column, lang_ords, &mut langs),
            (&folder_column, folder_ords, &mut folders),
        ] {
            let Some(column) = column else { continue };
            for (ord, count) in ords {
                buffer.clear();
                if column.ord_to_str(ord, &mut buffer)? {
                    *counts.entry(buffer.clone()).or_default() += count;
                }
            }
        }
    }
    fn largest_first<K: Ord>(map: HashMap<K, u64>) -> Vec<(K, u64)> {
        let mut v: Vec<(K, u64)> = map.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
    Ok(Facets {
        langs: largest_first(langs),
        years: largest_first(years),
        folders: largest_first(folders),
    })
}

/// The number of matching documents and the best `wanted` of them, one per distinct content,
/// best first. The count is taken in the same pass as the first top documents.
fn collapsed_top(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    fields: &Fields,
    query: &dyn Query,
    wanted: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    if wanted == 0 {
        return Ok((searcher.search(query, &Count)?, Vec::new()));
    }
    let mut fetch = wanted * 2 + 16;
    let (total, mut top) = searcher
        .search_with_statistics_provider(
            query,
            &(Count, TopDocs::with_limit(fetch).order_by_score()),
            statistics,
        )
        .context("search failed")?;
    loop {
        let fetched = top.len();
        let mut distinct = Distinct::new(searcher, fields);
        let mut out = Vec::new();
        for (score, address) in top {
            if distinct.insert(address)? {
                out.push((score, address));
                if out.len() == wanted {
                    return Ok((total, out));
                }
            }
        }
        if fetched < fetch || fetched >= total {
            return Ok((total, out));
        }
        fetch *= 4;
        top = searcher
            .search_with_statistics_provider(
                query,
                &TopDocs::with_limit(fetch).order_by_score(),
                statistics,
            )
            .context("search failed")?;
    }
}

/// The documents kept so far, one per distinct content. Two documents can only be the same
/// content when their files are the same size, and sizes are read in place, so the content key
/// (the hash, from a string column that decompresses a block for every lookup: tens of
/// microseconds each) is read only for documents whose size an earlier one shares.
struct Distinct<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// Each kept document's file size, address and content key once read.
    kept: Vec<(Option<u64>, DocAddress, Option<String>)>,
}

impl<'a> Distinct<'a> {
    fn new(searcher: &'a Searcher, fields: &'a Fields) -> Self {
        Distinct {
            searcher,
            fields,
            kept: Vec::new(),
        }
    }

    /// Keeps `address` unless a kept document has the same content; whether it was kept.
    fn insert(&mut self, address: DocAddress) -> Result<bool> {
        let size = self
            .searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64(self.searcher.schema().get_field_name(self.fields.size))?
            .first(address.doc_id);
        let mut key = None;
        for (other_size, other, other_key) in &mut self.kept {
            if *other_size != size {
                continue;
            }
            if other_key.is_none() {
                *other_key = Some(content_key(self.searcher, self.fields, *other)?);
            }
            if key.is_none() {
                key = Some(content_key(self.searcher, self.fields, address)?);
            }
            if *other_key == key {
                return Ok(false);
            }
        }
        self.kept.push((size, address, key));
        Ok(true)
    }
}

/// What makes two documents the same content: the file hash and the part of the file.
fn content_key(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<String> {
    let mut key = String::new();
    for field in [fields.sha256, fields.part] {
        fast_str(searcher, field, address, &mut key)?;
        key.push('\u{0}');
    }
    Ok(key)
}

/// Appends the first value of a fast string field of a document to `out`; whether it had one.
/// Fast fields are read in place, where a stored document would be decompressed and decoded
/// whole, its text included.
fn fast_str(
    searcher: &Searcher,
    field: Field,
    address: DocAddress,
    out: &mut String,
) -> Result<bool> {
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let name = searcher.schema().get_field_name(field);
    match fast.str(name)? {
        Some(column) => Ok(first_str(&column, address.doc_id, out)?),
        None => Ok(false),
    }
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

/// How many passages each hit shows, and what finds them.
struct Passages {
    scanner: Scanner,
    count: usize,
}

fn hit(
    searcher: &Searcher,
    fields: &Fields,
    compiled: &Compiled,
    passages: &Passages,
    address: DocAddress,
    score: f32,
    romanized: bool,
) -> Result<Hit> {
    let mut doc: StoredStrings = searcher
        .doc(address)
        .context("cannot read a stored document")?;
    let body = doc.take(fields.text).unwrap_or_default();
    let path = doc.take(fields.path).unwrap_or_default();
    let part = doc.take(fields.part);
    let langs: Vec<String> = std::iter::from_fn(|| doc.take(fields.langs)).collect();
    let highlight = compiled.highlight.for_document(&langs, romanized);
    let snippets = best_snippets(&body, &highlight, &passages.scanner, passages.count);
    let snippet = snippets.first().cloned().unwrap_or_else(|| Snippet {
        text: String::new(),
        highlights: Vec::new(),
        cut_start: false,
        cut_end: false,
    });
    let sha256 = doc.take(fields.sha256).unwrap_or_default();
    Ok(Hit {
        rank: 0,
        score,
        copies: copies(searcher, fields, address, &sha256, &path, part.as_deref())?,
        path,
        title: doc.take(fields.title).unwrap_or_default(),
        lang: doc.take(fields.lang).unwrap_or_default(),
        langs,
        format: doc.take(fields.format).unwrap_or_default(),
        encoding: doc.take(fields.encoding),
        author: doc.take(fields.author),
        date: doc.take(fields.date),
        part,
        romanized,
        variants: Vec::new(),
        snippet,
        snippets,
        explanation: None,
    })
}

/// The string values of a stored document, in stored order, moved out as they are read.
/// tantivy's own document type would copy each string, the whole text included, into a buffer
/// of its own after decoding it.
struct StoredStrings(Vec<(Field, String)>);

impl StoredStrings {
    /// The first value of `field` not taken yet.
    fn take(&mut self, field: Field) -> Option<String> {
        let at = self.0.iter().position(|(f, _)| *f == field)?;
        Some(self.0.remove(at).1)
    }
}

impl DocumentDeserialize for StoredStrings {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::new();
        while let Some((field, value)) = deserializer.next_field::<OwnedValue>()? {
            if let OwnedValue::Str(text) = value {
                values.push((field, text));
            }
        }
        Ok(StoredStrings(values))
    }
}

/// Paths of the other documents with the same hash (and part) as the hit.
fn copies(
    searcher: &Searcher,
    fields: &Fields,
    hit: DocAddress,
    sha256: &str,
    path: &str,
    part: Option<&str>,
) -> Result<Vec<String>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.sha256, sha256),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(
        &query,
        &TopDocs::with_limit(MAX_COPIES + 1).order_by_score(),
    )?;
    let mut out = Vec::new();
    let (mut other, mut other_part) = (String::new(), String::new());
    for (_, address) in found {
        if address == hit {
            continue;
        }
        other_part.clear();
        let has_part = fast_str(searcher, fields.part, address, &mut other_part)?;
        if has_part.then_some(other_part.as_str()) != part {
            continue;
        }
        other.clear();
        if fast_str(searcher, fields.path, address, &mut other)? && other != path {
            out.push(other.clone());
        }
    }
    out.sort();
    out.truncate(MAX_COPIES);
    Ok(out)
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
