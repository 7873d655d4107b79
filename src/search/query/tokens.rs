//! A text's query tokens (analyzed as the index analyzes `body`), and the term or phrase query
//! a sequence of them makes.

use tantivy::Term;
use tantivy::query::{BoostQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

/// A query token where it stands in the analyzed text.
pub(super) struct Located {
    pub(super) position: usize,
    /// Byte range in the analyzed text.
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) term: String,
}

/// Tokens of `text` with their positions and byte ranges.
pub(super) fn analyze_with_offsets(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Located> {
    let mut out = Vec::new();
    analyzer.token_stream(text).process(&mut |t| {
        out.push(Located {
            position: t.position,
            from: t.offset_from,
            to: t.offset_to,
            term: t.text.clone(),
        })
    });
    out
}

/// Tokens of `text` as (position, term text).
pub(super) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    analyze_with_offsets(analyzer, text)
        .into_iter()
        .map(|t| (t.position, t.term))
        .collect()
}

/// One token: a term query; several: the tokens at their relative positions (a phrase), which
/// may stand `slop` positions further apart.
pub(super) fn sequence(field: Field, tokens: &[(usize, String)], slop: u32) -> Box<dyn Query> {
    match tokens {
        [(_, only)] => Box::new(TermQuery::new(
            Term::from_field_text(field, only),
            IndexRecordOption::WithFreqs,
        )),
        _ => {
            let first = tokens.first().map_or(0, |t| t.0);
            let terms = tokens
                .iter()
                .map(|(pos, text)| (pos - first, Term::from_field_text(field, text)))
                .collect();
            let mut phrase = PhraseQuery::new_with_offset(terms);
            phrase.set_slop(slop);
            Box::new(phrase)
        }
    }
}

pub(super) fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}
