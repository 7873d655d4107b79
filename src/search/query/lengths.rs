//! A query scored with less weight on document length than tantivy's BM25 gives it.
//!
//! tantivy scores with k1 = 1.2 and b = 0.75, fixed. That suits paragraphs and abstracts; for
//! the bigrams of a Chinese or Japanese question, where the answer is often one longer
//! sentence among short ones, the length penalty of b = 0.75 ranks short sentences that share
//! a bigram or two above it (plain bigram BM25 with b = 0.4 did better on sentence sets, see
//! BENCHMARKS.md, "Relevance"). tantivy lets a query take its statistics from elsewhere, and
//! the average length is where b acts: with the average read `scale` times as long, a document
//! of `x` times the true average is normalized by `1 - B + B·x/scale`, which is
//! `c·(1 - b' + b'·x)` with `b' = B / (B + scale·(1 - B))` and `c = (1 - B) / (1 - b')`, the
//! BM25 of `b'` with `k1' = K1·c`. So `scale` 4.5 scores as b 0.4, k1 0.5.

use tantivy::Term;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::Field;

/// `inner` scored as if its field's documents were `scale` times as long on average.
#[derive(Debug)]
pub(super) struct Lengthened {
    pub(super) inner: Box<dyn Query>,
    pub(super) scale: f32,
}

impl Clone for Lengthened {
    fn clone(&self) -> Self {
        Lengthened {
            inner: self.inner.box_clone(),
            scale: self.scale,
        }
    }
}

impl Query for Lengthened {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => {
                let scaled = Scaled {
                    inner: statistics_provider,
                    scale: self.scale,
                };
                self.inner.weight(EnableScoring::Enabled {
                    searcher,
                    statistics_provider: &scaled,
                })
            }
            disabled => self.inner.weight(disabled),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

/// Statistics with every field's token count multiplied by `scale`.
struct Scaled<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    scale: f32,
}

impl Bm25StatisticsProvider for Scaled<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = self.inner.total_num_tokens(field)?;
        Ok((tokens as f64 * f64::from(self.scale)).round() as u64)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.inner.doc_freq(term)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    use super::*;

    /// With `scale` 4.5, the scores of documents of different lengths stand as BM25's with
    /// b 0.4 and k1 0.5 do: the ratio of a long document's score to a short one's is theirs,
    /// and higher than tantivy's own.
    #[test]
    fn a_longer_average_scores_as_a_smaller_b() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000)?;
        writer.add_document(doc!(body => "maizuru port"))?;
        writer.add_document(doc!(body => "maizuru a b c d e f g h i j k l m n"))?;
        writer.add_document(doc!(body => "other words"))?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let term = TermQuery::new(
            Term::from_field_text(body, "maizuru"),
            IndexRecordOption::WithFreqs,
        );
        let scores = |query: &dyn Query| -> tantivy::Result<(f32, f32)> {
            let top = searcher.search(query, &TopDocs::with_limit(3).order_by_score())?;
            let of = |doc: u32| {
                top.iter()
                    .find(|(_, a)| a.doc_id == doc)
                    .map_or(0.0, |t| t.0)
            };
            Ok((of(0), of(1)))
        };
        let (short, long) = scores(&term)?;
        let lengthened = Lengthened {
            inner: Box::new(term.clone()),
            scale: 4.5,
        };
        let (short_l, long_l) = scores(&lengthened)?;
        // Lengths 2 and 15, average 19 / 3 (scaled, 85.5 tokens are counted 86: the tolerance).
        let bm25 =
            |k1: f32, b: f32, len: f32| 1.0 / (1.0 + k1 * (1.0 - b + b * len / (19.0 / 3.0)));
        let expected = bm25(0.5, 0.4, 15.0) / bm25(0.5, 0.4, 2.0);
        assert!(
            (long_l / short_l - expected).abs() < 2e-3,
            "{long_l} {short_l} {expected}"
        );
        assert!(long_l / short_l > long / short);
        Ok(())
    }
}
