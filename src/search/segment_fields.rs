//! Which fields each segment of the index has terms for, so that a search never opens a field
//! in a segment without it.
//!
//! Why: tantivy answers such a field with an empty term dictionary that it builds the first time a
//! process needs one, an FST builder with a 1 MB table, which costs a good part of a rare word's
//! whole search (see BENCHMARKS.md, "Figures behind the code"). An index of several segments
//! usually has one without some language's stemmed field (the second segment of the `multi`
//! benchmark has no Finnish or Hungarian passage), and every word is looked up in every stemmed
//! field of its script. So each clause on a field is wrapped in [`Present`], which gives no scorer
//! where the field is absent, and BM25's statistics come from [`Statistics`], which skips those
//! segments too.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tantivy::directory::{CompositeFile, Directory};
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::Field;
use tantivy::{DocId, Score, SeekDangerResult, SegmentReader, TERMINATED, Term};
use tantivy::{Searcher, TantivyError};

/// The indexed fields with terms in each segment of a searcher.
#[derive(Debug, Default)]
pub struct Presence {
    fields: HashMap<SegmentId, Vec<Field>>,
}

impl Presence {
    /// Read from each segment's postings file, whose table of contents lists the fields it
    /// holds (the file is mapped already: this reads a few hundred bytes).
    pub fn of(searcher: &Searcher) -> tantivy::Result<Presence> {
        let schema = searcher.schema();
        let directory = searcher.index().directory();
        let mut fields = HashMap::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let path = PathBuf::from(format!(
                "{}.{}",
                id.uuid_string(),
                SegmentComponent::Postings
            ));
            let postings = CompositeFile::open(&directory.open_read(&path)?)?;
            let present = schema
                .fields()
                .filter(|(field, entry)| entry.is_indexed() && postings.open_read(*field).is_some())
                .map(|(field, _)| field)
                .collect();
            fields.insert(id, present);
        }
        Ok(Presence { fields })
    }

    /// Whether `segment` has terms in `field`; a segment not read is assumed to have them.
    pub fn has(&self, segment: &SegmentReader, field: Field) -> bool {
        self.fields
            .get(&segment.segment_id())
            .is_none_or(|present| present.contains(&field))
    }
}

/// BM25's statistics over the segments that have the field (the others add nothing to them).
pub struct Statistics<'a> {
    pub searcher: &'a Searcher,
    pub presence: &'a Presence,
}

impl Statistics<'_> {
    fn with(&self, field: Field) -> impl Iterator<Item = &SegmentReader> {
        self.searcher
            .segment_readers()
            .iter()
            .filter(move |segment| self.presence.has(segment, field))
    }
}

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0;
        for segment in self.with(field) {
            total += segment.inverted_index(field)?.total_num_tokens();
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = 0;
        for segment in self.with(term.field()) {
            total += u64::from(segment.inverted_index(term.field())?.doc_freq(term)?);
        }
        Ok(total)
    }
}

/// `query`, all of whose terms are in `field`, in the segments that have `field` only.
#[derive(Debug)]
pub struct Present {
    pub field: Field,
    pub presence: Arc<Presence>,
    pub query: Box<dyn Query>,
}

impl Clone for Present {
    fn clone(&self) -> Self {
        Present {
            field: self.field,
            presence: Arc::clone(&self.presence),
            query: self.query.box_clone(),
        }
    }
}

impl Query for Present {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PresentWeight {
            field: self.field,
            presence: Arc::clone(&self.presence),
            inner: self.query.weight(scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct PresentWeight {
    field: Field,
    presence: Arc<Presence>,
    inner: Box<dyn Weight>,
}

impl PresentWeight {
    fn absent(&self, reader: &SegmentReader) -> bool {
        !self.presence.has(reader, self.field)
    }
}

impl Weight for PresentWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.absent(reader) {
            return Ok(Box::new(EmptyScorer));
        }
        self.inner.scorer(reader, boost)
    }

    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        if self.absent(reader) {
            return Ok((
                SeekDangerResult::SeekLowerBound(TERMINATED),
                Box::new(EmptyScorer),
            ));
        }
        self.inner.scorer_danger(reader, target, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.absent(reader) {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        if self.absent(reader) {
            return Ok(0);
        }
        self.inner.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        if self.absent(reader) {
            return Ok(());
        }
        self.inner.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        if self.absent(reader) {
            return Ok(());
        }
        self.inner.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.absent(reader) {
            return Ok(());
        }
        self.inner.for_each_pruning(threshold, reader, callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    #[test]
    fn clauses_skip_the_segments_without_their_field_and_score_as_before() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let a = builder.add_text_field("a", TEXT);
        let b = builder.add_text_field("b", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 15_000_000)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut both = TantivyDocument::new();
        both.add_text(a, "maizuru port");
        both.add_text(b, "maizuru");
        writer.add_document(both)?;
        writer.commit()?;
        let mut only_a = TantivyDocument::new();
        only_a.add_text(a, "maizuru again");
        writer.add_document(only_a)?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);

        let presence = Arc::new(Presence::of(&searcher)?);
        let has: Vec<(bool, bool)> = searcher
            .segment_readers()
            .iter()
            .map(|s| (presence.has(s, a), presence.has(s, b)))
            .collect();
        assert!(
            has.contains(&(true, true)) && has.contains(&(true, false)),
            "{has:?}"
        );

        let statistics = Statistics {
            searcher: &searcher,
            presence: &presence,
        };
        for field in [a, b] {
            let plain = TermQuery::new(
                Term::from_field_text(field, "maizuru"),
                IndexRecordOption::WithFreqs,
            );
            let wrapped = Present {
                field,
                presence: Arc::clone(&presence),
                query: Box::new(plain.clone()),
            };
            let top = TopDocs::with_limit(10).order_by_score();
            assert_eq!(
                searcher.search(&wrapped, &Count)?,
                searcher.search(&plain, &Count)?
            );
            assert_eq!(
                searcher.search_with_statistics_provider(&wrapped, &top, &statistics)?,
                searcher.search(&plain, &top)?
            );
        }
        assert_eq!(
            statistics.doc_freq(&Term::from_field_text(b, "maizuru"))?,
            1
        );
        assert_eq!(statistics.total_num_tokens(a)?, 4);
        Ok(())
    }
}
