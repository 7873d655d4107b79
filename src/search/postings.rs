//! The live documents that have a term, straight from its postings: no scores computed, for
//! relations read term by term (near copies by their bands, threads by their links).

use anyhow::Result;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, Term};

/// The live documents with `text` in `field`, in every segment, at most `max`.
pub fn postings(
    searcher: &Searcher,
    field: Field,
    text: &str,
    max: usize,
) -> Result<Vec<DocAddress>> {
    let term = Term::from_field_text(field, text);
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        let index = segment.inverted_index(field)?;
        if let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? {
            let mut doc = postings.doc();
            while doc != TERMINATED && out.len() < max {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    out.push(DocAddress::new(ord as u32, doc));
                }
                doc = postings.advance();
            }
        }
    }
    Ok(out)
}
