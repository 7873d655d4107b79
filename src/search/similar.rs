//! More like this: the documents closest in content to one document. Its distinctive terms
//! are picked from its own text as the index reads it (the words of `body`, their stems in each
//! of the document's languages, the romanized forms of its kana, Cyrillic and Greek), each
//! weighted by how often the document uses it and how rare it is in the archive (tf-idf;
//! Lucene's and Elasticsearch's `more_like_this` do the same), and searched as one query that
//! ranks by BM25: a document sharing more of them, and rarer ones, ranks higher. Across scripts,
//! romanized terms are also looked for among Latin words and Latin words among romanized
//! text (`Shiberia` and `シベリア`), and the entities of the variants file the document names
//! among every form of them (`関東軍` and `Kwantung Army`). Each hit says which of the terms it
//! shares, as the source document writes them.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use anyhow::Result;
use tantivy::collector::Count;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, TermQuery, Weight,
};
use tantivy::schema::{Field, FieldType, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, Term};

use super::execute::{Hit, matches, search_compiled};
use super::query::Highlight;
use super::query::{Compiled, QueryOptions, names};
use super::request::SearchRequest;
use super::sink::{Collect, Sink};
use super::stopwords::{self, Stopwords};
use super::stored::{self, About};
use crate::analysis::StemLang;
use crate::analysis::script::{is_cjk_script, script};
use crate::store::Store;
use icu_properties::props::Script;

/// Most distinctive terms searched for.
const MAX_TERMS: usize = 30;
/// The part of a document read for its terms: enough for a long report, bounded for a book.
const MAX_SOURCE_BYTES: usize = 64 << 10;
/// A document of more words than this is long: its words written once are left out.
const LONG_DOCUMENT_TOKENS: usize = 2_000;
/// A term in more than this share of a large archive's documents says little about any of
/// them (and reading its postings costs the most)...
const MAX_DOC_SHARE: f64 = 0.1;
/// ...while in a small archive on one subject its subject's words are in many documents: up to
/// half of them, and this many, count there.
const SMALL_ARCHIVE_DOCS: f64 = 100.0;
/// Weight of a term found through another script, against the same term in its own.
const ACROSS_SCRIPTS: f32 = 0.5;

/// A term of the source document that its similar documents are looked for by.
#[derive(Debug, Clone)]
pub struct Distinctive {
    pub field: Field,
    /// As the index holds it (`prison`, `shiberia`, `抑留`).
    pub term: String,
    /// As the source document writes it first (`prisoners`, `シベリア`); a CJK bigram as the
    /// run of the bigrams kept that it is part of (`パッケージ` for `パッ`, `ッケ`, `ケー`).
    pub shown: String,
    /// Where it is first written in the source document's text (bytes).
    pub at: (usize, usize),
    /// tf-idf in the source document.
    pub weight: f32,
}

/// The documents like one.
#[derive(Debug, Clone)]
pub struct Similar {
    pub source: About,
    /// Its distinctive terms, as it writes them, most distinctive first (one per written form).
    pub terms: Vec<String>,
    /// The closest documents, best first (identical copies of the source left out).
    pub hits: Vec<Hit>,
    /// For each hit, the terms it shares with the source, as the source writes them.
    pub shared: Vec<Vec<String>>,
    pub elapsed: std::time::Duration,
}

/// The `limit` documents most like the one with id `id`; `None` when no document has it.
pub fn similar(
    store: &Store,
    searcher: &Searcher,
    id: &str,
    limit: usize,
    options: &QueryOptions,
) -> Result<Option<Similar>> {
    let started = Instant::now();
    let fields = &store.fields;
    let Some(address) = super::whole::address_of(searcher, fields, id)? else {
        return Ok(None);
    };
    let (text, source) = stored::read(searcher, fields, address)?;
    let terms = distinctive(searcher, store, &text, &source, address)?;
    let entities = named(store, searcher, options, address)?;
    let (query, highlight) = like(store, &terms, &entities, &source);
    let compiled = Compiled {
        query,
        highlight,
        presence: None,
        romanized: None,
        variants: Vec::new(),
        leaves: Vec::new(),
        ignored: Vec::new(),
        cuts: Vec::new(),
    };
    let request = SearchRequest::new(format!("similar:{id}"))
        .limit(limit)
        .options(options.clone());
    let mut collect = Collect::default();
    collect.begin(&request.query)?;
    search_compiled(store, searcher, &compiled, &request, &mut collect, started)?;
    let hits = collect.0;
    let shared = shared_terms(searcher, &terms, &entities, &hits)?;
    let mut shown: Vec<String> = Vec::new();
    for t in &terms {
        if !shown
            .iter()
            .any(|s| s.to_lowercase() == t.shown.to_lowercase())
        {
            shown.push(t.shown.clone());
        }
    }
    Ok(Some(Similar {
        source,
        terms: shown,
        hits,
        shared,
        elapsed: started.elapsed(),
    }))
}

