//! The near-duplicate bands that two or more live documents share, with those documents, read
//! in one pass over the band terms of every segment. A hit's near copies are the documents
//! sharing one of its 20 bands; looked up hit by hit, that is 20 term look-ups in each segment
//! per hit, which dominated an export of every hit. Most bands belong to one document only,
//! so the shared ones are few, and a band missing here is one only the hit itself has.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::TermMerger;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

use crate::schema::Fields;

/// Hits to build at least before the shared bands are read: reading them walks every band
/// term of the index, which costs about what looking up the bands of this many hits does.
pub const WORTH_READING: usize = 1_000;

/// Each shared band's live documents, in index order, at most `max` a band.
pub struct SharedBands(HashMap<Box<[u8]>, Vec<DocAddress>>);

impl SharedBands {
    pub fn read(searcher: &Searcher, fields: &Fields, max: usize) -> Result<SharedBands> {
        let segments = searcher.segment_readers();
        let indexes = segments
            .iter()
            .map(|segment| segment.inverted_index(fields.near_bands))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let streams = indexes
            .iter()
            .map(|index| index.terms().stream())
            .collect::<std::io::Result<Vec<_>>>()
            .context("cannot read the near-duplicate bands")?;
        let mut merger = TermMerger::new(streams);
        let mut shared = HashMap::new();
        let mut infos: Vec<(usize, TermInfo)> = Vec::new();
        while merger.advance() {
            infos.clear();
            infos.extend(merger.current_segment_ords_and_term_infos());
            if infos.iter().map(|(_, info)| info.doc_freq).sum::<u32>() < 2 {
                continue;
            }
            let mut docs = Vec::new();
            for (ord, info) in &infos {
                let alive = segments[*ord].alive_bitset();
                let mut postings =
                    indexes[*ord].read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                while doc != TERMINATED && docs.len() < max {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        docs.push(DocAddress::new(*ord as u32, doc));
                    }
                    doc = postings.advance();
                }
            }
            if docs.len() >= 2 {
                shared.insert(Box::from(merger.key()), docs);
            }
        }
        Ok(SharedBands(shared))
    }

    /// The live documents with `band`, when two or more have it (else only the document it
    /// was asked for has it).
    pub fn get(&self, band: &str) -> Option<&[DocAddress]> {
        self.0.get(band.as_bytes()).map(Vec::as_slice)
    }
}
