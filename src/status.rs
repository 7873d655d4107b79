//! What the index holds: documents, languages, size on disk, last ingest.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Status {
    pub index: PathBuf,
    pub documents: u64,
    /// Main language -> number of documents.
    pub languages: BTreeMap<String, u64>,
    pub size_bytes: u64,
    /// Unix seconds of the last complete ingest.
    pub last_ingest: Option<i64>,
    /// An ingest committed part of its work and did not finish (it was interrupted).
    pub partial: bool,
}

pub fn gather(store: &Store) -> Result<Status> {
    let searcher = store.reader()?.searcher();
    let lang_name = searcher
        .schema()
        .get_field_name(store.fields.lang)
        .to_string();
    let mut languages = BTreeMap::new();
    let mut documents = 0;
    let mut buffer = String::new();
    for segment in searcher.segment_readers() {
        let column = segment
            .fast_fields()
            .str(&lang_name)?
            .context("index has no lang column")?;
        for doc in segment.doc_ids_alive() {
            documents += 1;
            buffer.clear();
            if let Some(ord) = column.term_ords(doc).next() {
                column.ord_to_str(ord, &mut buffer)?;
            }
            *languages.entry(buffer.clone()).or_insert(0) += 1;
        }
    }
    let payload = store.payload();
    Ok(Status {
        index: store.dir.clone(),
        documents,
        languages,
        size_bytes: folder_size(&store.dir),
        last_ingest: payload.last_ingest,
        partial: payload.partial,
    })
}

fn folder_size(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