/// The document's most distinctive terms in `body`, its languages' stemmed fields and `roman`.
fn distinctive(
    searcher: &Searcher,
    store: &Store,
    text: &str,
    source: &About,
    address: DocAddress,
) -> Result<Vec<Distinctive>> {
    let fields = &store.fields;
    let mut end = text.len().min(MAX_SOURCE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut searched = vec![fields.body, fields.roman];
    for lang in &source.langs {
        if let Some(stem) = StemLang::for_code(lang) {
            let field = fields.stem(stem);
            if !searched.contains(&field) {
                searched.push(field);
            }
        }
    }
    // The document's languages and the collection's: a passage in English taken for
    // Esperanto still has English function words.
    let mut languages = stopwords::present(searcher, fields)?;
    languages.extend(source.langs.iter().cloned());
    let documents = searcher.num_docs().max(1) as f64;
    // The source's identical copies hold all its terms: a term they alone share tells nothing.
    let same_bytes = TermQuery::new(
        Term::from_field_text(fields.sha256, &source.sha256),
        IndexRecordOption::Basic,
    );
    let copies = searcher.search(&same_bytes, &Count)?.saturating_sub(1) as u64;
    let most = (documents * MAX_DOC_SHARE)
        .max((documents * 0.5).min(SMALL_ARCHIVE_DOCS))
        .max(2.0) as u64;
    let mut out = Vec::new();
    let mut in_body: HashSet<String> = HashSet::new();
    for field in searched {
        let Some(mut analyzer) = analyzer_of(searcher, field) else {
            continue;
        };
        // Function words are frequent in a document and, in a small archive, not in every one.
        let function_words = Stopwords::of_languages(&languages, &mut analyzer);
        // Each term's count and the first place it is written.
        let mut counts: HashMap<String, (usize, usize, usize)> = HashMap::new();
        analyzer.token_stream(text).process(&mut |t| {
            let entry = counts
                .entry(t.text.clone())
                .or_insert((0, t.offset_from, t.offset_to));
            entry.0 += 1;
        });
        let tokens: usize = counts.values().map(|c| c.0).sum();
        for (term, (count, from, to)) in counts {
            // A word a stem field holds as `body` does (unchanged by stemming, or CJK) is no
            // rarer there: `body`'s is the one kept.
            if field == fields.body {
                in_body.insert(term.clone());
            } else if in_body.contains(&term) {
                continue;
            }
            // In a long document a word written once is a passing mention (Lucene's
            // `minTermFreq`), and looking up each costs the most.
            if count < 2 && tokens > LONG_DOCUMENT_TOKENS {
                continue;
            }
            if !telling(&term)
                || function_words.contains(&term)
                || spans_function(&term, &function_words)
            {
                continue;
            }
            // A stem field holds one language's passages: a word also written in others (a
            // misread passage, a name) is as rare as the whole text says.
            let mut df = searcher.doc_freq(&Term::from_field_text(field, &term))?;
            if field != fields.body {
                df = df.max(searcher.doc_freq(&Term::from_field_text(fields.body, &term))?);
            }
            // Only in this document (and its copies), or in too many.
            if df < 2 + copies || df > most {
                continue;
            }
            let weight = ((1.0 + (count as f64).ln()) * idf(documents, df as f64)) as f32;
            let shown = text.get(from..to).unwrap_or(&term).to_string();
            out.push(Distinctive {
                field,
                term,
                shown,
                at: (from, to),
                weight,
            });
        }
    }
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    // The fields besides `body` hold only some of the text (a language's stems only its
    // passages in that language), so the whole text analyzed for them gives terms the document
    // does not have there, with the rarity of a misread passage elsewhere: each is kept only if
    // the index holds it for the document, weightiest first. A term in several fields counts
    // once, at its weightiest.
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let mut kept: Vec<Distinctive> = Vec::new();
    for t in out {
        if kept.len() == MAX_TERMS {
            break;
        }
        if kept.iter().any(|k| k.term == t.term) {
            continue;
        }
        if t.field != fields.body {
            let query = TermQuery::new(
                Term::from_field_text(t.field, &t.term),
                IndexRecordOption::Basic,
            );
            if !matches(query.weight(unscored)?.as_ref(), searcher, address)? {
                continue;
            }
        }
        kept.push(t);
    }
    join_bigrams(&mut kept, text);
    Ok(kept)
}

/// Whether `term` is a CJK bigram of grammar rather than content: with a one-character
/// function word in it (`の文`, `的行`: it straddles a word's edge), or all hiragana (`ます`,
/// `する`: Japanese writes its content words in kanji and katakana, its endings in hiragana).
fn spans_function(term: &str, function_words: &Stopwords) -> bool {
    let mut chars = term.chars();
    let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) else {
        return false;
    };
    let cjk = |c: char| is_cjk_script(script(c));
    let hiragana = |c: char| script(c) == Script::Hiragana;
    let mut buffer = [0; 4];
    cjk(a)
        && cjk(b)
        && ((hiragana(a) && hiragana(b))
            || [a, b]
                .iter()
                .any(|c| function_words.contains(c.encode_utf8(&mut buffer))))
}

/// Shows the CJK bigrams kept that overlap where the source first writes them as the run they
/// make (`パッ`, `ッケ`, `ケー`, `ージ` as `パッケージ`): the index holds words written without
/// spaces as overlapping pairs of characters, which read as fragments.
fn join_bigrams(terms: &mut [Distinctive], text: &str) {
    let bigram = |t: &Distinctive| {
        t.term.chars().count() == 2 && t.term.chars().all(|c| is_cjk_script(script(c)))
    };
    let mut spans: Vec<(usize, usize)> = terms.iter().filter(|t| bigram(t)).map(|t| t.at).collect();
    spans.sort_unstable();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (from, to) in spans {
        match runs.last_mut() {
            Some(run) if from < run.1 => run.1 = run.1.max(to),
            _ => runs.push((from, to)),
        }
    }
    for t in terms.iter_mut().filter(|t| bigram(t)) {
        if let Some(&(from, to)) = runs.iter().find(|r| r.0 <= t.at.0 && t.at.1 <= r.1)
            && let Some(run) = text.get(from..to)
        {
            t.shown = run.to_string();
        }
    }
}

/// How rare a term in `df` of `documents` documents is: BM25's idf, as tantivy scores it.
fn idf(documents: f64, df: f64) -> f64 {
    (1.0 + (documents - df + 0.5) / (df + 0.5)).ln()
}

/// Whether a term can tell documents apart: a word with a letter in it, not one letter or a
/// number.
fn telling(term: &str) -> bool {
    let letters = term.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && term.chars().count() > 1
}

/// The analyzer `field` is indexed with, as the index registered it.
fn analyzer_of(searcher: &Searcher, field: Field) -> Option<TextAnalyzer> {
    let schema = searcher.schema();
    let FieldType::Str(options) = schema.get_field_entry(field).field_type() else {
        return None;
    };
    let name = options.get_indexing_options()?.tokenizer();
    searcher.index().tokenizers().get(name)
}

/// An entity of the variants file the source document names.
struct Named {
    /// The variants file's name for it (its group's first form).
    name: String,
    /// Any of its forms.
    query: Box<dyn Query>,
    /// Its rarity in the archive, as a term's (BM25's idf).
    idf: f32,
}

/// The variants file's entities the document at `address` names.
fn named(
    store: &Store,
    searcher: &Searcher,
    options: &QueryOptions,
    address: DocAddress,
) -> Result<Vec<Named>> {
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let documents = searcher.num_docs().max(1) as f64;
    let mut out = Vec::new();
    for (name, query) in names(&options.variants, &store.fields, searcher) {
        let weight = query.weight(unscored)?;
        if matches(weight.as_ref(), searcher, address)? {
            let df = searcher.search(&query, &Count)? as f64;
            out.push(Named {
                name,
                query,
                idf: idf(documents, df) as f32,
            });
        }
    }
    Ok(out)
}

/// The query of the terms (and entities), without the source and its identical copies, and
/// what snippets mark.
fn like(
    store: &Store,
    terms: &[Distinctive],
    entities: &[Named],
    source: &About,
) -> (Box<dyn Query>, Highlight) {
    let fields = &store.fields;
    let best = terms.first().map_or(1.0, |t| t.weight.max(f32::EPSILON));
    let term_query = |field: Field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
        let query = TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        );
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(query), boost)),
        )
    };
    let mut clauses = Vec::new();
    let mut highlight = Highlight::default();
    for t in terms {
        let boost = t.weight / best;
        clauses.push(term_query(t.field, &t.term, boost));
        if t.field == fields.body {
            highlight.body.insert(t.term.clone());
            // A Latin word may stand romanized in kana or Cyrillic text.
            clauses.push(term_query(fields.roman, &t.term, boost * ACROSS_SCRIPTS));
        } else if t.field == fields.roman {
            highlight.roman.insert(t.term.clone());
            // A romanized word may stand in Latin text.
            clauses.push(term_query(fields.body, &t.term, boost * ACROSS_SCRIPTS));
            highlight.body.insert(t.term.clone());
        } else if let Some(lang) = StemLang::ALL
            .into_iter()
            .find(|l| fields.stem(*l) == t.field)
        {
            highlight
                .stems
                .entry(lang)
                .or_default()
                .insert(t.term.clone());
        }
    }
    // An entity scores as a term of its rarity written once would: the many forms and fields
    // of its query would otherwise outweigh every word (a short note naming two places above
    // a report sharing them and ten rare words).
    for entity in entities {
        let score = entity.idf * entity.idf / best;
        let query = ConstScoreQuery::new(entity.query.box_clone(), score);
        clauses.push((Occur::Should, Box::new(query)));
    }
    let mut query = vec![(
        Occur::Must,
        Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>,
    )];
    for (field, value) in [(fields.id, &source.id), (fields.sha256, &source.sha256)] {
        query.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )),
        ));
    }
    (Box::new(BooleanQuery::new(query)), highlight)
}

/// For each hit, the terms it shares with the source, as the source writes them, most
/// distinctive first, then the entities both name (by the variants file's name for them).
fn shared_terms(
    searcher: &Searcher,
    terms: &[Distinctive],
    entities: &[Named],
    hits: &[Hit],
) -> Result<Vec<Vec<String>>> {
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let mut weighed: Vec<(&str, Box<dyn Weight>)> = Vec::new();
    for t in terms {
        let query = TermQuery::new(
            Term::from_field_text(t.field, &t.term),
            IndexRecordOption::Basic,
        );
        weighed.push((&t.shown, query.weight(unscored)?));
    }
    for entity in entities {
        weighed.push((&entity.name, entity.query.weight(unscored)?));
    }
    hits.iter()
        .map(|hit| {
            let mut shared: Vec<String> = Vec::new();
            for (shown, weight) in &weighed {
                let lower = shown.to_lowercase();
                if !shared.iter().any(|s| s.to_lowercase() == lower)
                    && matches(weight.as_ref(), searcher, hit.address)?
                {
                    shared.push(shown.to_string());
                }
            }
            Ok(shared)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_of_grammar_are_not_terms() {
        let mut analyzer = crate::analysis::text_analyzer(crate::analysis::Mode::Query);
        let function_words = Stopwords::of_languages(["ja", "zh"], &mut analyzer);
        for grammar in ["ます", "する", "の文", "的行"] {
            assert!(spans_function(grammar, &function_words), "{grammar}");
        }
        for content in ["抑留", "パッ", "ージ", "引揚", "of", "из"] {
            assert!(!spans_function(content, &function_words), "{content}");
        }
    }

    #[test]
    fn overlapping_bigrams_show_as_the_word_they_make() {
        let text = "シベリア抑留とパッケージ";
        let term = |t: &str| {
            let from = text.find(t).expect("in the text");
            Distinctive {
                field: tantivy::schema::Field::from_field_id(0),
                term: t.to_string(),
                shown: t.to_string(),
                at: (from, from + t.len()),
                weight: 1.0,
            }
        };
        let mut terms = vec![
            term("パッ"),
            term("ッケ"),
            term("抑留"),
            term("シベ"),
            term("ベリ"),
        ];
        join_bigrams(&mut terms, text);
        let shown: Vec<&str> = terms.iter().map(|t| t.shown.as_str()).collect();
        assert_eq!(shown, ["パッケ", "パッケ", "抑留", "シベリ", "シベリ"]);
    }

    #[test]
    fn words_tell_numbers_and_letters_do_not() {
        assert!(telling("prison"));
        assert!(telling("抑留"));
        assert!(telling("x11"));
        assert!(!telling("1946"));
        assert!(!telling("a"));
    }
}
